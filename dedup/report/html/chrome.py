"""What every report page shares: the element factory, the page shell, small formats.

Why one module: a pair page and the index are built the same way (lxml
element trees, serialised once with ``method="html"`` so lxml escapes every
text and attribute value) and wrapped in the same shell (the packaged
stylesheet and script inlined, a Content-Security-Policy that admits only
that script). Keeping the factory and the shell here means no page module
assembles markup of its own.
"""

from __future__ import annotations

import base64
import hashlib
import re
from collections.abc import Mapping, Sequence
from functools import cache
from importlib import resources
from typing import Any, Union

from lxml import etree

from dedup.model import MINOR_TYPES

Child = Union["etree._Element", str, None, Mapping[str, str], Sequence[Any]]

# Types whose highlights are off when a report opens (the reader can switch them
# on): differences that folding already explains, printed in their dozens.
HIDDEN_BY_DEFAULT: frozenset[str] = MINOR_TYPES

# Name shown for each type, the mark's look in words, and what it means.
TYPE_HELP: dict[str, tuple[str, str]] = {
    "whitespace": ("dotted box", "spaces, line and paragraph breaks, invisible characters"),
    "markup": ("dashed box", "Markdown markers: heading levels, bold, quote marks"),
    "punctuation": ("dotted underline", "full-/half-width or other punctuation (，/, 、/,)"),
    "variant": ("double underline", "traditional/simplified character forms"),
    "ocr": ("wavy underline", "likely recognition error: look-alike, stray or dropped character"),
    "inversion": ("lines above and below", "swapped neighbours (实务/务实) or a moved clause"),
    "wording": ("solid box", "editorial change: words added, removed or replaced"),
    "missing": ("struck through", "a long run or whole paragraphs only A has"),
    "extra": ("thick underline", "a long run or whole paragraphs only B has"),
    "truncation": ("hatched", "where one version stops (下转…) and the other goes on"),
}

_CONTROL = {c: 0x2400 + c for c in range(0x20) if c not in (9, 10, 13)}
_CONTROL[0x7F] = 0x2421
_NON_XML = re.compile("[\ud800-\udfff\ufffe\uffff]")
_SLUG = re.compile(r"[^A-Za-z0-9_]+")
_CJK = re.compile(r"[\u3400-\u9fff\uf900-\ufaff]")
_LATIN = re.compile(r"[A-Za-z]")


def clean(text: str) -> str:
    """Text lxml can serialise: control characters become their control pictures.

    Note that the length is kept (one character for one), so offsets still hold.
    """
    return _NON_XML.sub("\ufffd", text.translate(_CONTROL))


def h(tag: str, *content: Child) -> etree._Element:
    """An element: mappings set attributes, strings add text, elements are appended.

    Sequences are flattened and None is skipped, as lxml's E-factory does.
    """
    el = etree.Element(tag)
    _fill(el, content)
    return el


def _fill(el: etree._Element, content: Sequence[Child]) -> None:
    """Add ``content`` to ``el`` as ``h`` describes (recursive for nested sequences)."""
    for item in content:
        if item is None:
            continue
        if isinstance(item, str):
            if not item:
                continue
            text = clean(item)
            if len(el):
                last = el[-1]
                last.tail = (last.tail or "") + text
            else:
                el.text = (el.text or "") + text
        elif isinstance(item, etree._Element):
            el.append(item)
        elif isinstance(item, Mapping):
            for key, value in item.items():
                el.set(key, clean(value))
        else:
            _fill(el, item)


@cache
def asset(name: str) -> str:
    """The text of a packaged asset (``style.css``, ``app.js``)."""
    return resources.files("dedup.report").joinpath(name).read_text(encoding="utf-8")


def _csp(inline: Sequence[str], external: bool) -> str:
    """The page's Content-Security-Policy: no network, inline style, only our scripts.

    Inline scripts are admitted by hash; ``external`` admits scripts from the
    page's own folder (``'self'``, which a browser also applies to ``file://``).
    """
    sources = ["'self'"] if external else []
    for name in inline:
        digest = hashlib.sha256(asset(name).encode("utf-8")).digest()
        sources.append("'sha256-" + base64.b64encode(digest).decode("ascii") + "'")
    return (
        "default-src 'none'; style-src 'unsafe-inline'; img-src data:; "
        f"script-src {' '.join(sources)}; base-uri 'none'; form-action 'none'"
    )


def page(
    title: str,
    body_class: str,
    *content: Child,
    scripts: Sequence[str] = (),
    inline: Sequence[str] = ("app.js",),
) -> bytes:
    """A whole HTML document with the stylesheet and the ``inline`` scripts inlined.

    Why inlined: a report is one file that loads nothing from anywhere, so it
    can be mailed or archived as it is, and the CSP can forbid all network use.
    ``scripts`` names files beside the page (the index's data) loaded first.
    """
    style = h("style")
    style.text = asset("style.css")
    loaded = [h("script", {"src": name}) for name in scripts]
    inlined = []
    for name in inline:
        script = h("script")
        script.text = asset(name)
        inlined.append(script)
    root = h(
        "html",
        {"lang": "en"},
        h(
            "head",
            h("meta", {"charset": "utf-8"}),
            h(
                "meta",
                {"http-equiv": "Content-Security-Policy", "content": _csp(inline, bool(scripts))},
            ),
            h("meta", {"name": "viewport", "content": "width=device-width, initial-scale=1"}),
            h("meta", {"name": "generator", "content": "dedup"}),
            h("title", title),
            style,
        ),
        h("body", {"class": body_class}, *content, loaded, inlined),
    )
    data: bytes = etree.tostring(root, method="html", encoding="utf-8", doctype="<!DOCTYPE html>")
    return data + b"\n"


def lang(text: str) -> str:
    """``zh`` when a text is mostly Chinese, else ``en`` (for fonts and line breaking)."""
    cjk = len(_CJK.findall(text[:4000]))
    latin = len(_LATIN.findall(text[:4000]))
    return "zh" if cjk >= latin / 4 else "en"


def pct(x: float) -> str:
    """A share as a percentage with one decimal, as the reports print it."""
    return f"{100.0 * x:.1f}%"


def num(x: float) -> str:
    """A metric with four decimals, as the reports print (and sort) it."""
    return f"{x:.4f}"


def plural(n: int, word: str) -> str:
    """``word`` with an ``s`` unless ``n`` is 1 (the count itself is not included)."""
    return word if n == 1 else word + "s"


def type_swatch(t: str) -> etree._Element:
    """A sample of the mark of type ``t``, labelled with its name (legend, toggles, counts)."""
    return h("span", {"class": f"d t-{t} sw"}, t)


def report_name(a: str, b: str) -> str:
    """A safe, stable file name for the report of pair ``a``/``b`` (article ids).

    The name is an ASCII slug of both ids plus the first 10 hex digits of the
    SHA-1 of ``a + "\\n" + b``: no path separators, no ``..``, no leading dot,
    the same on every run.

    >>> report_name("samples/000_x.txt#1", "001_y.txt#4")
    '000_x-1-001_y-4-6769257e42.html'
    """

    def part(article_id: str) -> str:
        """One id as ``<file stem>-<article number>``, slugged and cut short."""
        path, _, n = article_id.rpartition("#")  # kept verbatim: names must not change
        stem = path.rsplit("/", 1)[-1]
        stem = stem.rsplit(".", 1)[0] if "." in stem.lstrip(".") else stem
        return f"{_SLUG.sub('-', stem).strip('-_')[:40]}-{_SLUG.sub('-', n)[:8]}"

    digest = hashlib.sha1(f"{a}\n{b}".encode()).hexdigest()[:10]
    slug = _SLUG.sub("-", f"{part(a)}-{part(b)}").strip("-_")
    return f"{slug or 'pair'}-{digest}.html"
