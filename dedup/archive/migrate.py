"""Migrations of older archives to the current schema (``schema.MIGRATIONS``).

Version 1 stored, in ``band_keys`` and ``articles.codes``, the LSH band codes
of each article's chunk signatures, and its candidates were the pairs sharing
a small bucket. Version 2 stores each article's sketch (sampled shingle
values) and pairs by ``dedup.candidates``' document-frequency rule, so no
stored column of version 1 can be converted: every document is read again
from its stored bytes (``documents.content``) and added afresh, as one
``add`` of all of them would add it, which gives exactly what a scan of the
same files gives now. An archive whose bytes are missing cannot be rebuilt
that way and is refused with an error saying so.
"""

from __future__ import annotations

import sqlite3
import tempfile
import zlib
from pathlib import Path, PurePosixPath

from dedup.archive.codec import options_from
from dedup.archive.ingest import add_found
from dedup.archive.schema import MIGRATIONS, ArchiveError

TABLES = ("comparisons", "pairs", "candidates", "band_keys", "clusters", "articles", "documents")


def to_version_2(db: sqlite3.Connection) -> None:
    """Recompute every article's sketch, the candidates, pairs, clusters and comparisons from the stored bytes.

    Runs inside the transaction ``schema.connect`` opened for the migration.

    Raises:
        ArchiveError: a document's bytes are not stored, so the archive must be rebuilt.
    """
    row = db.execute("SELECT value FROM meta WHERE key = 'options'").fetchone()
    docs = db.execute("SELECT path, content FROM documents ORDER BY id").fetchall()
    if row is None or not docs:
        db.execute("DELETE FROM band_keys")
        return
    if any(content is None for _, content in docs):
        raise ArchiveError(
            "archive schema version 1 cannot be migrated (a document's bytes are not stored): "
            "rebuild it with dedup archive add"
        )
    (root,) = db.execute("SELECT root FROM roots ORDER BY position LIMIT 1").fetchone()
    for table in TABLES:
        db.execute(f"DELETE FROM {table}")
    with tempfile.TemporaryDirectory(prefix="dedup-migrate-") as scratch:
        found = []
        for k, (name, content) in enumerate(docs):
            file = Path(scratch) / str(k) / PurePosixPath(name).name
            file.parent.mkdir()
            file.write_bytes(zlib.decompress(content))
            found.append((str(file), str(name), str(root)))
        add_found(db, found, options_from(row[0]))


MIGRATIONS[1] = to_version_2
