"""Gather what the HTML reports show and write them: a scan's index and pair reports, a compare page.

Why a separate module: ``html.py`` only turns data into pages; this module
reads the documents' texts again (a scan keeps only offsets and JSON), checks
that they still hold what the scan saw, and decides file names.

Note that pair reports are written under ``DIR/pairs/`` with names from
``html.report_name`` (ASCII slug + SHA-1 prefix of the pair's ids), and that
``DIR/index.html`` links to them relatively, so the folder can be moved or
zipped as a whole.
"""

from __future__ import annotations

import os
from collections import OrderedDict
from collections.abc import Mapping
from pathlib import Path
from typing import Any

from dedup.align import Block
from dedup.compare import Comparison, Metrics, compare, pair_articles
from dedup.diff import Edit
from dedup.errors import ReadError
from dedup.ingest import read
from dedup.match import relation, verify
from dedup.model import Article, Document, Match, Options
from dedup.normalize import key_text
from dedup.report.html import (
    IndexPair,
    PairInput,
    index_report,
    pages_report,
    pair_report,
    report_name,
)
from dedup.scanresult import ScanResult
from dedup.segment import split
from dedup.stages import article_text, profile

PAIRS_DIR = "pairs"
_CACHE = 32  # documents kept in memory while writing a scan's reports


def comparison_from_json(a: str, b: str, data: Mapping[str, Any]) -> Comparison:
    """A Comparison back from its JSON fields (``compare.comparison_json``, a/b apart).

    Raises:
        ValueError, KeyError, TypeError: the data does not follow the contract.
    """
    m = data["metrics"]
    counts = m["counts"]
    return Comparison(
        a=a,
        b=b,
        title=str(data.get("title", "")),
        alignment=tuple(
            Block(tuple(x["a"]), tuple(x["b"]), x["kind"], float(x["score"])) for x in data["alignment"]
        ),
        edits=tuple(
            Edit(
                type=e["type"],
                reason=str(e["reason"]),
                a=(int(e["a"][0]), int(e["a"][1])),
                b=(int(e["b"][0]), int(e["b"][1])),
                a_text=str(e["a_text"]),
                b_text=str(e["b_text"]),
                block=int(e["block"]),
            )
            for e in data["edits"]
        ),
        metrics=Metrics(
            similarity=float(m["similarity"]),
            cer=float(m["cer"]),
            coverage_a=float(m["coverage_a"]),
            coverage_b=float(m["coverage_b"]),
            counts=tuple((str(t), int(n)) for t, n in counts.items()),
        ),
    )


def fits(c: Comparison, x: Article, text_a: str, y: Article, text_b: str) -> bool:
    """True when the comparison's blocks and edits point at these articles' texts."""
    na, nb = len(x.paragraphs), len(y.paragraphs)
    for blk in c.alignment:
        if any(i >= na for i in blk.a) or any(j >= nb for j in blk.b):
            return False
    return all(
        text_a[e.a[0] : e.a[1]] == e.a_text and text_b[e.b[0] : e.b[1]] == e.b_text
        and -1 <= e.block < len(c.alignment)
        for e in c.edits
    )


class _Documents:
    """The scan's documents, read again on demand (a few kept in memory)."""

    def __init__(self, result: ScanResult) -> None:
        self.meta = {str(d["path"]): d for d in result.documents}
        self.sources = result.sources
        self.cache: OrderedDict[str, tuple[Document, tuple[Article, ...]] | None] = OrderedDict()

    def _load(self, name: str) -> tuple[Document, tuple[Article, ...]] | None:
        if name in self.cache:
            self.cache.move_to_end(name)
            return self.cache[name]
        meta, source = self.meta.get(name), self.sources.get(name)
        loaded: tuple[Document, tuple[Article, ...]] | None = None
        if meta is not None and source is not None:
            encoding = meta.get("encoding")
            try:
                doc = read(source, encoding=str(encoding) if encoding else None, name=name)
            except ReadError:
                doc = None
            if doc is not None:
                arts = tuple(split(doc))
                if _same_articles(arts, meta.get("articles", [])):
                    loaded = (doc, arts)
        self.cache[name] = loaded
        if len(self.cache) > _CACHE:
            self.cache.popitem(last=False)
        return loaded

    def article(self, article_id: str) -> tuple[Article, str] | None:
        """The article with this id and its document's text; None if unavailable or changed."""
        name, _, n = article_id.rpartition("#")
        loaded = self._load(name)
        if loaded is None or not n.isdigit() or not 1 <= int(n) <= len(loaded[1]):
            return None
        return loaded[1][int(n) - 1], loaded[0].text


def _same_articles(arts: tuple[Article, ...], meta: list[dict[str, Any]]) -> bool:
    if len(arts) != len(meta):
        return False
    for art, m in zip(arts, meta, strict=True):
        spans = [(p.start, p.end) for p in art.paragraphs]
        if art.id != m.get("id") or spans != [(p["start"], p["end"]) for p in m.get("paragraphs", [])]:
            return False
    return True


def _ordered(result: ScanResult) -> list[Match]:
    """The pairs grouped by cluster (clusters in order), scan order within a cluster."""
    cluster_of = {a: k for k, c in enumerate(result.clusters) for a in c.articles}
    n = len(result.clusters)
    return sorted(result.pairs, key=lambda m: cluster_of.get(m.a, n))


def write_scan_reports(result: ScanResult, out_dir: str | os.PathLike[str]) -> list[str]:
    """Write ``index.html`` and a report per compared pair into ``out_dir``.

    Pairs without a comparison (continuations, ``--no-compare``) and pairs
    whose files changed since the scan get no report; the index says why, and
    a changed or vanished file is added to ``result.warnings``.

    Returns:
        The files written, relative to ``out_dir`` (``index.html`` first).
    """
    out = Path(out_dir)
    docs = _Documents(result)
    cluster_of = {a: c for c in result.clusters for a in c.articles}
    rows: list[IndexPair] = []
    written: list[str] = []
    stale: set[str] = set()
    for m in _ordered(result):
        data = result.comparisons.get((m.a, m.b))
        cl = cluster_of.get(m.a)
        report, note = "", ""
        comparison: Comparison | None = None
        if data is None:
            note = "continuation: no shared text" if m.relation == "continuation" else "not compared"
        else:
            comparison = comparison_from_json(m.a, m.b, data)
            side_a, side_b = docs.article(m.a), docs.article(m.b)
            if side_a is None or side_b is None or not fits(comparison, side_a[0], side_a[1], side_b[0], side_b[1]):
                note = "no report: the file changed or cannot be read again"
                stale.update(x.rpartition("#")[0] for x in (m.a, m.b))
            else:
                name = report_name(m.a, m.b)
                page = pair_report(
                    PairInput(
                        comparison=comparison,
                        article_a=side_a[0],
                        article_b=side_b[0],
                        text_a=side_a[1],
                        text_b=side_b[1],
                        relation=m.relation,
                        containment=m.containment,
                        cluster=cl.id if cl else "",
                        canonical=cl.canonical if cl else "",
                    ),
                    index_href="../index.html",
                )
                (out / PAIRS_DIR).mkdir(parents=True, exist_ok=True)
                (out / PAIRS_DIR / name).write_bytes(page)
                report = f"{PAIRS_DIR}/{name}"
                written.append(report)
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
                cer=comparison.metrics.cer if comparison else None,
                counts=comparison.metrics.counts if comparison else (),
            )
        )
    for path in sorted(stale):
        result.warnings.append((path, "changed or unreadable since the scan; no HTML report for its pairs"))
    index = index_report(
        documents=sorted(result.documents, key=lambda d: str(d["path"])),
        clusters=result.clusters,
        pairs=rows,
        failures=sorted(result.failures),
        warnings=result.warnings,
        stats={
            "documents": len(result.documents),
            "articles": result.articles,
            "candidates": result.candidates,
        },
    )
    out.mkdir(parents=True, exist_ok=True)
    (out / "index.html").write_bytes(index)
    return ["index.html", *written]


def _facts(x: Article, y: Article, options: Options) -> tuple[str, float]:
    """The scan's relation and containment for two paired articles."""
    kx = key_text(article_text(x), traditional=options.traditional)
    ky = key_text(article_text(y), traditional=options.traditional)
    similarity, containment = verify(kx, ky)
    rel = relation(similarity, containment, profile(x, kx), profile(y, ky), options)
    return rel or "", containment


def compare_report(
    path_a: str | os.PathLike[str], path_b: str | os.PathLike[str], options: Options | None = None
) -> bytes:
    """Compare two page files and render every article pair into one HTML page.

    Raises:
        ReadError: a file is missing, unreadable, binary or undecodable.
    """
    opts = options or Options()
    doc_a = read(path_a, encoding=opts.encoding)
    doc_b = read(path_b, encoding=opts.encoding)
    arts_a, arts_b = split(doc_a), split(doc_b)
    paired = pair_articles(arts_a, arts_b, opts)
    pairs = []
    for x, y in paired:
        rel, containment = _facts(x, y, opts)
        pairs.append(
            PairInput(
                comparison=compare(x, y, options=opts, text_a=doc_a.text, text_b=doc_b.text),
                article_a=x,
                article_b=y,
                text_a=doc_a.text,
                text_b=doc_b.text,
                relation=rel,
                containment=containment,
            )
        )
    done_a = {x.id for x, _ in paired}
    done_b = {y.id for _, y in paired}
    return pages_report(
        pairs,
        a=doc_a.path,
        b=doc_b.path,
        unpaired_a=[(x.id, x.title) for x in arts_a if x.kind != "furniture" and x.id not in done_a],
        unpaired_b=[(y.id, y.title) for y in arts_b if y.kind != "furniture" and y.id not in done_b],
    )
