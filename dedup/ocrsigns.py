"""Marks that tesseract reads as letters: a dash as 一, the per cent sign as 96, hanzi as Latin.

Text-level signs of a misreading, shared by ``dedup.classify`` (one change) and
``dedup.noisesigns`` (a noisy pair).
"""

from __future__ import annotations

from dedup.minor import show
from dedup.text import is_cjk

__all__ = ["DASHES", "symbol_read"]

DASHES = frozenset("—–-─―")


def symbol_read(a: str, b: str, ba: str, bb: str) -> str | None:
    """Reason to call a mark read as letters a misreading: —— as 一, % as 96, hanzi as Latin.

    Tesseract reads a dash as 一 and back, the per cent sign as 96, and a
    stretch of hanzi it cannot place as Latin capitals (李柳娟 as IO); no
    editor writes those.
    """
    for ones, other, other_letters in ((bb, a, ba), (ba, b, bb)):
        if ones and set(ones) == {"一"} and not other_letters and DASHES & set(other):
            return f"dash read as {ones} (or {ones} as a dash)"
        if ones == "96" and not other_letters and "%" in a + b:
            return "per cent sign read as 96"
    for han, latin in ((ba, bb), (bb, ba)):
        roman = sum(1 for c in latin if c.isascii() and c.isalpha())
        if any(map(is_cjk, han)) and not any(c.isascii() and c.isalpha() for c in han) and (
            roman > sum(1 for c in latin if is_cjk(c))
        ):
            return f"hanzi {show(han)} read as Latin letters {show(latin)}"
    return None
