"""``add`` and ``remove``: change the archive's files in one transaction each.

A file is known by its path in the archive and the SHA-256 of its bytes: an
unchanged file costs one hash; a changed one is removed and added again.
Only new files are read, split and fingerprinted (``dedup.pages.process_file``,
the scan's own stage). Everything an ``add`` does happens inside one
``BEGIN IMMEDIATE`` … ``COMMIT``: killed at any point, the archive is as it
was, and running the same ``add`` again completes it. A second writer waits
``BUSY_TIMEOUT_MS`` for the first, then fails with ``ArchiveError``.

``DEDUP_ARCHIVE_KILL_AT`` (tests only) names a point of ``add`` (``read``,
``linked``, ``clustered``, ``compared``, ``commit``) where the process kills
itself with SIGKILL, to show that no point leaves a half-added file.
"""

from __future__ import annotations

import hashlib
import os
import signal
import sqlite3
import tempfile
import zlib
from collections.abc import Iterable, Iterator
from concurrent.futures import ProcessPoolExecutor
from contextlib import contextmanager
from dataclasses import dataclass, replace
from functools import partial
from pathlib import Path

import numpy as np
import numpy.typing as npt

from dedup.archive import links, recent, rule, stories
from dedup.archive.codec import codes_blob, dump, options_from, options_text, profile_row, spill
from dedup.archive.schema import ArchiveError, connect
from dedup.archive.update import (
    Change,
    Explainer,
    compare_new,
    processes,
    recluster,
    relink,
    settle,
)
from dedup.ingest import discover
from dedup.model import Options
from dedup.pages import FileResult, process_file
from dedup.report.json import document_json

KILL_AT = "DEDUP_ARCHIVE_KILL_AT"


@dataclass
class AddResult:
    """What an ``add`` did: files added, changed, unchanged, failed; articles and pairs added."""

    added: int = 0
    changed: int = 0
    unchanged: int = 0
    failures: tuple[tuple[str, str], ...] = ()  # (path, problem) of each file that failed
    failed: int = 0
    articles: int = 0
    pairs: int = 0


def checkpoint(name: str) -> None:
    """Kill this process here when ``DEDUP_ARCHIVE_KILL_AT`` names this point (tests)."""
    if os.environ.get(KILL_AT) == name:
        os.kill(os.getpid(), signal.SIGKILL)


def sha256(file: str | os.PathLike[str]) -> str:
    """The SHA-256 of a file's bytes, hex."""
    digest = hashlib.sha256()
    with open(file, "rb") as fh:
        for block in iter(lambda: fh.read(1 << 20), b""):
            digest.update(block)
    return digest.hexdigest()


def sources(paths: Iterable[str], base: str | None) -> Iterator[tuple[str, str, str]]:
    """``(file, name, root)`` of every page under ``paths``.

    Names are as a scan names them: relative to the folder given; with
    ``base``, relative to ``base`` (every path must lie inside it), so that
    files added in batches get the names a scan of ``base`` gives them.
    """
    if base is None:
        for given in paths:
            for file, name in discover([given]):
                yield str(file), name, Path(given).as_posix()
        return
    root = Path(base).resolve()
    for file, _ in discover(paths):
        try:
            name = file.resolve().relative_to(root).as_posix()
        except ValueError:
            raise ArchiveError(f"{file}: not inside --base {base}") from None
        yield str(file), name, Path(base).as_posix()


def begin(db: sqlite3.Connection, archive: str | os.PathLike[str], options: Options) -> None:
    """Take the archive's write lock and check (or record) its options."""
    try:
        db.execute("BEGIN IMMEDIATE")
    except sqlite3.OperationalError as exc:
        raise ArchiveError(f"{archive}: another add or remove is writing this archive ({exc})") from None
    row = db.execute("SELECT value FROM meta WHERE key = 'options'").fetchone()
    if row is None:
        db.execute("INSERT INTO meta(key, value) VALUES ('options', ?)", (options_text(options),))
    elif row[0] != options_text(options):
        db.execute("ROLLBACK")
        raise ArchiveError(f"{archive}: the archive was built with other options: {row[0]}")


@contextmanager
def writing(
    archive: str | os.PathLike[str], options: Options | None, *, create: bool = False
) -> Iterator[tuple[sqlite3.Connection, Options]]:
    """The archive in one write transaction, committed when the block ends, else rolled back.

    ``options`` None: the archive's own (an existing archive's).
    """
    db = connect(archive, create=create)
    try:
        if options is None:
            row = db.execute("SELECT value FROM meta WHERE key = 'options'").fetchone()
            options = options_from(row[0]) if row else Options()
        begin(db, archive, options)
        yield db, options
        checkpoint("commit")
        db.execute("COMMIT")
    except BaseException:
        if db.in_transaction:
            db.execute("ROLLBACK")
        raise
    finally:
        db.close()


def add(
    archive: str | os.PathLike[str], paths: Iterable[str], options: Options, *, base: str | None = None
) -> AddResult:
    """Add the pages under ``paths`` to the archive (created if missing), in one transaction.

    Raises:
        ArchiveError: the archive cannot be used, is locked, or was built with other options.
    """
    with writing(archive, options, create=True) as (db, _):
        return add_found(db, list(sources(paths, base)), options)


def add_found(db: sqlite3.Connection, found: list[tuple[str, str, str]], options: Options) -> AddResult:
    """The work of ``add`` inside its transaction, for the ``(file, name, root)`` of each page found."""
    result = AddResult()
    todo: list[tuple[str, str, str]] = []
    stale: list[int] = []
    for file, name, root in found:
        db.execute("INSERT OR IGNORE INTO roots(root) VALUES (?)", (root,))
        digest = sha256(file)
        row = db.execute("SELECT id, sha256 FROM documents WHERE path = ?", (name,)).fetchone()
        if row is not None and row[1] == digest:
            result.unchanged += 1
            continue
        if row is not None:
            stale.append(int(row[0]))
            result.changed += 1
        else:
            result.added += 1
        todo.append((file, name, digest))
    # the new pairs' comparisons begin as soon as they are verified, with the cuts known now
    with Explainer(options, stories.with_cuts(db, options) if options.compare_pairs else None) as explainer:
        change = Change(explainer=explainer)
        if stale:
            remove_documents(db, stale, options, change)
        before = db.execute("SELECT count(*) FROM pairs").fetchone()[0]
        store_new(db, todo, options, change, result)
        explainer.early = None  # pages read again with cuts are compared once they are settled
        checkpoint("linked")
        relink(db, change)
        stories.settle_stories(db, change, partial(reread, options=options))
        recluster(db, change)
        checkpoint("clustered")
        compare_new(db, change, stories.with_cuts(db, options))
        checkpoint("compared")
    result.pairs = db.execute("SELECT count(*) FROM pairs").fetchone()[0] - before
    return result


def store_new(
    db: sqlite3.Connection, todo: list[tuple[str, str, str]], options: Options, change: Change, result: AddResult
) -> None:
    """Read and store the ``(file, name, digest)`` pages, then settle the pairs their values reach."""
    first_new = int(db.execute("SELECT coalesce(max(id), 0) + 1 FROM articles").fetchone()[0])
    keys, earlier = links.Keys(), links.Earlier(change.removed)
    failures = []
    prepared = False
    with _readers(options.jobs, len(todo)) as pool:
        for (file, name, digest), page in zip(todo, _read(todo, options, pool), strict=True):
            store_document(db, name, digest, page, keys)
            if not prepared and change.explainer is not None and change.begins_early:
                change.explainer.prepare()  # while the reading processes read on
                prepared = True
            r = page.result
            change.files[name] = file
            result.articles += len(r.profiles)
            if r.error is not None:
                failures.append((r.path, r.error))
        # the reading processes look the values up in the archive as last committed, unless this
        # change has written values already (a page read again with its cuts)
        snapshot = _archive_file(db) if pool is not None and not change.keys_written else None
        if pool is not None and snapshot is not None:
            for found in _look_up(pool, snapshot, keys.values(), earlier.extra, options.jobs):
                earlier.take(found)
    result.failed, result.failures = result.failed + len(failures), result.failures + tuple(failures)
    if snapshot is None:  # looked up here, in one statement
        earlier.look_up(db, keys.values())

    def write() -> None:  # the new values, once the new articles' own pairs are found
        keys.write(db)
        change.keys_written = True
        recent.merge(db)
        checkpoint("read")

    settle(db, rule.affected(keys.touched_with(earlier), first_new), options, change, write, adding=True)
    new = db.execute("SELECT id FROM articles WHERE id >= ?", (first_new,))
    change.ends.update(int(i) for (i,) in new)


def reread(db: sqlite3.Connection, cuts: dict[int, tuple[int, ...]], change: Change, options: Options) -> None:
    """Read stored documents again from their bytes, each cut at its page offsets (none: as first read).

    The scan's second reading of a page found to hold two stories
    (``dedup.archive.stories``): the document is removed and stored afresh,
    its pairs settled and relinked, as a changed file would be.
    """
    rows = [db.execute("SELECT path, sha256, content FROM documents WHERE id = ?", (doc,)).fetchone() for doc in sorted(cuts)]
    at = dict(zip(sorted(cuts), (str(r[0]) for r in rows), strict=True))
    cut = tuple(sorted((at[doc], offset) for doc, offsets in cuts.items() for offset in offsets))
    with tempfile.TemporaryDirectory(prefix="dedup-recut-") as scratch:
        todo = []
        for k, (name, digest, content) in enumerate(rows):
            todo.append((spill(Path(scratch), k, str(name), content), str(name), str(digest)))
        names = set(at.values())  # pairs queued from the reading replaced are compared as read now
        change.compare[:] = [m for m in change.compare if not names & {m.a.rpartition("#")[0], m.b.rpartition("#")[0]}]
        remove_documents(db, sorted(cuts), options, change)
        store_new(db, todo, replace(options, cuts=cut), change, AddResult())
        for _, name, _ in todo:
            change.files.pop(name, None)  # the scratch copy goes; comparisons read the stored bytes
    relink(db, change)


def _archive_file(db: sqlite3.Connection) -> str | None:
    """The file of the archive open as ``db`` (None: in memory)."""
    for _, name, file in db.execute("PRAGMA database_list"):
        if name == "main":
            return str(file) or None
    return None


_SNAPSHOTS: dict[tuple[int, str], sqlite3.Connection] = {}  # a reading process's read-only connections


def _earlier(codes: npt.NDArray[np.int64], archive: str, extra: int) -> links.Holders:
    """The holders of ``codes`` in the archive as last committed (looked up in a reading process)."""
    key = (os.getpid(), archive)
    if key not in _SNAPSHOTS:
        _SNAPSHOTS[key] = sqlite3.connect(f"{Path(archive).as_uri()}?mode=ro", uri=True, isolation_level=None)
    return links.earlier_holders(_SNAPSHOTS[key], codes, extra)


def _look_up(
    pool: ProcessPoolExecutor, archive: str, values: npt.NDArray[np.int64], extra: int, jobs: int
) -> Iterator[links.Holders]:
    """The holders of ``values`` (sorted, each once), looked up in ``jobs`` ranges of them, one per reading process.

    Why ranges, once every page is read: a statement's lookups share the
    index's pages only when its values lie close together, and one page's
    values spread over the whole range. An add's 170k values cost 0.49 CPU
    seconds looked up in two halves of the range, 0.77 in one statement per
    16 pages as they were read.
    """
    parts = [part for part in np.array_split(values, jobs) if len(part)]
    yield from pool.map(partial(_earlier, archive=archive, extra=extra), parts)


def _read_one(item: tuple[str, str, str], options: Options) -> ReadPage:
    """``process_file`` of one ``(file, name, digest)``, with what its document row stores."""
    r = process_file(item[0], item[1], options)
    summary = dump(document_json(r.document)) if r.document is not None else None
    try:
        content: bytes | None = zlib.compress(Path(item[0]).read_bytes(), 1)  # level 1: half the time of 6, 3 % larger
    except OSError:
        if r.error is None:
            raise
        content = None  # a file that could not be read: its failure is stored, its bytes cannot be
    return ReadPage(r, summary, content)


def _read_some(items: list[tuple[str, str, str]], options: Options) -> list[ReadPage]:
    """``_read_one`` of some pages."""
    return [_read_one(item, options) for item in items]


READ_TOGETHER = 16  # pages a reading process reads at a time


@contextmanager
def _readers(jobs: int, pages: int) -> Iterator[ProcessPoolExecutor | None]:
    """The reading processes of an add: ``jobs`` of them, None when one would do (one job, or one page)."""
    if jobs <= 1 or pages <= 1:
        yield None
        return
    with processes(jobs) as pool:
        yield pool


def _read(todo: list[tuple[str, str, str]], options: Options, pool: ProcessPoolExecutor | None) -> Iterator[ReadPage]:
    """Read, split and fingerprint the new files in order, in ``pool`` (None: here)."""
    if pool is None:
        for item in todo:
            yield _read_one(item, options)
        return
    parts = [todo[at : at + READ_TOGETHER] for at in range(0, len(todo), READ_TOGETHER)]
    for pages in pool.map(partial(_read_some, options=options), parts, chunksize=1):
        yield from pages


@dataclass(frozen=True)
class ReadPage:
    """One page read for the archive: the scan's reading, its ``scan.json`` entry and its bytes, compressed.

    Made in the reading processes, so that the writer only inserts.
    """

    result: FileResult
    summary: str | None
    content: bytes | None


def store_document(db: sqlite3.Connection, name: str, digest: str, page: ReadPage, keys: links.Keys) -> None:
    """Insert one read page: its document row, its articles; note their sampled values in ``keys``."""
    r = page.result
    cur = db.execute(
        "INSERT INTO documents(path, sha256, error, empty, articles, summary, content) VALUES (?, ?, ?, ?, ?, ?, ?)",
        (name, digest, r.error, int(r.empty), len(r.profiles), page.summary, page.content),
    )
    for p, sketch in zip(r.profiles, r.keys, strict=True):
        codes = links.codes_of(sketch)
        art = db.execute(
            "INSERT INTO articles(document, ref, key, cut, continuation, jump, title, rare, codes) "
            "VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)",
            (cur.lastrowid, *profile_row(p), codes_blob(codes)),
        ).lastrowid
        assert art is not None
        keys.put(art, codes)


def remove_documents(db: sqlite3.Connection, docs: list[int], options: Options, change: Change) -> None:
    """Remove documents with their articles, values, pairs and comparisons, and relink what remains."""
    keys = links.Keys()
    gone: list[int] = []
    for doc in docs:
        for art, blob, cluster in db.execute("SELECT id, codes, cluster FROM articles WHERE document = ?", (doc,)).fetchall():
            gone.append(int(art))
            if cluster is not None:
                change.clusters.add(int(cluster))
            keys.put(int(art), links.codes_from(blob))
    db.executemany("DELETE FROM band_keys WHERE code = ? AND article = ?", keys.rows())
    recent.remove(db, gone)
    for part in links.chunks(gone):
        q = links.marks(len(part))
        for a, b in db.execute(f"SELECT a, b FROM pairs WHERE a IN ({q}) OR b IN ({q})", part * 2).fetchall():
            change.ends.update((int(a), int(b)))
        for table in ("pairs", "candidates", "comparisons"):
            db.execute(f"DELETE FROM {table} WHERE a IN ({q}) OR b IN ({q})", part * 2)
        db.execute(f"DELETE FROM articles WHERE id IN ({q})", part)
    for part in links.chunks(docs):
        db.execute(f"DELETE FROM documents WHERE id IN ({links.marks(len(part))})", part)
    change.ends.difference_update(gone)
    change.removed.update(gone)
    settle(db, rule.affected(keys.touched(db), None), options, change)


def remove(archive: str | os.PathLike[str], names: Iterable[str]) -> int:
    """Remove the named documents (archive paths) in one transaction; returns how many.

    Raises:
        ArchiveError: the archive cannot be used, is locked, or a name is not in it.
    """
    with writing(archive, None) as (db, options):
        docs = []
        for name in names:
            found = db.execute("SELECT id FROM documents WHERE path = ?", (name,)).fetchone()
            if found is None:
                raise ArchiveError(f"{name}: not in the archive")
            docs.append(int(found[0]))
        change = Change()
        remove_documents(db, docs, options, change)
        relink(db, change)
        stories.settle_stories(db, change, partial(reread, options=options))
        recluster(db, change)
        compare_new(db, change, stories.with_cuts(db, options))
        return len(docs)
