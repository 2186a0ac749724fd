"""The values of the articles added since the last merge: one sorted run per change, moved into ``band_keys`` in bulk.

Why runs: an add's values are spread over the whole value range, so rows
inserted into a B-tree on ``code`` touch nearly every page of it, and a table
of the recent values grows through a merge cycle: each add rewrote more of it
(at 100k articles ~1.2 million rows halfway, each add's inserts touching all
their pages). A run is the add's values as one sorted array, written once as
one blob (``recent_runs.packed``: little-endian int64 ``code << 31 | article``,
~1.5 MB for 1,000 articles), found by binary search (numpy), and rewritten only
when a removal takes articles out of it. Once the recent articles are
1/``MERGE_SHARE`` of the archive, ``merge`` inserts every run's values into
``band_keys`` in code order, so that the large index is rewritten once per
eighth of the archive added; a value of an article is in ``band_keys`` or in a
run, never both.
"""

from __future__ import annotations

import json
import sqlite3
from collections.abc import Iterable, Iterator
from contextlib import contextmanager

import numpy as np
import numpy.typing as npt

I64 = npt.NDArray[np.int64]
ARTICLE = 0x7FFFFFFF  # the article's bits of a packed value: ids stay below 2**31
MERGE_SHARE = 8  # the recent values are merged once their articles are this fraction of the archive's
MERGE_MIN = 5_000  # ... and at least this many
MERGED = "keys_merged_through"  # meta key: the last article id whose values are in ``band_keys``
MERGE_ROWS = 250_000  # values inserted into ``band_keys`` per statement of a merge: the JSON text stays ~5 MB
MERGE_RANGE = 1_000_000  # values a merge gathers from the runs at a time (one range of codes)


def starts(size: I64) -> I64:
    """Where each of runs of these sizes starts, laid end to end."""
    return np.cumsum(size, dtype=np.int64) - size


def spans(start: I64, size: I64) -> I64:
    """The positions ``start[i] .. start[i] + size[i]`` of every span, span after span."""
    return np.asarray(np.repeat(start - starts(size), size) + np.arange(int(size.sum())), dtype=np.int64)


def runs(db: sqlite3.Connection) -> Iterator[I64]:
    """Every run's packed values, one run at a time, in the order written (so in article id order from run to run)."""
    for (blob,) in db.execute("SELECT packed FROM recent_runs ORDER BY run"):
        yield np.frombuffer(blob, dtype="<i8")


def described(packed: I64) -> tuple[int, int, bytes]:
    """A run's row: its smallest and largest article id (``first``, ``last``) and its blob (``packed``)."""
    owners = packed & ARTICLE
    return int(owners.min()), int(owners.max()), packed.astype("<i8").tobytes()


def write_run(db: sqlite3.Connection, packed: I64) -> None:
    """Store ``packed`` values (sorted, articles newer than any run's) as a new run."""
    if len(packed):
        db.execute("INSERT INTO recent_runs(first, last, packed) VALUES (?, ?, ?)", described(packed))


def holders(found: Iterable[I64], codes: I64) -> tuple[I64, I64]:
    """For each of ``codes``, how many of the runs ``found`` hold it (``size``) and, ``size`` per code in
    the order of ``codes``, which articles (in id order: run after run, each run in article order)."""
    n = len(codes)
    if not n:
        return np.zeros(0, dtype=np.int64), np.zeros(0, dtype=np.int64)
    codes = np.asarray(codes, dtype=np.int64)
    order = None if np.all(codes[1:] >= codes[:-1]) else np.argsort(codes, kind="stable")
    q = codes if order is None else codes[order]
    low, high = q << 31, q << 31 | ARTICLE
    which: list[I64] = [np.zeros(0, dtype=np.int64)]
    who: list[I64] = [np.zeros(0, dtype=np.int64)]
    for run in found:
        at = np.searchsorted(run, low)
        k = np.searchsorted(run, high, side="right") - at
        hit = np.flatnonzero(k)
        which.append(np.repeat(hit, k[hit]))
        who.append(run[spans(at[hit], k[hit])] & ARTICLE)
    query, article = np.concatenate(which), np.concatenate(who)
    if len(which) > 2:  # run after run for each code: the runs are in id order
        by = np.argsort(query, kind="stable")
        query, article = query[by], article[by]
    size = np.bincount(query, minlength=n).astype(np.int64)
    if order is None:
        return size, article
    given = np.empty(n, dtype=np.int64)
    given[order] = size  # size of codes[i]
    place = np.empty(n, dtype=np.int64)
    place[order] = np.arange(n)  # where codes[i] is in q
    return given, article[spans(starts(size)[place], given)]


def remove(db: sqlite3.Connection, gone: Iterable[int]) -> None:
    """Take the values of the ``gone`` articles out of the runs that hold any (a run left empty goes)."""
    ids = np.array(sorted(set(gone)), dtype=np.int64)
    if not len(ids):
        return
    reached = db.execute(
        "SELECT run FROM recent_runs WHERE last >= ? AND first <= ?", (int(ids[0]), int(ids[-1]))
    ).fetchall()
    for (run,) in reached:  # one run in memory at a time
        (blob,) = db.execute("SELECT packed FROM recent_runs WHERE run = ?", (run,)).fetchone()
        packed = np.frombuffer(blob, dtype="<i8")
        keep = packed[~np.isin(packed & ARTICLE, ids)]
        if len(keep) == len(packed):
            continue
        if not len(keep):
            db.execute("DELETE FROM recent_runs WHERE run = ?", (run,))
            continue
        db.execute("UPDATE recent_runs SET first = ?, last = ?, packed = ? WHERE run = ?", (*described(keep), run))


def merge(db: sqlite3.Connection, *, force: bool = False) -> bool:
    """Move every run into ``band_keys`` once the recent articles are 1/``MERGE_SHARE`` of the archive's.

    The values go in code order, one range of codes at a time (of about
    ``MERGE_RANGE`` values, gathered from every run: memory stays a range's,
    whatever the archive's size), ``MERGE_ROWS`` a statement, each
    statement's rows as one JSON array (``json_each`` keeps the array's
    order, so no ``ORDER BY`` sorts them again). Returns whether it merged.
    """
    row = db.execute("SELECT value FROM meta WHERE key = ?", (MERGED,)).fetchone()
    last = int(row[0]) if row else 0
    recent = int(db.execute("SELECT count(*) FROM articles WHERE id > ?", (last,)).fetchone()[0])
    total = int(db.execute("SELECT count(*) FROM articles").fetchone()[0])
    if not force and recent < max(MERGE_MIN, total // MERGE_SHARE):
        return False
    ranges = max(1, -(-count(db) // MERGE_RANGE))  # codes are hash values, spread evenly over 32 bits
    bounds = [(k << 32) // ranges << 31 for k in range(ranges)]  # each range's first packed value
    for k, low in enumerate(bounds):
        high = bounds[k + 1] if k + 1 < ranges else None  # the last range: to the end
        part = [run[np.searchsorted(run, low) : None if high is None else np.searchsorted(run, high)].copy() for run in runs(db)]
        every = np.sort(np.concatenate([np.zeros(0, dtype=np.int64), *part]))
        for at in range(0, len(every), MERGE_ROWS):
            insert_index(db, every[at : at + MERGE_ROWS])
    db.execute("DELETE FROM recent_runs")
    top = db.execute("SELECT coalesce(max(id), 0) FROM articles").fetchone()[0]
    db.execute("INSERT OR REPLACE INTO meta(key, value) VALUES (?, ?)", (MERGED, str(top)))
    return True


def insert_index(db: sqlite3.Connection, packed: I64) -> None:
    """Insert ``packed`` values (sorted) into ``band_keys`` as ``(code, article)`` rows, in one statement."""
    db.execute(
        "INSERT INTO band_keys(code, article) SELECT value >> 31, value & 2147483647 FROM json_each(?)",
        (json.dumps(packed.tolist()),),
    )


def count(db: sqlite3.Connection) -> int:
    """How many values the runs hold."""
    return int(db.execute("SELECT coalesce(sum(length(packed)), 0) / 8 FROM recent_runs").fetchone()[0])


@contextmanager
def one_read(db: sqlite3.Connection) -> Iterator[None]:
    """Statements that must see one state of the archive (the index and the runs): one read transaction,
    unless the connection is in a transaction already (a writer's)."""
    if db.in_transaction:
        yield
        return
    db.execute("BEGIN")
    try:
        yield
    finally:
        if db.in_transaction:
            db.execute("COMMIT")
