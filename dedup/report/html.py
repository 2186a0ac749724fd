"""HTML reports: a self-contained page per compared pair, and the index of a scan.

Why: an archivist wants to *see* two printings side by side, with every
difference marked where it is in the original text, not read offsets in JSON.

How: pages are built as lxml element trees (``_h`` is a small E-factory over
``lxml.etree``) and serialised once with ``method="html"``, so lxml escapes
every text and attribute value; no markup is ever assembled from strings. The
stylesheet and the script are package data (``style.css``, ``app.js``) inlined
into each page, so a report is one file that loads nothing from anywhere; a
Content-Security-Policy allows no network access and only the inlined script
(by its hash).

A pair report shows one row per alignment block, A left and B right, in
reading order: 1:n blocks share a row, a one-sided paragraph faces an empty
cell, a moved paragraph appears at its place in A and at its place in B with a
link between the two, and the tail one version has past a cut is folded in a
``<details>`` whose summary names the cut. Every edit is one highlight on each
side (a caret where that side has nothing), with the type as class
(``t-wording``), the reason as ``title`` and a shared ``data-e`` so that the
script can light up its counterpart.

Without the script the page stays usable: the type toggles are checkboxes
that the stylesheet reads (``:has``), the overview strip and the moved links
are plain anchors, ``<details>`` folds by itself. The script adds
next/previous with a counter and keys (n/j, p/k), the counterpart highlight on
hover, exact overview positions, table sorting and unfolding for print.

Note that edit offsets index the original text of each document; the report
shows those characters (line breaks normalised to ``\\n`` for display,
control characters as their Unicode control pictures).
"""

from __future__ import annotations

import base64
import hashlib
import math
import re
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from functools import cache
from importlib import resources
from typing import Any, Union

from lxml import etree

from dedup.align import Block
from dedup.compare import Comparison
from dedup.diff import EDIT_TYPES, MINOR_TYPES, Edit
from dedup.model import Article, Cluster

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

HIDDEN_NOTE = (
    "Whitespace, markup, punctuation and variant marks are hidden when the page "
    "opens: they come from typesetting and normalisation (full-width or half-width "
    "commas, line breaks, Markdown heading levels), not from the words, and a page "
    "has them by the dozen, which would bury the few wording, OCR and missing-text "
    "differences an archivist checks. They are still counted, and each box "
    "shows its type."
)

_CONTROL = {c: 0x2400 + c for c in range(0x20) if c not in (9, 10, 13)}
_CONTROL[0x7F] = 0x2421
_NON_XML = re.compile("[\ud800-\udfff\ufffe\uffff]")
_SLUG = re.compile(r"[^A-Za-z0-9_]+")
_CJK = re.compile(r"[\u3400-\u9fff\uf900-\ufaff]")
_LATIN = re.compile(r"[A-Za-z]")

# Row heights are estimated (in lines) for the overview strip and for the size
# off-screen rows take before the browser lays them out.
_CHARS_PER_LINE = 40  # wide (CJK) characters per line of a cell at a usual width
_ROW_PAD = 0.8  # cell padding and rule, in lines
_HEAD_WEIGHT = 14.0  # a pair's header, in lines
_STRIP_STEPS = 400  # the strip keeps one mark per type per 1/400 of its height
_WIDE = re.compile(r"[\u1100-\u115f\u2e80-\ua4cf\uac00-\ud7a3\uf900-\ufaff\ufe30-\ufe4f\uff00-\uff60\uffe0-\uffe6]")


# ------------------------------------------------------------------ building blocks


def clean(text: str) -> str:
    """Text lxml can serialise: control characters become their control pictures.

    Note that the length is kept (one character for one), so offsets still hold.
    """
    return _NON_XML.sub("\ufffd", text.translate(_CONTROL))


def _h(tag: str, *content: Child) -> etree._Element:
    """An element: mappings set attributes, strings add text, elements are appended.

    Sequences are flattened and None is skipped, as lxml's E-factory does.
    """
    el = etree.Element(tag)
    _fill(el, content)
    return el


def _fill(el: etree._Element, content: Sequence[Child]) -> None:
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


def _csp() -> str:
    digest = hashlib.sha256(asset("app.js").encode("utf-8")).digest()
    script = "sha256-" + base64.b64encode(digest).decode("ascii")
    return (
        "default-src 'none'; style-src 'unsafe-inline'; img-src data:; "
        f"script-src '{script}'; base-uri 'none'; form-action 'none'"
    )


def _page(title: str, body_class: str, *content: Child) -> bytes:
    """A whole HTML document with the stylesheet and script inlined."""
    style = _h("style")
    style.text = asset("style.css")
    script = _h("script")
    script.text = asset("app.js")
    root = _h(
        "html",
        {"lang": "en"},
        _h(
            "head",
            _h("meta", {"charset": "utf-8"}),
            _h("meta", {"http-equiv": "Content-Security-Policy", "content": _csp()}),
            _h("meta", {"name": "viewport", "content": "width=device-width, initial-scale=1"}),
            _h("meta", {"name": "generator", "content": "dedup"}),
            _h("title", title),
            style,
        ),
        _h("body", {"class": body_class}, *content, script),
    )
    data: bytes = etree.tostring(root, method="html", encoding="utf-8", doctype="<!DOCTYPE html>")
    return data + b"\n"


def _lang(text: str) -> str:
    """``zh`` when a text is mostly Chinese, else ``en`` (for fonts and line breaking)."""
    cjk = len(_CJK.findall(text[:4000]))
    latin = len(_LATIN.findall(text[:4000]))
    return "zh" if cjk >= latin / 4 else "en"


def _pct(x: float) -> str:
    return f"{100.0 * x:.1f}%"


def _num(x: float) -> str:
    return f"{x:.4f}"


def report_name(a: str, b: str) -> str:
    """A safe, stable file name for the report of pair ``a``/``b`` (article ids).

    The name is an ASCII slug of both ids plus the first 10 hex digits of the
    SHA-1 of ``a + "\\n" + b``: no path separators, no ``..``, no leading dot,
    the same on every run.

    >>> report_name("samples/000_x.txt#1", "001_y.txt#4")
    '000_x-1-001_y-4-6769257e42.html'
    """

    def part(article_id: str) -> str:
        path, _, n = article_id.rpartition("#")
        stem = path.rsplit("/", 1)[-1]
        stem = stem.rsplit(".", 1)[0] if "." in stem.lstrip(".") else stem
        return f"{_SLUG.sub('-', stem).strip('-_')[:40]}-{_SLUG.sub('-', n)[:8]}"

    digest = hashlib.sha1(f"{a}\n{b}".encode()).hexdigest()[:10]
    slug = _SLUG.sub("-", f"{part(a)}-{part(b)}").strip("-_")
    return f"{slug or 'pair'}-{digest}.html"


# ------------------------------------------------------------------ pair input


@dataclass(frozen=True)
class PairInput:
    """Everything a pair report shows: the comparison, both articles and their texts.

    ``text_a``/``text_b`` are the original texts of the documents the articles
    come from (edit offsets index them). ``relation``, ``containment`` and
    ``cluster``/``canonical`` come from the scan (or are computed by the
    compare command); empty or None when unknown.
    """

    comparison: Comparison
    article_a: Article
    article_b: Article
    text_a: str
    text_b: str
    relation: str = ""
    containment: float | None = None
    cluster: str = ""
    canonical: str = ""


@dataclass
class _Marks:
    """Overview-strip marks: (weight position, type, target id, tooltip)."""

    weight: float = 0.0
    marks: list[tuple[float, str, str, str]] = field(default_factory=list)


@dataclass(frozen=True)
class _Shown:
    """One edit as seen from one side: its span on that side and how to label it."""

    index: int
    span: tuple[int, int]
    edit: Edit


# ------------------------------------------------------------------ pair rows


def _lines(text: str) -> int:
    """How many lines a cell of ``text`` takes, about (wide characters count double)."""
    total = 0
    for line in text.replace("\r\n", "\n").replace("\r", "\n").split("\n"):
        wide = len(_WIDE.findall(line))
        width = wide + 0.55 * (len(line) - wide)
        total += max(1, math.ceil(width / _CHARS_PER_LINE))
    return total


def _display(text: str, start: int, end: int) -> str:
    """``text[start:end]`` for display: CRLF and CR shown as line breaks."""
    piece = text[start:end]
    if "\r" not in piece:
        return piece
    piece = piece.replace("\r\n", "\n")
    if piece.endswith("\r") and text[end : end + 1] == "\n":
        piece = piece[:-1]
    return piece.replace("\r", "\n")


def _tip(e: Edit) -> str:
    return f"{e.type}: {e.reason}"


def _mark(prefix: str, shown: _Shown, side: str, content: str, whole: bool = False) -> etree._Element:
    """The highlight of one edit on one side (a caret when that side has nothing).

    Its id is ``<prefix>e<n>-a`` or ``-b``: the script finds the counterpart by
    swapping the last letter. ``whole`` marks a highlight over whole paragraphs (one-sided or cut blocks),
    which the stylesheet keeps in normal weight.
    """
    e = shown.edit
    classes = f"d t-{e.type}" + ("" if content else " gap") + (" whole" if whole and content else "")
    return _h(
        "span",
        {"class": classes, "id": f"{prefix}e{shown.index}-{side}", "title": _tip(e)},
        content,
    )


def _pieces(
    text: str,
    start: int,
    end: int,
    edits: Sequence[_Shown],
    prefix: str,
    side: str,
    whole: bool = False,
) -> list[Child]:
    """The original text of ``[start, end)`` with the edits' spans highlighted.

    Spans are clipped to the region and to each other, so a malformed edit can
    never repeat or lose text.
    """
    out: list[Child] = []
    pos = start
    for shown in sorted(edits, key=lambda s: (s.span, s.index)):
        s = min(max(shown.span[0], pos), end)
        e = min(max(shown.span[1], s), end)
        if s > pos:
            out.append(_display(text, pos, s))
        out.append(_mark(prefix, shown, side, _display(text, s, e), whole))
        pos = e
    if end > pos:
        out.append(_display(text, pos, end))
    return out


def _para_label(idx: Sequence[int]) -> str:
    if not idx:
        return "–"
    first, last = idx[0] + 1, idx[-1] + 1
    return f"¶{first}" if first == last else f"¶{first}–{last}"


_KIND_LABEL = {
    "1:1": "1:1",
    "1:n": "1:n",
    "n:1": "n:1",
    "n:m": "n:m",
    "a-only": "A only",
    "b-only": "B only",
    "moved": "moved",
    "truncation": "cut",
}


class _PairRenderer:
    """Builds the rows of one pair; ``prefix`` keeps ids unique in a multi-pair page."""

    def __init__(self, pair: PairInput, prefix: str, marks: _Marks) -> None:
        self.pair = pair
        self.prefix = prefix
        self.marks = marks
        c = pair.comparison
        self.by_block: dict[int, list[tuple[int, Edit]]] = {}
        for i, e in enumerate(c.edits):
            self.by_block.setdefault(e.block, []).append((i, e))
        self.lang_a = _lang(pair.text_a[pair.article_a.start : pair.article_a.end])
        self.lang_b = _lang(pair.text_b[pair.article_b.start : pair.article_b.end])

    # -- geometry
    def _span(self, side: str, idx: Sequence[int]) -> tuple[int, int]:
        art = self.pair.article_a if side == "a" else self.pair.article_b
        return art.paragraphs[idx[0]].start, art.paragraphs[idx[-1]].end

    def _text(self, side: str) -> str:
        return self.pair.text_a if side == "a" else self.pair.text_b

    def _shown(self, k: int, side: str) -> list[_Shown]:
        return [
            _Shown(i, e.a if side == "a" else e.b, e) for i, e in self.by_block.get(k, [])
        ]

    def _cell(self, side: str, *content: Child, extra: str = "") -> etree._Element:
        lang = self.lang_a if side == "a" else self.lang_b
        return _h("div", {"class": f"cell {side}{extra}", "lang": lang}, *content)

    def _content(
        self, k: int, blk: Block, side: str, whole: bool | None = None
    ) -> tuple[list[Child], int]:
        """The highlighted text of one side of block ``k`` and its estimated lines (0: empty).

        ``whole`` (default: one-sided blocks) says the marks cover whole paragraphs.
        """
        idx = blk.a if side == "a" else blk.b
        if not idx:
            return [_mark(self.prefix, s, side, "") for s in self._shown(k, side)], 0
        start, end = self._span(side, idx)
        if whole is None:
            whole = blk.kind in ("a-only", "b-only")
        text = self._text(side)
        content = _pieces(text, start, end, self._shown(k, side), self.prefix, side, whole)
        return content, _lines(text[start:end])

    def _text_cell(self, k: int, blk: Block, side: str) -> tuple[etree._Element, int]:
        """A cell with one side's text; its class names its first paragraph's kind."""
        content, lines = self._content(k, blk, side)
        if not lines:
            note = _h("span", {"class": "note"}, f"not in {side.upper()}")
            return self._cell(side, note, content, extra=" empty"), 1
        idx = blk.a if side == "a" else blk.b
        art = self.pair.article_a if side == "a" else self.pair.article_b
        return self._cell(side, content, extra=f" pk-{art.paragraphs[idx[0]].kind}"), lines

    def _gutter(self, blk: Block) -> etree._Element:
        return _h(
            "div",
            {"class": "gut", "title": _block_tip(blk)},
            _h("span", {"class": "kind"}, _KIND_LABEL[blk.kind]),
            _h("span", {"class": "pa"}, "A" + _para_label(blk.a)),
            _h("span", {"class": "pb"}, "B" + _para_label(blk.b)),
        )

    def _row_el(
        self, blk: Block, rid: str, lines: int, cells: Sequence[etree._Element]
    ) -> etree._Element:
        """A row: gutter and two cells. ``--h`` (estimated lines) sizes it before layout."""
        half = " half" if blk.kind == "moved" else ""
        return _h(
            "div",
            {"class": f"row k-{blk.kind.replace(':', '_')}{half}", "id": rid, "style": f"--h:{lines}"},
            self._gutter(blk),
            cells,
        )

    def _place(self, k: int | None, lines: int) -> None:
        """Note the marks of block ``k`` (one per type) at the current height, then move down."""
        if k is not None:
            seen: set[str] = set()
            for i, e in self.by_block.get(k, []):
                if e.type not in seen:
                    seen.add(e.type)
                    self.marks.marks.append((self.marks.weight, e.type, f"{self.prefix}e{i}-a", _tip(e)))
        self.marks.weight += lines + _ROW_PAD

    # -- rows
    def rows(self) -> list[etree._Element]:
        """Every row, in reading order (moved paragraphs at their place in A and in B)."""
        blocks = self.pair.comparison.alignment
        moved = [(k, blk) for k, blk in enumerate(blocks) if blk.kind == "moved"]
        pending_a = sorted(moved, key=lambda kb: kb[1].a[0])
        pending_b = sorted(moved, key=lambda kb: kb[1].b[0])
        out: list[etree._Element] = []
        for k, blk in enumerate(blocks):
            if blk.kind == "moved":
                continue
            while pending_a and blk.a and pending_a[0][1].a[0] < blk.a[0]:
                out.append(self._moved_row(*pending_a.pop(0), "a"))
            while pending_b and blk.b and pending_b[0][1].b[0] < blk.b[0]:
                out.append(self._moved_row(*pending_b.pop(0), "b"))
            out.append(self._cut_row(k, blk) if blk.kind == "truncation" else self._row(k, blk))
        out.extend(self._moved_row(k, blk, "a") for k, blk in pending_a)
        out.extend(self._moved_row(k, blk, "b") for k, blk in pending_b)
        return out

    def _row(self, k: int, blk: Block) -> etree._Element:
        cell_a, la = self._text_cell(k, blk, "a")
        cell_b, lb = self._text_cell(k, blk, "b")
        self._place(k, max(la, lb))
        return self._row_el(blk, f"{self.prefix}r{k}", max(la, lb), (cell_a, cell_b))

    def _cut_row(self, k: int, blk: Block) -> etree._Element:
        """The truncation block: the short side's marker, the long side's tail folded."""
        lines = {side: self._content(k, blk, side)[1] for side in ("a", "b")}
        tail = "b" if lines["b"] >= lines["a"] else "a"
        reason = next((e.reason for _, e in self.by_block.get(k, [])), "one version stops here")
        cells: dict[str, etree._Element] = {}
        for side in ("a", "b"):
            if side != tail:
                cells[side] = self._text_cell(k, blk, side)[0]
                continue
            content, _n = self._content(k, blk, side, whole=True)
            idx = blk.a if side == "a" else blk.b
            summary = _h(
                "summary",
                _h("span", {"class": "cutlabel"}, "cut"),
                f" {reason}: {len(idx)} paragraph{'s' if len(idx) != 1 else ''}, "
                "folded here (click to show or hide).",
            )
            tail_text = _h("div", {"class": "tailtext"}, content)
            cells[side] = self._cell(side, _h("details", {"class": "tail"}, summary, tail_text))
        self._place(k, 2)
        return self._row_el(blk, f"{self.prefix}r{k}", 2, (cells["a"], cells["b"]))

    def _moved_row(self, k: int, blk: Block, side: str) -> etree._Element:
        """One half of a moved block: the text on ``side``, a link to the other half."""
        other = "b" if side == "a" else "a"
        cell, lines = self._text_cell(k, blk, side)
        idx = blk.b if side == "a" else blk.a
        arrow = "↓" if side == "a" else "↑"
        link = _h(
            "a",
            {"class": "moved-link", "href": f"#{self.prefix}r{k}{other}"},
            f"{arrow} moved: {other.upper()}{_para_label(idx)}",
        )
        note = self._cell(other, link, extra=" empty")
        self._place(k if side == "a" else None, lines)
        cells = (cell, note) if side == "a" else (note, cell)
        return self._row_el(blk, f"{self.prefix}r{k}{side}", lines, cells)


def _block_tip(blk: Block) -> str:
    if blk.kind in ("a-only", "b-only"):
        return f"only in {blk.kind[0].upper()}"
    if blk.kind == "truncation":
        return "one version stops here; the other goes on"
    return f"{blk.kind} block, similarity {blk.score:.3f}"


# ------------------------------------------------------------------ pair header


def _source(pair: PairInput, side: str) -> etree._Element:
    art = pair.article_a if side == "a" else pair.article_b
    path, _, _n = art.id.rpartition("#")
    star = (
        _h("span", {"class": "canon", "title": "canonical version of its cluster"}, "★ canonical")
        if pair.canonical and pair.canonical == art.id
        else None
    )
    rows: list[Child] = [
        _h("dt", "file"),
        _h("dd", _h("code", path)),
        _h("dt", "article"),
        _h("dd", _h("code", art.id), f"  lines {art.first_line}–{art.last_line}  ", star),
        _h("dt", "title"),
        _h("dd", {"class": "title", "lang": _lang(art.title)}, art.title or "(untitled)"),
    ]
    if art.byline:
        rows += [_h("dt", "byline"), _h("dd", art.byline)]
    if art.jump:
        rows += [_h("dt", "jump"), _h("dd", f"continued on page {art.jump}")]
    return _h(
        "div",
        {"class": f"source {side}"},
        _h("h3", side.upper()),
        _h("dl", rows),
    )


def _counts_table(counts: Sequence[tuple[str, int]]) -> etree._Element:
    cells = [
        _h(
            "td",
            {"class": "c", "data-t": t},
            _h("span", {"class": f"d t-{t} sw"}, t),
            " ",
            _h("b", str(n)),
        )
        for t, n in counts
    ]
    return _h("table", {"class": "counts"}, _h("caption", "differences by type"), _h("tr", cells))


def _facts(pair: PairInput) -> etree._Element:
    m = pair.comparison.metrics
    items: list[tuple[str, str, str]] = []
    if pair.relation:
        items.append(("relation", pair.relation, "duplicate, partial (one is cut short) or continuation"))
    items += [
        ("similarity", _num(m.similarity), "2·matched / (|A| + |B|) on folded text"),
        ("CER", _num(m.cer), "character error rate of B against A over the matched text"),
        ("coverage A", _pct(m.coverage_a), "share of A matched in B"),
        ("coverage B", _pct(m.coverage_b), "share of B matched in A"),
    ]
    if pair.containment is not None:
        items.append(("containment", _num(pair.containment), "share of the shorter inside the longer"))
    if pair.cluster:
        items.append(("cluster", pair.cluster, "the scan's group of printings of this story"))
    return _h(
        "dl",
        {"class": "facts"},
        [
            _h("div", {"title": tip}, _h("dt", name), _h("dd", value))
            for name, value, tip in items
        ],
    )


def _pair_section(pair: PairInput, prefix: str, marks: _Marks, number: int) -> etree._Element:
    c = pair.comparison
    marks.weight += _HEAD_WEIGHT
    renderer = _PairRenderer(pair, prefix, marks)
    rows = renderer.rows()
    head_row = _h(
        "div",
        {"class": "row colhead"},
        _h("div", {"class": "gut"}, "block"),
        _h("div", {"class": "cell a"}, "A  ", _h("code", c.a)),
        _h("div", {"class": "cell b"}, "B  ", _h("code", c.b)),
    )
    return _h(
        "section",
        {"class": "pair", "id": f"{prefix}pair", "data-pair": str(number)},
        _h(
            "header",
            {"class": "pair-head"},
            _h("h2", {"lang": _lang(c.title)}, c.title or "(untitled)"),
            _h("div", {"class": "sources"}, _source(pair, "a"), _source(pair, "b")),
            _facts(pair),
            _counts_table(c.metrics.counts),
        ),
        _h("div", {"class": "grid"}, head_row, rows),
    )


# ------------------------------------------------------------------ page chrome


def _toolbar(totals: Mapping[str, int]) -> etree._Element:
    toggles = []
    for t in EDIT_TYPES:
        look, meaning = TYPE_HELP[t]
        attrs = {"type": "checkbox", "id": f"show-{t}", "class": "tog", "data-t": t}
        if t not in HIDDEN_BY_DEFAULT:
            attrs["checked"] = "checked"
        toggles.append(
            _h(
                "label",
                {"class": "tog-label", "title": f"{t} ({look}): {meaning}"},
                _h("input", attrs),
                _h("span", {"class": f"d t-{t} sw"}, t),
                _h("span", {"class": "n"}, str(totals.get(t, 0))),
            )
        )
    nav = _h(
        "div",
        {"class": "nav", "id": "nav", "hidden": "hidden"},
        _h("button", {"type": "button", "id": "nav-prev", "title": "previous difference (p or k)"}, "◀ prev"),
        _h("span", {"id": "nav-count", "class": "count", "aria-live": "polite"}, "– / –"),
        _h("button", {"type": "button", "id": "nav-next", "title": "next difference (n or j)"}, "next ▶"),
        _h("span", {"class": "keys"}, "keys n/j, p/k"),
    )
    return _h(
        "div",
        {"class": "toolbar", "role": "region", "aria-label": "difference types"},
        _h("div", {"class": "toggles"}, toggles),
        nav,
    )


def _legend() -> etree._Element:
    rows = []
    for t in EDIT_TYPES:
        look, meaning = TYPE_HELP[t]
        state = "hidden at first" if t in HIDDEN_BY_DEFAULT else "shown"
        rows.append(
            _h(
                "tr",
                _h("td", _h("span", {"class": f"d t-{t} sw"}, t)),
                _h("td", look),
                _h("td", meaning),
                _h("td", state),
            )
        )
    return _h(
        "details",
        {"class": "legend", "id": "legend"},
        _h(
            "summary",
            "Legend: what each mark means, and why whitespace, markup, punctuation "
            "and variant marks start hidden",
        ),
        _h("p", HIDDEN_NOTE),
        _h(
            "p",
            "A caret ⁁ marks where one side has nothing of a difference. Hover a mark "
            "to light up its counterpart on the other side; its tooltip says why it "
            "got its type. The strip on the right shows where the differences lie.",
        ),
        _h(
            "table",
            _h("thead", _h("tr", _h("th", "type"), _h("th", "mark"), _h("th", "meaning"), _h("th", "when opened"))),
            _h("tbody", rows),
        ),
    )


def _overview(marks: _Marks) -> etree._Element:
    """The strip: one link per type per step of height, to the first difference there."""
    total = max(marks.weight, 1.0)
    kept: dict[tuple[int, str], tuple[float, str, str, int]] = {}
    for pos, t, target, tip in marks.marks:
        key = (int(_STRIP_STEPS * pos / total), t)
        if key in kept:
            p0, target0, tip0, n = kept[key]
            kept[key] = (p0, target0, tip0, n + 1)
        else:
            kept[key] = (pos, target, tip, 1)
    links = [
        _h(
            "a",
            {
                "class": f"m t-{t}",
                "href": f"#{target}",
                "style": f"top:{100.0 * pos / total:.2f}%",
                "title": tip + (f" (and {n - 1} more rows with {t} here)" if n > 1 else ""),
            },
        )
        for (_step, t), (pos, target, tip, n) in sorted(kept.items(), key=lambda kv: (kv[1][0], kv[0][1]))
    ]
    return _h("nav", {"class": "overview", "aria-label": "where the differences are"}, links)


def _totals(pairs: Sequence[PairInput]) -> dict[str, int]:
    totals: dict[str, int] = {t: 0 for t in EDIT_TYPES}
    for p in pairs:
        for t, n in p.comparison.metrics.counts:
            totals[t] = totals.get(t, 0) + n
    return totals


def pair_report(pair: PairInput, *, index_href: str | None = None) -> bytes:
    """One pair as a self-contained HTML page (UTF-8 bytes, byte-identical across runs).

    Args:
        pair: the comparison, both articles and their documents' texts.
        index_href: a link back to the scan's index, if any.
    """
    marks = _Marks()
    section = _pair_section(pair, "", marks, 1)
    c = pair.comparison
    crumbs = (
        _h("nav", {"class": "crumbs"}, _h("a", {"href": index_href}, "← all pairs (index)"))
        if index_href
        else None
    )
    return _page(
        f"{c.title or 'untitled'}: {c.a} ↔ {c.b}",
        "report",
        crumbs,
        _toolbar(_totals([pair])),
        _legend(),
        _h("main", section),
        _overview(marks),
    )


def pages_report(
    pairs: Sequence[PairInput],
    *,
    a: str,
    b: str,
    unpaired_a: Sequence[tuple[str, str]] = (),
    unpaired_b: Sequence[tuple[str, str]] = (),
) -> bytes:
    """Two compared pages as one HTML page: a contents list, then one section per pair.

    ``unpaired_a``/``unpaired_b`` are ``(article id, title)`` of the stories
    left without a partner. Ids inside each section are prefixed ``p<n>-`` so
    that next/previous, the overview strip and the toggles span every pair.
    """
    marks = _Marks()
    sections = [_pair_section(p, f"p{n}-", marks, n) for n, p in enumerate(pairs, 1)]
    contents = _h(
        "ol",
        [
            _h(
                "li",
                _h("a", {"href": f"#p{n}-pair"}, p.comparison.title or "(untitled)"),
                "  ",
                _h("code", f"{p.comparison.a} ↔ {p.comparison.b}"),
            )
            for n, p in enumerate(pairs, 1)
        ],
    )
    unpaired: list[Child] = []
    for side, items in (("A", unpaired_a), ("B", unpaired_b)):
        if items:
            unpaired.append(
                _h(
                    "p",
                    f"Only in {side} (no partner): ",
                    [[_h("code", i), f" {t}; " if t else "; "] for i, t in items],
                )
            )
    header = _h(
        "header",
        {"class": "top"},
        _h("h1", "dedup compare"),
        _h("p", _h("code", a), "  ↔  ", _h("code", b), f": {len(pairs)} article pair{'s' if len(pairs) != 1 else ''}"),
        contents if pairs else _h("p", "No article of A prints the same story as one of B."),
        unpaired,
    )
    return _page(
        f"dedup compare: {a} ↔ {b}",
        "report pages",
        header,
        _toolbar(_totals(pairs)),
        _legend(),
        _h("main", sections),
        _overview(marks),
    )


# ------------------------------------------------------------------ index


@dataclass(frozen=True)
class IndexPair:
    """One row of the index's pair table."""

    a: str
    b: str
    similarity: float
    containment: float
    relation: str
    cluster: str
    report: str  # relative link to the pair report, "" when there is none
    note: str  # why there is no report
    cer: float | None = None
    counts: tuple[tuple[str, int], ...] = ()


_INDEX_TYPES = ("ocr", "inversion", "wording", "missing", "extra", "truncation")


def _sort_th(label: str, kind: str = "num", tip: str = "") -> etree._Element:
    attrs = {"data-sort": kind}
    if tip:
        attrs["title"] = tip
    return _h("th", attrs, label)


def _vtd(value: str, sort_value: str, cls: str = "num") -> etree._Element:
    return _h("td", {"class": cls, "data-v": sort_value}, value)


def _article_ref(article_id: str, titles: Mapping[str, str]) -> list[Child]:
    title = titles.get(article_id, "")
    return [_h("code", article_id), " ", _h("span", {"class": "t", "lang": _lang(title)}, title)] if title else [_h("code", article_id)]


def index_report(
    *,
    documents: Sequence[Mapping[str, Any]],
    clusters: Sequence[Cluster],
    pairs: Sequence[IndexPair],
    failures: Sequence[tuple[str, str]],
    warnings: Sequence[tuple[str, str]] = (),
    stats: Mapping[str, int] | None = None,
) -> bytes:
    """The index of a scan: clusters, pairs with links to their reports, files, failures.

    ``documents`` are ``scan.json`` documents (path, encoding, articles). The
    pair table opens in scan order (clusters in order, ids in order); the
    script sorts it by any numeric column.
    """
    titles: dict[str, str] = {}
    for doc in documents:
        for art in doc.get("articles", []):
            titles[str(art["id"])] = str(art.get("title", ""))
    cluster_of = {a: c.id for c in clusters for a in c.articles}
    reports_of: dict[str, list[IndexPair]] = {}
    for p in pairs:
        reports_of.setdefault(p.cluster, []).append(p)

    # clusters
    crow = []
    for c in clusters:
        versions = _h(
            "ul",
            [
                _h(
                    "li",
                    {"class": "canon-item"} if x == c.canonical else {},
                    _article_ref(x, titles),
                    _h("span", {"class": "canon"}, " ★ canonical") if x == c.canonical else None,
                )
                for x in c.articles
            ],
        )
        links = _h(
            "ul",
            [
                _h(
                    "li",
                    _h("a", {"href": p.report}, f"{p.a} ↔ {p.b}") if p.report else f"{p.a} ↔ {p.b} ({p.note})",
                )
                for p in reports_of.get(c.id, [])
            ],
        )
        crow.append(
            _h(
                "tr",
                {"id": f"cluster-{c.id}"},
                _h("td", _h("b", c.id)),
                _h("td", _article_ref(c.canonical, titles)),
                _h("td", c.reason),
                _h("td", versions),
                _h("td", links),
            )
        )
    clusters_table = _h(
        "table",
        {"class": "clusters"},
        _h("thead", _h("tr", [_h("th", x) for x in ("cluster", "canonical version", "why canonical", "versions", "pair reports")])),
        _h("tbody", crow),
    )

    # pairs
    prow = []
    for n, p in enumerate(pairs, 1):
        counts = dict(p.counts)
        minor = sum(counts.get(t, 0) for t in MINOR_TYPES)
        link = _h("a", {"href": p.report}, "report") if p.report else _h("span", {"class": "muted"}, p.note)
        prow.append(
            _h(
                "tr",
                _vtd(str(n), str(n)),
                _h("td", _article_ref(p.a, titles)),
                _h("td", _article_ref(p.b, titles)),
                _h("td", p.relation),
                _h("td", _h("a", {"href": f"#cluster-{p.cluster}"}, p.cluster) if p.cluster else ""),
                _vtd(_num(p.similarity), _num(p.similarity)),
                _vtd(_num(p.containment), _num(p.containment)),
                _vtd(_num(p.cer) if p.cer is not None else "–", _num(p.cer) if p.cer is not None else "-1"),
                [
                    _vtd(str(counts[t]) if p.counts else "–", str(counts.get(t, -1)))
                    for t in _INDEX_TYPES
                ],
                _vtd(str(minor) if p.counts else "–", str(minor if p.counts else -1)),
                _h("td", link),
            )
        )
    pairs_table = _h(
        "table",
        {"class": "pairs sortable", "id": "pairs-table"},
        _h(
            "thead",
            _h(
                "tr",
                _sort_th("#", tip="scan order"),
                _h("th", "A"),
                _h("th", "B"),
                _h("th", "relation"),
                _h("th", "cluster"),
                _sort_th("similarity"),
                _sort_th("containment"),
                _sort_th("CER", tip="character error rate over the matched text"),
                [_sort_th(t, tip=TYPE_HELP[t][1]) for t in _INDEX_TYPES],
                _sort_th("minor", tip="whitespace + markup + punctuation + variant"),
                _h("th", "report"),
            ),
        ),
        _h("tbody", prow),
    )

    # files and articles
    bodies = []
    for doc in documents:
        arts = list(doc.get("articles", []))
        head = _h(
            "tr",
            {"class": "file"},
            _h(
                "th",
                {"colspan": "6", "id": "file-" + hashlib.sha1(str(doc["path"]).encode()).hexdigest()[:10]},
                _h("code", str(doc["path"])),
                f"  {doc.get('encoding', '')}, {len(arts)} article{'s' if len(arts) != 1 else ''}",
            ),
        )
        rows = []
        for art in arts:
            aid = str(art["id"])
            marks_txt = []
            if art.get("jump"):
                marks_txt.append(f"continued on page {art['jump']}")
            if art.get("continued_from"):
                marks_txt.append(f"from page {art['continued_from']}")
            cid = cluster_of.get(aid, "")
            rows.append(
                _h(
                    "tr",
                    {"class": f"art k-{art.get('kind', 'story')}"},
                    _h("td", _h("code", f"#{art.get('index', '')}")),
                    _h("td", str(art.get("kind", ""))),
                    _h("td", {"lang": _lang(str(art.get("title", "")))}, str(art.get("title", "")) or "–"),
                    _h("td", {"class": "nowrap"}, f"{art.get('first_line', '')}–{art.get('last_line', '')}"),
                    _h("td", "; ".join(marks_txt)),
                    _h("td", _h("a", {"href": f"#cluster-{cid}"}, cid) if cid else ""),
                )
            )
        if not arts:
            rows.append(_h("tr", _h("td", {"colspan": "6", "class": "muted"}, "no articles")))
        bodies.append(_h("tbody", head, rows))
    files_table = _h(
        "table",
        {"class": "files"},
        _h("thead", _h("tr", [_h("th", x) for x in ("article", "kind", "title", "lines", "jumps", "cluster")])),
        bodies,
    )

    fail_rows = [_h("tr", _h("td", _h("code", p)), _h("td", e)) for p, e in failures]
    failures_part: Child = (
        _h("table", {"class": "failures"}, _h("thead", _h("tr", _h("th", "file"), _h("th", "error"))), _h("tbody", fail_rows))
        if failures
        else _h("p", {"class": "muted"}, "Every file was read.")
    )
    warn_part = (
        _h("ul", {"class": "warnings"}, [_h("li", _h("code", p), f": {w}") for p, w in warnings])
        if warnings
        else None
    )
    s = dict(stats or {})
    summary = (
        f"{s.get('documents', len(documents))} files, {s.get('articles', len(titles))} articles, "
        f"{len(pairs)} pairs in {len(clusters)} clusters"
        + (f" ({s['candidates']} candidates checked)" if "candidates" in s else "")
        + (f"; {len(failures)} files failed" if failures else "")
    )
    return _page(
        "dedup scan: index",
        "index",
        _h(
            "header",
            {"class": "top"},
            _h("h1", "dedup scan"),
            _h("p", summary),
            _h(
                "nav",
                {"class": "toc"},
                _h("a", {"href": "#clusters"}, "clusters"),
                " · ",
                _h("a", {"href": "#pairs"}, "pairs"),
                " · ",
                _h("a", {"href": "#files"}, "files and articles"),
                " · ",
                _h("a", {"href": "#failures"}, "failed files"),
            ),
        ),
        _h(
            "main",
            _h("section", {"id": "clusters"}, _h("h2", "Clusters"), clusters_table if clusters else _h("p", {"class": "muted"}, "No duplicates found.")),
            _h(
                "section",
                {"id": "pairs"},
                _h("h2", "Pairs"),
                _h(
                    "p",
                    {"class": "hint"},
                    "In scan order (by cluster, then by article). Click a numeric column "
                    "heading to sort by it; click again to reverse.",
                ),
                pairs_table if pairs else _h("p", {"class": "muted"}, "No pairs."),
            ),
            _h("section", {"id": "files"}, _h("h2", "Files and articles"), files_table),
            _h("section", {"id": "failures"}, _h("h2", "Files that failed"), failures_part, warn_part),
        ),
    )
