"""Which stored articles a change pairs, found through the band-key index.

A scan pairs two articles when they share a band key whose bucket holds at
most ``MAX_BUCKET`` articles (``dedup.candidates``). The archive keeps every
article's band keys in ``band_keys`` (one row per bucket code and article), so
the candidates of new articles are the other members of their buckets: a
lookup per key, never a pass over the archive. Buckets only grow on ``add``;
one that grows past ``MAX_BUCKET`` stops pairing its old members, and such a
pair stays a candidate only if another small bucket still holds both. Removal
shrinks buckets, and one that falls back to ``MAX_BUCKET`` pairs its members
again. Verification is ``dedup.match.check``, with the sides in the scan's
order (``dedup.pipeline.verify_pair``); continuation pieces are linked by
``dedup.cluster.link_continuations``'s rule.
"""

from __future__ import annotations

import sqlite3
from collections.abc import Iterable, Iterator
from itertools import combinations
from pathlib import PurePosixPath

import numpy as np
import numpy.typing as npt

from dedup.archive.codec import PROFILE_COLUMNS, profile_from
from dedup.candidates import MAX_BUCKET
from dedup.cluster import link_continuations
from dedup.match import check
from dedup.model import ArticleRef, Match, Options, Profile, id_order

Pair = tuple[int, int]
CHUNK = 500  # ids per ``IN (...)`` list


def codes_of(keys: npt.NDArray[np.uint32]) -> npt.NDArray[np.int64]:
    """An article's bucket codes ``band << 32 | key``, unique and sorted (a scan's buckets)."""
    if not keys.size:
        return np.zeros(0, dtype=np.int64)
    bands = np.arange(keys.shape[1], dtype=np.int64)[None, :] << 32
    return np.unique(bands | keys.astype(np.int64))


def codes_from(blob: bytes) -> npt.NDArray[np.int64]:
    """An article's stored bucket codes (``codec.codes_blob``)."""
    return np.frombuffer(blob, dtype="<i8").astype(np.int64)


def chunks(ids: Iterable[int]) -> Iterable[list[int]]:
    """``ids`` sorted, in lists short enough for one ``IN (...)``."""
    todo = sorted(set(ids))
    for at in range(0, len(todo), CHUNK):
        yield todo[at : at + CHUNK]


def marks(n: int) -> str:
    """``?, ?, …`` for ``n`` parameters."""
    return ", ".join("?" * n)


class Keys:
    """The bucket codes a change adds or removes, gathered to be written in code order.

    Why in code order: ``band_keys`` is a B-tree on ``code``; rows written at
    random places touch a page each, rows written in order share pages.
    """

    def __init__(self) -> None:
        self.codes: list[npt.NDArray[np.int64]] = []
        self.owners: list[npt.NDArray[np.int64]] = []

    def put(self, article: int, codes: npt.NDArray[np.int64]) -> None:
        """Note an article's codes."""
        self.codes.append(codes)
        self.owners.append(np.full(len(codes), article, dtype=np.int64))

    def rows(self) -> Iterator[tuple[int, int]]:
        """``(code, article)`` of every noted code, in code order."""
        if not self.codes:
            return iter(())
        codes, owners = np.concatenate(self.codes), np.concatenate(self.owners)
        order = np.lexsort((owners, codes))
        return zip(map(int, codes[order]), map(int, owners[order]), strict=True)

    def touched(self, db: sqlite3.Connection) -> None:
        """Fill ``temp.touched`` (code, changed, size) once the change's keys are written.

        ``changed`` counts the articles added to (or removed from) the bucket in
        this change, ``size`` its number of articles now.
        """
        db.execute("DROP TABLE IF EXISTS temp.touched")
        db.execute("CREATE TEMP TABLE touched(code INTEGER PRIMARY KEY, changed INTEGER, size INTEGER)")
        if self.codes:
            codes, counts = np.unique(np.concatenate(self.codes), return_counts=True)
            db.executemany(
                "INSERT INTO temp.touched(code, changed, size) VALUES (?, ?, 0)",
                zip(map(int, codes), map(int, counts), strict=True),
            )
        db.execute("UPDATE temp.touched SET size = (SELECT count(*) FROM band_keys k WHERE k.code = touched.code)")


def added_candidates(db: sqlite3.Connection, first_new: int) -> list[Pair]:
    """New candidate pairs (at least one side new) from the small buckets the new articles joined."""
    rows = db.execute(
        "SELECT DISTINCT k1.article, k2.article FROM temp.touched t "
        "JOIN band_keys k1 ON k1.code = t.code JOIN band_keys k2 ON k2.code = t.code "
        "AND k2.article > k1.article WHERE t.size <= ? AND k2.article >= ?",
        (MAX_BUCKET, first_new),
    ).fetchall()
    return [(int(a), int(b)) for a, b in rows]


def bucket_members(
    db: sqlite3.Connection, where: str, params: tuple[int, ...], below: int | None = None
) -> dict[int, list[int]]:
    """Members (with ids below ``below``, if given) of the touched buckets ``where`` chooses, by code.

    The buckets are chosen first, then their members looked up: few buckets
    change size class, and a join would read every touched bucket's members.
    """
    codes = [int(c) for (c,) in db.execute(f"SELECT code FROM temp.touched WHERE {where}", params)]
    members: dict[int, list[int]] = {}
    limit = "" if below is None else f" AND article < {int(below)}"
    for code in codes:
        rows = db.execute(f"SELECT article FROM band_keys WHERE code = ?{limit}", (code,))
        members[code] = [int(a) for (a,) in rows]
    return members


def supported(db: sqlite3.Connection, pair: Pair) -> bool:
    """Whether the two articles still share a bucket of at most ``MAX_BUCKET`` articles."""
    blobs = [
        codes_from(r[0])
        for r in db.execute("SELECT codes FROM articles WHERE id IN (?, ?) ORDER BY id", pair)
    ]
    if len(blobs) != 2:
        return False
    for code in np.intersect1d(blobs[0], blobs[1]).tolist():
        (size,) = db.execute("SELECT count(*) FROM band_keys WHERE code = ?", (code,)).fetchone()
        if size <= MAX_BUCKET:
            return True
    return False


def crossed_pairs(db: sqlite3.Connection, first_new: int) -> list[Pair]:
    """Old candidate pairs whose bucket grew past ``MAX_BUCKET`` and that no small bucket holds."""
    members = bucket_members(db, "size > ? AND size - changed <= ?", (MAX_BUCKET, MAX_BUCKET), first_new)
    pairs = {p for ids in members.values() for p in combinations(sorted(ids), 2)}
    return sorted(p for p in pairs if not supported(db, p))


def regained_pairs(db: sqlite3.Connection) -> list[Pair]:
    """Pairs of the buckets a removal shrank back to ``MAX_BUCKET`` articles that were not candidates."""
    members = bucket_members(db, "size <= ? AND size + changed > ?", (MAX_BUCKET, MAX_BUCKET))
    pairs = {p for ids in members.values() for p in combinations(sorted(ids), 2)}
    known = set()
    for a, b in pairs:
        if db.execute("SELECT 1 FROM candidates WHERE a = ? AND b = ?", (a, b)).fetchone():
            known.add((a, b))
    return sorted(pairs - known)


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
    """The candidate pairs that print the same story, checked as a scan checks them."""
    found: list[Match] = []
    for at in range(0, len(pairs), CHUNK):
        part = pairs[at : at + CHUNK]
        known = profiles(db, (x for p in part for x in p))
        for i, j in part:
            a, b = sorted((known[i], known[j]), key=scan_order)
            m = check(a, b, options)
            if m is not None:
                found.append(m)
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
        others = {int(r[0]) for r in db.execute(f"SELECT id FROM articles WHERE title = ? AND title != '' AND {want}", (p.title,))}
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
