"""Read PAGE XML (PRImA ``PcGts``, any schema year) OCR output into a Document.

Blocks are ``TextRegion`` elements (nested ones included), in the order of
``ReadingOrder`` (``RegionRefIndexed`` by ``@index``, ``RegionRef`` in file
order) and then, for regions it leaves out, in file order. A ``TextLine``'s
words are its ``Word`` elements; a line without words is one word, its own
``TextEquiv``. Of several ``TextEquiv`` alternatives the one with the lowest
``@index`` is taken; ``@conf`` (0..1) is the confidence. Coordinates are the
bounding box of ``Coords/@points`` (or of ``Coords/Point`` in the 2010 schema).
"""

from __future__ import annotations

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
    coords = _children(el, "Coords")
    if not coords:
        return None
    xs: list[int] = []
    ys: list[int] = []
    for pair in (coords[0].get("points") or "").split():
        x, _, y = pair.partition(",")
        px, py = parse_number(x), parse_number(y)
        if px is not None and py is not None:
            xs.append(px)
            ys.append(py)
    for point in _children(coords[0], "Point"):
        px, py = parse_number(point.get("x")), parse_number(point.get("y"))
        if px is not None and py is not None:
            xs.append(px)
            ys.append(py)
    if not xs:
        return None
    return (min(xs), min(ys), max(xs), max(ys))


def _text_equiv(el: etree._Element) -> tuple[str, float | None] | None:
    equivs = _children(el, "TextEquiv")
    if not equivs:
        return None

    def index(e: etree._Element) -> int:
        value = parse_number(e.get("index"))
        return value if value is not None else 0

    best = min(equivs, key=index)
    unicode = _children(best, "Unicode")
    text = (unicode[0].text or "") if unicode else ""
    conf: float | None
    try:
        conf = min(max(float(best.get("conf") or ""), 0.0), 1.0)
    except ValueError:
        conf = None
    return text, conf


def _word(el: etree._Element, page: str) -> OcrWord | None:
    equiv = _text_equiv(el)
    if equiv is None or not equiv[0].strip():
        return None
    text, conf = equiv
    return OcrWord(" ".join(text.split()), Origin(xpath_of(el, "id"), source_line(el), page, _bbox(el)), conf)


def _line(el: etree._Element, page: str) -> OcrLine:
    words = [w for w in (_word(x, page) for x in _children(el, "Word")) if w is not None]
    if not words:
        whole = _word(el, page)
        words = [whole] if whole is not None else []
    return OcrLine(tuple(words), _bbox(el))


def _refs(group: etree._Element) -> list[str]:
    """Region ids of a reading-order group, depth first; indexed children sorted by ``@index``."""
    members = [c for c in group if _local(c) != "UserDefined" and _local(c) != "Labels"]

    def key(item: tuple[int, etree._Element]) -> tuple[int, int]:
        index = parse_number(item[1].get("index"))
        return (index if index is not None else item[0], item[0])

    out: list[str] = []
    for _k, child in sorted(enumerate(members), key=key):
        if _local(child) in ("RegionRefIndexed", "RegionRef"):
            out.append(child.get("regionRef") or "")
        else:
            out.extend(_refs(child))
    return out


def _ordered_regions(page: etree._Element) -> list[etree._Element]:
    regions = _descendants(page, "TextRegion")
    refs = [ref for ro in _descendants(page, "ReadingOrder") for ref in _refs(ro)]
    return in_reading_order(regions, refs, "id")


def read_page(text: str, path: str, encoding: str) -> Document:
    """Parse PAGE XML text into a Document (format ``page``).

    Raises:
        FormatError: malformed or unsafe XML, or the root is not ``PcGts``.
    """
    root = parse_xml(text, path)
    if _local(root) != "PcGts":
        raise FormatError(path, f"not a PAGE document (root element <{_local(root)}>)")
    pages: list[OcrPage] = []
    for k, page in enumerate(_descendants(root, "Page"), start=1):
        page_id = page.get("imageFilename") or str(k)
        blocks = tuple(
            OcrBlock(tuple(_line(line, page_id) for line in _children(region, "TextLine")))
            for region in _ordered_regions(page)
        )
        pages.append(OcrPage(page_id, blocks))
    return lay_out(pages, path, encoding, "page")
