"""The index of a scan: a summary first, then its clusters, pairs and articles, then failures.

Why this shape: the index is where a reader starts. The summary (files,
articles, pairs by relation, clusters, failures, differences per type) is
plain HTML and reads without the script. The three long tables are rendered
by ``index.js`` from data files (``index_data``), a page of rows at a time,
with search, filters and sorting on every column, so that an index of
100,000 articles stays a small page that opens fast.

Sections: ``index_report`` lays the page out as a list of sections; a new
section (coverage, say) is a function returning one ``<section>`` element,
added to ``_sections``.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from typing import Any

from lxml import etree

from dedup.model import EDIT_TYPES, Cluster
from dedup.report.html.chrome import TYPE_HELP, Child, h, page, plural, type_swatch
from dedup.report.html.index_data import IndexPair, data_files

__all__ = ["IndexPair", "index_files", "index_report"]

# Data tables: (section id, heading, columns as (key, label, tooltip)).
_CLUSTER_COLUMNS = (
    ("id", "cluster", "cluster id; click to list its pairs"),
    ("canonical", "canonical version", "the version the others are compared against"),
    ("title", "title", "title of the canonical version"),
    ("size", "versions", "number of printings in the cluster"),
    ("reason", "why canonical", ""),
)
_PAIR_COLUMNS = (
    ("n", "#", "scan order"),
    ("a", "A", ""),
    ("b", "B", ""),
    ("relation", "relation", "duplicate, partial or continuation"),
    ("cluster", "cluster", ""),
    ("similarity", "similarity", "2·matched / (|A| + |B|) on folded text"),
    ("containment", "containment", "share of the shorter inside the longer"),
    ("cer", "CER", "character error rate over the matched text"),
    *((t, t, TYPE_HELP[t][1]) for t in ("ocr", "inversion", "wording", "missing", "extra", "truncation")),
    ("minor", "minor", "whitespace + markup + punctuation + variant"),
    ("report", "report", ""),
)
_ARTICLE_COLUMNS = (
    ("id", "article", ""),
    ("kind", "kind", "story or page furniture"),
    ("title", "title", ""),
    ("lines", "lines", "first and last line in its file"),
    ("cluster", "cluster", ""),
)


def _muted(text: str) -> etree._Element:
    """A quiet paragraph that stands for an empty section."""
    return h("p", {"class": "muted"}, text)


def _stat_table(caption: str, rows: Sequence[tuple[Child, int]]) -> etree._Element:
    """A small two-column table of counts."""
    body = [h("tr", h("th", label), h("td", {"class": "num"}, str(n))) for label, n in rows]
    return h("table", {"class": "stats"}, h("caption", caption), h("tbody", body))


def _summary_section(
    stats: Mapping[str, int], pairs: Sequence[IndexPair], failures: int
) -> etree._Element:
    """What the scan read and found, in numbers: the first thing on the page."""
    relations: dict[str, int] = {}
    types: dict[str, int] = {t: 0 for t in EDIT_TYPES}
    with_type: dict[str, int] = {t: 0 for t in EDIT_TYPES}
    for p in pairs:
        relations[p.relation] = relations.get(p.relation, 0) + 1
        for t, n in p.counts:
            types[t] = types.get(t, 0) + n
            with_type[t] = with_type.get(t, 0) + (1 if n else 0)
    totals = [
        ("files read", stats.get("documents", 0)),
        ("articles", stats.get("articles", 0)),
        ("pairs", len(pairs)),
        ("clusters", stats.get("clusters", 0)),
        ("files that failed", failures),
    ]
    if "candidates" in stats:
        totals.insert(3, ("candidates checked", stats["candidates"]))
    type_rows = h(
        "table",
        {"class": "stats types"},
        h("caption", "differences by type"),
        h("thead", h("tr", h("th", "type"), h("th", "differences"), h("th", "pairs with it"))),
        h(
            "tbody",
            [
                h(
                    "tr",
                    {"title": TYPE_HELP[t][1]},
                    h("th", type_swatch(t)),
                    h("td", {"class": "num"}, str(types[t])),
                    h("td", {"class": "num"}, str(with_type[t])),
                )
                for t in EDIT_TYPES
            ],
        ),
    )
    return h(
        "section",
        {"id": "summary", "class": "summary"},
        h("h2", "Summary"),
        h(
            "div",
            {"class": "stat-grid"},
            _stat_table("scan", totals),
            _stat_table("pairs by relation", sorted(relations.items()) or [("none", 0)]),
            type_rows,
        ),
    )


def _heads(columns: Sequence[tuple[str, str, str]]) -> etree._Element:
    """A table head whose every column the script sorts by (``data-key``)."""
    cells = [
        h("th", {"data-key": key, "title": tip} if tip else {"data-key": key}, label)
        for key, label, tip in columns
    ]
    return h("thead", h("tr", cells))


def _search(view: str, placeholder: str) -> etree._Element:
    """The search box of one table."""
    return h(
        "label",
        {"class": "search"},
        "search ",
        h("input", {"type": "search", "data-f": "q", "placeholder": placeholder, "id": f"{view}-q"}),
    )


def _pair_filters() -> list[Child]:
    """The pair table's filters: relation, difference types present, similarity range."""
    types = [
        h(
            "label",
            {"class": "tf", "title": f"only pairs with at least one {t} difference"},
            h("input", {"type": "checkbox", "data-f": "type", "value": t}),
            type_swatch(t),
        )
        for t in EDIT_TYPES
    ]
    rng = {"type": "number", "min": "0", "max": "1", "step": "0.01", "size": "4"}
    return [
        h(
            "label",
            "relation ",
            h("select", {"data-f": "relation", "id": "pairs-relation"}, h("option", {"value": ""}, "any")),
        ),
        h(
            "label",
            "similarity ",
            h("input", {**rng, "data-f": "smin", "id": "pairs-smin", "placeholder": "0"}),
            " to ",
            h("input", {**rng, "data-f": "smax", "id": "pairs-smax", "placeholder": "1"}),
        ),
        h("span", {"class": "types-filter"}, "with ", types),
    ]


def _data_section(
    view: str,
    heading: str,
    columns: Sequence[tuple[str, str, str]],
    placeholder: str,
    filters: Sequence[Child] = (),
) -> etree._Element:
    """A table the script fills from the data files: controls, head, empty body, pager."""
    return h(
        "section",
        {"id": view, "class": "data-view", "data-view": view},
        h("h2", heading),
        h(
            "div",
            {"class": "filters"},
            _search(view, placeholder),
            filters,
            h("button", {"type": "button", "data-f": "clear"}, "clear"),
            h("span", {"class": "shown", "id": f"{view}-shown", "aria-live": "polite"}),
        ),
        h(
            "noscript",
            _muted("This table is drawn by the page's script; scan.json and pairs.csv hold the same rows."),
        ),
        h("table", {"class": "rows", "id": f"{view}-table"}, _heads(columns), h("tbody")),
        h("div", {"class": "pager", "id": f"{view}-pager"}),
    )


def _failures_section(
    failures: Sequence[tuple[str, str]], warnings: Sequence[tuple[str, str]]
) -> etree._Element:
    """The files that could not be read and why, then the warnings of those that were."""
    rows = [h("tr", h("td", h("code", p)), h("td", e)) for p, e in failures]
    head = h("thead", h("tr", h("th", "file"), h("th", "error")))
    failures_part = (
        h("table", {"class": "failures"}, head, h("tbody", rows))
        if failures
        else _muted("Every file was read.")
    )
    warn_part = (
        h("ul", {"class": "warnings"}, [h("li", h("code", p), f": {w}") for p, w in warnings])
        if warnings
        else None
    )
    return h("section", {"id": "failures"}, h("h2", "Files that failed"), failures_part, warn_part)


def _header(line: str) -> etree._Element:
    """The page's title, the scan's summary line and links to the sections."""
    toc: list[Child] = []
    for href, label in (
        ("#summary", "summary"),
        ("#clusters", "clusters"),
        ("#pairs", "pairs"),
        ("#articles", "articles"),
        ("#failures", "failed files"),
    ):
        toc += [" · " if toc else None, h("a", {"href": href}, label)]
    return h("header", {"class": "top"}, h("h1", "dedup scan"), h("p", line), h("nav", {"class": "toc"}, toc))


def _sections(
    stats: Mapping[str, int],
    pairs: Sequence[IndexPair],
    failures: Sequence[tuple[str, str]],
    warnings: Sequence[tuple[str, str]],
) -> list[etree._Element]:
    """The index's sections in page order; each is one ``<section>`` with an id."""
    return [
        _summary_section(stats, pairs, len(failures)),
        # sections about the whole scan (coverage, ...) go here, after the summary
        _data_section("clusters", "Clusters", _CLUSTER_COLUMNS, "title or file"),
        _data_section("pairs", "Pairs", _PAIR_COLUMNS, "title or file", _pair_filters()),
        _data_section("articles", "Articles", _ARTICLE_COLUMNS, "title or file"),
        _failures_section(failures, warnings),
    ]


def index_files(
    *,
    documents: Sequence[Mapping[str, Any]],
    clusters: Sequence[Cluster],
    pairs: Sequence[IndexPair],
    failures: Sequence[tuple[str, str]],
    warnings: Sequence[tuple[str, str]] = (),
    stats: Mapping[str, int] | None = None,
) -> dict[str, bytes]:
    """The index of a scan: ``index.html`` and its data files, by name.

    ``documents`` are ``scan.json`` documents (path, encoding, articles);
    ``stats`` may give the scan's own totals (documents, articles,
    candidates). Pairs are listed in the order given (the scan's).
    """
    articles = sum(len(d.get("articles", [])) for d in documents)
    given = {"documents": len(documents), "articles": articles, "clusters": len(clusters)}
    given.update(stats or {})
    data = data_files(documents, clusters, pairs)
    line = (
        f"{given['documents']} {plural(given['documents'], 'file')}, {given['articles']} "
        f"{plural(given['articles'], 'article')}, {len(pairs)} {plural(len(pairs), 'pair')} "
        f"in {len(clusters)} {plural(len(clusters), 'cluster')}"
        + (f"; {len(failures)} {plural(len(failures), 'file')} failed" if failures else "")
    )
    html = page(
        "dedup scan: index",
        "index",
        _header(line),
        h("main", _sections(given, pairs, failures, warnings)),
        scripts=list(data),
        inline=("index.js",),
    )
    return {"index.html": html, **data}


def index_report(**kwargs: Any) -> bytes:
    """``index.html`` alone (see ``index_files``; its data files are not returned)."""
    return index_files(**kwargs)["index.html"]
