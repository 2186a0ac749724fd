"""Every difference of every compared pair as one row: ``edits.csv`` and ``edits.jsonl``.

Why: a copy editor works through differences in a spreadsheet, sorting and
filtering by type, file or line; the pair reports show them in place but
cannot be sorted, and the JSON nests them under each pair. One row per edit,
with where it is as ``file:line:column`` on both sides and a short context,
is what a spreadsheet or ``grep`` needs.

Columns (the CSV header and the JSON Lines keys, in this order):

``pair``        1-based number of the pair in the output (the scan's order)
``a``, ``b``    the two article ids (``path#n``)
``cluster``     the scan's cluster of the pair ("" for ``compare``)
``type``        the edit type (punctuation, whitespace, ..., wording, truncation)
``reason``      why it got that type
``a_file``, ``a_line``, ``a_column``   where the edit starts in A: 1-based line
                and column (in characters) of the document's text as read
                (for HTML and OCR input, the extracted text)
``b_file``, ``b_line``, ``b_column``   the same in B
``a_start``, ``a_end``, ``b_start``, ``b_end``   character offsets in each text
``a_text``, ``b_text``   the characters of each side ("" where a side has none)
``a_context``, ``b_context``   up to ``CONTEXT`` characters either side, the
                edit itself between ``⟦`` and ``⟧``, line breaks shown as ``⏎``

Line breaks are LF, CRLF or CR, as the splitter counts them.
"""

from __future__ import annotations

import csv
import io
import json
from collections.abc import Iterable, Iterator, Sequence
from typing import Any

from dedup.model import ArticleText, Edit, ExplainedPair
from dedup.model.scan import ScanResult

__all__ = ["COLUMNS", "CONTEXT", "edit_rows", "edits_csv", "edits_jsonl", "position", "scan_edits"]

CONTEXT = 20
COLUMNS = (
    "pair", "a", "b", "cluster", "type", "reason",
    "a_file", "a_line", "a_column", "b_file", "b_line", "b_column",
    "a_start", "a_end", "b_start", "b_end", "a_text", "b_text", "a_context", "b_context",
)  # fmt: skip


def _visible(s: str) -> str:
    """A text on one line: every line break shown as ``⏎``."""
    return s.replace("\r\n", "⏎").replace("\n", "⏎").replace("\r", "⏎")


def position(side: ArticleText, offset: int) -> tuple[int, int]:
    """1-based ``(line, column)`` of a document offset inside ``side``'s article.

    The article's text starts at ``article.start``, on line ``article.first_line``
    (articles start at the beginning of a line, so columns count from there).
    """
    head = side.text[: max(0, offset - side.article.start)]
    breaks = head.count("\n") + head.count("\r") - head.count("\r\n")
    last = max(head.rfind("\n"), head.rfind("\r"))
    return side.article.first_line + breaks, len(head) - last


def context(side: ArticleText, span: tuple[int, int], width: int = CONTEXT) -> str:
    """The edit's characters with up to ``width`` characters either side."""
    start, end = span[0] - side.article.start, span[1] - side.article.start
    text = side.text
    before = text[max(0, start - width) : start]
    after = text[end : end + width]
    return _visible(f"{before}⟦{text[start:end]}⟧{after}")


def _row(n: int, pair: ExplainedPair, cluster: str, e: Edit) -> dict[str, Any]:
    """One edit as a row of ``COLUMNS``."""
    a_line, a_col = position(pair.a, e.a[0])
    b_line, b_col = position(pair.b, e.b[0])
    c = pair.comparison
    return {
        "pair": n, "a": c.a, "b": c.b, "cluster": cluster, "type": e.type, "reason": e.reason,
        "a_file": pair.a.article.path, "a_line": a_line, "a_column": a_col,
        "b_file": pair.b.article.path, "b_line": b_line, "b_column": b_col,
        "a_start": e.a[0], "a_end": e.a[1], "b_start": e.b[0], "b_end": e.b[1],
        "a_text": e.a_text, "b_text": e.b_text,
        "a_context": context(pair.a, e.a), "b_context": context(pair.b, e.b),
    }  # fmt: skip


def edit_rows(pairs: Iterable[tuple[ExplainedPair, str]]) -> Iterator[dict[str, Any]]:
    """One row per edit of every ``(pair, cluster id)``, pairs numbered from 1, edits in order."""
    for n, (pair, cluster) in enumerate(pairs, 1):
        for e in pair.comparison.edits:
            yield _row(n, pair, cluster, e)


def edits_csv(pairs: Sequence[tuple[ExplainedPair, str]]) -> str:
    """``edits.csv``: a header of ``COLUMNS``, then one line per edit."""
    buf = io.StringIO()
    writer = csv.DictWriter(buf, fieldnames=COLUMNS, lineterminator="\n")
    writer.writeheader()
    writer.writerows(edit_rows(pairs))
    return buf.getvalue()


def edits_jsonl(pairs: Sequence[tuple[ExplainedPair, str]]) -> str:
    """``edits.jsonl``: one JSON object per edit, keys in ``COLUMNS`` order."""
    return "".join(json.dumps(r, ensure_ascii=False) + "\n" for r in edit_rows(pairs))


def scan_edits(result: ScanResult) -> list[tuple[ExplainedPair, str]]:
    """The compared pairs of a scan with their cluster ids, in ``pairs.csv`` order."""
    cluster_of = {a: c.id for c in result.clusters for a in c.articles}
    return [
        (result.comparisons[(m.a, m.b)], cluster_of.get(m.a, ""))
        for m in result.pairs
        if (m.a, m.b) in result.comparisons
    ]
