"""Articles holding two stories in the archive: the scan's split, its cut and its second reading.

A scan (``dedup.pipeline.scan``) reads every page, finds the articles whose
partners matched disjoint regions of them (``dedup.stories.separate_stories``:
the first reading's ``split``), cuts each such article at the seam
(``dedup.recut.cuts_for``) and reads every page again with those cuts; its
result is the second reading, clustered on the pairs the second reading's
``separate_stories`` keeps, with the first reading's ``split`` list.

The archive stores the second reading. After the pairs of an ``add`` or
``remove`` are settled, inside its transaction:

1. A document already cut whose pieces, or whose pieces' clusters, the change
   reached is read again uncut (with the cut documents its re-reading reaches
   in turn), so that what it reprints is seen as the first reading sees it.
2. ``separate_stories`` over the stored pairs gives the split entries of every
   document not cut (``splits``); a document with a split that
   ``cuts_for`` can cut is read again with those cuts (``cuts``). Splits
   found on pieces of a cut document are second-reading findings: they keep
   pairs out of the clustering but cause no further cut, as the scan recuts once.
3. ``separate_stories`` over the stored pairs again gives the pairs left out
   of the clustering (``dropped``); the articles whose pairs left or came
   back are reclustered.

When no article's matched regions form two parts (the usual add), steps 2 and
3 cost a look at ``parted``, the articles whose regions do, which each change
brings up to date for the articles whose pairs it touched (their own pairs'
regions, read by id): nothing is read over all pairs.
"""

from __future__ import annotations

import json
import sqlite3
from collections.abc import Callable, Iterable
from dataclasses import replace

from dedup.archive import links
from dedup.archive.codec import dump
from dedup.archive.update import Change, ids_of
from dedup.model import Match, Options, StorySplit, id_order
from dedup.recut import cuts_for
from dedup.report.json_read import document_from_json
from dedup.stories import part_count, separate_stories

# read stored documents (by id) again, each cut at its page offsets (none: uncut)
Reread = Callable[[sqlite3.Connection, dict[int, tuple[int, ...]], Change], None]

# a verified pair's matched regions, both non-empty: ``(article, start, end)`` of each side
_MATCHED = "relation != 'continuation' AND a_end > a_start AND b_end > b_start"
_REGIONS = (
    f"SELECT a, a_start, a_end FROM pairs WHERE {_MATCHED} UNION ALL SELECT b, b_start, b_end FROM pairs WHERE {_MATCHED}"
)


def settle_stories(db: sqlite3.Connection, change: Change, reread: Reread) -> None:
    """Bring the cuts, split entries and pairs left out of the clustering up to date after a change."""
    db.execute("DELETE FROM cuts WHERE document NOT IN (SELECT id FROM documents)")
    db.execute("DELETE FROM splits WHERE document NOT IN (SELECT id FROM documents)")
    _uncut_reached(db, change, reread)
    found = _found(db, change)
    cut_docs = _cut_documents(db)
    db.execute("DELETE FROM splits WHERE document NOT IN (SELECT document FROM cuts)")
    todo: dict[int, list[StorySplit]] = {}
    for split in found:
        doc = _document_of(db, split.article)
        if doc not in cut_docs:
            todo.setdefault(doc, []).append(split)
            db.execute(
                "INSERT INTO splits(article, document, parts) VALUES (?, ?, ?)",
                (split.article, doc, dump([[list(span), list(ps)] for span, ps in split.parts])),
            )
    cuts = {doc: offsets for doc, splits in todo.items() if (offsets := _offsets(db, doc, splits))}
    if cuts:
        paths = {doc: _path(db, doc) for doc in cuts}
        reread(db, cuts, change)
        for doc, offsets in cuts.items():
            (now,) = db.execute("SELECT id FROM documents WHERE path = ?", (paths[doc],)).fetchone()
            db.execute("UPDATE splits SET document = ? WHERE document = ?", (now, doc))
            db.executemany("INSERT INTO cuts(document, offset) VALUES (?, ?)", [(now, o) for o in offsets])
        found = _found(db, change)
    _store_dropped(db, found, change)


def with_cuts(db: sqlite3.Connection, options: Options) -> Options:
    """``options`` with the stored cuts, as the scan's second reading reads the pages (to compare pairs)."""
    rows = db.execute("SELECT d.path, c.offset FROM cuts c JOIN documents d ON d.id = c.document").fetchall()
    return replace(options, cuts=tuple(sorted((str(p), int(o)) for p, o in rows))) if rows else options


def stored_splits(db: sqlite3.Connection) -> list[StorySplit]:
    """The first reading's split entries (``scan.json``'s ``split``), in ``id_order``."""
    out = []
    for article, parts in db.execute("SELECT article, parts FROM splits"):
        shown = tuple(((int(s[0]), int(s[1])), tuple(ps)) for s, ps in json.loads(parts))
        out.append(StorySplit(str(article), shown))
    return sorted(out, key=lambda s: id_order(s.article))


def kept_pairs(db: sqlite3.Connection) -> list[Match]:
    """Every stored pair but those left out of the clustering: the edges clusters are components of."""
    return [m for m, gone in stored_pairs(db) if not gone]


def _cut_documents(db: sqlite3.Connection) -> set[int]:
    """The documents stored as read with cuts."""
    return {int(d) for (d,) in db.execute("SELECT DISTINCT document FROM cuts")}


def _uncut_reached(db: sqlite3.Connection, change: Change, reread: Reread) -> None:
    """Read the cut documents the change reached uncut, and those their re-reading reaches, until none is left."""
    while cut := _cut_documents(db):
        reached = _clusters_of(db, change.ends) | change.clusters
        todo = set()
        for doc in sorted(cut):
            arts = db.execute("SELECT id, cluster FROM articles WHERE document = ?", (doc,)).fetchall()
            if any(int(a) in change.ends or (c is not None and int(c) in reached) for a, c in arts):
                todo.add(doc)
        if not todo:
            return
        db.execute(f"DELETE FROM cuts WHERE document IN ({links.marks(len(todo))})", sorted(todo))
        reread(db, dict.fromkeys(todo, ()), change)


def _clusters_of(db: sqlite3.Connection, ids: Iterable[int]) -> set[int]:
    """The clusters the articles ``ids`` are in."""
    found: set[int] = set()
    for part in links.chunks(ids):
        rows = db.execute(f"SELECT DISTINCT cluster FROM articles WHERE id IN ({links.marks(len(part))})", part)
        found.update(int(c) for (c,) in rows if c is not None)
    return found


def _may_split(db: sqlite3.Connection) -> bool:
    """Do some article's matched regions form two parts (``parted``)? Only then can ``separate_stories`` find a split."""
    return db.execute("SELECT 1 FROM parted LIMIT 1").fetchone() is not None


def parted_of(rows: Iterable[tuple[int, int, int]]) -> set[int]:
    """The articles whose matched regions, ``(article, start, end)`` rows of ``_REGIONS``, form two or more parts."""
    regions: dict[int, list[tuple[int, int]]] = {}
    for x, start, end in rows:
        regions.setdefault(int(x), []).append((int(start), int(end)))
    return {x for x, spans in regions.items() if len(spans) > 1 and part_count(spans) > 1}


def all_parted(db: sqlite3.Connection) -> set[int]:
    """``parted`` as the stored pairs give it now (one pass over them: for a migration and the check)."""
    return parted_of(db.execute(_REGIONS))


def fill_parted(db: sqlite3.Connection) -> None:
    """Lay out ``parted`` afresh from every stored pair."""
    db.execute("DELETE FROM parted")
    db.executemany("INSERT INTO parted(article) VALUES (?)", [(x,) for x in sorted(all_parted(db))])


def refresh_parted(db: sqlite3.Connection, articles: Iterable[int]) -> None:
    """Bring ``parted`` up to date for ``articles``, those whose pairs a change added or removed.

    An article's matched regions are those of its own verified pairs, so
    only these can have gained or lost a second part: the regions read are
    theirs, never every pair's.
    """
    for part in links.chunks(articles):
        q = links.marks(len(part))
        rows = db.execute(
            f"SELECT a, a_start, a_end FROM pairs WHERE a IN ({q}) AND {_MATCHED} "
            f"UNION ALL SELECT b, b_start, b_end FROM pairs WHERE b IN ({q}) AND {_MATCHED}",
            part * 2,
        ).fetchall()
        now = parted_of(rows)
        db.execute(f"DELETE FROM parted WHERE article IN ({q})", part)
        db.executemany("INSERT INTO parted(article) VALUES (?)", [(x,) for x in sorted(now)])


def stored_pairs(db: sqlite3.Connection) -> list[tuple[Match, bool]]:
    """Every stored pair as the scan lists it, with whether it is left out of the clustering.

    Verified pairs come first where a continuation link joins the same two articles, as a scan lists them.
    """
    rows = db.execute(
        "SELECT x.ref, y.ref, p.similarity, p.containment, p.relation, p.a_start, p.a_end, p.b_start, p.b_end,"
        " EXISTS (SELECT 1 FROM dropped d WHERE d.a = p.a AND d.b = p.b)"
        " FROM pairs p JOIN articles x ON x.id = p.a JOIN articles y ON y.id = p.b"
    )
    found = [
        (Match(a, b, float(s), float(c), rel, (int(a0), int(a1)), (int(b0), int(b1))), bool(gone))
        for a, b, s, c, rel, a0, a1, b0, b1, gone in rows
    ]
    return sorted(found, key=lambda t: (id_order(t[0].a), id_order(t[0].b), t[0].relation == "continuation"))


def _found(db: sqlite3.Connection, change: Change) -> list[StorySplit]:
    """``separate_stories``' splits over the stored pairs (none without an article of two parts)."""
    refresh_parted(db, change.ends | change.removed)
    return _separate(db, [m for m, _ in stored_pairs(db)])[1] if _may_split(db) else []


def _separate(db: sqlite3.Connection, matches: list[Match]) -> tuple[list[Match], list[StorySplit]]:
    """``separate_stories`` of ``matches``, with the stored heads and continuation pieces as pieces."""
    pieces = frozenset(
        str(r)
        for (r,) in db.execute(
            "SELECT ref FROM articles WHERE (continuation = 1 OR jump != '') AND id IN "
            "(SELECT a FROM pairs UNION SELECT b FROM pairs)"
        )
    )
    return separate_stories(matches, pieces)


def _store_dropped(db: sqlite3.Connection, found: list[StorySplit], change: Change) -> None:
    """Store the pairs ``separate_stories`` leaves out of the clustering; note the articles whose status changed."""
    want: set[tuple[int, int]] = set()
    if found:
        matches = [m for m, _ in stored_pairs(db)]
        kept = {(m.a, m.b) for m in _separate(db, matches)[0]}
        ids = ids_of(db, (x for m in matches for x in (m.a, m.b)))
        want = {(ids[m.a], ids[m.b]) for m in matches if (m.a, m.b) not in kept}
    had = {(int(a), int(b)) for a, b in db.execute("SELECT a, b FROM dropped")}
    if want == had:
        return
    db.executemany("DELETE FROM dropped WHERE a = ? AND b = ?", sorted(had - want))
    db.executemany("INSERT INTO dropped(a, b) VALUES (?, ?)", sorted(want - had))
    change.ends.update(x for pair in want ^ had for x in pair)  # recluster skips removed articles


def _document_of(db: sqlite3.Connection, article: str) -> int:
    """The document id of an article ref."""
    return int(db.execute("SELECT document FROM articles WHERE ref = ?", (article,)).fetchone()[0])


def _path(db: sqlite3.Connection, doc: int) -> str:
    """A document's path (its name in the archive)."""
    return str(db.execute("SELECT path FROM documents WHERE id = ?", (doc,)).fetchone()[0])


def _offsets(db: sqlite3.Connection, doc: int, splits: list[StorySplit]) -> tuple[int, ...]:
    """Where ``cuts_for`` cuts the document's split articles (page offsets); empty: nowhere."""
    (summary,) = db.execute("SELECT summary FROM documents WHERE id = ?", (doc,)).fetchone()
    return tuple(offset for _, offset in cuts_for([document_from_json(json.loads(summary))], splits))
