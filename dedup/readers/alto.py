"""Read ALTO XML (v1–v4, any namespace) OCR output into a Document.

Elements are matched by local name, so ALTO without a namespace, the LoC
``ns-v2#``/``ns-v3#``/``ns-v4#`` namespaces and older vendor namespaces all
read. Reading order is the order of the ``TextBlock`` elements in the file
(ALTO's convention, and tesseract's), unless an ALTO 4.3 ``ReadingOrder``
lists blocks by ``ElementRef/@REF``: those come first, in that order, then
any block it leaves out.

Within a ``TextLine``, ``String/@CONTENT`` gives the words, ``WC`` the word
confidence (0..1) and ``CC`` the character confidences (a digit per
character, 0 sure … 9 unsure, mapped to ``1 - d/9``). A ``HYP`` element or
``SUBS_TYPE="HypPart1"`` marks a word hyphenated across lines; the parts are
joined without the hyphen. Coordinates (``HPOS``, ``VPOS``, ``WIDTH``,
``HEIGHT``) are kept in the file's ``MeasurementUnit`` as ``x0, y0, x1, y1``.
Tesseract up to 5.5.2 writes ``WC`` as "0." followed by its integer
percentage (2 % as ``0.2``, 100 % as ``0.100``); files whose
``softwareName`` names such a tesseract are read accordingly.
See ``dedup.readers.layout`` for how lines become paragraphs.
"""

from __future__ import annotations

import re

from lxml import etree

from dedup.errors import FormatError
from dedup.model import Document
from dedup.readers.builder import Origin, source_line
from dedup.readers.layout import OcrBlock, OcrLine, OcrPage, OcrWord, lay_out, parse_number
from dedup.readers.xmlsafe import parse_xml
from dedup.readers.xmltree import children as _children
from dedup.readers.xmltree import descendants as _descendants
from dedup.readers.xmltree import in_reading_order, xpath_of
from dedup.readers.xmltree import local_name as _local


def _bbox(el: etree._Element) -> tuple[int, int, int, int] | None:
    x, y = parse_number(el.get("HPOS")), parse_number(el.get("VPOS"))
    w, h = parse_number(el.get("WIDTH")), parse_number(el.get("HEIGHT"))
    if x is None or y is None or w is None or h is None:
        return None
    return (x, y, x + w, y + h)


_TESSERACT = re.compile(r"tesseract\s+v?(\d+)\.(\d+)\.(\d+)", re.IGNORECASE)
# The last tesseract release known to write WC as "0." + its integer percentage.
_TESSERACT_WC_FIXED_AFTER = (5, 5, 2)


def _percent_wc(root: etree._Element) -> bool:
    """Whether WC was written by a tesseract that prints "0." + the integer percentage.

    Tesseract up to 5.5.2 writes 2 % as ``WC="0.2"`` and 100 % as
    ``WC="0.100"`` (tesseract-ocr/tesseract#4615, fixed later).
    """
    for el in root.iter():
        if _local(el) == "softwareName" and el.text:
            m = _TESSERACT.search(el.text)
            if m:
                return tuple(int(g) for g in m.groups()) <= _TESSERACT_WC_FIXED_AFTER
            if el.text.strip().lower() == "tesseract":
                return True
    return False


def _confidence(value: str | None, percent: bool = False) -> float | None:
    if value is None:
        return None
    if percent and value.startswith("0.") and value[2:].isdigit():
        return min(int(value[2:]), 100) / 100.0
    try:
        wc = float(value)
    except ValueError:
        return None
    return min(max(wc, 0.0), 1.0)


def _char_confidence(value: str | None, length: int) -> tuple[float, ...] | None:
    if not value:
        return None
    tokens = value.split() if " " in value.strip() else list(value.strip())
    if len(tokens) != length or not all(t.isdigit() and len(t) == 1 for t in tokens):
        return None
    return tuple(round(1.0 - int(t) / 9.0, 4) for t in tokens)


def _line(el: etree._Element, page: str, percent: bool) -> OcrLine:
    words: list[OcrWord] = []
    hyphen = False
    for child in el:
        name = _local(child)
        if name == "String":
            content = child.get("CONTENT") or ""
            hyphen = False
            words.append(
                OcrWord(
                    text=content,
                    origin=Origin(xpath_of(child, "ID"), source_line(child), page, _bbox(child)),
                    confidence=_confidence(child.get("WC"), percent),
                    char_confidence=_char_confidence(child.get("CC"), len(content)),
                    hyphen_start=(child.get("SUBS_TYPE") or "") == "HypPart1",
                )
            )
        elif name == "HYP":
            hyphen = True
    return OcrLine(tuple(words), _bbox(el), hyphen)


def _ordered_blocks(root: etree._Element, page: etree._Element) -> list[etree._Element]:
    blocks = _descendants(page, "TextBlock")
    refs = [r.get("REF") or "" for order in _descendants(root, "ReadingOrder") for r in _descendants(order, "ElementRef")]
    return in_reading_order(blocks, refs, "ID")


def read_alto(text: str, path: str, encoding: str) -> Document:
    """Parse ALTO text into a Document (format ``alto``).

    Raises:
        FormatError: malformed or unsafe XML, or the root is not ``alto``.
    """
    root = parse_xml(text, path)
    if _local(root).lower() != "alto":
        raise FormatError(path, f"not an ALTO document (root element <{_local(root)}>)")
    percent = _percent_wc(root)
    pages: list[OcrPage] = []
    for k, page in enumerate(_descendants(root, "Page"), start=1):
        page_id = page.get("ID") or page.get("PHYSICAL_IMG_NR") or str(k)
        blocks = [
            OcrBlock(tuple(_line(line, page_id, percent) for line in _children(block, "TextLine")))
            for block in _ordered_blocks(root, page)
        ]
        pages.append(OcrPage(page_id, tuple(blocks)))
    return lay_out(pages, path, encoding, "alto")
