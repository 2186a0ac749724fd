"""Gather what the HTML reports show and write them: a scan's index and pair reports, a compare page.

Why a separate module: ``dedup.report.html`` only turns data into pages; this
module decides which pages there are and their file names. Every page renders
a comparison computed once, by the scan or by ``compare``, from the texts that
computation saw (``ExplainedPair``): no file is read again.

Note that pair reports are written under ``DIR/pairs/`` with names from
``html.report_name`` (ASCII slug + SHA-1 prefix of the pair's ids), and that
``DIR/index.html`` links to them relatively, so the folder can be moved or
zipped as a whole.
"""

from __future__ import annotations

import json
import os
from dataclasses import replace
from pathlib import Path

from dedup.coverage import coverage
from dedup.model import (
    Article,
    ArticleRef,
    ArticleText,
    Comparison,
    ExplainedPair,
    Match,
    PageComparison,
    SourceSpan,
)
from dedup.model.scan import ScanResult
from dedup.report.html import (
    IndexPair,
    PairInput,
    index_files,
    pages_report,
    pair_report,
    report_name,
)
from dedup.report.html.coverage import Collections, PairSources
from dedup.report.json import document_json, options_json, scan_json
from dedup.report.json_read import scan_from_json

PAIRS_DIR = "pairs"


def _write(path: Path, data: bytes) -> None:
    """Write ``data`` to ``path`` atomically: a reader sees the old file or the new one."""
    tmp = path.with_name(path.name + ".tmp")
    tmp.write_bytes(data)
    os.replace(tmp, path)


def _rebased(side: ArticleText) -> Article:
    """The article with offsets counted from its own start (its text is ``side.text``)."""
    art, off = side.article, side.article.start
    return replace(
        art,
        start=0,
        end=art.end - off,
        paragraphs=tuple(replace(p, start=p.start - off, end=p.end - off) for p in art.paragraphs),
    )


def _shifted(c: Comparison, off_a: int, off_b: int) -> Comparison:
    """The comparison with its edits' offsets moved back by each article's start."""
    edits = tuple(
        replace(e, a=(e.a[0] - off_a, e.a[1] - off_a), b=(e.b[0] - off_b, e.b[1] - off_b))
        for e in c.edits
    )
    return replace(c, edits=edits)


def pair_input(pair: ExplainedPair, cluster: str = "", canonical: str = "") -> PairInput:
    """What a pair report shows of one explained pair.

    The articles are rebased onto their own texts, so a report holds the two
    articles' characters, not their whole pages.
    """
    return PairInput(
        comparison=_shifted(pair.comparison, pair.a.article.start, pair.b.article.start),
        article_a=_rebased(pair.a),
        article_b=_rebased(pair.b),
        text_a=pair.a.text,
        text_b=pair.b.text,
        relation=pair.relation,
        containment=pair.containment,
        cluster=cluster,
        canonical=canonical,
        source_a=_rebased_source(pair.a),
        source_b=_rebased_source(pair.b),
    )


def _rebased_source(side: ArticleText) -> tuple[SourceSpan, ...]:
    """The article's source spans with offsets counted from the article's start."""
    off = side.article.start
    return tuple(replace(s, start=max(s.start - off, 0), end=max(s.end - off, 0)) for s in side.source)


class _Unpaired:
    """For a pair's two files: the articles of one that have no partner in the other."""

    def __init__(self, result: ScanResult) -> None:
        self.articles = {d.path: [(a.id, a.title) for a in d.articles] for d in result.documents}
        self.path = {a.id: d.path for d in result.documents for a in d.articles}
        self.partners: dict[str, set[str]] = {}
        for m in result.pairs:
            self.partners.setdefault(m.a, set()).add(self.path.get(m.b, ""))
            self.partners.setdefault(m.b, set()).add(self.path.get(m.a, ""))

    def side(self, x: str, y: str) -> list[tuple[str, str]]:
        """``(id, title)`` of the articles of ``x``'s file with no partner in ``y``'s file."""
        fx, fy = self.path.get(x), self.path.get(y)
        if fx is None or fy is None or fx == fy:
            return []
        return [(i, t) for i, t in self.articles[fx] if fy not in self.partners.get(i, set())]


def _ordered(result: ScanResult) -> list[Match]:
    """The pairs grouped by cluster (clusters in order), scan order within a cluster."""
    cluster_of = {a: k for k, c in enumerate(result.clusters) for a in c.articles}
    n = len(result.clusters)
    return sorted(result.pairs, key=lambda m: cluster_of.get(m.a, n))


def write_scan_reports(result: ScanResult, out_dir: str | os.PathLike[str]) -> list[str]:
    """Write ``index.html`` and a report per compared pair into ``out_dir``.

    Pairs without a comparison (continuations, ``--no-compare``) get no
    report; the index says why. The pages render the result as ``scan.json``
    records it (``shown``), so that ``dedup report`` rebuilds them byte for byte.

    Returns:
        The files written, relative to ``out_dir`` (``index.html`` first).
    """
    out = Path(out_dir)
    result = shown(result)
    unpaired = _Unpaired(result)
    info = collections(result)
    links = {
        name: (href if "://" in href else "../" + href, path)
        for name, (href, path) in info.hrefs.items()
        if href
    }
    cluster_of = {a: c for c in result.clusters for a in c.articles}
    rows: list[IndexPair] = []
    written: list[str] = []
    for m in _ordered(result):
        explained = result.comparisons.get((m.a, m.b))
        cl = cluster_of.get(m.a)
        report, note = "", ""
        if explained is None:
            note = "continuation: no shared text" if m.relation == "continuation" else "not compared"
        else:
            name = report_name(m.a, m.b)
            shown_pair = pair_input(
                replace(explained, relation=m.relation, containment=m.containment),
                cl.id if cl else "",
                cl.canonical if cl else "",
            )
            shown_pair = replace(shown_pair, link_a=_link(links, m.a), link_b=_link(links, m.b))
            page = pair_report(
                shown_pair,
                index_href="../index.html",
                unpaired_a=unpaired.side(m.a, m.b),
                unpaired_b=unpaired.side(m.b, m.a),
            )
            (out / PAIRS_DIR).mkdir(parents=True, exist_ok=True)
            _write(out / PAIRS_DIR / name, page)
            report = f"{PAIRS_DIR}/{name}"
            written.append(report)
        metrics = explained.comparison.metrics if explained else None
        rows.append(
            IndexPair(
                a=m.a,
                b=m.b,
                similarity=m.similarity,
                containment=m.containment,
                relation=m.relation,
                cluster=cl.id if cl else "",
                report=report,
                note=note,
                cer=metrics.cer if metrics else None,
                counts=metrics.counts if metrics else (),
            )
        )
    index = index_files(
        documents=[document_json(d) for d in sorted(result.documents, key=lambda d: d.path)],
        clusters=result.clusters,
        pairs=rows,
        failures=sorted(result.failures),
        warnings=result.warnings,
        stats={
            "documents": len(result.documents),
            "articles": result.articles,
            "candidates": result.candidates,
        },
        collections=info,
    )
    out.mkdir(parents=True, exist_ok=True)
    for name, data in index.items():
        _write(out / name, data)
    return [*index, *written]


def shown(result: ScanResult) -> ScanResult:
    """The result as ``scan.json`` records it (floats rounded): what the reports render."""
    return scan_from_json(json.loads(scan_json(result)))


def _link(links: dict[str, tuple[str, str]], article_id: str) -> tuple[str, str]:
    return links.get(ArticleRef.parse(article_id).path, ("", ""))


def collections(result: ScanResult) -> Collections:
    """What the index shows of sides, pair sources and provenance."""
    from dedup import __version__

    hrefs = {i.name: (i.href, i.file) for i in result.inputs}
    lines = {a.id: f"lines {a.first_line}–{a.last_line}" for d in result.documents for a in d.articles}

    def source(article_id: str) -> tuple[str, str, str]:
        href, file = hrefs.get(ArticleRef.parse(article_id).path, ("", article_id))
        return href, file, lines.get(article_id, "")

    return Collections(
        tool=f"dedup {__version__}",
        options=options_json(result.options),
        roots=result.roots,
        inputs=result.inputs,
        sides=coverage(result),
        pairs=[PairSources(m.a, m.b, source(m.a), source(m.b)) for m in _ordered(result)],
        scanned_at=result.scanned_at,
        hrefs=hrefs,
    )


def compare_report(page: PageComparison) -> bytes:
    """Render two compared pages (``compare_files``) into one HTML page: every pair, the unpaired."""
    return pages_report(
        [pair_input(e) for e in page.explained],
        a=page.a,
        b=page.b,
        unpaired_a=[(x, page.title(x)) for x in page.unpaired_a],
        unpaired_b=[(y, page.title(y)) for y in page.unpaired_b],
    )
