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

Version 3 decides which commonly held values count by a nested rule
(``dedup.candidates.counted``: a value's fixed fraction against
``FULL_DF / holders``, where version 2 took ``value % holders``). The stored
sketches stay; the candidates are recomputed from them, the pairs that came or
went verified or dropped, and what they reach relinked, reclustered and
compared, as an ``add`` would.

Version 4 keeps the scan's treatment of an article holding two stories
(``dedup.archive.stories``): new tables ``cuts``, ``splits`` and
``dropped``. The migration finds the splits over the stored pairs, reads the
split documents again with their cuts, and reclusters on the pairs kept, as
the ``add`` that ends in the same files would.

Version 5 stores with each candidate how many counted values its two
articles share (``candidates.common``): an ``add`` then settles a candidate
reached by a value that stopped counting from that count, without reading
sketches. The migration counts it for every stored candidate. Earlier
migrations, which run the current code, lay the column out first.

Version 6 keeps the articles whose matched regions form two parts in
``parted``, brought up to date for the articles whose pairs a change touched,
so that an ``add`` learns whether ``separate_stories`` can find a split
without reading every stored pair; and ``articles_title`` lists only heads
and continuation pieces, the only articles looked up by title. The migration
fills ``parted`` from every pair and builds the index again. Earlier
migrations that settle stories fill ``parted`` first.

Version 7 keeps the values of the articles added since the last merge as
sorted runs, one blob per change (``recent_runs``, ``dedup.archive.recent``),
where versions 4 to 6 kept them as rows of a table ``recent_keys`` read
through the view ``all_keys``. The migration moves those rows into one run
and drops the table and the view; every earlier migration, which runs the
current code, does that first (``layout``).
"""

from __future__ import annotations

import sqlite3
import tempfile
from functools import partial
from pathlib import Path

import numpy as np

from dedup.archive import links, recent, rule, stories
from dedup.archive.codec import options_from, spill
from dedup.archive.ingest import add_found, reread
from dedup.archive.recent import MERGED
from dedup.archive.schema import MIGRATIONS, PIECES, ArchiveError, later_tables
from dedup.archive.update import (
    Change,
    add_candidates,
    compare_new,
    drop_candidates,
    recluster,
    recounted,
    relink,
)
from dedup.candidates import sketch_pairs

TABLES = ("comparisons", "pairs", "candidates", "band_keys", "recent_runs", "parted", "clusters", "articles", "documents")
FETCH = 100_000  # rows of an old ``recent_keys`` read at a time


def layout(db: sqlite3.Connection) -> None:
    """Lay out the current tables (``later_tables``), with the rows of a version 4–6 ``recent_keys`` moved into one run."""
    kind = db.execute("SELECT type FROM sqlite_master WHERE name = 'recent_keys'").fetchone()
    later_tables(db)
    if kind is None or kind[0] != "table":
        return
    parts = [np.zeros(0, dtype=np.int64)]
    cur = db.execute("SELECT code << 31 | article FROM recent_keys")
    while rows := cur.fetchmany(FETCH):
        parts.append(np.array([x for (x,) in rows], dtype=np.int64))
    db.execute("DROP VIEW IF EXISTS all_keys")
    db.execute("DROP TABLE recent_keys")
    recent.write_run(db, np.sort(np.concatenate(parts)))


def counts_column(db: sqlite3.Connection) -> None:
    """Give ``candidates`` its ``common`` column (version 5), counted for every candidate, unless it has one."""
    if "common" not in {str(r[1]) for r in db.execute("PRAGMA table_info(candidates)")}:
        db.execute("ALTER TABLE candidates ADD COLUMN common INTEGER NOT NULL DEFAULT 0")
        count_all(db)


def count_all(db: sqlite3.Connection) -> None:
    """Count again, from the stored sketches, how many counted values every candidate shares."""
    pairs, _, now = rule.counts_again(db)
    recounted(db, pairs, now)


def to_version_2(db: sqlite3.Connection) -> None:
    """Recompute every article's sketch, the candidates, pairs, clusters and comparisons from the stored bytes.

    Runs inside the transaction ``schema.connect`` opened for the migration
    (with version 4's tables laid out first: the current ``add`` fills them).

    Raises:
        ArchiveError: a document's bytes are not stored, so the archive must be rebuilt.
    """
    layout(db)
    counts_column(db)
    row = db.execute("SELECT value FROM meta WHERE key = 'options'").fetchone()
    docs = db.execute("SELECT path, content FROM documents ORDER BY id").fetchall()
    if row is None or not docs:
        db.execute("DELETE FROM band_keys")
        db.execute("DELETE FROM recent_runs")
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
            found.append((spill(Path(scratch), k, str(name), content), str(name), str(root)))
        add_found(db, found, options_from(row[0]))


def to_version_3(db: sqlite3.Connection) -> None:
    """Recompute the candidates from the stored sketches by the nested rule; settle what changed.

    Runs inside the transaction ``schema.connect`` opened for the migration
    (with version 4's tables laid out first: reclustering reads ``dropped``).
    """
    layout(db)
    counts_column(db)
    row = db.execute("SELECT value FROM meta WHERE key = 'options'").fetchone()
    if row is None:
        return
    options = options_from(row[0])
    stored = db.execute("SELECT id, codes FROM articles ORDER BY id").fetchall()
    ids = np.array([int(i) for i, _ in stored], dtype=np.int64)
    found = sketch_pairs([np.frombuffer(blob, dtype="<i8").astype(np.uint32) for _, blob in stored])
    now = links.unique(ids[found[:, 0]] << 32 | ids[found[:, 1]]) if len(found) else np.zeros(0, dtype=np.int64)
    had = links.unique(np.array([a << 32 | b for a, b in db.execute("SELECT a, b FROM candidates")], dtype=np.int64))
    change = Change()
    new = now[~rule.member(had, now)]
    add_candidates(db, new, np.zeros(len(new), dtype=np.int64), options, change)  # counted below
    drop_candidates(db, rule.as_pairs(had[~rule.member(now, had)]), change)
    count_all(db)  # the new candidates, and those that stay: the new rule counts their values otherwise
    relink(db, change)
    recluster(db, change)
    compare_new(db, change, options)


def to_version_4(db: sqlite3.Connection) -> None:
    """Lay out the recent values, ``cuts``, ``splits`` and ``dropped``; cut the split articles and recluster as an ``add`` would.

    Runs inside the transaction ``schema.connect`` opened for the migration.
    """
    layout(db)
    counts_column(db)
    if db.execute("SELECT 1 FROM recent_runs LIMIT 1").fetchone() is None:  # every value is in band_keys
        top = db.execute("SELECT coalesce(max(id), 0) FROM articles").fetchone()[0]
        db.execute("INSERT OR IGNORE INTO meta(key, value) VALUES (?, ?)", (MERGED, str(top)))
    stories.fill_parted(db)
    row = db.execute("SELECT value FROM meta WHERE key = 'options'").fetchone()
    if row is None:
        return
    options = options_from(row[0])
    change = Change()
    stories.settle_stories(db, change, partial(reread, options=options))
    recluster(db, change)
    compare_new(db, change, stories.with_cuts(db, options))


def to_version_5(db: sqlite3.Connection) -> None:
    """Count, for every candidate, the counted values its articles share (``candidates.common``).

    Runs inside the transaction ``schema.connect`` opened for the migration.
    """
    layout(db)
    counts_column(db)


def to_version_6(db: sqlite3.Connection) -> None:
    """Fill ``parted`` from every stored pair; list only heads and continuation pieces in ``articles_title``.

    Runs inside the transaction ``schema.connect`` opened for the migration.
    """
    layout(db)
    stories.fill_parted(db)
    db.execute("DROP INDEX IF EXISTS articles_title")
    db.execute(f"CREATE INDEX articles_title ON articles(title) WHERE {PIECES}")


MIGRATIONS[1] = to_version_2
MIGRATIONS[2] = to_version_3
MIGRATIONS[3] = to_version_4
MIGRATIONS[4] = to_version_5
MIGRATIONS[5] = to_version_6


def to_version_7(db: sqlite3.Connection) -> None:
    """Move the recent values of ``recent_keys`` into one run of ``recent_runs``; drop the table and ``all_keys``.

    Runs inside the transaction ``schema.connect`` opened for the migration.
    """
    layout(db)


MIGRATIONS[6] = to_version_7
