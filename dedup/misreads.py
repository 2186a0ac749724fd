"""What tesseract itself misreads: the hanzi pairs it confused on renders of our own text.

A look-alike table (``dedup.confusables``) knows which glyphs resemble each
other; tesseract, a sequence reader with a language model, mostly misreads
glyphs that do not (营/党, 品/曲). ``dedup/data/ocr_confusions.tsv``, built by
``tools/build_ocr_confusions.py`` from pages of dictionary words (every common
hanzi, several sizes and qualities) read back by tesseract, records every
substitution it made. A pair in that record is evidence for a misreading; an
editor's word swap (推进/推动) trades glyphs the engine does not confuse.

Example:
    >>> confused("我", "我")
    0
"""

from __future__ import annotations

import functools

from dedup.sortedlines import package_data

__all__ = ["STRAY_SHARE", "confused", "is_stray", "strays", "table"]

# A hanzi that makes at least this share of all the hanzi tesseract put in from
# nothing on its renders is one of its stray readings (和 of a speck or a rule).
STRAY_SHARE = 0.05


def _rows(kind: str) -> list[list[str]]:
    try:
        lines = package_data("ocr_confusions.tsv").decode("utf-8").splitlines()
    except FileNotFoundError:  # no table: no confusion is known
        return []
    return [p[1:] for p in (line.split("\t") for line in lines) if p[0] == kind]


@functools.cache
def table() -> dict[tuple[str, str], int]:
    """``(a, b) → count`` (``a < b``) of the substitutions tesseract made on the renders."""
    return {(a, b): int(n) for a, b, n in _rows("sub")}


@functools.cache
def strays() -> dict[str, float]:
    """Share of all of tesseract's insertions (a hanzi where the render has none) per hanzi."""
    counts = {c: int(n) for c, n in _rows("ins")}
    total = max(1, sum(counts.values()))
    return {c: n / total for c, n in counts.items()}


def is_stray(c: str) -> bool:
    """Whether tesseract often puts ``c`` in where the page has nothing (``STRAY_SHARE``)."""
    return strays().get(c, 0.0) >= STRAY_SHARE


def confused(a: str, b: str) -> int:
    """How often tesseract read hanzi ``a`` for ``b`` or back on its renders (0: never)."""
    if a == b:
        return 0
    return table().get((min(a, b), max(a, b)), 0)
