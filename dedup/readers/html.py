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
the greatest total weight, the outermost on a tie. The headline is the last
``h1`` before that container (or its first ``h1``; else the unit that
repeats the page's ``og:title`` or ``<title>`` without the site name, else
that title itself), with any headings just above it
(kickers); between headline and container only headings (decks) and bylines
(``class="author"``/``byline``…, ``<address>``, ``By …``, ``记者 …``) are kept,
so source/date/"font size" bars go (the same holds after an ``h1`` inside
the container, up to the first paragraph of running text). Inside the
container every other unit that is neither boilerplate nor mostly links is
a paragraph; a byline element is a paragraph of its own even when inline.

Layout of the Document text: one paragraph per unit, separated by blank
lines; headings keep their level as Markdown markers (``# `` for ``h1``), so
``dedup.segment.split`` treats the page like the Markdown sample pages.
Whitespace collapses as a browser shows it (a line break in the source
between two CJK characters is dropped, as CSS Text 3 segment breaks are);
leading ideographic spaces and no-break spaces (the indent of Chinese web
paragraphs) are trimmed. Every character keeps its
source: ``Document.source`` spans give the XPath of its text node
(``…/p[5]/text()[1]``) and the line it is on.

Evaluation of extraction libraries (trafilatura 2.3.1, readability-lxml 0.9,
both on lxml 6.1, run on ``tests/fixtures/formats/story.html`` and variants
of it: full-width punctuation, a GB18030 table layout with ``<br>``-separated
paragraphs and no ``<meta charset>``, ``<div>`` paragraphs, and pages of
short Chinese paragraphs beside a "recommended" sidebar). Neither lost
running Chinese paragraphs of the fixture, but both lost or polluted the
story's structure, and neither can say where its output came from:

* trafilatura took the ``h1`` headline and the ``class="author"`` byline out
  of the text into metadata (the byline "吉林日报记者 李娜" was gone from the
  text), kept the table layout's navigation, "热点新闻" sidebar and copyright
  footer as table rows, and kept the "推荐" sidebar on a page of short Chinese
  paragraphs (not on the same page in English): its length thresholds count
  characters, and a Chinese sentence has a third of the characters of its
  English translation.
* readability-lxml lost the Chinese headline and deck (``h1``/``h2`` outside
  the container it picked), kept the "广告" ad label, and on short Chinese
  pages returned the whole body, navigation "首页 新闻" and footer "版权所有"
  included, and kept the same sidebar (again not in English).
* Both rebuild the document (trafilatura its own XML, readability a
  re-serialised tree), so the map from extracted text to source element and
  line that a report cites is lost; both also add dependencies
  (trafilatura: htmldate, justext, courlan, urllib3, certifi; readability:
  chardet, cssselect).

This module keeps the text, the structure and the source map on all of those
pages, so no extraction library is used.
"""

from __future__ import annotations

import re
from collections.abc import Iterator
from dataclasses import dataclass, field

from lxml import etree

from dedup.model import Document
from dedup.readers.builder import Origin, Run, TextBuilder, source_line
from dedup.readers.xmlsafe import parse_html
from dedup.text import is_wide

INLINE = frozenset(
    ["a", "abbr", "acronym", "b", "bdi", "bdo", "big", "cite", "code", "del", "dfn", "em", "font", "i", "ins", "kbd", "label", "mark", "q", "s", "samp", "small", "span", "strike", "strong", "sub", "sup", "time", "tt", "u", "var", "wbr"]
)
SKIP = frozenset(
    ["script", "style", "noscript", "template", "iframe", "frame", "frameset", "svg", "canvas", "object", "embed", "applet", "button", "input", "select", "textarea", "option", "nav", "aside", "footer", "head", "title", "meta", "link", "base", "video", "audio", "source", "track", "picture", "img", "map", "area", "math", "rt", "rp", "dialog", "menu"]
)
BOILERPLATE = frozenset(
    ["nav", "navbar", "navigation", "menu", "menus", "breadcrumb", "breadcrumbs", "crumb", "crumbs", "footer", "foot", "topbar", "sidebar", "ad", "ads", "adv", "advert", "advertisement", "adsbygoogle", "sponsor", "sponsored", "banner", "share", "sharing", "social", "comment", "comments", "reply", "related", "recommend", "recommended", "hot", "rank", "ranking", "copyright", "login", "register", "search", "pager", "pages", "pagination", "toolbar", "tools", "fontsize", "print", "qrcode", "subscribe", "newsletter", "popup", "modal", "cookie", "widget", "tags", "keywords", "gallery", "gal", "slideshow", "carousel", "lightbox", "interstitial", "promo"]
)
BYLINE_TOKENS = frozenset(["author", "byline", "writer", "reporter", "journalist", "zuozhe"])
_TOKEN = re.compile(r"[a-z0-9]+")
_BYLINE_TEXT = re.compile(
    r"^(?:by\s+\S|本报记者|(?:本报)?通讯员|作者[:：]|文[/／]|记者\s*\S)|记者\s*[\u4e00-\u9fff]{2,4}$"
    r"|^[（(]?(?:新华社|中新社|本报|人民日报)[^（）()]{0,30}电",
    re.IGNORECASE,
)
_SENTENCE = re.compile(r"[。！？；，、]|[.!?;,](?:\s|$)")  # not 07:58 nor 2022-11-25
_HIDDEN = re.compile(r"display\s*:\s*none|visibility\s*:\s*hidden", re.IGNORECASE)
_COLLAPSIBLE = " \t\n\r\f\v"
_EDGE = " \t\n\r\f\v\u3000\xa0"
_TITLE_SITE = re.compile(r"\s*(?:_|\||｜| - | — |--)\s*")
NOT_RUNNING = 0.3  # weight of a unit without sentence punctuation
LINK_HEAVY = 0.5  # share of link text above which a unit is navigation
MEDIA = frozenset(["img", "picture", "video", "audio", "iframe", "svg", "canvas", "object", "embed"])
TEASER_CHARS = 400  # a box of more text than this is no teaser
MAX_TITLE_UNITS = 5  # how far into the story a headline is looked for


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


def _tag(el: etree._Element) -> str:
    return el.tag.lower() if isinstance(el.tag, str) else ""


def _tokens(el: etree._Element, *attrs: str) -> set[str]:
    words: set[str] = set()
    for attr in attrs:
        words.update(_TOKEN.findall((el.get(attr) or "").lower()))
    return words


def _hidden(el: etree._Element) -> bool:
    return el.get("hidden") is not None or bool(_HIDDEN.search(el.get("style") or ""))


def _boilerplate(el: etree._Element) -> bool:
    tag = _tag(el)
    if tag == "header":
        return not any(_tag(h) in ("h1", "h2", "h3") for h in el.iter())
    if not _tokens(el, "class", "id") & BOILERPLATE:
        return False
    return not any(_tag(h) == "h1" for h in el.iter())


def _shows_media(caption: etree._Element) -> bool:
    """Whether the figure of a caption shows an image or a player (not one only in ``noscript``).

    A caption whose figure holds only a lazy-loading placeholder or a script
    player describes nothing the page shows as read, so it is no story text.
    """
    figure = next((a for a in caption.iterancestors() if _tag(a) == "figure"), None)
    if figure is None:
        return True
    return any(
        _tag(m) in MEDIA and not any(_tag(a) == "noscript" for a in m.iterancestors())
        for m in figure.iter()
    )


def _url_key(href: str) -> str:
    """A link's address without scheme, query, fragment and trailing slash."""
    href = re.sub(r"^[a-z]+:", "", href.strip().lower()).split("#")[0].split("?")[0]
    return href.rstrip("/")


def _own_urls(root: etree._Element) -> set[str]:
    """The page's own addresses (``og:url``, ``rel=canonical``): a headline may link to them."""
    out = {m.get("content") or "" for m in root.iter("meta") if (m.get("property") or "").lower() == "og:url"}
    out |= {ln.get("href") or "" for ln in root.iter("link") if "canonical" in (ln.get("rel") or "").lower()}
    return {_url_key(u) for u in out if u.strip()}


def _teaser(el: etree._Element, own: set[str]) -> bool:
    """A teaser for another story: a small box led by a heading that links elsewhere.

    "More stories" and "other columns" boxes are made of them: a heading
    (``h2``–``h6``) that is mostly a link to another page, and a line or two
    of standfirst. The box is furniture; a page's own headline linking to
    the page itself is not.
    """
    heads = [c for c in el if _tag(c) in ("h2", "h3", "h4", "h5", "h6")]
    if len(heads) != 1 or any(_tag(x) == "h1" for x in el.iter()):
        return False
    head = heads[0]
    total = len("".join(head.itertext()).split())
    links = [a for a in head.iter("a") if a.get("href")]
    linked = sum(len("".join(a.itertext()).split()) for a in links)
    if not links or not total or 2 * linked < total:
        return False
    if any(_url_key(a.get("href") or "") in own for a in links):
        return False
    return len("".join("".join(el.itertext()).split())) <= TEASER_CHARS


class _Flattener:
    """Walks a page and cuts its text into units (see the module docstring)."""

    def __init__(self, root: etree._Element) -> None:
        self.tree = root.getroottree()
        self.own = _own_urls(root)
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
        tag = _tag(el)
        if not tag or tag in SKIP or _hidden(el) or (tag == "figcaption" and not _shows_media(el)):
            return
        if tag == "br":
            self.close()
            return
        byline = tag == "address" or bool(_tokens(el, "class", "id", "itemprop", "rel") & BYLINE_TOKENS)
        block = tag not in INLINE or byline  # a byline is its own paragraph, even a <span>
        level = int(tag[1]) if re.fullmatch(r"h[1-6]", tag) else outer.heading
        ctx = _Context(
            block=el if block else outer.block,
            heading=level,
            junk=outer.junk or _boilerplate(el) or _teaser(el, self.own),
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


def _page_title(root: etree._Element) -> tuple[str, Origin] | None:
    """The page's own title, ``og:title`` or ``<title>`` without the site name."""
    tree = root.getroottree()
    for meta in root.iter("meta"):
        if (meta.get("property") or meta.get("name") or "").lower() == "og:title":
            content = " ".join((meta.get("content") or "").split())
            if content:
                return content, Origin(tree.getpath(meta) + "/@content", source_line(meta))
    title = root.find(".//title")
    if title is not None and title.text and title.text.strip():
        text = " ".join(title.text.split())
        text = _TITLE_SITE.split(text, maxsplit=1)[0] or text
        return text, Origin(tree.getpath(title) + "/text()[1]", source_line(title))
    return None


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
        title = _page_title(container.getroottree().getroot())
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
        elif in_header and k == first and head_inside is None:
            in_header = False  # the header bar lies between the headline and the story
        elif in_header and not u.heading and not _header_line(u):
            if not _SENTENCE.search(u.text()):
                continue
            in_header = False
        yield _runs(u, "# " if k == titled else _marker(u))


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
        tag = _tag(u.owner)
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
    the title contains, the one it names earliest (the longest on a tie).
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
        if places and (best is None or (min(places), -len(text)) < best[:2]):
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
