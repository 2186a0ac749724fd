"""What on a web page is furniture rather than story: by tag, class, links and media.

Judgements on single elements that ``dedup.readers.html`` makes while it
flattens a page: elements that never yield text (``SKIP``), elements whose
``class``/``id`` names them furniture (``BOILERPLATE``), teaser boxes for
other stories, captions of figures that show nothing, and HTML tags that a
page prints as text.
"""

from __future__ import annotations

import re

from lxml import etree

from dedup.readers.builder import Origin, source_line

SKIP = frozenset(
    ["script", "style", "noscript", "template", "iframe", "frame", "frameset", "svg", "canvas", "object", "embed", "applet", "button", "input", "select", "textarea", "option", "nav", "aside", "footer", "head", "title", "meta", "link", "base", "video", "audio", "source", "track", "picture", "img", "map", "area", "math", "rt", "rp", "dialog", "menu"]
)

BOILERPLATE = frozenset(
    ["nav", "navbar", "navigation", "menu", "menus", "breadcrumb", "breadcrumbs", "crumb", "crumbs", "footer", "foot", "topbar", "sidebar", "ad", "ads", "adv", "advert", "advertisement", "adsbygoogle", "sponsor", "sponsored", "banner", "share", "sharing", "social", "comment", "comments", "reply", "related", "recommend", "recommended", "hot", "rank", "ranking", "copyright", "login", "register", "search", "pager", "pages", "pagination", "toolbar", "tools", "fontsize", "print", "qrcode", "subscribe", "newsletter", "popup", "modal", "cookie", "widget", "tags", "keywords", "gallery", "gal", "slideshow", "carousel", "lightbox", "interstitial", "promo"]
)

_TOKEN = re.compile(r"[a-z0-9]+")

_HIDDEN = re.compile(r"display\s*:\s*none|visibility\s*:\s*hidden", re.IGNORECASE)

_LEAKED_TAG = re.compile(r"</?(?:a|span|div|p|img|br|font|b|i|strong|em|iframe|script)\b(?:\s[^<>]*)?/?>", re.IGNORECASE)

MEDIA = frozenset(["img", "picture", "video", "audio"])  # a frame or a script shows another page

TEASER_CHARS = 400  # a box of more text than this is no teaser

def without_markup(out: list[tuple[str, Origin]]) -> list[tuple[str, Origin]]:
    """The characters without HTML tags that a page shows as text (``<a target='_blank' …>``).

    A CMS that escapes a link's markup twice prints the tag itself around
    the story's words; a reader skips it as noise, so it is not story text
    (the words between the tags stay). One space is left where a tag was
    between two words.
    """
    text = "".join(c for c, _o in out)
    if "<" not in text:
        return out
    kept: list[tuple[str, Origin]] = []
    last = 0
    for m in _LEAKED_TAG.finditer(text):
        kept.extend(out[last : m.start()])
        last = m.end()
    kept.extend(out[last:])
    return [ch for k, ch in enumerate(kept) if not (ch[0] == " " and (k == 0 or kept[k - 1][0] == " "))]
_TITLE_SITE = re.compile(r"\s*(?:_|\||｜| - | — |--)\s*")


def tag_of(el: etree._Element) -> str:
    return el.tag.lower() if isinstance(el.tag, str) else ""

def tokens(el: etree._Element, *attrs: str) -> set[str]:
    words: set[str] = set()
    for attr in attrs:
        words.update(_TOKEN.findall((el.get(attr) or "").lower()))
    return words

def hidden(el: etree._Element) -> bool:
    return el.get("hidden") is not None or bool(_HIDDEN.search(el.get("style") or ""))

def boilerplate(el: etree._Element) -> bool:
    tag = tag_of(el)
    if tag == "header":
        return not any(tag_of(h) in ("h1", "h2", "h3") for h in el.iter())
    if not tokens(el, "class", "id") & BOILERPLATE:
        return False
    return not any(tag_of(h) == "h1" for h in el.iter())

def shows_media(caption: etree._Element) -> bool:
    """Whether the figure of a caption shows an image or a player (not one only in ``noscript``).

    A caption whose figure holds only a lazy-loading placeholder or a script
    player describes nothing the page shows as read, so it is no story text.
    """
    figure = next((a for a in caption.iterancestors() if tag_of(a) == "figure"), None)
    if figure is None:
        return True
    return any(
        tag_of(m) in MEDIA and not any(tag_of(a) == "noscript" for a in m.iterancestors())
        for m in figure.iter()
    )

def _url_key(href: str) -> str:
    """A link's address without scheme, query, fragment and trailing slash."""
    href = re.sub(r"^[a-z]+:", "", href.strip().lower()).split("#")[0].split("?")[0]
    return href.rstrip("/")

def own_urls(root: etree._Element) -> set[str]:
    """The page's own addresses (``og:url``, ``rel=canonical``): a headline may link to them."""
    out = {m.get("content") or "" for m in root.iter("meta") if (m.get("property") or "").lower() == "og:url"}
    out |= {ln.get("href") or "" for ln in root.iter("link") if "canonical" in (ln.get("rel") or "").lower()}
    return {_url_key(u) for u in out if u.strip()}

def teaser(el: etree._Element, own: set[str]) -> bool:
    """A teaser for another story: a small box led by a heading that links elsewhere.

    "More stories" and "other columns" boxes are made of them: a heading
    (``h2``–``h6``) that is mostly a link to another page, and a line or two
    of standfirst. The box is furniture; a page's own headline linking to
    the page itself is not.
    """
    heads = [c for c in el if tag_of(c) in ("h2", "h3", "h4", "h5", "h6")]
    if len(heads) != 1 or any(tag_of(x) == "h1" for x in el.iter()):
        return False
    head = heads[0]
    total = _visible(head)
    links = [a for a in head.iter("a") if a.get("href")]
    linked = sum(_visible(a) for a in links)
    if not links or not total or 2 * linked < total:
        return False
    if any(_url_key(a.get("href") or "") in own for a in links):
        return False
    return _visible(el) <= TEASER_CHARS


def _visible(el: etree._Element) -> int:
    """Non-space characters of an element's text."""
    return sum(1 for t in el.itertext() for c in str(t) if not c.isspace())


def page_title(root: etree._Element) -> tuple[str, Origin] | None:
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
