"""Character classes and rolling hashes that every stage shares.

Why one module: whether a character is CJK decides where spaces belong, which
shingles an article gets and how an OCR line is joined; a second, slightly
different predicate somewhere else makes two stages disagree about one text.
The same holds for the k-gram hashes that pairing, verification and paragraph
alignment compute: they are one function with its parameters spelled out.
"""

from __future__ import annotations

import array
import bisect
import functools
import re
import sys
import unicodedata
from collections.abc import Callable
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    import numpy as np
    import numpy.typing as npt

    U64 = npt.NDArray[np.uint64]

# CJK scripts and CJK punctuation: radicals, kana, hanzi (with extension A),
# hangul, compatibility ideographs, vertical forms, and the supplementary planes.
CJK_RANGES: tuple[tuple[int, int], ...] = (
    (0x2E80, 0x9FFF),
    (0xAC00, 0xD7AF),
    (0xF900, 0xFAFF),
    (0xFE30, 0xFE4F),
    (0x20000, 0x3134F),
)
# The same ranges as one compiled character class: a regex match is several
# times faster than comparisons in Python, and these run on every character.
_CJK = re.compile("[" + "".join(f"{chr(lo)}-{chr(hi)}" for lo, hi in CJK_RANGES) + "]")
# A regular-expression class for the unified hanzi block, for patterns over
# names (bylines, reporters) where kana or hangul would be wrong.
HANZI = "\u4e00-\u9fff"
_NOT_HANZI = re.compile(f"[^{HANZI}]+")
# The base of the polynomial code-point hash: one more than the largest code
# point, so distinct k-grams of code points never collide before wrapping.
CODEPOINT_BASE = 1114111
MASK32 = 0xFFFFFFFF
_MASK64 = (1 << 64) - 1
# Work on at least this many values takes the numpy path even where numpy is
# not loaded yet: the pure-Python paths grow with the input (some 10 ms at
# this size), the import (some 0.07 s) is paid once.
NUMPY_AT = 60_000


def use_numpy(size: int) -> bool:
    """Whether work on ``size`` values (characters, hashes) should take its numpy path.

    Why: importing numpy is about a quarter of a ``dedup compare`` run on two
    pages, whose texts are small enough that the exact pure-Python paths
    (same results, value for value) cost less than that import. So numpy is
    used where it is loaded already (the scan's stages load it and keep their
    speed) and for inputs large enough to pay for loading it.
    """
    return size >= NUMPY_AT or "numpy" in sys.modules


class CharTable(dict[int, "str | None"]):
    """A ``str.translate`` table filled on first sight of each code point.

    Why: a Python test per character of a long text is slow; ``translate``
    runs in C, and a page holds a few thousand distinct characters against
    hundreds of thousands in all, so ``image`` runs once per distinct one.
    """

    def __init__(self, image: Callable[[str], str | None]) -> None:
        super().__init__()
        self._image = image

    def __missing__(self, cp: int) -> str | None:
        out = self._image(chr(cp))
        self[cp] = out
        return out


def _letter_or_symbol(c: str) -> str | None:
    """``c``, unless it is white space, punctuation (category P) or a zero-width space."""
    return None if c.isspace() or unicodedata.category(c).startswith("P") or c == "\u200b" else c


#: ``s.translate(LETTERS_ONLY)`` keeps letters, digits and symbols (``classify.letters``).
LETTERS_ONLY = CharTable(_letter_or_symbol)


def is_cjk(ch: str) -> bool:
    """True for characters of CJK scripts and CJK punctuation (no spaces between them)."""
    return _CJK.match(ch) is not None


def is_wide(ch: str) -> bool:
    """CJK or full-width form: a line break between two such characters is no space."""
    return is_cjk(ch) or "\uff00" <= ch <= "\uffef"


def is_hanzi(ch: str) -> bool:
    """True for the unified hanzi block (U+4E00..U+9FFF)."""
    return "\u4e00" <= ch <= "\u9fff"


def hanzi_count(text: str) -> int:
    """How many characters of ``text`` are unified hanzi (one regex pass: a line may be megabytes)."""
    return len(_NOT_HANZI.sub("", text))


def cjk_share(text: str) -> float:
    """Share of ``text``'s characters that are CJK (0 for an empty text)."""
    if not text:
        return 0.0
    return len(_CJK.findall(text)) / len(text)


def codepoints(text: str) -> U64:
    """The code points of ``text`` as uint64, ready for hashing."""
    import numpy as np

    return np.frombuffer(text.encode("utf-32-le"), dtype=np.uint32).astype(np.uint64)


def rolling_hashes(values: U64, k: int, *, base: int = CODEPOINT_BASE, bits32: bool = False) -> U64:
    """Polynomial hashes of every window of ``k`` values, in order (uint64).

    ``h = v0·base^(k-1) + … + v(k-1)``, wrapping at 2^64, or reduced to 32 bits
    after every step when ``bits32`` (the form the MinHash shingles use).
    Fewer than ``k`` values give an empty array.
    """
    import numpy as np

    n = len(values) - k + 1
    if n <= 0:
        return np.zeros(0, dtype=np.uint64)
    h = np.zeros(n, dtype=np.uint64)
    b, mask = np.uint64(base), np.uint64(MASK32)
    for j in range(k):
        h = h * b + values[j : j + n]
        if bits32:
            h &= mask
    return h


def kgram_hashes(text: str, k: int = 4) -> U64:
    """Exact hashes of the character ``k``-grams of ``text``, in text order (uint64)."""
    return rolling_hashes(codepoints(text), k)


def kgram_list(text: str, k: int = 4) -> list[int]:
    """``kgram_hashes(text, k)`` as Python ints, computed without numpy (the same values).

    The hash is a polynomial wrapped at 2^64, so it is worked out exactly and
    reduced once at the end.
    """
    cps = list(map(ord, text))
    n = len(cps) - k + 1
    if n <= 0:
        return []
    out = cps[:n]
    for j in range(1, k):
        out = [h * CODEPOINT_BASE + v for h, v in zip(out, cps[j : j + n], strict=True)]
    return [h & _MASK64 for h in out]


def line_of(text: str, offset: int) -> int:
    """1-based line number of ``offset`` (CRLF, CR and LF all end a line).

    The line breaks of ``text`` are found once (``_line_breaks``, cached for
    the page being split) and searched by bisection, so numbering every
    article of a page costs time linear in its size, not quadratic.
    """
    return bisect.bisect_left(_line_breaks(text), offset) + 1


@functools.lru_cache(maxsize=1)
def _line_breaks(text: str) -> array.array[int]:
    """Offsets of the line breaks of ``text``: each CR, and each LF not after a CR."""
    return array.array("q", (m.start() for m in _LINE_BREAK.finditer(text)))


_LINE_BREAK = re.compile(r"\r\n?|\n")
