"""The index of a scan: its clusters, its pairs with links to their reports, its files.

Why a page of its own: the pair reports are many files; the index is where a
reader starts, sees which printings were grouped and why one of each group is
canonical, sorts the pairs by any metric, and finds every article of every
file (and every file that could not be read).
"""

from __future__ import annotations

import hashlib
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from typing import Any

from lxml import etree

from dedup.model import MINOR_TYPES, Cluster
from dedup.report.html.chrome import TYPE_HELP, Child, h, lang, num, page, plural
from dedup.report.html.coverage import Collections, collection_sections


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


# The types the pair table gives a column each; the minor ones share one.
_INDEX_TYPES = ("ocr", "inversion", "wording", "missing", "extra", "truncation")
_FILE_COLUMNS = ("article", "kind", "title", "lines", "jumps", "cluster")


def _sort_th(label: str, kind: str = "num", tip: str = "") -> etree._Element:
    """A column heading the script sorts by (``data-sort`` names how)."""
    attrs = {"data-sort": kind}
    if tip:
        attrs["title"] = tip
    return h("th", attrs, label)


def _vtd(value: str, sort_value: str, cls: str = "num") -> etree._Element:
    """A cell showing ``value`` that sorts by ``sort_value`` (``data-v``)."""
    return h("td", {"class": cls, "data-v": sort_value}, value)


def _head(*labels: str) -> etree._Element:
    """A table head of plain column headings."""
    return h("thead", h("tr", [h("th", x) for x in labels]))


def _muted(text: str) -> etree._Element:
    """A quiet paragraph that stands for an empty section."""
    return h("p", {"class": "muted"}, text)


def _cluster_link(cluster: str) -> Child:
    """A link to a cluster's row, or nothing when the article is in none."""
    return h("a", {"href": f"#cluster-{cluster}"}, cluster) if cluster else ""


def _article_ref(article_id: str, titles: Mapping[str, str]) -> list[Child]:
    """An article's id, followed by its title when it has one."""
    title = titles.get(article_id, "")
    if not title:
        return [h("code", article_id)]
    return [h("code", article_id), " ", h("span", {"class": "t", "lang": lang(title)}, title)]


# ------------------------------------------------------------------ clusters


def _cluster_row(
    c: Cluster, reports: Sequence[IndexPair], titles: Mapping[str, str]
) -> etree._Element:
    """One cluster: its canonical version and why, every version, its pair reports."""
    versions = h(
        "ul",
        [
            h(
                "li",
                {"class": "canon-item"} if x == c.canonical else {},
                _article_ref(x, titles),
                h("span", {"class": "canon"}, " ★ canonical") if x == c.canonical else None,
            )
            for x in c.articles
        ],
    )
    links = h(
        "ul",
        [
            h(
                "li",
                h("a", {"href": p.report}, f"{p.a} ↔ {p.b}")
                if p.report
                else f"{p.a} ↔ {p.b} ({p.note})",
            )
            for p in reports
        ],
    )
    return h(
        "tr",
        {"id": f"cluster-{c.id}"},
        h("td", h("b", c.id)),
        h("td", _article_ref(c.canonical, titles)),
        h("td", c.reason),
        h("td", versions),
        h("td", links),
    )


def _clusters_section(
    clusters: Sequence[Cluster], pairs: Sequence[IndexPair], titles: Mapping[str, str]
) -> etree._Element:
    """The clusters table (or a note that there are none)."""
    reports_of: dict[str, list[IndexPair]] = {}
    for p in pairs:
        reports_of.setdefault(p.cluster, []).append(p)
    table = h(
        "table",
        {"class": "clusters"},
        _head("cluster", "canonical version", "why canonical", "versions", "pair reports"),
        h("tbody", [_cluster_row(c, reports_of.get(c.id, []), titles) for c in clusters]),
    )
    content = table if clusters else _muted("No duplicates found.")
    return h("section", {"id": "clusters"}, h("h2", "Clusters"), content)


# ------------------------------------------------------------------ pairs


def _pair_row(n: int, p: IndexPair, titles: Mapping[str, str]) -> etree._Element:
    """One pair: both articles, relation, cluster, metrics, counts and its report link.

    Cells without a value show ``–`` and sort as -1, below every real value.
    """
    counts = dict(p.counts)
    minor = sum(counts.get(t, 0) for t in MINOR_TYPES)
    link = (
        h("a", {"href": p.report}, "report") if p.report else h("span", {"class": "muted"}, p.note)
    )
    return h(
        "tr",
        _vtd(str(n), str(n)),
        h("td", _article_ref(p.a, titles)),
        h("td", _article_ref(p.b, titles)),
        h("td", p.relation),
        h("td", _cluster_link(p.cluster)),
        _vtd(num(p.similarity), num(p.similarity)),
        _vtd(num(p.containment), num(p.containment)),
        _vtd(num(p.cer) if p.cer is not None else "–", num(p.cer) if p.cer is not None else "-1"),
        [_vtd(str(counts[t]) if p.counts else "–", str(counts.get(t, -1))) for t in _INDEX_TYPES],
        _vtd(str(minor) if p.counts else "–", str(minor if p.counts else -1)),
        h("td", link),
    )


def _pairs_head() -> etree._Element:
    """The pair table's headings; the numeric ones sort."""
    return h(
        "thead",
        h(
            "tr",
            _sort_th("#", tip="scan order"),
            [h("th", x) for x in ("A", "B", "relation", "cluster")],
            _sort_th("similarity"),
            _sort_th("containment"),
            _sort_th("CER", tip="character error rate over the matched text"),
            [_sort_th(t, tip=TYPE_HELP[t][1]) for t in _INDEX_TYPES],
            _sort_th("minor", tip="whitespace + markup + punctuation + variant"),
            h("th", "report"),
        ),
    )


def _pairs_section(pairs: Sequence[IndexPair], titles: Mapping[str, str]) -> etree._Element:
    """The sortable pair table, in scan order (or a note that there are none)."""
    table = h(
        "table",
        {"class": "pairs sortable", "id": "pairs-table"},
        _pairs_head(),
        h("tbody", [_pair_row(n, p, titles) for n, p in enumerate(pairs, 1)]),
    )
    return h(
        "section",
        {"id": "pairs"},
        h("h2", "Pairs"),
        h(
            "p",
            {"class": "hint"},
            "In scan order (by cluster, then by article). Click a numeric column "
            "heading to sort by it; click again to reverse.",
        ),
        table if pairs else _muted("No pairs."),
    )


# ------------------------------------------------------------------ files


def _article_row(art: Mapping[str, Any], cluster_of: Mapping[str, str]) -> etree._Element:
    """One article of a file: number, kind, title, lines, jumps and its cluster."""
    jumps = []
    if art.get("jump"):
        jumps.append(f"continued on page {art['jump']}")
    if art.get("continued_from"):
        jumps.append(f"from page {art['continued_from']}")
    title = str(art.get("title", ""))
    return h(
        "tr",
        {"class": f"art k-{art.get('kind', 'story')}"},
        h("td", h("code", f"#{art.get('index', '')}")),
        h("td", str(art.get("kind", ""))),
        h("td", {"lang": lang(title)}, title or "–"),
        h("td", {"class": "nowrap"}, f"{art.get('first_line', '')}–{art.get('last_line', '')}"),
        h("td", "; ".join(jumps)),
        h("td", _cluster_link(cluster_of.get(str(art["id"]), ""))),
    )


def _file_body(doc: Mapping[str, Any], cluster_of: Mapping[str, str]) -> etree._Element:
    """One file: a heading row (path, encoding, article count), then its articles.

    The heading's id is a hash of the path, so it is stable and a valid fragment.
    """
    arts = list(doc.get("articles", []))
    path = str(doc["path"])
    head = h(
        "tr",
        {"class": "file"},
        h(
            "th",
            {"colspan": "6", "id": "file-" + hashlib.sha1(path.encode()).hexdigest()[:10]},
            h("code", path),
            f"  {doc.get('encoding', '')}, {len(arts)} {plural(len(arts), 'article')}",
        ),
    )
    rows = [_article_row(art, cluster_of) for art in arts]
    if not arts:
        rows.append(h("tr", h("td", {"colspan": "6", "class": "muted"}, "no articles")))
    return h("tbody", head, rows)


def _files_section(
    documents: Sequence[Mapping[str, Any]], clusters: Sequence[Cluster]
) -> etree._Element:
    """Every file read and every article found in it."""
    cluster_of = {a: c.id for c in clusters for a in c.articles}
    table = h(
        "table",
        {"class": "files"},
        _head(*_FILE_COLUMNS),
        [_file_body(doc, cluster_of) for doc in documents],
    )
    return h("section", {"id": "files"}, h("h2", "Files and articles"), table)


def _failures_section(
    failures: Sequence[tuple[str, str]], warnings: Sequence[tuple[str, str]]
) -> etree._Element:
    """The files that could not be read and why, then the warnings of those that were."""
    fail_rows = [h("tr", h("td", h("code", p)), h("td", e)) for p, e in failures]
    failures_part = (
        h("table", {"class": "failures"}, _head("file", "error"), h("tbody", fail_rows))
        if failures
        else _muted("Every file was read.")
    )
    warn_part = (
        h("ul", {"class": "warnings"}, [h("li", h("code", p), f": {w}") for p, w in warnings])
        if warnings
        else None
    )
    return h("section", {"id": "failures"}, h("h2", "Files that failed"), failures_part, warn_part)


# ------------------------------------------------------------------ page


def _header(summary: str) -> etree._Element:
    """The page's title, the scan's summary and links to the four sections."""
    toc: list[Child] = []
    for href, label in (
        ("#clusters", "clusters"),
        ("#pairs", "pairs"),
        ("#files", "files and articles"),
        ("#failures", "failed files"),
    ):
        toc += [" · " if toc else None, h("a", {"href": href}, label)]
    return h(
        "header",
        {"class": "top"},
        h("h1", "dedup scan"),
        h("p", summary),
        h("nav", {"class": "toc"}, toc),
    )


def _summary(
    documents: Sequence[Mapping[str, Any]],
    articles: int,
    clusters: int,
    pairs: int,
    failures: int,
    stats: Mapping[str, int],
) -> str:
    """One line on what the scan read and found; ``stats`` overrides the counted totals."""
    return (
        f"{stats.get('documents', len(documents))} files, {stats.get('articles', articles)} articles, "
        f"{pairs} pairs in {clusters} clusters"
        + (f" ({stats['candidates']} candidates checked)" if "candidates" in stats else "")
        + (f"; {failures} files failed" if failures else "")
    )


def index_report(
    *,
    documents: Sequence[Mapping[str, Any]],
    clusters: Sequence[Cluster],
    pairs: Sequence[IndexPair],
    failures: Sequence[tuple[str, str]],
    warnings: Sequence[tuple[str, str]] = (),
    stats: Mapping[str, int] | None = None,
    collections: Collections | None = None,
) -> bytes:
    """The index of a scan: clusters, pairs with links to their reports, files, failures.

    ``documents`` are ``scan.json`` documents (path, encoding, articles). The
    pair table opens in scan order (clusters in order, ids in order); the
    script sorts it by any numeric column. ``collections`` adds the sections of
    ``dedup.report.html.coverage`` (coverage by side, pair sources, provenance).
    """
    titles = {
        str(art["id"]): str(art.get("title", ""))
        for doc in documents
        for art in doc.get("articles", [])
    }
    summary = _summary(
        documents, len(titles), len(clusters), len(pairs), len(failures), dict(stats or {})
    )
    return page(
        "dedup scan: index",
        "index",
        _header(summary),
        h(
            "main",
            _clusters_section(clusters, pairs, titles),
            _pairs_section(pairs, titles),
            _files_section(documents, clusters),
            _failures_section(failures, warnings),
            collection_sections(collections),
        ),
    )
