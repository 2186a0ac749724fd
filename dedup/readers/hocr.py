"""Read hOCR (HTML with OCR classes, as tesseract writes it) into a Document.

Structure comes from the hOCR classes: ``ocr_page`` (pages), ``ocr_line``
and its kin (``ocr_header``, ``ocr_textfloat``, ``ocr_caption``,
``ocrx_line``) as lines, every one of them, in document order, which is
hOCR's reading order, grouped into blocks by their ``ocr_par`` (else
``ocr_carea``; a line in neither is grouped with its neighbours under the
same parent), and ``ocrx_word`` as words. Properties come from the ``title`` attribute: ``bbox x0 y0 x1 y1``
(pixels), ``x_wconf`` (word confidence 0..100, stored as 0..1) and
``x_confs`` (one confidence per character, when present). A word that ends
in a hyphen at the end of a line joins the next line's first word (see
``dedup.readers.layout``).

The page is parsed with lxml's HTML parser (tesseract's output is XHTML, but
other engines write plain HTML) through ``dedup.readers.xmlsafe``.
"""

from __future__ import annotations

from lxml import etree

from dedup.errors import FormatError
from dedup.model import Document
from dedup.readers.builder import Origin, source_line
from dedup.readers.layout import OcrBlock, OcrLine, OcrPage, OcrWord, lay_out, parse_number
from dedup.readers.xmlsafe import parse_html

LINE_CLASSES = frozenset({"ocr_line", "ocr_header", "ocr_textfloat", "ocr_caption", "ocrx_line"})


def _classes(el: etree._Element) -> set[str]:
    return set((el.get("class") or "").split())


def _find(el: etree._Element, classes: frozenset[str] | set[str]) -> list[etree._Element]:
    return [c for c in el.iterdescendants() if isinstance(c.tag, str) and _classes(c) & classes]


def properties(title: str | None) -> dict[str, list[str]]:
    """The hOCR properties of a ``title`` attribute: ``{"bbox": ["0", "0", "10", "10"], …}``."""
    out: dict[str, list[str]] = {}
    for part in (title or "").split(";"):
        tokens = part.split()
        if tokens:
            out[tokens[0]] = tokens[1:]
    return out


def _bbox(props: dict[str, list[str]]) -> tuple[int, int, int, int] | None:
    values = [parse_number(v) for v in props.get("bbox", [])]
    if len(values) != 4 or any(v is None for v in values):
        return None
    x0, y0, x1, y1 = (v for v in values if v is not None)
    return (x0, y0, x1, y1)


def _percent(value: str) -> float | None:
    try:
        return min(max(float(value) / 100.0, 0.0), 1.0)
    except ValueError:
        return None


def _xpath(el: etree._Element) -> str:
    ident = el.get("id")
    if ident and "'" not in ident:
        return f"//*[@id='{ident}']"
    return str(el.getroottree().getpath(el))


def _word(el: etree._Element, page: str) -> OcrWord:
    props = properties(el.get("title"))
    content = " ".join("".join(str(t) for t in el.itertext()).split())
    conf = props.get("x_wconf")
    confs = [_percent(v) for v in props.get("x_confs", [])]
    char_conf = (
        tuple(c for c in confs if c is not None)
        if confs and len(confs) == len(content) and all(c is not None for c in confs)
        else None
    )
    return OcrWord(
        text=content,
        origin=Origin(_xpath(el), source_line(el), page, _bbox(props)),
        confidence=_percent(conf[0]) if conf else None,
        char_confidence=char_conf,
    )


def _line(el: etree._Element, page: str) -> OcrLine:
    words = [_word(w, page) for w in _find(el, {"ocrx_word"})]
    if not words:
        words = [_word(el, page)]
    return OcrLine(tuple(w for w in words if w.text), _bbox(properties(el.get("title"))))


def _holder(line: etree._Element) -> etree._Element | None:
    """The block a line belongs to: its nearest ``ocr_par`` (else ``ocr_carea``), or its parent."""
    for cls in ("ocr_par", "ocr_carea"):
        for anc in line.iterancestors():
            if cls in _classes(anc):
                return anc
    return line.getparent()


def _blocks(page: etree._Element, page_id: str) -> tuple[OcrBlock, ...]:
    """Every line of the page in document order, in runs of lines that share a block.

    Lines outside any ``ocr_par`` (a headline, a first paragraph set apart)
    are kept too; consecutive lines with the same parent form their block.
    """
    blocks: list[list[OcrLine]] = []
    last: etree._Element | None = None
    for line in _find(page, LINE_CLASSES):
        if any(LINE_CLASSES & _classes(a) for a in line.iterancestors()):
            continue  # a line nested in a line is read with it
        holder = _holder(line)
        if not blocks or holder is not last:
            blocks.append([])
        blocks[-1].append(_line(line, page_id))
        last = holder
    return tuple(OcrBlock(tuple(lines)) for lines in blocks)


def read_hocr(text: str, path: str, encoding: str) -> Document:
    """Parse hOCR text into a Document (format ``hocr``).

    Raises:
        FormatError: unsafe or empty input, or no ``ocr_page``/``ocr_line`` in it.
    """
    root = parse_html(text, path)
    pages_el = _find(root, {"ocr_page"})
    if not pages_el:
        if not _find(root, LINE_CLASSES):
            raise FormatError(path, "not an hOCR document (no ocr_page or ocr_line element)")
        pages_el = [root]
    pages: list[OcrPage] = []
    for k, page in enumerate(pages_el, start=1):
        page_id = page.get("id") or str(k)
        pages.append(OcrPage(page_id, _blocks(page, page_id)))
    return lay_out(pages, path, encoding, "hocr")
