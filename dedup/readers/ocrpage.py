"""The small model every OCR reader fills: pages of blocks of lines of words, in reading order."""

from __future__ import annotations

from dataclasses import dataclass

from dedup.readers.builder import Origin
from dedup.text import is_cjk


@dataclass(frozen=True)
class OcrWord:
    """One recognised word (or CJK character group) with its source and confidence.

    ``confidence`` is 0..1; ``char_confidence`` gives one value per character
    when the format has them (ALTO ``CC``). ``hyphen_start`` marks the first
    part of a word hyphenated across lines (ALTO ``SUBS_TYPE="HypPart1"``);
    ``joins_next`` a word printed against the next one (a drop cap).
    """

    text: str
    origin: Origin
    confidence: float | None = None
    char_confidence: tuple[float, ...] | None = None
    hyphen_start: bool = False
    joins_next: bool = False


@dataclass(frozen=True)
class OcrLine:
    """One text line: its words in order, its box, and whether it ends in an explicit hyphen.

    ``size`` is the height of its type when the boxes do not tell it (the
    first line beside a drop cap is set in the body's type, its boxes are not).
    """

    words: tuple[OcrWord, ...]
    bbox: tuple[int, int, int, int] | None = None
    hyphen: bool = False
    size: int | None = None


@dataclass(frozen=True)
class OcrBlock:
    """One text block (ALTO TextBlock, hOCR ocr_par/ocr_carea, PAGE TextRegion)."""

    lines: tuple[OcrLine, ...]


@dataclass(frozen=True)
class OcrPage:
    """One page: its blocks in reading order."""

    id: str
    blocks: tuple[OcrBlock, ...]


def chars(line: OcrLine) -> str:
    return "".join(w.text for w in line.words)


def cjk_line(line: OcrLine) -> bool:
    text = "".join(chars(line).split())
    return bool(text) and 2 * sum(1 for c in text if is_cjk(c)) >= len(text)

