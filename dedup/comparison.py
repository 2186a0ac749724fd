"""What comparing two printings gives: the result records and their JSON form.

``dedup.compare`` computes a ``Comparison`` (two articles) or a
``PageComparison`` (two pages); ``comparison_json`` and ``pages_json`` turn
them into the JSON that other tools read, so its shape is a contract.

JSON contract (``comparison_json``; read by other tools, keep it stable)::

    {
      "a": "samples/000_….txt#1",          # article ids, path#n
      "b": "samples/001_….txt#1",
      "title": "高擎红色旗帜 筑牢坚强堡垒",   # A's title (B's when A has none)
      "metrics": {
        "similarity": 0.7,                  # 2·matched / (|A| + |B|), folded characters
        "cer": 0.012,                       # Levenshtein / |A| over matched blocks, folded
        "coverage_a": 0.99,                 # matched / |A|
        "coverage_b": 0.62,                 # matched / |B|
        "counts": {"whitespace": 3, …}      # every type in diff.EDIT_TYPES, zeros included
      },
      "alignment": [                        # blocks in reading order, then truncation, moved
        {"a": [3], "b": [2, 3], "kind": "1:n", "score": 0.99}, …
      ],
      "edits": [                            # in block order, then by position
        {"type": "ocr", "reason": "look-alike glyphs 论/训 (score 0.71)",
         "a": [905, 906], "b": [887, 888], "a_text": "论", "b_text": "训", "block": 12}, …
      ]
    }

``matched`` is the longest common subsequence of the folded texts summed over
the matched blocks (1:1, 1:n, n:1, n:m, moved). Block indices in ``alignment``
index the articles' paragraphs; edit offsets index the original text of each
document, ``block`` indexes ``alignment``. Floats are rounded by
``jsonio.dumps``. A page comparison (``pages_json``) wraps the pairs:
``{"a": path, "b": path, "pairs": [...], "unpaired_a": [ids], "unpaired_b": [ids]}``.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from dedup.align import Block
from dedup.classify import Edit

__all__ = ["Comparison", "Metrics", "PageComparison", "comparison_json", "pages_json"]


@dataclass(frozen=True)
class Metrics:
    """How alike two articles are (all shares 0..1, on folded text).

    ``similarity`` is ``2·matched / (|A| + |B|)``, ``cer`` the character error
    rate of B against A over the matched blocks, ``coverage_a``/``coverage_b``
    the shares of A and of B that are matched. ``counts`` gives the number of
    edits of every type, in ``EDIT_TYPES`` order.
    """

    similarity: float
    cer: float
    coverage_a: float
    coverage_b: float
    counts: tuple[tuple[str, int], ...]

    def count(self, kind: str) -> int:
        """Number of edits of one type."""
        return dict(self.counts).get(kind, 0)


@dataclass(frozen=True)
class Comparison:
    """Two articles compared: their paragraph alignment, typed edits and metrics."""

    a: str
    b: str
    title: str
    alignment: tuple[Block, ...]
    edits: tuple[Edit, ...]
    metrics: Metrics


@dataclass(frozen=True)
class PageComparison:
    """Two pages compared: the article pairs found and the articles left unpaired."""

    a: str
    b: str
    pairs: tuple[Comparison, ...]
    unpaired_a: tuple[str, ...]
    unpaired_b: tuple[str, ...]



def comparison_json(c: Comparison) -> dict[str, Any]:
    """One compared pair as JSON (the contract in this module's docstring)."""
    m = c.metrics
    return {
        "a": c.a,
        "b": c.b,
        "title": c.title,
        "metrics": {
            "similarity": m.similarity,
            "cer": m.cer,
            "coverage_a": m.coverage_a,
            "coverage_b": m.coverage_b,
            "counts": dict(m.counts),
        },
        "alignment": [
            {"a": list(blk.a), "b": list(blk.b), "kind": blk.kind, "score": blk.score}
            for blk in c.alignment
        ],
        "edits": [
            {
                "type": e.type,
                "reason": e.reason,
                "a": list(e.a),
                "b": list(e.b),
                "a_text": e.a_text,
                "b_text": e.b_text,
                "block": e.block,
            }
            for e in c.edits
        ],
    }


def pages_json(p: PageComparison) -> dict[str, Any]:
    """Two compared pages as JSON: their paths, the compared pairs, the unpaired articles."""
    return {
        "a": p.a,
        "b": p.b,
        "pairs": [comparison_json(c) for c in p.pairs],
        "unpaired_a": list(p.unpaired_a),
        "unpaired_b": list(p.unpaired_b),
    }
