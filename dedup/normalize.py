"""Fold text for comparison while remembering where every folded character came from.

Two printings of a story differ in ways a reader does not care about: full-width
versus half-width punctuation (，/,), curly versus straight quotes, spaces and
line breaks inside a paragraph, Markdown markers, and, optionally, traditional
versus simplified characters. Folding removes those differences so that matching
and alignment see only the text; the offset map lets every later stage point back
at the characters in the original file.
"""

from __future__ import annotations

import re
import unicodedata
from dataclasses import dataclass
from functools import lru_cache

from dedup.text import is_cjk

_QUOTES = {
    "\u201c": '"', "\u201d": '"', "\u201e": '"', "\u201f": '"', "\u301d": '"',
    "\u301e": '"', "\u301f": '"', "\u300c": '"', "\u300d": '"', "\u2033": '"',
    "\u2018": "'", "\u2019": "'", "\u201a": "'", "\u201b": "'", "\u300e": "'",
    "\u300f": "'", "\u2032": "'",
    "\u2015": "\u2014", "\u2500": "\u2014", "\u2013": "-", "\u2012": "-",
    "\u30fb": "\u00b7", "\u2027": "\u00b7", "\u2022": "\u00b7",
    "\u3010": "[", "\u3011": "]", "\u3014": "(", "\u3015": ")",
}

# Markdown markers that carry no text: heading hashes at a line start (repeated,
# so that folding twice changes nothing), block-quote marks, and bold/italic
# runs of two asterisks or underscores.
_MARKUP = re.compile(
    r"^[ \t\u3000]*(?:#{1,6}(?:[ \t\u3000]+|$)|>[ \t\u3000]?)+|\*\*|__",
    re.MULTILINE,
)


def _t2s_converter() -> object | None:
    try:
        import opencc
    except ImportError:  # pragma: no cover - opencc is a hard dependency
        return None
    return opencc.OpenCC("t2s")


@lru_cache(maxsize=1)
def _t2s() -> object | None:
    return _t2s_converter()


@lru_cache(maxsize=65536)
def fold_char(ch: str, traditional: bool = False) -> str:
    """Fold one character: NFKC, quote and dash unification, optional t2s.

    Returns the folded string (possibly longer, e.g. … → ...); applied until it
    no longer changes so that folding is idempotent.
    """
    if unicodedata.category(ch) == "Cf":
        return ""
    out = ch
    for _ in range(4):
        new = "".join(_QUOTES.get(c, c) for c in unicodedata.normalize("NFKC", out))
        if traditional:
            conv = _t2s()
            if conv is not None:
                new = "".join(conv.convert(c) for c in new)  # type: ignore[attr-defined]
        if new == out:
            break
        out = new
    return out


@dataclass(frozen=True)
class Folded:
    """Folded text and, for each folded character, where it came from.

    ``index[i]`` is the original offset where folded character ``i`` starts and
    ``ends[i]`` where its source ends (a folded space covers the whole
    whitespace run it replaced). ``index`` has one extra entry, the original
    length, so that an empty span at the end maps too.
    """

    text: str
    index: tuple[int, ...]
    ends: tuple[int, ...]

    def span(self, i: int, j: int) -> tuple[int, int]:
        """Original ``(start, end)`` covered by the folded characters ``[i, j)``."""
        if i >= j:
            pos = self.index[i]
            return pos, pos
        return self.index[i], self.ends[j - 1]


def _fold_once(text: str, *, traditional: bool, casefold: bool) -> tuple[str, list[int], list[int]]:
    """One folding pass; returns the text and each output char's source span."""

    def fold1(c: str) -> str:
        f = fold_char(c, traditional)
        return f.lower() if casefold else f

    special = {c for c in set(text) if c.isspace() or fold1(c) != c}
    pieces: list[str] = []
    starts: list[int] = []
    ends: list[int] = []
    last = ""  # last character emitted
    ws: tuple[int, int] | None = None  # pending whitespace run

    def emit(chunk: str, begin: int, stop: int | None = None) -> None:
        nonlocal ws, last
        if ws is not None:
            if last and not (is_cjk(last) or is_cjk(chunk[0])):
                pieces.append(" ")
                starts.append(ws[0])
                ends.append(ws[1])
            ws = None
        pieces.append(chunk)
        if stop is None:  # a verbatim run of the original
            starts.extend(range(begin, begin + len(chunk)))
            ends.extend(range(begin + 1, begin + len(chunk) + 1))
        else:  # one source character folded to ``chunk``
            starts.extend([begin] * len(chunk))
            ends.extend([stop] * len(chunk))
        last = chunk[-1]

    drops = [(m.start(), m.end()) for m in _MARKUP.finditer(text) if m.end() > m.start()]
    drops.append((len(text), len(text)))
    pos = 0
    for d_start, d_end in drops:
        i = pos
        run = i
        while i < d_start:
            c = text[i]
            if c in special:
                if run < i:
                    emit(text[run:i], run)
                if c.isspace():
                    ws = (ws[0] if ws is not None else i, i + 1)
                else:
                    f = fold1(c)
                    if f and not f.isspace():
                        emit(f, i, i + 1)
                run = i + 1
            i += 1
        if run < d_start:
            emit(text[run:d_start], run)
        pos = max(pos, d_end)
    return "".join(pieces), starts, ends


def fold(text: str, *, traditional: bool = False, casefold: bool = False) -> Folded:
    r"""Fold ``text`` for comparison and keep the map back to it.

    Args:
        text: original text.
        traditional: fold traditional characters to simplified (OpenCC t2s,
            character by character so offsets stay exact).
        casefold: lower-case Latin letters.

    Note that whitespace next to a CJK character is removed (a line break
    inside a Chinese paragraph is no break at all), any other whitespace run
    becomes one space, and leading/trailing whitespace is dropped.

    >>> f = fold("高擎，红色\n旗帜")
    >>> f.text
    '高擎,红色旗帜'
    >>> f.span(3, 6)
    (3, 7)
    """
    current = text
    starts = list(range(len(text)))
    ends = list(range(1, len(text) + 1))
    for _ in range(4):
        new, s, e = _fold_once(current, traditional=traditional, casefold=casefold)
        if new == current:
            break
        starts = [starts[k] for k in s]
        ends = [ends[k - 1] for k in e]
        current = new
    index = (*tuple(starts), len(text))
    return Folded(text=current, index=index, ends=tuple(ends))


_NOT_WORD = re.compile(r"[\W_]+")
_FULLWIDTH = re.compile("[\uff10-\uff19\uff21-\uff3a\uff41-\uff5a]+")
_KEY_AT_ONCE = 1 << 16  # characters of text reduced to letters and digits at a time


def _halfwidth(m: re.Match[str]) -> str:
    return "".join(chr(ord(c) - 0xFEE0) for c in m.group())


def _letters(text: str, halfwidth: bool = False) -> str:
    """``text`` without its non-word characters (full-width letters and digits
    made half-width first when ``halfwidth``), a piece at a time.

    Each character is dropped or mapped on its own, so the pieces give what
    the whole gives; a page on one line then never lists all its words.
    """

    def piece(part: str) -> str:
        return _NOT_WORD.sub("", _FULLWIDTH.sub(_halfwidth, part) if halfwidth else part)

    if len(text) <= _KEY_AT_ONCE:
        return piece(text)
    return "".join(piece(text[a : a + _KEY_AT_ONCE]) for a in range(0, len(text), _KEY_AT_ONCE))


def key_text(text: str, *, traditional: bool = False) -> str:
    """Letters and digits only, NFKC-folded and lower-cased: the text fingerprints see.

    Much faster than ``fold`` and without an offset map; punctuation, symbols
    and whitespace are dropped entirely, so that shingles survive any change
    of punctuation width, quoting or line breaking.
    """
    out = _letters(text, halfwidth=True)
    if not unicodedata.is_normalized("NFKC", out):
        out = _letters(unicodedata.normalize("NFKC", out))
    out = out.lower()
    if traditional:
        conv = _t2s()
        if conv is not None:
            out = conv.convert(out)  # type: ignore[attr-defined]
    return out
