"""The result of a scan and its JSON and CSV forms (``scan.json`` is a contract)."""

from __future__ import annotations

import csv
import io
from dataclasses import dataclass, field
from typing import Any

from dedup import jsonio
from dedup.model import Cluster, Match

SCAN_VERSION = 1


@dataclass
class ScanResult:
    """Documents with their articles, verified pairs, clusters, and failed files."""

    documents: list[dict[str, Any]]
    pairs: list[Match]
    clusters: list[Cluster]
    failures: list[tuple[str, str]] = field(default_factory=list)
    warnings: list[tuple[str, str]] = field(default_factory=list)
    candidates: int = 0
    articles: int = 0
    comparisons: dict[tuple[str, str], dict[str, Any]] = field(default_factory=dict)
    # where each document was read from (name -> file), for reports that show its
    # text again; not part of scan.json (local paths would make it machine-bound)
    sources: dict[str, str] = field(default_factory=dict)

    @property
    def return_code(self) -> int:
        """1 when any file failed, else 0."""
        return 1 if self.failures else 0


def pair_json(m: Match, comparison: dict[str, Any] | None = None) -> dict[str, Any]:
    """One entry of ``pairs``; the comparison's fields are added when present."""
    out: dict[str, Any] = {
        "a": m.a,
        "b": m.b,
        "similarity": m.similarity,
        "containment": m.containment,
        "relation": m.relation,
    }
    if comparison:
        for key, value in comparison.items():
            out.setdefault(key, value)
    return out


def scan_json(result: ScanResult) -> str:
    """``scan.json``: documents, clusters, pairs and failures, keys sorted.

    Fields: ``version``; ``documents`` (path, encoding, format, articles with
    id ``relative/path#n``, kind, title, kicker, deck, byline, start/end,
    first_line/last_line, jump, continued_from, paragraphs [kind, start, end]);
    ``clusters`` (id, articles, canonical, reason); ``pairs`` (a, b,
    similarity, containment, relation, and the comparison when computed);
    ``failures`` (path, error); ``stats``.
    """
    data = {
        "version": SCAN_VERSION,
        "documents": sorted(result.documents, key=lambda d: str(d["path"])),
        "clusters": [
            {"id": c.id, "articles": list(c.articles), "canonical": c.canonical, "reason": c.reason}
            for c in result.clusters
        ],
        "pairs": [pair_json(m, result.comparisons.get((m.a, m.b))) for m in result.pairs],
        "failures": [{"path": p, "error": e} for p, e in sorted(result.failures)],
        "stats": {
            "documents": len(result.documents),
            "articles": result.articles,
            "candidates": result.candidates,
            "pairs": len(result.pairs),
            "clusters": len(result.clusters),
        },
    }
    return jsonio.dumps(data)


def pairs_csv(result: ScanResult) -> str:
    """The pairs as CSV: a, b, similarity, containment, relation, cluster."""
    cluster_of = {a: c.id for c in result.clusters for a in c.articles}
    buf = io.StringIO()
    writer = csv.writer(buf, lineterminator="\n")
    writer.writerow(["a", "b", "similarity", "containment", "relation", "cluster"])
    for m in result.pairs:
        writer.writerow(
            [m.a, m.b, f"{m.similarity:.4f}", f"{m.containment:.4f}", m.relation, cluster_of.get(m.a, "")]
        )
    return buf.getvalue()
