"""The scan's candidate rule (``dedup.candidates``) applied to a change of the archive.

``affected`` lists the pairs whose status a change can have altered (see
``dedup.archive.links``); ``recount`` decides each of them afresh from the
stored sketches and the current holder counts, so that after any sequence of
``add`` and ``remove`` the ``candidates`` table is what ``sketch_pairs``
gives over all stored articles. ``page_candidates`` applies the same rule to
a page that is only queried, as if it had been added.
"""

from __future__ import annotations

import json
import sqlite3
from collections.abc import Iterable
from typing import NamedTuple

import numpy as np
import numpy.typing as npt

from dedup.archive import recent
from dedup.archive.links import CHUNK, Pair, Touched, holders_of, marks, unique
from dedup.candidates import MAX_DF, MIN_COMMON, counted, kept_pairs

I64 = npt.NDArray[np.int64]
COUNT_AT_ONCE = 20_000  # candidates counted together when all are counted again


def holder_counts(db: sqlite3.Connection, codes: I64) -> I64:
    """How many stored articles hold each code (``band_keys`` and the recent runs), counted up to
    ``MAX_DF + 1`` (enough for ``counted``).

    The codes go to SQLite as one JSON array (``json_each``): one statement,
    no temporary table to fill row by row.
    """
    if not len(codes):
        return np.zeros(0, dtype=np.int64)
    with recent.one_read(db):
        rows = db.execute(
            "SELECT (SELECT count(*) FROM (SELECT 1 FROM band_keys k WHERE k.code = j.value LIMIT ?)) "
            "FROM json_each(?) j ORDER BY j.key",
            (MAX_DF + 1, json.dumps(codes.tolist())),
        ).fetchall()
        more = recent.holders(recent.runs(db), codes)[0]
    counts = np.array([n for (n,) in rows], dtype=np.int64)
    return np.asarray(np.minimum(counts + more, MAX_DF + 1), dtype=np.int64)


def member(sorted_ref: I64, x: I64) -> npt.NDArray[np.bool_]:
    """Whether each of ``x`` is in ``sorted_ref`` (sorted): ``np.isin`` by binary search."""
    if not len(sorted_ref):
        return np.zeros(len(x), dtype=bool)
    at = np.minimum(np.searchsorted(sorted_ref, x), len(sorted_ref) - 1)
    return np.asarray(sorted_ref[at] == x)


def group_pairs(codes: I64, owners: I64, later_from: int | None = None, *, in_order: bool = False) -> I64:
    """Every pair ``lo << 32 | hi`` of owners of one code, over ``(code, owner)`` rows.

    Rows may come in any order; groups of one size are expanded together.
    ``later_from``: only the pairs whose ``hi`` is at least this (an add's
    pairs with a new article, without the earlier pairs of a commonly held value).
    ``in_order``: the rows are likely sorted by code, then owner, already
    (as ``Touched`` lists them): that is checked in one pass, which costs a
    fraction of the sort, and they are sorted only if not.
    """
    if not len(codes):
        return np.zeros(0, dtype=np.int64)
    if not (in_order and _in_order(codes, owners)):
        order = np.lexsort((owners, codes))
        codes, owners = codes[order], owners[order]
    starts = np.flatnonzero(np.r_[True, codes[1:] != codes[:-1]])
    sizes = np.diff(np.r_[starts, len(codes)])
    if later_from is not None:  # each later owner with every owner before it in its group
        hi = np.flatnonzero(owners >= later_from)
        first = np.repeat(starts, sizes)[hi]
        before = hi - first
        ends = np.cumsum(before)
        lo = np.arange(int(ends[-1]) if len(ends) else 0) - np.repeat(ends - before - first, before)
        return np.asarray(owners[lo] << 32 | owners[np.repeat(hi, before)], dtype=np.int64)
    out = [np.zeros(0, dtype=np.int64)]
    for size in np.unique(sizes[sizes >= 2]).tolist():
        members = owners[starts[sizes == size][:, None] + np.arange(size)[None, :]]
        lo, hi = np.triu_indices(size, k=1)
        out.append((members[:, lo] << 32 | members[:, hi]).ravel())
    return np.concatenate(out)


def _in_order(codes: I64, owners: I64) -> bool:
    """Whether ``(code, owner)`` rows are sorted by code, then owner, without repeats."""
    step, same = codes[1:] - codes[:-1], owners[1:] - owners[:-1]
    return bool(np.all((step > 0) | ((step == 0) & (same > 0))))


class Reached(NamedTuple):
    """What ``affected`` finds: the pairs a change reached, ``a << 32 | b``, each sorted and unique."""

    exact: I64  # on add: the new articles' pairs with the holders of a value that counts now
    common: I64  # how many such values each ``exact`` pair shares
    gain: I64  # the other pairs of the holders of a value that counts now and did not before
    loss: I64  # the pairs of the holders of a value that counted and does not now
    fewer: I64  # how many such values each ``loss`` pair shares


def affected(touched: Touched, first_new: int | None) -> Reached:
    """The pairs ``a << 32 | b`` whose candidate status the change may have altered.

    Returns ``(exact, common, gain, loss, fewer)``. ``exact``, on ``add``: the pairs
    of a new article with the holders of a value that counts now, with
    ``common``, how many such values each pair shares. Every value a new
    article holds was touched by the change, so that is the pair's whole
    count: no sketch needs reading to decide it. ``gain``: the other pairs of
    the holders of a value that counts now and did not before (on ``remove``
    all of them), to be recounted. ``loss``: pairs of the holders of a value
    that counted and does not now; such a pair can only lose its status, so
    only those that are candidates need a recount. ``fewer``: how many such
    values each ``loss`` pair shares; on ``add`` a value the nested rule
    counts with ``d`` holders counts with fewer, so an earlier pair gains no
    value and its count falls by exactly this many. All sorted, unique.
    ``first_new``: the first new article's id on ``add``; None on ``remove``.
    The values chosen count (or counted) with at most ``MAX_DF`` holders, so
    ``touched`` lists all their holders.
    """
    empty = np.zeros(0, dtype=np.int64)
    code, changed, size = touched.code, touched.changed, touched.size
    if not len(code):
        return Reached(empty, empty, empty, empty, empty)
    old = size - changed if first_new is not None else size + changed
    before, after = counted(code, old), counted(code, size)
    kind = np.where(after & ~before, 1, np.where(before & ~after, 2, 0))  # 1 gained, 2 lost, 0 kept
    chosen = (kind > 0) | (before & after & (first_new is not None))
    # a value kept counting reaches, on add, only the pairs with a new article
    later = {0: first_new}
    pairs = {}
    for k in (0, 1, 2):
        mine = chosen & (kind == k)
        rows = np.repeat(mine, size)
        pairs[k] = group_pairs(np.repeat(code[mine], size[mine]), touched.holders[rows], later.get(k), in_order=True)
    loss, fewer = np.unique(pairs[2], return_counts=True)
    fewer = fewer.astype(np.int64)
    if first_new is None:
        return Reached(empty, empty, unique(pairs[1]), loss, fewer)
    # a pair's later side is the new one; each value counted now that both hold gives it once
    live = np.r_[pairs[0], pairs[1]]
    new = (live & 0xFFFFFFFF) >= first_new
    exact, common = np.unique(live[new], return_counts=True)
    return Reached(exact, common, unique(pairs[1][(pairs[1] & 0xFFFFFFFF) < first_new]), loss, fewer)


def sketch_sizes(db: sqlite3.Connection, ids: Iterable[int]) -> dict[int, int]:
    """How many values each stored article's sketch holds (from the blob's length, not its bytes)."""
    found: dict[int, int] = {}
    todo = list(ids)
    for at in range(0, len(todo), CHUNK):
        part = todo[at : at + CHUNK]
        rows = db.execute(f"SELECT id, length(codes) / 8 FROM articles WHERE id IN ({marks(len(part))})", part)
        found.update((int(i), int(n)) for i, n in rows)
    return found


def kept_counted(db: sqlite3.Connection, pairs: I64, common: I64) -> tuple[I64, I64]:
    """Which of ``pairs`` (sorted), sharing ``common`` counted values each, are candidates, with their ``common``.

    The share rule of ``kept_pairs`` on the stored sketch sizes; pairs below
    ``MIN_COMMON`` are left out before any size is looked up.
    """
    enough = common >= MIN_COMMON
    pairs, common = pairs[enough], common[enough]
    if not len(pairs):
        return pairs, common
    kept = _kept(pairs, common, sketch_sizes(db, unique(np.r_[pairs >> 32, pairs & 0xFFFFFFFF]).tolist()))
    return kept, common[np.searchsorted(pairs, kept)]


def _sketches(
    db: sqlite3.Connection, ids: I64
) -> tuple[npt.NDArray[np.uint32], npt.NDArray[np.int32], dict[int, int]]:
    """``(values, owners)`` rows of the stored sketches of ``ids`` (unique), and each one's size.

    Values fit 32 bits (they are uint32 sketch values) and ids 31: the rows
    are kept at half width, since a change may reach tens of thousands of sketches.
    """
    codes: list[npt.NDArray[np.uint32]] = [np.zeros(0, dtype=np.uint32)]
    sizes: dict[int, int] = {}
    todo = ids.tolist()
    for at in range(0, len(todo), CHUNK):
        part = todo[at : at + CHUNK]
        for art, blob in db.execute(f"SELECT id, codes FROM articles WHERE id IN ({marks(len(part))})", part):
            codes.append(np.frombuffer(blob, dtype="<i8").astype(np.uint32))
            sizes[int(art)] = len(blob) // 8
    owners = np.repeat(np.array(list(sizes), dtype=np.int32), list(sizes.values()))
    return np.concatenate(codes), owners, sizes


_ONE_RANGE = 1 << 22  # up to this many values are recounted in one range


def recount(db: sqlite3.Connection, pairs: I64) -> tuple[I64, I64]:
    """Which of ``pairs`` (``a << 32 | b``, sorted) are candidates now, with their counts: the scan's rule, recounted.

    The sketches of the pairs' articles are read once; only values held by two
    of them can be shared, and only those have their holders counted. Shared
    counts add up over ranges of values, so many values are taken one range at
    a time (as ``sketch_pairs`` does): the temporaries stay a sixteenth.
    """
    return kept_counted(db, pairs, commons(db, pairs))


def commons(db: sqlite3.Connection, pairs: I64) -> I64:
    """How many counted values each of ``pairs`` (sorted) shares, counted from the stored sketches."""
    if not len(pairs):
        return np.zeros(0, dtype=np.int64)
    codes, owners, _ = _sketches(db, unique(np.r_[pairs >> 32, pairs & 0xFFFFFFFF]))
    if len(codes) <= _ONE_RANGE:
        return _common(db, codes.astype(np.int64), owners.astype(np.int64), pairs)
    top = (codes >> np.uint32(28)).astype(np.uint8)
    common_of = np.zeros(len(pairs), dtype=np.int64)
    for part in range(16):
        mine = top == part
        common_of += _common(db, codes[mine].astype(np.int64), owners[mine].astype(np.int64), pairs)
    return common_of


def counts_again(db: sqlite3.Connection) -> tuple[I64, I64, I64]:
    """Every stored candidate (sorted), its stored count (``common``), and that count recounted from the sketches.

    Recounted ``COUNT_AT_ONCE`` candidates at a time, so the sketches read stay few.
    """
    rows = db.execute("SELECT a, b, common FROM candidates").fetchall()
    pairs = np.array([a << 32 | b for a, b, _ in rows], dtype=np.int64)
    stored = np.array([n for _, _, n in rows], dtype=np.int64)
    order = np.argsort(pairs)
    pairs, stored = pairs[order], stored[order]
    parts = [commons(db, pairs[at : at + COUNT_AT_ONCE]) for at in range(0, len(pairs), COUNT_AT_ONCE)]
    return pairs, stored, np.concatenate([np.zeros(0, dtype=np.int64), *parts])


def _common(db: sqlite3.Connection, codes: I64, owners: I64, pairs: I64) -> I64:
    """For each of ``pairs``, how many of the values in ``(codes, owners)`` rows count and both hold."""
    values, seen = np.unique(codes, return_counts=True)
    shared = values[seen >= 2]
    keep = shared[counted(shared, holder_counts(db, shared))]
    rows = member(keep, codes)
    found, common = np.unique(group_pairs(codes[rows], owners[rows]), return_counts=True)
    out = np.zeros(len(pairs), dtype=np.int64)
    if len(found):
        at = np.minimum(np.searchsorted(found, pairs), len(found) - 1)
        hit = found[at] == pairs
        out[hit] = common[at[hit]]
    return out


def _kept(pairs: I64, common: I64, sizes: dict[int, int]) -> I64:
    """The pairs whose ``common`` counted values satisfy ``kept_pairs``' share rule."""
    ids = sorted(sizes)
    dense = {x: k for k, x in enumerate(ids)}
    left = np.array([dense[int(x)] for x in (pairs >> 32).tolist()], dtype=np.int64)
    right = np.array([dense[int(x)] for x in (pairs & 0xFFFFFFFF).tolist()], dtype=np.int64)
    kept = kept_pairs(left << 32 | right, common, np.array([sizes[x] for x in ids], dtype=np.int64))
    back = np.array(ids, dtype=np.int64)
    return np.sort(back[kept[:, 0]] << 32 | back[kept[:, 1]])


def as_pairs(codes: I64) -> list[Pair]:
    """``a << 32 | b`` codes as ``(a, b)`` tuples."""
    return [(int(c) >> 32, int(c) & 0xFFFFFFFF) for c in codes.tolist()]


def stored_candidates(db: sqlite3.Connection, pairs: I64) -> tuple[I64, I64]:
    """Which of ``pairs`` (sorted) the ``candidates`` table holds, with their stored counts (``common``).

    Looked up by the pairs' first sides: an article has few candidates, so
    this reads far fewer rows than the pairs asked about.
    """
    found: list[I64] = [np.zeros(0, dtype=np.int64)]
    counts: list[I64] = [np.zeros(0, dtype=np.int64)]
    firsts = unique(pairs >> 32).tolist()
    for at in range(0, len(firsts), CHUNK):
        part = firsts[at : at + CHUNK]
        rows = db.execute(f"SELECT a, b, common FROM candidates WHERE a IN ({marks(len(part))})", part).fetchall()
        found.append(np.array([a << 32 | b for a, b, _ in rows], dtype=np.int64))
        counts.append(np.array([n for _, _, n in rows], dtype=np.int64))
    held, count = np.concatenate(found), np.concatenate(counts)
    order = np.argsort(held)
    held, count = held[order], count[order]
    keep = member(pairs, held)
    return held[keep], count[keep]


def page_candidates(db: sqlite3.Connection, page: list[I64]) -> list[list[int]]:
    """For each of a page's articles (its codes), the stored articles the rule pairs it with.

    As if the page were added: a value's holders are the stored ones plus the
    page's articles that hold it.
    """
    if not page:
        return []
    mine = np.concatenate(page)
    values, extra = np.unique(mine, return_counts=True)
    with recent.one_read(db):  # both lookups see one state
        stored = holder_counts(db, values)
        live = values[(stored > 0) & counted(values, stored + extra)]
        codes, size, held = holders_of(db, live.tolist(), MAX_DF + 1)  # a live value has at most MAX_DF
    ends = np.cumsum(size).tolist()
    holders = {c: held[e - n : e].tolist() for c, n, e in zip(codes.tolist(), size.tolist(), ends, strict=True)}
    out = []
    for codes in page:
        common: dict[int, int] = {}
        for c in np.intersect1d(codes, live).tolist():
            for x in holders[c]:
                common[x] = common.get(x, 0) + 1
        out.append(_page_kept(db, len(codes), common))
    return out


def _page_kept(db: sqlite3.Connection, size: int, common: dict[int, int]) -> list[int]:
    """The stored articles whose ``common`` counts with an article of ``size`` values make a candidate."""
    ids = sorted(common)
    found = sketch_sizes(db, ids)
    sizes = [size, *(found[x] for x in ids)]
    codes = np.arange(1, len(ids) + 1, dtype=np.int64)  # pairs (0: the page's article, k: ids[k - 1])
    kept = kept_pairs(codes, np.array([common[x] for x in ids], dtype=np.int64), np.array(sizes, dtype=np.int64))
    return [ids[k - 1] for k in kept[:, 1].tolist()]
