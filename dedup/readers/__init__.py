"""Readers for page formats other than plain text: web pages and OCR output.

``detect_format`` names a decoded page's format from its content (not its
suffix); ``load`` turns decoded text into a Document of that format; ``cite``
says where a stretch of a Document's text comes from in its file.

Formats:

* ``text``: the text as it is (see ``dedup.ingest``).
* ``html``: a saved web page; the story is extracted (``dedup.readers.html``).
* ``alto``: ALTO XML v1–v4 (``dedup.readers.alto``).
* ``hocr``: hOCR (``dedup.readers.hocr``).
* ``page``: PAGE XML (``dedup.readers.page``).

Every reader returns the *extracted* plain text, laid out for
``dedup.segment.split`` (headline on its own line, paragraphs separated by
blank lines), with a source map (``Document.source``) and, for OCR,
confidences (``Document.confidence``). XML and HTML are parsed through
``dedup.readers.xmlsafe``: no entities, no DTDs, no network.
"""

from __future__ import annotations

import bisect
import re

from dedup.errors import FormatError
from dedup.model import FORMATS, Document, SourceSpan

_SNIFF = 65536
_PROLOG = re.compile(
    r"\A\ufeff?(?:\s+|<\?.*?\?>|<!--.*?-->|<!DOCTYPE(?:[^\[>]|\[.*?\])*>)*<([A-Za-z_][\w.:-]*)",
    re.DOTALL | re.IGNORECASE,
)
_HOCR = re.compile(r"""class\s*=\s*["'][^"']*\bocr(?:_page|_line|x_word|_par|_carea)\b|ocr-capabilities""")
_HTML_ROOTS = frozenset(
    ["html", "head", "body", "div", "p", "span", "table", "article", "section", "main", "header", "meta", "title", "h1", "h2", "h3", "a", "br"]
)
_XML_DECL = re.compile(r"\A\ufeff?\s*<\?xml\b")


def detect_format(text: str) -> str:
    """The format of a decoded page, from its first element (64 KiB are looked at).

    Returns ``alto`` (root ``alto``, any namespace), ``page`` (root ``PcGts``),
    ``hocr`` (HTML with ``ocr_page``/``ocr_line``/``ocrx_word`` classes or
    an ``ocr-capabilities`` meta), ``html`` (root ``html`` or another HTML
    element), ``xml`` (any other XML: no reader for it) or ``text``.

    >>> detect_format('<?xml version="1.0"?><alto xmlns="http://www.loc.gov/standards/alto/ns-v4#"/>')
    'alto'
    >>> detect_format("# 标题\\n\\n正文。")
    'text'
    """
    head = text[:_SNIFF]
    m = _PROLOG.match(head)
    if m is None:
        return "xml" if _XML_DECL.match(head) else "text"
    root = m.group(1).rsplit(":", 1)[-1].lower()
    if root == "alto":
        return "alto"
    if root == "pcgts":
        return "page"
    if root in _HTML_ROOTS:
        return "hocr" if _HOCR.search(head) else "html"
    return "xml" if _XML_DECL.match(head) or "xmlns" in head[m.start(1) : m.start(1) + 2000] else "text"


def load(text: str, path: str, encoding: str, fmt: str = "auto", page_level: str = "auto") -> Document:
    """A Document of decoded ``text`` read as format ``fmt`` (``auto`` detects it).

    ``page_level`` is the PAGE text level to prefer (``auto``, ``region``,
    ``line`` or ``word``; see ``dedup.readers.page``); other formats ignore it.

    Raises:
        FormatError: ``fmt`` is unknown; the page is XML of no known kind; or
            the reader refuses it (malformed or unsafe XML, wrong root).
    """
    if fmt == "auto":
        fmt = detect_format(text)
        if fmt == "xml":
            m = _PROLOG.match(text[:_SNIFF])
            root = m.group(1) if m else "?"
            raise FormatError(
                path, f"XML with root element <{root}> is not ALTO, PAGE or hOCR (--format-in text reads it as text)"
            )
    if fmt == "text":
        return Document(path=path, text=text, encoding=encoding)
    if fmt == "html":
        from dedup.readers.html import read_html

        return read_html(text, path, encoding)
    if fmt == "alto":
        from dedup.readers.alto import read_alto

        return read_alto(text, path, encoding)
    if fmt == "hocr":
        from dedup.readers.hocr import read_hocr

        return read_hocr(text, path, encoding)
    if fmt == "page":
        from dedup.readers.page import read_page

        return read_page(text, path, encoding, page_level)
    raise FormatError(path, f"unknown input format {fmt!r} (one of auto, {', '.join(FORMATS)})")


def cite(doc: Document, start: int, end: int) -> tuple[SourceSpan, ...]:
    """The source spans that overlap ``doc.text[start:end]`` (empty for plain text).

    A report uses them to point at the original: the element (XPath), its
    line in the file and, for OCR, page and coordinates.
    """
    spans = doc.source
    if not spans:
        return ()
    k = bisect.bisect_right(spans, start, key=lambda s: s.end)
    out = []
    while k < len(spans) and spans[k].start < max(end, start + 1):
        if spans[k].end > start:
            out.append(spans[k])
        k += 1
    return tuple(out)


def confidence_at(doc: Document, start: int, end: int) -> float | None:
    """The lowest OCR confidence of the characters in ``[start, end)``, or None when unknown."""
    return lowest_confidence(doc.confidence, start, end)


def lowest_confidence(
    spans: tuple[tuple[int, int, float], ...] | None, start: int, end: int
) -> float | None:
    """The lowest confidence of the spans that overlap ``[start, end)`` (an empty range: the
    character at ``start`` and the one before it), or None when none does."""
    if not spans:
        return None
    lo, hi = (start, end) if end > start else (max(start - 1, 0), start + 1)
    k = bisect.bisect_right(spans, lo, key=lambda s: s[1])
    best: float | None = None
    while k < len(spans) and spans[k][0] < hi:
        if spans[k][1] > lo:
            best = spans[k][2] if best is None else min(best, spans[k][2])
        k += 1
    return best
