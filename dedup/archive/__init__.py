"""An archive that grows: pages added to a SQLite index, paired with everything already held.

``add`` reads, splits and fingerprints only new or changed files and finds
their pairs through the stored sampled values; ``query`` says what a page reprints
without adding it; ``result`` gives back what a scan of the archive's files
gives. The schema is in ``dedup.archive.schema`` and ``docs/archive.md``.
"""

from __future__ import annotations

from dedup.archive import migrate  # noqa: F401  (registers the schema migrations)
from dedup.archive.ingest import AddResult, add, remove
from dedup.archive.query import query
from dedup.archive.report import check, export_lines, result, stats
from dedup.archive.schema import SCHEMA_VERSION, ArchiveError, connect

__all__ = [
    "SCHEMA_VERSION",
    "AddResult",
    "ArchiveError",
    "add",
    "check",
    "connect",
    "export_lines",
    "query",
    "remove",
    "result",
    "stats",
]
