"""Which stored articles a change pairs, found through the sampled-value index.

A scan pairs two articles when they share at least ``MIN_COMMON`` sampled
values that count (``dedup.candidates.counted``: held by 2..``MAX_DF``
articles, thinned above ``FULL_DF``) and at least ``MIN_SHARE`` of the
smaller sketch (``dedup.candidates.sketch_pairs``). Whether a value counts
depends only on the value and on how many articles hold it, so a change can
alter a pair's status only through the values it touched: a value whose
status flipped reaches every pair of its holders; a value that counts before
and after reaches, on ``add``, the pairs with a new article, on ``remove``
nothing (the removed articles' pairs go with them). The archive keeps every
article's values in ``band_keys`` (one row per value and article), so these
pairs are found by lookups, never by a pass over the archive (the values of
the articles added since the last merge are in sorted runs instead,
``dedup.archive.recent``, searched in numpy); for each, the
number of counted shared values is recounted from the two stored sketches.
Verification is ``dedup.verify.verify_pairs`` (``dedup.match.check`` in
batches), with the sides in the scan's order (``dedup.pipeline.verify_pair``);
continuation pieces are linked by ``dedup.cluster.link_continuations``'s rule.
"""

from __future__ import annotations

import json
import sqlite3
from collections.abc import Iterable, Iterator
from dataclasses import dataclass
from pathlib import PurePosixPath

import numpy as np
import numpy.typing as npt

from dedup.archive import recent
from dedup.archive.codec import PROFILE_COLUMNS, profile_from
from dedup.archive.schema import PIECES
from dedup.candidates import MAX_DF, most_holders
from dedup.cluster import link_continuations
from dedup.model import ArticleRef, Match, Options, Profile, id_order
from dedup.verify import verify_pairs

Pair = tuple[int, int]
CHUNK = 500  # ids per ``IN (...)`` list


def codes_of(sketch: npt.NDArray[np.uint32]) -> npt.NDArray[np.int64]:
    """An article's codes: its sketch's sampled values as int64 (a sketch is sorted, without repeats)."""
    return np.asarray(sketch, dtype=np.int64)


def codes_from(blob: bytes) -> npt.NDArray[np.int64]:
    """An article's stored codes (``codec.codes_blob``)."""
    return np.frombuffer(blob, dtype="<i8").astype(np.int64)


def chunks(ids: Iterable[int]) -> Iterable[list[int]]:
    """``ids`` sorted, in lists short enough for one ``IN (...)``."""
    todo = sorted(set(ids))
    for at in range(0, len(todo), CHUNK):
        yield todo[at : at + CHUNK]


def marks(n: int) -> str:
    """``?, ?, …`` for ``n`` parameters."""
    return ", ".join("?" * n)


def unique(x: npt.NDArray[np.int64]) -> npt.NDArray[np.int64]:
    """``x`` sorted without repeats: by a sort, which is many times faster on
    large int64 arrays than ``np.unique``'s hash table (numpy 2.4)."""
    s = np.sort(x)
    return s[np.r_[True, s[1:] != s[:-1]]] if len(s) else s


class Keys:
    """The codes a change adds or removes, gathered to be written in code order.

    Why in code order: a run of recent values is searched by bisection, and
    ``band_keys`` is a B-tree on ``code`` (rows written at random places touch
    a page each, rows written in order share pages).
    """

    def __init__(self) -> None:
        self.codes: list[npt.NDArray[np.int64]] = []
        self.owners: list[npt.NDArray[np.int64]] = []
        self._packed: npt.NDArray[np.int64] | None = None  # ``code << 31 | article`` of every noted code, sorted

    def put(self, article: int, codes: npt.NDArray[np.int64]) -> None:
        """Note an article's codes."""
        self.codes.append(codes)
        self.owners.append(np.full(len(codes), article, dtype=np.int64))

    def rows(self) -> Iterator[tuple[int, int]]:
        """``(code, article)`` of every noted code, in code order."""
        if not self.codes:
            return iter(())
        codes, owners = self._sorted()
        return zip(map(int, codes), map(int, owners), strict=True)

    def _sorted(self) -> tuple[npt.NDArray[np.int64], npt.NDArray[np.int64]]:
        """Codes and owners in code order, then owner order: one sort of ``code << 31 | article``
        (32-bit codes, ids below 2**31, as ``write`` sends them), a third of a ``lexsort``'s time."""
        packed = self._sorted_packed()
        return packed >> 31, packed & 0x7FFFFFFF

    def values(self) -> npt.NDArray[np.int64]:
        """Every noted code once, sorted: from the one sort ``write`` and ``touched_with`` use too."""
        if not self.codes:
            return np.zeros(0, dtype=np.int64)
        codes = self._sorted_packed() >> 31
        return codes[np.r_[True, codes[1:] != codes[:-1]]]

    def _sorted_packed(self) -> npt.NDArray[np.int64]:
        if self._packed is None or len(self._packed) != sum(map(len, self.codes)):
            self._packed = np.sort(np.concatenate(self.codes) << 31 | np.concatenate(self.owners))
        return self._packed

    def write(self, db: sqlite3.Connection) -> None:
        """Store every noted ``(code, article)`` as one run of recent values (``dedup.archive.recent``)."""
        if self.codes:
            recent.write_run(db, self._sorted_packed())

    def touched(self, db: sqlite3.Connection) -> Touched:
        """The values the change touched, once its keys are written: their holders now.

        Holders are listed up to ``MAX_DF + 1 + changed`` per value only: past
        that a value counts neither before nor after the change, and
        boilerplate held by thousands would cost thousands of rows each. One
        lookup per value gives both a value's number of holders and who they
        are (as one ``group_concat`` string, so that a value is one row).
        """
        empty = np.zeros(0, dtype=np.int64)
        if not self.codes:
            return Touched(empty, empty, empty, empty)
        codes, counts = np.unique(np.concatenate(self.codes), return_counts=True)
        _, size, holders = holders_of(db, codes.tolist(), MAX_DF + 1 + int(counts.max()))
        return Touched(codes.astype(np.int64), counts.astype(np.int64), size, holders)

    def touched_with(self, earlier: Earlier) -> Touched:
        """``touched`` on ``add``, from the holders ``earlier`` found before these keys were written.

        A value's holders now are its earlier holders followed by the new
        articles noted here, in id order, as ``holders_of`` lists them. A value
        with more than ``MAX_DF`` earlier holders counts neither before nor
        after, whatever its exact count, so those lists stop at ``MAX_DF + 1``.
        """
        empty = np.zeros(0, dtype=np.int64)
        if not self.codes:
            return Touched(empty, empty, empty, empty)
        codes, owners = self._sorted()
        code, changed = np.unique(codes, return_counts=True)
        known, old_size, old_holders = earlier.arrays()
        at = np.searchsorted(known, code)
        if len(code) and (not len(known) or np.any(at >= len(known)) or np.any(known[np.minimum(at, len(known) - 1)] != code)):
            raise ValueError("a value's earlier holders were not looked up")
        sizes = old_size[at]
        # each value's earlier holders (a run of old_holders), then its new ones (a run of owners)
        out = recent.starts(sizes + changed)  # where each value's run starts
        holders = np.empty(int(sizes.sum()) + len(owners), dtype=np.int64)
        holders[recent.spans(out, sizes)] = old_holders[recent.spans(recent.starts(old_size)[at], sizes)]
        holders[recent.spans(out + sizes, changed)] = owners
        return Touched(code.astype(np.int64), changed.astype(np.int64), sizes + changed, holders)


Holders = tuple[npt.NDArray[np.int64], npt.NDArray[np.int64], npt.NDArray[np.int64]]


def holders_of(db: sqlite3.Connection, codes: list[int], limit: int | npt.NDArray[np.int64]) -> Holders:
    """``(codes, sizes, holders)``: each code's stored holders (up to ``limit``, one for all or one per
    code), one run of ``holders`` per code.

    A value's holders are those of ``band_keys``, then those of the recent
    runs (``dedup.archive.recent``), in id order, as one read. One lookup per
    value in ``band_keys`` gives both its number of holders and who they are
    (one ``group_concat`` string per value, parsed in C; one statement per
    distinct limit); the runs are read one at a time and searched in numpy,
    so memory follows the largest run (one add's), not all of them.
    """
    code = np.array(codes, dtype=np.int64)
    limits = np.broadcast_to(np.asarray(limit, dtype=np.int64), code.shape)
    lists = [""] * len(code)
    with recent.one_read(db):
        for cap in np.unique(limits).tolist():
            at = np.flatnonzero(limits == cap)
            rows = db.execute(
                "SELECT (SELECT group_concat(article) FROM (SELECT article FROM band_keys k WHERE k.code = j.value "
                "LIMIT ?)) FROM json_each(?) j ORDER BY j.key",
                (cap, json.dumps(code[at].tolist())),
            )
            for i, (text,) in zip(at.tolist(), rows, strict=True):
                lists[i] = text or ""
        more, later = recent.holders(recent.runs(db), code)
    size = np.array([x.count(",") + 1 if x else 0 for x in lists], dtype=np.int64)
    flat = ",".join(x for x in lists if x)
    held = np.fromstring(flat, dtype=np.int64, sep=",") if flat else np.zeros(0, dtype=np.int64)
    take = np.minimum(more, limits - size)  # the runs' holders, as far as the limit leaves room
    later = later[recent.spans(recent.starts(more), take)]
    out = recent.starts(size + take)
    holders = np.empty(len(held) + len(later), dtype=np.int64)
    holders[recent.spans(out, size)] = held
    holders[recent.spans(out + size, take)] = later
    return code, size + take, holders


LIMITS = (5, 9, 17, 33, MAX_DF + 1)  # holders listed per value on ``add``: the first of these that is enough


def earlier_holders(db: sqlite3.Connection, codes: npt.NDArray[np.int64], extra: int = 0) -> Holders:
    """``holders_of`` on ``add``: each value's holders listed only as far as can matter.

    Adding articles only raises a value's holder count, and the nested rule
    (``dedup.candidates.counted``) counts a value with at most
    ``most_holders`` of it: past that it counts neither before nor after,
    whatever its exact count. So a value's list stops at the first of
    ``LIMITS`` past that bound (past ``MAX_DF`` at most), plus ``extra``
    (holders that will be left out). Commonly held values, a tenth of an
    add's, then cost a few rows each instead of ``MAX_DF + 1``.
    """
    level = np.searchsorted(np.array(LIMITS), most_holders(codes) + 1)
    return holders_of(db, codes.tolist(), np.array(LIMITS, dtype=np.int64)[level] + extra)


def merged(parts: list[Holders]) -> Holders:
    """Lookups as one, the values sorted; a value looked up twice keeps its first lookup."""
    empty = np.zeros(0, dtype=np.int64)
    codes = np.concatenate([empty, *(p[0] for p in parts)])
    size = np.concatenate([empty, *(p[1] for p in parts)])
    holders = np.concatenate([empty, *(p[2] for p in parts)])
    if np.all(codes[1:] > codes[:-1]):  # parts of ranges in order (an add's lookups): nothing to sort
        return codes, size, holders
    known, first = np.unique(codes, return_index=True)
    return known, size[first], holders[recent.spans(recent.starts(size)[first], size[first])]


class Earlier:
    """The holders of values before a change's own keys are written, gathered in parts.

    ``add`` has the new values looked up once its pages are read, before it
    writes them (by the reading processes, a range of the values each, in
    the archive as last committed; or here, in one statement);
    ``Keys.touched_with`` then adds the new articles to them. ``gone``: the
    articles this change removed before (a changed file's old version), which
    the last committed archive still lists.
    """

    def __init__(self, gone: Iterable[int] = ()) -> None:
        self.gone = np.array(sorted(gone), dtype=np.int64)
        self.parts: list[Holders] = []

    @property
    def extra(self) -> int:
        """Holders to list past what can matter: the removed ones, which the last commit still lists."""
        return len(self.gone)

    def look_up(self, db: sqlite3.Connection, values: npt.NDArray[np.int64]) -> None:
        """Look up here (in ``db`` as it is now) the holders of ``values`` (sorted, each once), in one
        statement (a value also looked up elsewhere keeps its first lookup: ``merged``)."""
        if len(values):
            self.parts.append(earlier_holders(db, values))

    def take(self, found: Holders) -> None:
        """Holders looked up elsewhere, in the archive as last committed."""
        codes, size, holders = found
        if len(self.gone) and len(holders):
            keep = ~np.isin(holders, self.gone)
            owner = np.repeat(np.arange(len(codes)), size)
            size = np.bincount(owner[keep], minlength=len(codes)).astype(np.int64)
            holders = holders[keep]
        self.parts.append((codes, size, holders))

    def arrays(self) -> Holders:
        """The values looked up (sorted, each once), each one's number of holders, and the holders, value after value."""
        return merged(self.parts)


@dataclass(frozen=True)
class Touched:
    """The values a change touched: each ``code``, how many articles the change
    added to (or removed from) it (``changed``), its holders now (``size``,
    counted up to the limit of ``Keys.touched``) and, ``size`` per value in
    the order of ``code``, the ``holders`` themselves."""

    code: npt.NDArray[np.int64]
    changed: npt.NDArray[np.int64]
    size: npt.NDArray[np.int64]
    holders: npt.NDArray[np.int64]


def profiles(db: sqlite3.Connection, ids: Iterable[int]) -> dict[int, Profile]:
    """The stored profiles of ``ids``."""
    found: dict[int, Profile] = {}
    for part in chunks(ids):
        rows = db.execute(f"SELECT id, {PROFILE_COLUMNS} FROM articles WHERE id IN ({marks(len(part))})", part)
        for row in rows:
            found[int(row[0])] = profile_from(row[1:])
    return found


def scan_order(p: Profile) -> tuple[tuple[str, ...], int]:
    """Where a scan lists an article (``dedup.pipeline.article_order`` of one root)."""
    ref = ArticleRef.parse(p.id)
    return PurePosixPath(ref.path).parts, ref.index


def verify(db: sqlite3.Connection, pairs: list[Pair], options: Options) -> list[Match]:
    """The candidate pairs that print the same story, checked as a scan checks them.

    In batches of ``CHUNK`` pairs through ``verify_pairs`` (``check``'s
    answers, each article's alignment table built once per batch).
    """
    found: list[Match] = []
    for at in range(0, len(pairs), CHUNK):
        part = pairs[at : at + CHUNK]
        known = profiles(db, (x for p in part for x in p))
        order = sorted(known, key=lambda x: scan_order(known[x]))
        index = {x: k for k, x in enumerate(order)}
        oriented = [(min(index[i], index[j]), max(index[i], index[j])) for i, j in part]
        found.extend(verify_pairs([known[x] for x in order], oriented, options))
    return found


def partners(db: sqlite3.Connection, article: int) -> set[int]:
    """The articles verified to pair with ``article`` (continuation links left out)."""
    rows = db.execute(
        "SELECT b FROM pairs WHERE a = ?1 AND relation != 'continuation' "
        "UNION SELECT a FROM pairs WHERE b = ?1 AND relation != 'continuation'",
        (article,),
    )
    return {int(r[0]) for r in rows}


def continuations(db: sqlite3.Connection, around: Iterable[int]) -> list[Match]:
    """Every continuation link a head or piece among ``around`` has now.

    For each head (or piece) the other side's possible partners are the pieces
    (heads) of its title and those sharing a verified partner with it; the
    rule itself is ``link_continuations``.
    """
    links: set[Match] = set()
    pieces = profiles(db, around)
    for x, p in pieces.items():
        head = bool(p.jump) and not p.continuation
        if not head and not p.continuation:
            continue
        want = "continuation = 1" if head else "continuation = 0 AND jump != ''"
        others = {
            int(r[0])
            for r in db.execute(
                f"SELECT id FROM articles WHERE title = ? AND title != '' AND {PIECES} AND {want}", (p.title,)
            )
        }
        for q in partners(db, x):
            others |= partners(db, q)
        others.discard(x)
        group = [*others, x]
        edges = {u: partners(db, u) for u in group}
        refs = profiles(db, {*group, *(v for vs in edges.values() for v in vs)})
        matches = [_edge(refs[u].id, refs[v].id) for u, vs in edges.items() for v in vs]
        ordered = sorted((refs[u] for u in group), key=lambda pr: id_order(pr.id))
        links.update(m for m in link_continuations(ordered, matches) if p.id in (m.a, m.b))
    return sorted(links, key=lambda m: (id_order(m.a), id_order(m.b)))


def _edge(x: str, y: str) -> Match:
    """A verified pair as ``link_continuations`` reads it: only its two sides matter."""
    a, b = sorted((x, y), key=id_order)
    return Match(a, b, 0.0, 0.0, "partial")
