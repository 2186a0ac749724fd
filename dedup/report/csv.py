"""The pairs of a scan as CSV, for spreadsheets and pipelines."""

from __future__ import annotations

import csv
import io

from dedup.coverage import coverage
from dedup.model.scan import ScanResult


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


def unmatched_csv(result: ScanResult) -> str | None:
    """Per side, the articles with no counterpart (``dedup.coverage``); None without sides.

    Columns: side, id, file, first_line, last_line, characters, title.
    """
    sides = coverage(result)
    if not sides:
        return None
    buf = io.StringIO()
    writer = csv.writer(buf, lineterminator="\n")
    writer.writerow(["side", "id", "file", "first_line", "last_line", "characters", "title"])
    for s in sides:
        for u in s.unmatched:
            writer.writerow([s.side, u.id, u.file, u.first_line, u.last_line, u.characters, u.title])
    return buf.getvalue()
