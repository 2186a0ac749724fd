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

from dataclasses import dataclass

from dedup.model import Document
from dedup.readers.builder import Origin, Run, TextBuilder, tight
from dedup.text import is_cjk

HYPHENS = "-\u00ac\u00ad\u2010\u2e17"
# Thresholds, in multiples of the block's median line height.
INDENT = 0.8
SHORT_LINE = 2.5
GAP = 1.0
SIZE_CHANGE = 1.3


@dataclass(frozen=True)
class OcrWord:
    """One recognised word (or CJK character group) with its source and confidence.

    ``confidence`` is 0..1; ``char_confidence`` gives one value per character
    when the format has them (ALTO ``CC``). ``hyphen_start`` marks the first
    part of a word hyphenated across lines (ALTO ``SUBS_TYPE="HypPart1"``).
    """

    text: str
    origin: Origin
    confidence: float | None = None
    char_confidence: tuple[float, ...] | None = None
    hyphen_start: bool = False


@dataclass(frozen=True)
class OcrLine:
    """One text line: its words in order, its box, and whether it ends in an explicit hyphen."""

    words: tuple[OcrWord, ...]
    bbox: tuple[int, int, int, int] | None = None
    hyphen: bool = False


@dataclass(frozen=True)
class OcrBlock:
    """One text block (ALTO TextBlock, hOCR ocr_par/ocr_carea, PAGE TextRegion)."""

    lines: tuple[OcrLine, ...]


@dataclass(frozen=True)
class OcrPage:
    """One page: its blocks in reading order."""

    id: str
    blocks: tuple[OcrBlock, ...]


def _chars(line: OcrLine) -> str:
    return "".join(w.text for w in line.words)


def _cjk_line(line: OcrLine) -> bool:
    text = "".join(_chars(line).split())
    return bool(text) and 2 * sum(1 for c in text if is_cjk(c)) >= len(text)


def _trailing_hyphen(word: OcrWord) -> bool:
    t = word.text
    return len(t) >= 2 and t[-1] in HYPHENS and t[-2].isalpha()


def _ends_hyphenated(line: OcrLine) -> bool:
    if not line.words:
        return False
    last = line.words[-1]
    return line.hyphen or last.hyphen_start or _trailing_hyphen(last)


Box = tuple[int, int, int, int]


@dataclass(frozen=True)
class _Measure:
    """A block's left and right edges and median line height."""

    left: int
    right: int
    height: int


def _measure(lines: list[OcrLine]) -> _Measure | None:
    boxes = [line.bbox for line in lines]
    known = [b for b in boxes if b is not None]
    if not known or len(known) != len(boxes):
        return None
    heights = sorted(b[3] - b[1] for b in known)
    return _Measure(
        min(b[0] for b in known), max(b[2] for b in known), max(heights[len(heights) // 2], 1)
    )


def _size_change(prev: OcrLine, line: OcrLine, pb: Box, b: Box) -> bool:
    if len(_chars(prev).strip()) < 3 or len(_chars(line).strip()) < 3:
        return False  # a line of two quote marks is no change of type size
    ph, lh = max(pb[3] - pb[1], 1), max(b[3] - b[1], 1)
    return max(ph, lh) > SIZE_CHANGE * min(ph, lh)


def _breaks(prev: OcrLine, line: OcrLine, m: _Measure | None) -> bool:
    """Does ``line`` start a new paragraph after ``prev`` in the same block?"""
    if m is None or prev.bbox is None or line.bbox is None or _ends_hyphenated(prev):
        return False
    pb, b, h = prev.bbox, line.bbox, m.height
    return (
        _size_change(prev, line, pb, b)
        or (b[0] - m.left > INDENT * h and b[0] - pb[0] > INDENT * h / 2)
        or (_cjk_line(prev) and m.right - pb[2] > SHORT_LINE * h)
        or b[1] - pb[3] > GAP * h
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
    if not (b[1] - pb[1] >= 0 and b[1] - pb[3] <= GAP * h and b[2] >= pb[0]):
        return False  # not just below: a new column, a region elsewhere
    if _ends_hyphenated(prev):
        return True
    if b[0] > pb[0] + INDENT * h / 2 or _size_change(prev, line, pb, b):
        return False
    return not (_cjk_line(prev) and max(m.right, b[2]) - pb[2] > SHORT_LINE * h)


def page_paragraphs(blocks: tuple[OcrBlock, ...]) -> list[list[OcrLine]]:
    """Cut a page's blocks into paragraphs by their geometry (see the module docstring).

    Lines without boxes stay with their block, one paragraph per block.
    """
    paras: list[list[OcrLine]] = []
    before: _Measure | None = None  # the measure of the block before
    for block in blocks:
        kept = [line for line in block.lines if _chars(line).strip()]
        if not kept:
            continue
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


def paragraph_runs(lines: list[OcrLine]) -> list[Run]:
    """The runs of one paragraph: words and lines joined, hyphenation undone."""
    runs: list[Run] = []
    last = ""  # the last character emitted
    pending: str | None = None  # joiner forced before the next line's first word
    for k, line in enumerate(lines):
        carry, pending = pending, None
        cjk = _cjk_line(line) or (k > 0 and _cjk_line(lines[k - 1]))
        words = [w for w in line.words if w.text]
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
                if joiner:
                    runs.append((joiner, None, None))
            if text:
                runs.extend(_word_runs(word, text))
                last = text[-1]
    return runs


def _height(lines: list[OcrLine]) -> int | None:
    heights = sorted(line.bbox[3] - line.bbox[1] for line in lines if line.bbox is not None)
    return heights[len(heights) // 2] if heights else None


def heading_levels(paras: list[list[OcrLine]]) -> list[int]:
    """Markdown heading level of each paragraph: 1 or 2 when set larger than the body, else 0.

    The body size is the median line height of the page. A paragraph whose
    lines are ``SIZE_CHANGE`` times that is a heading: level 1 when it is
    about as large as the page's largest, level 2 when smaller.
    """
    body = _height([line for para in paras for line in para])
    sizes = [_height(para) for para in paras]
    if body is None:
        return [0] * len(paras)
    big = [h for h in sizes if h is not None and h >= SIZE_CHANGE * body]
    top = max(big, default=0)
    return [
        0 if h is None or h < SIZE_CHANGE * body else 1 if h >= 0.9 * top else 2 for h in sizes
    ]


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
