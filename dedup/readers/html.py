"""Extract a news story (headline, byline, paragraphs) from a saved web page.

How: the page is parsed with lxml (``dedup.readers.xmlsafe.parse_html``:
comments and processing instructions dropped, no network, no entities) and
flattened into *units*: the runs of text that one block element (``p``,
``div``, ``td``, ``li``, ``h1``…) holds directly, cut at nested blocks and at
``<br>``. Scripts, styles, forms, media, ``nav``/``aside``/``footer`` and
hidden elements never yield text (``form`` does: ASP.NET pages wrap
the whole page in one). Elements whose ``class``/``id`` names them
as furniture (``nav``, ``menu``, ``breadcrumb``, ``ad``, ``banner``, ``share``,
``comment``, ``related``, ``recommend``, ``footer``, ``copyright``, …) are
boilerplate, unless they hold an ``h1``.

Each unit weighs its length in non-space characters: in full when it reads
like running text (it has CJK sentence punctuation, or Latin punctuation
before a space), 0.3 of it
when not (labels, headings), and *against* its container when it is
boilerplate or mostly link text. The story's container is the element with
the greatest total weight, the outermost on a tie. The headline is the
heading (``h1``–``h3``, above the container or in its first units) that the
page's ``<title>``/``og:title`` names first (a logo or blog name comes
after the story's title there); else the last ``h1`` before the container,
or its first; else the unit that repeats the title without the site name,
else that title itself. Headings just above it are kickers; between
headline and container only headings (decks) and bylines
(``class="author"``/``byline``…, ``<address>``, ``By …``, ``记者 …``) are kept,
so source/date bars go, up to the first paragraph of running text (sentence
punctuation, or a Chinese line of ``PROSE_HANZI`` characters). Inside the container every other
unit that is neither furniture nor mostly links is a paragraph (a byline
element is one even when inline), and so is a paragraph or sub-head of
links in the flow of running text ("Related: …"). Teaser boxes for other
stories, captions of figures that show no image and HTML tags printed as
text are furniture (``dedup.readers.furniture``).

Layout of the Document text: one paragraph per unit, separated by blank
lines; headings keep their level as Markdown markers (``# `` for ``h1``), so
``dedup.segment.split`` treats the page like the Markdown sample pages.
Whitespace collapses as a browser shows it (a line break in the source
between two CJK characters is dropped, as CSS Text 3 segment breaks are);
leading ideographic spaces and no-break spaces (the indent of Chinese web
paragraphs) are trimmed. Every character keeps its
source: ``Document.source`` spans give the XPath of its text node
(``…/p[5]/text()[1]``) and the line it is on.

Extraction libraries (trafilatura, readability-lxml) were evaluated and
lost structure, sources or text on Chinese pages; see ``docs/reading.md``.
"""

from __future__ import annotations

import re
from collections.abc import Iterator
from dataclasses import dataclass, field

from lxml import etree

from dedup.model import Document
from dedup.readers.builder import Origin, Run, TextBuilder, source_line
from dedup.readers.furniture import (
    SKIP,
    boilerplate,
    hidden,
    own_urls,
    page_title,
    shows_media,
    tag_of,
    teaser,
    tokens,
    without_markup,
)
from dedup.readers.xmlsafe import parse_html
from dedup.text import hanzi_count, is_wide

INLINE = frozenset(
    ["a", "abbr", "acronym", "b", "bdi", "bdo", "big", "cite", "code", "del", "dfn", "em", "font", "i", "ins", "kbd", "label", "mark", "q", "s", "samp", "small", "span", "strike", "strong", "sub", "sup", "time", "tt", "u", "var", "wbr"]
)
BYLINE_TOKENS = frozenset(["author", "byline", "writer", "reporter", "journalist", "zuozhe"])
_BYLINE_TEXT = re.compile(
    r"^(?:by\s+\S|本报记者|(?:本报)?通讯员|作者[:：]|文[/／]|记者\s*\S)|记者\s*[\u4e00-\u9fff]{2,4}$"
    r"|^[（(]?(?:新华社|中新社|本报|人民日报)[^（）()]{0,30}电",
    re.IGNORECASE,
)
_SENTENCE = re.compile(r"[。！？；，、]|[.!?;,](?:\s|$)")  # not 07:58 nor 2022-11-25
_COLLAPSIBLE = " \t\n\r\f\v"
_EDGE = " \t\n\r\f\v\u3000\xa0"
NOT_RUNNING = 0.3  # weight of a unit without sentence punctuation
LINK_HEAVY = 0.5  # share of link text above which a unit is navigation
MAX_TITLE_UNITS = 5
PROSE_HANZI = 20  # how far into the story a headline is looked for


@dataclass
class _Unit:
    """Text one block element holds directly, as pieces with their source."""

    owner: etree._Element
    heading: int
    junk: bool
    byline: bool
    pieces: list[tuple[str, Origin, bool]] = field(default_factory=list)

    def chars(self) -> list[tuple[str, Origin]]:
        """The unit's characters with whitespace collapsed and the edges trimmed."""
        out: list[tuple[str, Origin]] = []
        space: Origin | None = None
        newline = False  # whether the pending whitespace holds a line break
        for text, origin, _link in self.pieces:
            for c in text:
                if c in _COLLAPSIBLE:
                    if out:
                        space = space or origin
                        newline = newline or c in "\r\n"
                    continue
                if space is not None:
                    if not (newline and is_wide(out[-1][0]) and is_wide(c)):
                        out.append((" ", space))
                    space, newline = None, False
                out.append((c, origin))
        out = without_markup(out)
        start, end = 0, len(out)
        while start < end and out[start][0] in _EDGE:
            start += 1
        while end > start and out[end - 1][0] in _EDGE:
            end -= 1
        return out[start:end]

    def counts(self) -> tuple[int, int]:
        """Non-space characters in all, and inside links."""
        total = links = 0
        for text, _origin, link in self.pieces:
            n = sum(1 for c in text if not c.isspace())
            total += n
            if link:
                links += n
        return total, links

    def text(self) -> str:
        """The collapsed text."""
        return "".join(c for c, _ in self.chars())


@dataclass(frozen=True)
class _Context:
    block: etree._Element
    heading: int = 0
    junk: bool = False
    byline: bool = False
    link: bool = False


class _Flattener:
    """Walks a page and cuts its text into units (see the module docstring)."""

    def __init__(self, root: etree._Element) -> None:
        self.tree = root.getroottree()
        self.own = own_urls(root)
        self.units: list[_Unit] = []
        self.cur: _Unit | None = None

    def close(self) -> None:
        if self.cur is not None and any(t.strip() for t, _o, _l in self.cur.pieces):
            self.units.append(self.cur)
        self.cur = None

    def add(self, text: str | None, ctx: _Context, origin: Origin) -> None:
        if not text:
            return
        if self.cur is None:
            self.cur = _Unit(ctx.block, ctx.heading, ctx.junk, ctx.byline)
        self.cur.pieces.append((text, origin, ctx.link))

    def visit(self, el: etree._Element, outer: _Context) -> None:
        tag = tag_of(el)
        if not tag or tag in SKIP or hidden(el) or (tag == "figcaption" and not shows_media(el)):
            return
        if tag == "br":
            self.close()
            return
        byline = tag == "address" or bool(tokens(el, "class", "id", "itemprop", "rel") & BYLINE_TOKENS)
        block = tag not in INLINE or byline  # a byline is its own paragraph, even a <span>
        level = int(tag[1]) if re.fullmatch(r"h[1-6]", tag) else outer.heading
        ctx = _Context(
            block=el if block else outer.block,
            heading=level,
            junk=outer.junk or boilerplate(el) or teaser(el, self.own),
            byline=outer.byline or byline,
            link=outer.link or tag == "a",
        )
        if block:
            self.close()
        path = self.tree.getpath(el)
        index = 0
        if el.text:
            index += 1
            self.add(el.text, ctx, Origin(f"{path}/text()[{index}]", source_line(el)))
        for child in el:
            if isinstance(child.tag, str):
                self.visit(child, ctx)
            if child.tail:
                index += 1
                self.add(child.tail, ctx, Origin(f"{path}/text()[{index}]", source_line(child)))
        if block:
            self.close()


def _units(root: etree._Element) -> list[_Unit]:
    body = root.find("body")
    start = body if body is not None else root
    flat = _Flattener(root)
    flat.visit(start, _Context(block=start))
    flat.close()
    return flat.units


def _weight(unit: _Unit) -> float:
    total, links = unit.counts()
    if unit.junk or (total and links / total > LINK_HEAVY and not unit.byline):
        return -float(total)
    own = float(total - links)
    return own if _SENTENCE.search(unit.text()) else NOT_RUNNING * own


def _container(units: list[_Unit], root: etree._Element) -> etree._Element:
    """The element holding the story: greatest total weight, outermost on a tie."""
    score: dict[etree._Element, float] = {}
    for unit in units:
        w = _weight(unit)
        for el in (unit.owner, *unit.owner.iterancestors()):
            score[el] = score.get(el, 0.0) + w
    best: etree._Element | None = None
    best_score = 0.0
    for el in root.iter():
        s = score.get(el)
        if s is not None and (best is None or s > best_score):
            best, best_score = el, s
    return best if best is not None else root


def _inside(el: etree._Element, container: etree._Element) -> bool:
    return el is container or any(a is container for a in el.iterancestors())


def _usable(unit: _Unit) -> bool:
    """Not boilerplate, not empty, and not mostly links (a byline may link its author)."""
    total, links = unit.counts()
    return not unit.junk and total > 0 and (unit.byline or links / total <= LINK_HEAVY)


def _runs(unit: _Unit, marker: str = "") -> list[Run]:
    runs: list[Run] = [(marker, None, None)] if marker else []
    for c, origin in unit.chars():
        if runs and runs[-1][1] is origin:
            runs[-1] = (runs[-1][0] + c, origin, None)
        else:
            runs.append((c, origin, None))
    return runs


def _marker(unit: _Unit) -> str:
    return "#" * unit.heading + " " if unit.heading else ""


def _story(units: list[_Unit], container: etree._Element) -> Iterator[list[Run]]:
    """The paragraphs of the story in order: kickers, headline, decks and bylines, body."""
    inside = [k for k, u in enumerate(units) if _inside(u.owner, container)]
    first = inside[0] if inside else len(units)
    heads = [k for k, u in enumerate(units) if u.heading == 1 and _usable(u)]
    before = [k for k in heads if k < first]
    head = before[-1] if before else None
    named = _titled_heading(units, first, container)
    if named is not None and named < first:
        head = named
    titled: int | None = None  # a unit inside the container that repeats the page title
    if head is None and not any(units[k].heading for k in inside):
        title = page_title(container.getroottree().getroot())
        if title is not None:
            same = [k for k in inside[:5] if units[k].text() == title[0]]
            if same:
                titled = same[0]
            else:
                yield [("# ", None, None), (title[0], title[1], None)]
    order = inside
    head_inside: int | None = None
    if head is not None:
        parent = units[head].owner.getparent()
        kickers: list[int] = []
        j = head - 1
        while j >= 0 and units[j].heading and _usable(units[j]) and units[j].owner.getparent() is parent:
            kickers.insert(0, j)
            j -= 1
        for k in [*kickers, head]:
            yield _runs(units[k], _marker(units[k]))
        order = list(range(head + 1, first)) + inside
    else:
        firsts = [k for k in inside if units[k].heading == 1 and _usable(units[k])]
        head_inside = named if named is not None else firsts[0] if firsts else titled
    # Between the headline and the first running paragraph lies the header
    # bar: of it only headings (decks) and bylines are kept, not the dates,
    # sources and "font size" buttons.
    in_header = head is not None
    inline = _inline_links(units, inside)
    for k in order:
        u = units[k]
        if not _usable(u) and k not in inline:
            continue
        if k == head_inside:
            in_header = True
        elif in_header and not u.heading and not _header_line(u):
            if not _prose(u.text()):
                continue
            in_header = False
        yield _runs(u, "# " if k == titled else _marker(u))


def _prose(text: str) -> bool:
    """Running text: sentence punctuation, or a Chinese line too long for a label.

    Chinese blogs often part phrases with spaces instead of punctuation; a
    source/date bar is shorter than ``PROSE_HANZI`` characters.
    """
    return bool(_SENTENCE.search(text)) or hanzi_count(text) >= PROSE_HANZI


def _running(unit: _Unit) -> bool:
    return _usable(unit) and not unit.heading and bool(_SENTENCE.search(unit.text()))


def _inline_links(units: list[_Unit], inside: list[int]) -> set[int]:
    """Paragraphs of links set in the flow of the story ("Related: …", "[Read: …]").

    A ``<p>`` that is mostly a link, between two paragraphs of running text
    under the same parent, is part of the story as printed, and so is a
    linked sub-head (``h2``–``h6``, a product or place named by its link)
    followed by running text under the same parent; a list of links or a
    link box around the story is not.
    """
    out: set[int] = set()
    for j in range(1, len(inside) - 1):
        u = units[inside[j]]
        tag = tag_of(u.owner)
        if u.junk or _usable(u) or tag not in ("p", "h2", "h3", "h4", "h5", "h6"):
            continue
        prev, nxt = units[inside[j - 1]], units[inside[j + 1]]
        parent = u.owner.getparent()
        if not (_running(nxt) and nxt.owner.getparent() is parent):
            continue
        if tag != "p" or (_running(prev) and prev.owner.getparent() is parent):
            out.add(inside[j])
    return out


def _fold(text: str) -> str:
    return "".join(text.split()).casefold()


def _titled_heading(units: list[_Unit], first: int, container: etree._Element) -> int | None:
    """The heading (``h1``–``h3``) near the story that the page's title names first.

    A page's ``<title>`` (or ``og:title``) starts with the story's headline
    and ends with the site's name, and a site's logo or blog name is often an
    ``h1`` too: of the headings above the story and in its first units that
    the title contains, the one it names earliest (the longest, then the
    nearest to the story on a tie: pages repeat the headline in a hero box).
    """
    root = container.getroottree().getroot()
    titles = [_fold(" ".join(t.text.split())) for t in root.iter("title") if t.text]
    titles += [_fold(m.get("content") or "") for m in root.iter("meta") if (m.get("property") or "").lower() == "og:title"]
    best: tuple[int, int, int] | None = None
    for k in range(min(first + MAX_TITLE_UNITS, len(units))):
        u = units[k]
        text = _fold(u.text())
        if not (1 <= u.heading <= 3 and not u.junk and len(text) >= 4):  # a headline may link its story
            continue
        places = [t.find(text) for t in titles if text in t]
        if places and (best is None or (min(places), -len(text)) <= best[:2]):  # the nearest of equals
            best = (min(places), -len(text), k)
    return best[2] if best is not None else None


def _header_line(unit: _Unit) -> bool:
    return unit.byline or bool(_BYLINE_TEXT.search(unit.text()))


def read_html(text: str, path: str, encoding: str) -> Document:
    """Extract the story of an HTML page into a Document (format ``html``).

    Raises:
        FormatError: the page is empty or its DOCTYPE declares entities.
    """
    root = parse_html(text, path)
    units = _units(root)
    container = _container(units, root)
    builder = TextBuilder()
    for runs in _story(units, container):
        builder.paragraph(runs)
    return builder.document(path, encoding, "html", with_confidence=False)
