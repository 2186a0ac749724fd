"""The archive's SQLite schema, its version, and how an archive file is opened.

Why a versioned schema: an archive outlives the code that wrote it. The
``meta`` table names the file as a dedup archive (``format``) and records
``schema_version``; opening an archive of an older version runs the
migrations in ``MIGRATIONS`` in order, inside one transaction, and an archive
newer than this code, a file of another application or a damaged file is
refused with one ``ArchiveError`` line. ``docs/archive.md`` describes every
table and column.
"""

from __future__ import annotations

import os
import sqlite3
from collections.abc import Callable
from pathlib import Path

FORMAT = "dedup-archive"
SCHEMA_VERSION = 7
CACHE_KIB = 131_072  # page cache: the value index is written at random places
BUSY_TIMEOUT_MS = 10_000  # a second writer waits this long for the first, then fails
PIECES = "(continuation = 1 OR jump != '')"  # heads and pieces: ``articles_title`` lists only these

TABLES = f"""
CREATE TABLE meta (key TEXT PRIMARY KEY, value TEXT NOT NULL);
CREATE TABLE roots (position INTEGER PRIMARY KEY, root TEXT NOT NULL UNIQUE);
CREATE TABLE documents (
    id INTEGER PRIMARY KEY,
    path TEXT NOT NULL UNIQUE,
    sha256 TEXT NOT NULL,
    error TEXT,
    empty INTEGER NOT NULL DEFAULT 0,
    articles INTEGER NOT NULL DEFAULT 0,
    summary TEXT,
    content BLOB
);
CREATE TABLE articles (
    id INTEGER PRIMARY KEY,
    document INTEGER NOT NULL REFERENCES documents(id),
    ref TEXT NOT NULL UNIQUE,
    key TEXT NOT NULL,
    cut INTEGER NOT NULL,
    continuation INTEGER NOT NULL,
    jump TEXT NOT NULL,
    title TEXT NOT NULL,
    rare REAL NOT NULL,
    codes BLOB NOT NULL,
    cluster INTEGER REFERENCES clusters(id)
);
CREATE INDEX articles_document ON articles(document);
CREATE INDEX articles_title ON articles(title) WHERE {PIECES};
CREATE INDEX articles_cluster ON articles(cluster);
CREATE TABLE band_keys (
    code INTEGER NOT NULL,
    article INTEGER NOT NULL,
    PRIMARY KEY (code, article)
) WITHOUT ROWID;
CREATE TABLE candidates (
    a INTEGER NOT NULL,
    b INTEGER NOT NULL,
    common INTEGER NOT NULL DEFAULT 0,
    PRIMARY KEY (a, b)
) WITHOUT ROWID;
CREATE INDEX candidates_b ON candidates(b);
CREATE TABLE pairs (
    a INTEGER NOT NULL,
    b INTEGER NOT NULL,
    relation TEXT NOT NULL,
    similarity REAL NOT NULL,
    containment REAL NOT NULL,
    a_start INTEGER NOT NULL DEFAULT 0,
    a_end INTEGER NOT NULL DEFAULT 0,
    b_start INTEGER NOT NULL DEFAULT 0,
    b_end INTEGER NOT NULL DEFAULT 0,
    PRIMARY KEY (a, b, relation)
) WITHOUT ROWID;
CREATE INDEX pairs_b ON pairs(b);
CREATE TABLE comparisons (
    a INTEGER NOT NULL,
    b INTEGER NOT NULL,
    comparison TEXT NOT NULL,
    text_a TEXT NOT NULL,
    text_b TEXT NOT NULL,
    PRIMARY KEY (a, b)
) WITHOUT ROWID;
CREATE INDEX comparisons_b ON comparisons(b);
CREATE TABLE clusters (
    id INTEGER PRIMARY KEY,
    canonical INTEGER NOT NULL,
    reason TEXT NOT NULL
);
"""

# the articles holding two stories (``dedup.archive.stories``), since version 4, the articles whose
# matched regions form two parts, since version 6, and the recent values as runs, since version 7:
# ``IF NOT EXISTS`` so that the migrations of older versions, which run the current code, lay them out first
LATER_TABLES = """
CREATE TABLE IF NOT EXISTS recent_runs (
    run INTEGER PRIMARY KEY,
    first INTEGER NOT NULL,
    last INTEGER NOT NULL,
    packed BLOB NOT NULL
);
CREATE TABLE IF NOT EXISTS cuts (
    document INTEGER NOT NULL,
    offset INTEGER NOT NULL,
    PRIMARY KEY (document, offset)
) WITHOUT ROWID;
CREATE TABLE IF NOT EXISTS splits (
    article TEXT PRIMARY KEY,
    document INTEGER NOT NULL,
    parts TEXT NOT NULL
);
CREATE TABLE IF NOT EXISTS dropped (
    a INTEGER NOT NULL,
    b INTEGER NOT NULL,
    PRIMARY KEY (a, b)
) WITHOUT ROWID;
CREATE TABLE IF NOT EXISTS parted (article INTEGER PRIMARY KEY);
"""

# MIGRATIONS[v] brings a version-v archive to version v + 1; ``dedup.archive.migrate`` registers them
MIGRATIONS: dict[int, Callable[[sqlite3.Connection], None]] = {}


class ArchiveError(Exception):
    """An archive that cannot be used: missing, foreign, damaged, locked, or of other options."""


def connect(path: str | os.PathLike[str], *, create: bool = False) -> sqlite3.Connection:
    """Open the archive at ``path`` (creating it when ``create``), checked and migrated.

    The connection is in autocommit mode (transactions are begun explicitly),
    in WAL journal mode so that readers work while a writer writes.

    Raises:
        ArchiveError: no such archive, not a dedup archive, damaged, or newer than this code.
    """
    file = Path(path)
    if not file.exists() and not create:
        raise ArchiveError(f"{file}: no such archive")
    fresh = not file.exists() or file.stat().st_size == 0
    try:
        db = sqlite3.connect(file, timeout=BUSY_TIMEOUT_MS / 1000, isolation_level=None)
        db.execute(f"PRAGMA busy_timeout = {BUSY_TIMEOUT_MS}")
        if fresh:
            _create(db)
        else:
            _check(db, file)
        db.execute("PRAGMA journal_mode = WAL")
        db.execute("PRAGMA synchronous = NORMAL")
        db.execute(f"PRAGMA cache_size = -{CACHE_KIB}")
    except sqlite3.DatabaseError as exc:
        raise ArchiveError(f"{file}: not a usable dedup archive ({exc})") from None
    return db


def _create(db: sqlite3.Connection) -> None:
    """Lay out a new archive's tables in one transaction."""
    db.execute("PRAGMA journal_mode = WAL")
    db.execute("BEGIN IMMEDIATE")
    for statement in (TABLES + LATER_TABLES).split(";"):
        if statement.strip():
            db.execute(statement)
    db.executemany(
        "INSERT INTO meta(key, value) VALUES (?, ?)",
        [("format", FORMAT), ("schema_version", str(SCHEMA_VERSION))],
    )
    db.execute("COMMIT")


def later_tables(db: sqlite3.Connection) -> None:
    """Lay out the tables of versions 4, 6 and 7 (articles holding two stories, ``parted``, recent runs), unless they are there."""
    for statement in LATER_TABLES.split(";"):
        if statement.strip():
            db.execute(statement)


def _check(db: sqlite3.Connection, file: Path) -> None:
    """Refuse a foreign or newer file; migrate an older archive."""
    tables = {r[0] for r in db.execute("SELECT name FROM sqlite_master WHERE type = 'table'")}
    meta = dict(db.execute("SELECT key, value FROM meta")) if "meta" in tables else {}
    if meta.get("format") != FORMAT:
        raise ArchiveError(f"{file}: not a dedup archive")
    version = int(meta.get("schema_version", "0"))
    if version > SCHEMA_VERSION:
        raise ArchiveError(
            f"{file}: archive schema version {version} is newer than this dedup ({SCHEMA_VERSION})"
        )
    if version < SCHEMA_VERSION:
        db.execute("BEGIN IMMEDIATE")
        try:
            for v in range(version, SCHEMA_VERSION):
                MIGRATIONS[v](db)
            db.execute("UPDATE meta SET value = ? WHERE key = 'schema_version'", (str(SCHEMA_VERSION),))
            db.execute("COMMIT")
        except BaseException as exc:
            db.execute("ROLLBACK")
            if isinstance(exc, ArchiveError):
                raise ArchiveError(f"{file}: {exc}") from None
            raise
