"""The side-by-side rows of one compared pair, and the input they are drawn from.

A pair report shows one row per alignment block, A left and B right, in
reading order: 1:n blocks share a row, a one-sided paragraph faces an empty
cell, a moved paragraph appears at its place in A and at its place in B with a
link between the two, and the tail one version has past a cut is folded in a
``<details>`` whose summary names the cut. Every edit is one highlight on each
side (a caret where that side has nothing), with the type as class
(``t-wording``), the reason as ``title`` and an id that differs from its
counterpart's only in the side letter, so that the script can light it up.

Note that edit offsets index the original text of each document; the rows
show those characters (line breaks normalised to ``\\n`` for display,
control characters as their Unicode control pictures).
"""

from __future__ import annotations

import math
import re
from collections.abc import Sequence
from dataclasses import dataclass

from lxml import etree

from dedup.model import Article, Block, Comparison, Edit, SourceSpan
from dedup.report.html.chrome import Child, h, lang
from dedup.report.html.controls import Marks

# Row heights are estimated (in lines) for the overview strip and for the size
# off-screen rows take before the browser lays them out.
_CHARS_PER_LINE = 40  # wide (CJK) characters per line of a cell at a usual width
_ROW_PAD = 0.8  # cell padding and rule, in lines
_WIDE = re.compile(
    r"[\u1100-\u115f\u2e80-\ua4cf\uac00-\ud7a3\uf900-\ufaff\ufe30-\ufe4f\uff00-\uff60\uffe0-\uffe6]"
)


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
    source_a: tuple[SourceSpan, ...] = ()
    source_b: tuple[SourceSpan, ...] = ()


@dataclass(frozen=True)
class _Shown:
    """One edit as seen from one side: its span on that side and how to label it."""

    index: int
    span: tuple[int, int]
    edit: Edit
    source: str = ""


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


def _tip(e: Edit, source: str = "") -> str:
    """The tooltip of an edit's marks: its type, why it got that type, where it sits in the file."""
    return f"{e.type}: {e.reason}" + (f" · source: {source}" if source else "")


def cite(spans: Sequence[SourceSpan], span: tuple[int, int]) -> str:
    """The file element(s) a text span comes from (HTML and OCR input), as XPath and line.

    An insertion point (empty span) cites the element it touches. Empty when no
    source span covers it (plain text, or characters the reader added).
    """
    lo, hi = span
    hit = [s for s in spans if s.start < max(hi, lo + 1) and s.end > lo] or [
        s for s in spans if s.start <= lo <= s.end
    ]
    parts = []
    for s in hit[:2]:
        where = f" line {s.line}" if s.line else ""
        parts.append(f"{s.xpath}{where}")
    more = f" (+{len(hit) - 2} more)" if len(hit) > 2 else ""
    return "; ".join(parts) + more


def _mark(
    prefix: str, shown: _Shown, side: str, content: str, whole: bool = False
) -> etree._Element:
    """The highlight of one edit on one side (a caret when that side has nothing).

    Its id is ``<prefix>e<n>-a`` or ``-b``: the script finds the counterpart by
    swapping the last letter. ``whole`` marks a highlight over whole paragraphs
    (one-sided or cut blocks), which the stylesheet keeps in normal weight.
    """
    e = shown.edit
    classes = (
        f"d t-{e.type}" + ("" if content else " gap") + (" whole" if whole and content else "")
    )
    return h(
        "span",
        {"class": classes, "id": f"{prefix}e{shown.index}-{side}", "title": _tip(e, shown.source)},
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
    """Paragraph numbers as the gutter shows them: ``¶3``, ``¶3–5``, ``–`` for none."""
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


class PairRenderer:
    """Builds the rows of one pair; ``prefix`` keeps ids unique in a multi-pair page."""

    def __init__(self, pair: PairInput, prefix: str, marks: Marks) -> None:
        """Group the edits by block and guess each side's language once."""
        self.pair = pair
        self.prefix = prefix
        self.marks = marks
        c = pair.comparison
        self.by_block: dict[int, list[tuple[int, Edit]]] = {}
        for i, e in enumerate(c.edits):
            self.by_block.setdefault(e.block, []).append((i, e))
        self.lang_a = lang(pair.text_a[pair.article_a.start : pair.article_a.end])
        self.lang_b = lang(pair.text_b[pair.article_b.start : pair.article_b.end])

    # -- geometry
    def _span(self, side: str, idx: Sequence[int]) -> tuple[int, int]:
        """The offsets of paragraphs ``idx`` (first to last) in one side's text."""
        art = self.pair.article_a if side == "a" else self.pair.article_b
        return art.paragraphs[idx[0]].start, art.paragraphs[idx[-1]].end

    def _text(self, side: str) -> str:
        """The original text of the document on ``side``."""
        return self.pair.text_a if side == "a" else self.pair.text_b

    def _shown(self, k: int, side: str) -> list[_Shown]:
        """The edits of block ``k`` as seen from ``side``."""
        spans = self.pair.source_a if side == "a" else self.pair.source_b
        return [
            _Shown(i, span, e, cite(spans, span) if spans else "")
            for i, e in self.by_block.get(k, [])
            for span in [e.a if side == "a" else e.b]
        ]

    def _cell(self, side: str, *content: Child, extra: str = "") -> etree._Element:
        """A cell of ``side``, tagged with that side's language."""
        lang = self.lang_a if side == "a" else self.lang_b
        return h("div", {"class": f"cell {side}{extra}", "lang": lang}, *content)

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
            note = h("span", {"class": "note"}, f"not in {side.upper()}")
            return self._cell(side, note, content, extra=" empty"), 1
        idx = blk.a if side == "a" else blk.b
        art = self.pair.article_a if side == "a" else self.pair.article_b
        return self._cell(side, content, extra=f" pk-{art.paragraphs[idx[0]].kind}"), lines

    def _gutter(self, blk: Block) -> etree._Element:
        """The gutter: block kind and the paragraph numbers of both sides."""
        return h(
            "div",
            {"class": "gut", "title": _block_tip(blk)},
            h("span", {"class": "kind"}, _KIND_LABEL[blk.kind]),
            h("span", {"class": "pa"}, "A" + _para_label(blk.a)),
            h("span", {"class": "pb"}, "B" + _para_label(blk.b)),
        )

    def _row_el(
        self, blk: Block, rid: str, lines: int, cells: Sequence[etree._Element]
    ) -> etree._Element:
        """A row: gutter and two cells. ``--h`` (estimated lines) sizes it before layout."""
        half = " half" if blk.kind == "moved" else ""
        return h(
            "div",
            {
                "class": f"row k-{blk.kind.replace(':', '_')}{half}",
                "id": rid,
                "style": f"--h:{lines}",
            },
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
                    self.marks.marks.append(
                        (self.marks.weight, e.type, f"{self.prefix}e{i}-a", _tip(e))
                    )
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
        """A block of both sides in one row (1:1, 1:n, n:m, one-sided)."""
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
            summary = h(
                "summary",
                h("span", {"class": "cutlabel"}, "cut"),
                f" {reason}: {len(idx)} paragraph{'s' if len(idx) != 1 else ''}, "
                "folded here (click to show or hide).",
            )
            tail_text = h("div", {"class": "tailtext"}, content)
            cells[side] = self._cell(side, h("details", {"class": "tail"}, summary, tail_text))
        self._place(k, 2)
        return self._row_el(blk, f"{self.prefix}r{k}", 2, (cells["a"], cells["b"]))

    def _moved_row(self, k: int, blk: Block, side: str) -> etree._Element:
        """One half of a moved block: the text on ``side``, a link to the other half."""
        other = "b" if side == "a" else "a"
        cell, lines = self._text_cell(k, blk, side)
        idx = blk.b if side == "a" else blk.a
        arrow = "↓" if side == "a" else "↑"
        link = h(
            "a",
            {"class": "moved-link", "href": f"#{self.prefix}r{k}{other}"},
            f"{arrow} moved: {other.upper()}{_para_label(idx)}",
        )
        note = self._cell(other, link, extra=" empty")
        self._place(k if side == "a" else None, lines)
        cells = (cell, note) if side == "a" else (note, cell)
        return self._row_el(blk, f"{self.prefix}r{k}{side}", lines, cells)


def _block_tip(blk: Block) -> str:
    """The gutter's tooltip: what kind of block a row is, and how alike its sides are."""
    if blk.kind in ("a-only", "b-only"):
        return f"only in {blk.kind[0].upper()}"
    if blk.kind == "truncation":
        return "one version stops here; the other goes on"
    return f"{blk.kind} block, similarity {blk.score:.3f}"
