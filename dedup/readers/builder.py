"""Lay out extracted paragraphs as plain text, remembering where every character came from.

Readers hand over paragraphs as runs of text, each run tagged with its
``Origin`` (the source element) and, for OCR, a confidence. The builder
separates paragraphs with one blank line (so that ``dedup.segment.split``
sees each as a block), ends the text with a newline, and returns the text
with its source spans and confidence spans, offsets indexing that text.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass

from lxml import etree

from dedup.model import Document, SourceSpan
from dedup.text import is_wide

PARAGRAPH_BREAK = "\n\n"


@dataclass(frozen=True)
class Origin:
    """The source element a run of extracted text comes from (see ``SourceSpan``)."""

    xpath: str
    line: int = 0
    page: str = ""
    bbox: tuple[int, int, int, int] | None = None


Run = tuple[str, Origin | None, float | None]


def source_line(el: etree._Element) -> int:
    """The 1-based line of an element in its file, 0 when the parser did not record it."""
    line = el.sourceline
    return line if isinstance(line, int) else 0


def tight(left: str, right: str) -> bool:
    """True when no space belongs between these two characters (either is CJK).

    CJK ideographs, kana, hangul, CJK punctuation and full-width forms are
    written without spaces, so words and lines meeting at them join directly.
    """
    return is_wide(left) or is_wide(right)


class TextBuilder:
    """Collects paragraphs and the source of each of their characters."""

    def __init__(self) -> None:
        self._parts: list[str] = []
        self._length = 0
        self._spans: list[SourceSpan] = []
        self._confidence: list[tuple[int, int, float]] = []

    def paragraph(self, runs: Iterable[Run]) -> None:
        """Append one paragraph made of runs ``(text, origin, confidence)``.

        Runs with no origin are text the reader added (a ``#`` marker, a
        joining space). An empty paragraph is skipped.
        """
        items = [r for r in runs if r[0]]
        if not items:
            return
        if self._length:
            self._append(PARAGRAPH_BREAK)
        for text, origin, confidence in items:
            start = self._length
            self._append(text)
            if origin is not None:
                self._add_span(start, self._length, origin)
            if confidence is not None:
                self._confidence.append((start, self._length, confidence))

    def _append(self, text: str) -> None:
        self._parts.append(text)
        self._length += len(text)

    def _add_span(self, start: int, end: int, origin: Origin) -> None:
        last = self._spans[-1] if self._spans else None
        if (
            last is not None
            and last.end == start
            and (last.xpath, last.line, last.page, last.bbox)
            == (origin.xpath, origin.line, origin.page, origin.bbox)
        ):
            self._spans[-1] = SourceSpan(last.start, end, last.xpath, last.line, last.page, last.bbox)
            return
        self._spans.append(SourceSpan(start, end, origin.xpath, origin.line, origin.page, origin.bbox))

    def document(self, path: str, encoding: str, fmt: str, *, with_confidence: bool) -> Document:
        """The Document: text ending in a newline (when not empty), source and confidence spans."""
        if self._length:
            self._append("\n")
        return Document(
            path=path,
            text="".join(self._parts),
            encoding=encoding,
            format=fmt,
            source=tuple(self._spans),
            confidence=tuple(self._confidence) if with_confidence else None,
        )
