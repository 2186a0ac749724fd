"""Read PAGE XML (PRImA ``PcGts``, any schema year) OCR output into a Document.

Blocks are ``TextRegion`` elements (nested ones included), in the order of
``ReadingOrder`` (``RegionRefIndexed`` by ``@index``, ``RegionRef`` in file
order) and then, for regions it leaves out, in file order. Lines are a
region's ``TextLine`` elements in file order.

Text level. PAGE can hold the same text three times, at region, line and
word (and glyph) level, and real files disagree between levels: ground
truth is corrected at region or line level, word elements are often stored
out of reading order, and tokenised words split punctuation off. The order
of preference (as dinglehopper reads PAGE) is therefore:

1. the region's own ``TextEquiv`` (its lines are the ``\n``-separated
   parts; when their number matches the ``TextLine`` elements each part
   keeps its line's box and source, else the region's);
2. else each line's own ``TextEquiv``;
3. else the line's ``Word`` elements, left to right by their boxes.

``level`` (``read(..., page_level=...)``) chooses another start: ``line``
skips step 1, ``word`` takes words first and a line's own text only where it
has no words. Of several ``TextEquiv`` alternatives the one with the lowest
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


PAGE_LEVELS = ("auto", "region", "line", "word")


def _word(el: etree._Element, page: str) -> OcrWord | None:
    equiv = _text_equiv(el)
    if equiv is None or not equiv[0].strip():
        return None
    text, conf = equiv
    return OcrWord(" ".join(text.split()), Origin(xpath_of(el, "id"), source_line(el), page, _bbox(el)), conf)


def _by_geometry(words: list[OcrWord]) -> list[OcrWord]:
    """Words left to right when every one has a box and the line runs across the page.

    Word elements of real ground truth are often stored in the order they were
    corrected, not read; their boxes give the order back.
    """
    boxes = [w.origin.bbox for w in words]
    known = [b for b in boxes if b is not None]
    if len(known) != len(words) or len(words) < 2:
        return words
    if max(b[2] for b in known) - min(b[0] for b in known) < max(b[3] for b in known) - min(b[1] for b in known):
        return words  # a vertical line: keep the file's order
    return sorted(words, key=lambda w: w.origin.bbox[0] if w.origin.bbox else 0)


def _line(el: etree._Element, page: str, level: str) -> OcrLine:
    """One line's text: its ``Word`` elements at level ``word``, else its own text.

    A line without text at the chosen level falls back to the other one.
    """
    words = _by_geometry([w for w in (_word(x, page) for x in _children(el, "Word")) if w is not None])
    whole = _word(el, page)
    if level == "word" and words:
        return OcrLine(tuple(words), _bbox(el))
    if whole is not None:
        return OcrLine((whole,), _bbox(el))
    return OcrLine(tuple(words), _bbox(el))


def _region(region: etree._Element, page: str, level: str) -> OcrBlock:
    """One region's lines, from the most reliable level that carries text (see the module)."""
    lines = _children(region, "TextLine")
    equiv = _text_equiv(region) if level in ("auto", "region") else None
    if equiv is None or not equiv[0].strip():
        return OcrBlock(tuple(_line(line, page, level) for line in lines))
    pieces = [p for p in equiv[0].splitlines() if p.strip()]
    pairs: list[tuple[str, etree._Element]]
    if len(pieces) == len(lines):
        pairs = list(zip(pieces, lines, strict=True))  # each printed line keeps its box
    else:
        pairs = [(p, region) for p in pieces]
    out = []
    for piece, el in pairs:
        origin = Origin(xpath_of(el, "id"), source_line(el), page, _bbox(el))
        word = OcrWord(" ".join(piece.split()), origin, equiv[1])
        out.append(OcrLine((word,), origin.bbox if el is not region else None))
    return OcrBlock(tuple(out))


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


def read_page(text: str, path: str, encoding: str, level: str = "auto") -> Document:
    """Parse PAGE XML text into a Document (format ``page``).

    ``level`` is the text level preferred (``PAGE_LEVELS``; ``auto`` is
    ``region``): an element without text at that level falls back to the
    next one that has it (region → line → word, word → line).

    Raises:
        FormatError: malformed or unsafe XML, the root is not ``PcGts``, or
            ``level`` is unknown.
    """
    if level not in PAGE_LEVELS:
        raise FormatError(path, f"unknown PAGE text level {level!r} (one of {', '.join(PAGE_LEVELS)})")
    root = parse_xml(text, path)
    if _local(root) != "PcGts":
        raise FormatError(path, f"not a PAGE document (root element <{_local(root)}>)")
    pages: list[OcrPage] = []
    for k, page in enumerate(_descendants(root, "Page"), start=1):
        page_id = page.get("imageFilename") or str(k)
        blocks = tuple(_region(region, page_id, level) for region in _ordered_regions(page))
        pages.append(OcrPage(page_id, blocks))
    return lay_out(pages, path, encoding, "page")
