"""Visual similarity between characters, for telling OCR errors from edits.

The similarities come from ``dedup/data/confusables.tsv``, a table derived from
rendered glyph shapes by ``tools/build_confusables.py`` (GB2312 hanzi,
full-width punctuation, printable ASCII, and Latin two-letter sequences such
as ``rn`` that OCR reads as ``m``).  Each line is ``a<TAB>b<TAB>score`` with
``a < b`` and a score in 0..1; pairs absent from the table score 0.  Comment
lines start with ``"# "`` (a data line may start with the token ``#`` followed
by a tab).

Example:
    >>> from dedup import confusables
    >>> confusables.is_lookalike("未", "末")
    True
    >>> confusables.similarity("rn", "m") > 0.9
    True
"""

from __future__ import annotations

import functools
from collections.abc import Mapping
from importlib import resources
from types import MappingProxyType

__all__ = ["DEFAULT_THRESHOLD", "is_lookalike", "load", "parse", "similarity"]

#: Score at or above which two strings count as look-alikes.  The table keeps
#: pairs from 0.45 up; 0.45-0.5 are weak resemblances.
DEFAULT_THRESHOLD = 0.5

_PACKAGE = "dedup"
_RESOURCE = ("data", "confusables.tsv")  # folder, file


def parse(text: str) -> Mapping[str, Mapping[str, float]]:
    """Parse the text of a confusables table into a symmetric mapping.

    Args:
        text: Table text: comment lines (starting with ``"# "``, or just
            ``"#"``), blank lines, and ``a<TAB>b<TAB>score`` lines.

    Returns:
        Read-only mapping ``m`` with ``m[a][b] == m[b][a] == score`` for every
        stored pair.

    Raises:
        ValueError: If a line is malformed, a score is outside 0..1, a pair
            relates a string to itself, or a pair occurs twice.
    """
    table: dict[str, dict[str, float]] = {}
    for number, line in enumerate(text.splitlines(), start=1):
        if not line or line == "#" or line.startswith("# "):
            continue
        fields = line.split("\t")
        if len(fields) != 3 or not fields[0] or not fields[1]:
            raise ValueError(f"line {number}: expected a<TAB>b<TAB>score, got {line!r}")
        a, b, raw = fields
        try:
            score = float(raw)
        except ValueError:
            raise ValueError(f"line {number}: bad score {raw!r}") from None
        if not 0.0 <= score <= 1.0:
            raise ValueError(f"line {number}: score {score} outside 0..1")
        if a == b:
            raise ValueError(f"line {number}: pair of {a!r} with itself")
        if b in table.get(a, {}):
            raise ValueError(f"line {number}: duplicate pair {a!r}/{b!r}")
        table.setdefault(a, {})[b] = score
        table.setdefault(b, {})[a] = score
    return MappingProxyType({k: MappingProxyType(v) for k, v in table.items()})


@functools.cache
def load() -> Mapping[str, Mapping[str, float]]:
    """Load the packaged confusables table (read once, then cached).

    Returns:
        Read-only symmetric mapping from a string to its look-alikes and their
        scores in 0..1.
    """
    text = (
        resources.files(_PACKAGE)
        .joinpath(_RESOURCE[0])
        .joinpath(_RESOURCE[1])
        .read_text(encoding="utf-8")
    )
    return parse(text)


def similarity(a: str, b: str) -> float:
    """Visual similarity of two characters or short Latin sequences.

    Args:
        a: A character (``"论"``, ``"0"``) or a short sequence (``"rn"``).
        b: Another one.

    Returns:
        1.0 if ``a == b``; the table's score if the pair is listed; else 0.0.
        The result is symmetric in ``a`` and ``b``.
    """
    if a == b:
        return 1.0
    return load().get(a, {}).get(b, 0.0)


def is_lookalike(a: str, b: str, threshold: float = DEFAULT_THRESHOLD) -> bool:
    """Whether two characters (or short Latin sequences) look alike.

    Args:
        a: A character or short sequence.
        b: Another one.
        threshold: Minimum similarity; see :data:`DEFAULT_THRESHOLD`.

    Returns:
        True if ``similarity(a, b) >= threshold`` (equal strings included).
    """
    return similarity(a, b) >= threshold
