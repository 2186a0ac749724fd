"""Turn OCR pages (blocks, lines, words with coordinates) into paragraphs of plain text.

ALTO, hOCR and PAGE readers all produce the same small model (``OcrPage`` →
``OcrBlock`` → ``OcrLine`` → ``OcrWord``, in reading order) and this module
lays it out:

* Words of a line join with a space, except where either side is CJK
  (ideographs, kana, hangul, CJK and full-width punctuation): those join
  directly, since OCR engines box CJK characters one by one.
* Lines of a paragraph join the same way. A line that ends in a hyphenated
  word (an ALTO ``HYP`` element or ``SUBS_TYPE="HypPart1"``; or a trailing
  ``-``, ``¬``, soft hyphen or ``‐`` before a lower-case letter, as hOCR and
  tesseract's ALTO print it) joins the next line without the hyphen and
  without a space.
* Blocks often hold several paragraphs (tesseract's blocks do): a block is
  cut where the type size changes (headline → deck → body), where a line is
  indented, where a CJK line stops short of the measure (CJK text is set
  justified, so only a paragraph's last line is short), and at a vertical
  gap of more than a line's height. Paragraphs are separated by blank lines.

A paragraph set in a type clearly larger than the page's body text is a
heading and gets a Markdown marker (``# `` for the largest size, ``## ``
below it), as HTML headings do, so that the segmenter finds the headline
even when OCR errors make it look like a line of text.

Note that a dropped hyphen is not in the text: the word's source span covers
the characters kept.
"""

from __future__ import annotations

import unicodedata
from dataclasses import dataclass, replace
from itertools import pairwise

from dedup.model import Document
from dedup.readers.builder import Run, TextBuilder, tight
from dedup.readers.ocrpage import OcrBlock as OcrBlock
from dedup.readers.ocrpage import OcrLine as OcrLine
from dedup.readers.ocrpage import OcrPage as OcrPage
from dedup.readers.ocrpage import OcrWord as OcrWord
from dedup.readers.ocrpage import chars as _chars
from dedup.readers.ocrpage import cjk_line as _cjk_line
from dedup.readers.typesize import SIZE_CHANGE, heading_levels, kept_blocks, median, type_size

HYPHENS = "-\u00ac\u00ad\u2010\u2e17"
CLOSING = frozenset(".,;:!?)]}\u2019\u201d\u203a%\u2026")
OPENING = frozenset("([{\u201e\u201a\u2039")
# Thresholds, in multiples of the block's median line height.
INDENT = 0.8
SHORT_LINE = 2.5
GAP = 1.0



def _trailing_hyphen(word: OcrWord) -> bool:
    """A hyphen after a letter (a letter with combining marks too: ``Unmuͤn-``)."""
    t = word.text
    if len(t) < 2 or t[-1] not in HYPHENS:
        return False
    base = t[:-1]
    while base and unicodedata.combining(base[-1]):
        base = base[:-1]
    return bool(base) and base[-1].isalpha()


def _ends_hyphenated(line: OcrLine) -> bool:
    words = _line_words(line)
    if not words:
        return False
    last = words[-1]
    return line.hyphen or last.hyphen_start or _trailing_hyphen(last)


Box = tuple[int, int, int, int]


@dataclass(frozen=True)
class _Measure:
    """A block's left and right edges, median line height and line pitch.

    The pitch is the median distance from one line's top to the next one's:
    the height plus the leading. Only a gap beyond it parts paragraphs, so a
    widely leaded page is not cut at every line.
    """

    left: int
    right: int
    height: int
    pitch: int



def _measure(lines: list[OcrLine]) -> _Measure | None:
    boxes = [line.bbox for line in lines]
    known = [b for b in boxes if b is not None]
    if not known or len(known) != len(boxes):
        return None
    height = max(median([b[3] - b[1] for b in known]) or 1, 1)
    steps = [b[1] - a[1] for a, b in pairwise(known) if b[1] > a[1]]
    pitch = median(steps) if len(steps) >= 2 else None
    # With fewer than two steps there is no usual pitch to judge a gap by:
    # the line height alone is the measure, as for a gap above one height.
    return _Measure(min(b[0] for b in known), max(b[2] for b in known), height, pitch or height)


def _gap(pb: Box, b: Box, m: _Measure) -> bool:
    """A vertical gap wider than the usual leading by more than ``GAP`` line heights."""
    usual = min(max(m.pitch - m.height, 0), 2 * m.height)
    return b[1] - pb[3] > usual + GAP * m.height


def _size_change(prev: OcrLine, line: OcrLine) -> bool:
    if len(_chars(prev).strip()) < 3 or len(_chars(line).strip()) < 3:
        return False  # a line of two quote marks is no change of type size
    ph, lh = type_size(prev) or 1, type_size(line) or 1
    return max(ph, lh) > SIZE_CHANGE * min(ph, lh)


def _breaks(prev: OcrLine, line: OcrLine, m: _Measure | None) -> bool:
    """Does ``line`` start a new paragraph after ``prev`` in the same block?"""
    if m is None or prev.bbox is None or line.bbox is None or _ends_hyphenated(prev):
        return False
    pb, b, h = prev.bbox, line.bbox, m.height
    return (
        _size_change(prev, line)
        or (b[0] - m.left > INDENT * h and b[0] - pb[0] > INDENT * h / 2)
        or (_cjk_line(prev) and m.right - pb[2] > SHORT_LINE * h)
        or _gap(pb, b, m)
    )


def _continues(prev: OcrLine, line: OcrLine, m: _Measure | None) -> bool:
    """Does the first line of a block go on with the paragraph of the block before?

    OCR engines often make a paragraph's short last line (or a page region)
    a block of its own. It goes on when it lies just below, not indented
    against the line before, in the same type size, and, for CJK, the line
    before reached the measure; a hyphenated line always goes on.
    """
    pb, b = prev.bbox, line.bbox
    if pb is None or b is None or m is None:
        return _ends_hyphenated(prev)
    h = m.height
    if not (b[1] - pb[1] >= 0 and not _gap(pb, b, m) and b[2] >= pb[0]):
        return False  # not just below: a new column, a region elsewhere
    if _ends_hyphenated(prev):
        return True
    if b[0] > pb[0] + INDENT * h / 2 or _size_change(prev, line):
        return False
    return max(m.right, b[2]) - pb[2] <= SHORT_LINE * h  # a short line ended its paragraph



def page_paragraphs(blocks: tuple[OcrBlock, ...]) -> list[list[OcrLine]]:
    """Cut a page's blocks into paragraphs by their geometry (see the module docstring).

    Lines without boxes stay with their block, one paragraph per block.
    """
    paras: list[list[OcrLine]] = []
    before: _Measure | None = None  # the measure of the block before
    for kept in kept_blocks(blocks):
        m = _measure(kept)
        for k, line in enumerate(kept):
            if (paras and k == 0 and _continues(paras[-1][-1], line, before)) or (paras and k > 0 and not _breaks(paras[-1][-1], line, m)):
                paras[-1].append(line)
            else:
                paras.append([line])
        before = m
    return paras


def _joiner(left: str, right: str, cjk: bool) -> str:
    """What goes between two words: nothing at CJK, nor in CJK text unless both are Latin/digits."""
    if not left or not right or tight(left, right):
        return ""
    if cjk and not (left.isascii() and left.isalnum() and right.isascii() and right.isalnum()):
        return ""
    return " "


def _word_runs(word: OcrWord, text: str) -> list[Run]:
    """Runs of one word's kept text: one run, or one per character with CC confidences."""
    cc = word.char_confidence
    if cc is not None and len(cc) >= len(text):
        return [(c, word.origin, cc[k]) for k, c in enumerate(text)]
    return [(text, word.origin, word.confidence)]


def _closing(text: str) -> bool:
    """A word that is only closing punctuation (``;``, ``.``, ``)``): printed against the word before."""
    return bool(text) and all(c in CLOSING for c in text)


def _opening(text: str) -> bool:
    """A word that is only opening punctuation (``(``, ``„``): printed against the word after."""
    return bool(text) and all(c in OPENING for c in text)


def _line_words(line: OcrLine) -> list[OcrWord]:
    """A line's words, a standalone hyphen at its end put back on the word before it.

    Word-tokenised OCR and ground truth write ``Be - drükkung`` for a word
    hyphenated across lines; joined to its word it is undone like ``Be-``.
    """
    words = [w for w in line.words if w.text]
    if len(words) >= 2 and len(words[-1].text) == 1 and words[-1].text in HYPHENS:
        joined = replace(words[-2], text=words[-2].text + words[-1].text)
        if _trailing_hyphen(joined):
            words[-2:] = [joined]
    return words


def paragraph_runs(lines: list[OcrLine]) -> list[Run]:
    """The runs of one paragraph: words and lines joined, hyphenation undone.

    Punctuation that word-level OCR gives as words of its own (``worden ;``,
    ``( S .``) is joined the way it is printed; a drop cap joins its word.
    """
    runs: list[Run] = []
    last = ""  # the last character emitted
    pending: str | None = None  # joiner forced before the next line's first word
    glue = False  # whether the word before is printed against the next
    flags = [_cjk_line(line) for line in lines]
    for k, line in enumerate(lines):
        carry, pending = pending, None
        cjk = flags[k] or (k > 0 and flags[k - 1])
        words = _line_words(line)
        following = lines[k + 1].words if k + 1 < len(lines) else ()
        for j, word in enumerate(words):
            text = word.text
            if j == len(words) - 1 and following and following[0].text:
                explicit = line.hyphen or word.hyphen_start
                if explicit or (_trailing_hyphen(word) and following[0].text[0].islower()):
                    if text[-1] in HYPHENS and (explicit or _trailing_hyphen(word)):
                        text = text[:-1]
                    pending = ""
                elif _trailing_hyphen(word):
                    pending = ""  # Jean-/Paul: the hyphen stays, no space
            if runs and text:
                joiner = carry if (j == 0 and carry is not None) else _joiner(last, text[0], cjk)
                if joiner and not (glue or _closing(text)):
                    runs.append((joiner, None, None))
            if text:
                runs.extend(_word_runs(word, text))
                last = text[-1]
                glue = word.joins_next or _opening(text)
    return runs



def lay_out(pages: list[OcrPage], path: str, encoding: str, fmt: str) -> Document:
    """The Document of some OCR pages: paragraphs in reading order, with source and confidence.

    Headings (set in a larger type than the page's body text) get a Markdown
    marker, ``# `` or ``## ``, as HTML headings do, so that
    ``dedup.segment.split`` sees the headline; the marker has no source span.
    """
    builder = TextBuilder()
    has_confidence = False
    for page in pages:
        paras = page_paragraphs(page.blocks)
        for para, level in zip(paras, heading_levels(paras), strict=True):
            runs = paragraph_runs(para)
            has_confidence = has_confidence or any(r[2] is not None for r in runs)
            if level and runs:
                runs.insert(0, ("#" * level + " ", None, None))
            builder.paragraph(runs)
    return builder.document(path, encoding, fmt, with_confidence=has_confidence)


def parse_number(value: str | None) -> int | None:
    """An integer coordinate from an attribute (floats are rounded), or None."""
    if value is None:
        return None
    try:
        return round(float(value))
    except ValueError:
        return None
