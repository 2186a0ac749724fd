"""The compare pages: one pair on a page, or every pair of two compared pages.

Why both here: a pages report is a list of pair sections under one header,
framed by the same toolbar, legend and overview strip as a single pair, so
the two differ only in their header and in the id prefix of each section
(``p<n>-``, which keeps ids unique and lets next/previous, the strip and the
toggles span every pair).
"""

from __future__ import annotations

from collections.abc import Sequence

from lxml import etree

from dedup.model import EDIT_TYPES
from dedup.report.html.chrome import Child, h, lang, num, page, pct, plural, type_swatch
from dedup.report.html.controls import Marks, legend, overview, toolbar
from dedup.report.html.rows import PairInput, PairRenderer

_HEAD_WEIGHT = 14.0  # a pair's header, in lines (for the overview strip)


def _source(pair: PairInput, side: str) -> etree._Element:
    """Where one side comes from: file, article and lines, title, byline, jump."""
    art = pair.article_a if side == "a" else pair.article_b
    path = art.path
    star = (
        h("span", {"class": "canon", "title": "canonical version of its cluster"}, "★ canonical")
        if pair.canonical and pair.canonical == art.id
        else None
    )
    rows: list[Child] = [
        h("dt", "file"),
        h("dd", h("code", path)),
        h("dt", "article"),
        h("dd", h("code", art.id), f"  lines {art.first_line}–{art.last_line}  ", star),
        h("dt", "title"),
        h("dd", {"class": "title", "lang": lang(art.title)}, art.title or "(untitled)"),
    ]
    if art.byline:
        rows += [h("dt", "byline"), h("dd", art.byline)]
    if art.jump:
        rows += [h("dt", "jump"), h("dd", f"continued on page {art.jump}")]
    return h("div", {"class": f"source {side}"}, h("h3", side.upper()), h("dl", rows))


def _counts_table(counts: Sequence[tuple[str, int]]) -> etree._Element:
    """How many differences of each type the pair has, each with a sample of its mark."""
    cells = [
        h("td", {"class": "c", "data-t": t}, type_swatch(t), " ", h("b", str(n))) for t, n in counts
    ]
    return h("table", {"class": "counts"}, h("caption", "differences by type"), h("tr", cells))


def _facts(pair: PairInput) -> etree._Element:
    """The pair's metrics, each with a tooltip that says how it is measured."""
    m = pair.comparison.metrics
    items: list[tuple[str, str, str]] = []
    if pair.relation:
        items.append(
            ("relation", pair.relation, "duplicate, partial (one is cut short) or continuation")
        )
    items += [
        ("similarity", num(m.similarity), "2·matched / (|A| + |B|) on folded text"),
        ("CER", num(m.cer), "character error rate of B against A over the matched text"),
        ("coverage A", pct(m.coverage_a), "share of A matched in B"),
        ("coverage B", pct(m.coverage_b), "share of B matched in A"),
    ]
    if pair.containment is not None:
        items.append(
            ("containment", num(pair.containment), "share of the shorter inside the longer")
        )
    if pair.cluster:
        items.append(("cluster", pair.cluster, "the scan's group of printings of this story"))
    return h(
        "dl",
        {"class": "facts"},
        [h("div", {"title": tip}, h("dt", name), h("dd", value)) for name, value, tip in items],
    )


def _pair_section(pair: PairInput, prefix: str, marks: Marks, number: int) -> etree._Element:
    """One pair: its header (sources, metrics, counts), then the grid of its rows."""
    c = pair.comparison
    marks.weight += _HEAD_WEIGHT
    rows = PairRenderer(pair, prefix, marks).rows()
    head_row = h(
        "div",
        {"class": "row colhead"},
        h("div", {"class": "gut"}, "block"),
        h("div", {"class": "cell a"}, "A  ", h("code", c.a)),
        h("div", {"class": "cell b"}, "B  ", h("code", c.b)),
    )
    return h(
        "section",
        {"class": "pair", "id": f"{prefix}pair", "data-pair": str(number)},
        h(
            "header",
            {"class": "pair-head"},
            h("h2", {"lang": lang(c.title)}, c.title or "(untitled)"),
            h("div", {"class": "sources"}, _source(pair, "a"), _source(pair, "b")),
            _facts(pair),
            _counts_table(c.metrics.counts),
        ),
        h("div", {"class": "grid"}, head_row, rows),
    )


def _totals(pairs: Sequence[PairInput]) -> dict[str, int]:
    """Differences per type over all ``pairs`` (every type present, for the toolbar)."""
    totals: dict[str, int] = {t: 0 for t in EDIT_TYPES}
    for p in pairs:
        for t, n in p.comparison.metrics.counts:
            totals[t] = totals.get(t, 0) + n
    return totals


def _compare_page(
    title: str, body_class: str, header: Child, pairs: Sequence[PairInput], prefixed: bool
) -> bytes:
    """A page of pair sections framed by the toolbar, the legend and the overview strip.

    Sections are built first: building them lays out the strip's marks.
    """
    marks = Marks()
    sections = [
        _pair_section(p, f"p{n}-" if prefixed else "", marks, n) for n, p in enumerate(pairs, 1)
    ]
    return page(
        title,
        body_class,
        header,
        toolbar(_totals(pairs)),
        legend(),
        h("main", sections),
        overview(marks),
    )


def pair_report(
    pair: PairInput,
    *,
    index_href: str | None = None,
    unpaired_a: Sequence[tuple[str, str]] = (),
    unpaired_b: Sequence[tuple[str, str]] = (),
) -> bytes:
    """One pair as a self-contained HTML page (UTF-8 bytes, byte-identical across runs).

    Args:
        pair: the comparison, both articles and their documents' texts.
        index_href: a link back to the scan's index, if any.
        unpaired_a, unpaired_b: ``(article id, title)`` of the articles of A's
            file with no partner in B's file, and the other way round.
    """
    c = pair.comparison
    crumbs = (
        h("nav", {"class": "crumbs"}, h("a", {"href": index_href}, "← all pairs (index)"))
        if index_href
        else None
    )
    header = [crumbs, _unpaired("A", unpaired_a), _unpaired("B", unpaired_b)]
    return _compare_page(f"{c.title or 'untitled'}: {c.a} ↔ {c.b}", "report", header, [pair], False)


def _contents(pairs: Sequence[PairInput]) -> etree._Element:
    """The list of pairs at the top of a pages report, each a link to its section."""
    return h(
        "ol",
        [
            h(
                "li",
                h("a", {"href": f"#p{n}-pair"}, p.comparison.title or "(untitled)"),
                "  ",
                h("code", f"{p.comparison.a} ↔ {p.comparison.b}"),
            )
            for n, p in enumerate(pairs, 1)
        ],
    )


def _unpaired(side: str, items: Sequence[tuple[str, str]]) -> etree._Element | None:
    """The stories of one page that found no partner (None when there are none)."""
    if not items:
        return None
    return h(
        "p",
        {"class": "unpaired"},
        f"Only in {side}'s page (no partner there): ",
        [[h("code", i), f"{t or '(untitled)'}; "] for i, t in items],
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
    header = h(
        "header",
        {"class": "top"},
        h("h1", "dedup compare"),
        h(
            "p",
            h("code", a),
            "  ↔  ",
            h("code", b),
            f": {len(pairs)} article {plural(len(pairs), 'pair')}",
        ),
        _contents(pairs) if pairs else h("p", "No article of A prints the same story as one of B."),
        _unpaired("A", unpaired_a),
        _unpaired("B", unpaired_b),
    )
    return _compare_page(f"dedup compare: {a} ↔ {b}", "report pages", header, pairs, True)
