"""Bring pairs, continuation links, clusters and comparisons up to date after a change.

An ``add`` or ``remove`` changes some articles' sampled values; this module turns
that into the pairs a scan of the archive's files would find, updating only
what the change reaches: the pairs its values reach (``rule.affected``), the continuation links of
the articles whose pairs changed, the clusters those articles belong to, and
the comparisons of the new pairs. Clusters and canonical versions are chosen
by ``dedup.cluster`` (``components``, ``choose_canonical``) as in a scan.
"""

from __future__ import annotations

import itertools
import json
import multiprocessing
import sqlite3
import tempfile
from collections.abc import Callable, Iterable
from concurrent.futures import Future, ProcessPoolExecutor, as_completed
from dataclasses import dataclass, field
from functools import lru_cache
from pathlib import Path

import numpy as np

from dedup.archive import links, rule
from dedup.archive.codec import article_text_json, dump, spill
from dedup.cluster import choose_canonical, components
from dedup.engines.base import LocalSettings
from dedup.ingest import read_page
from dedup.model import Article, ArticleRef, Document, Match, Options, id_order
from dedup.pages import compare_articles
from dedup.report.json import comparison_json
from dedup.report.json_read import article_from_json, document_from_json


@dataclass
class Change:
    """What one ``add`` or ``remove`` has touched so far."""

    ends: set[int] = field(default_factory=set)  # articles whose pairs changed
    clusters: set[int] = field(default_factory=set)  # clusters of removed articles
    compare: list[Match] = field(default_factory=list)  # new pairs to explain
    files: dict[str, str] = field(default_factory=dict)  # document path -> file read now
    removed: set[int] = field(default_factory=set)  # articles removed
    keys_written: bool = False  # whether values of new articles are written yet
    explainer: Explainer | None = None  # where the new pairs' comparisons are begun early

    @property
    def begins_early(self) -> bool:
        """Whether the comparisons of pairs verified now are begun at once (``Explainer.early``)."""
        return self.explainer is not None and self.explainer.early is not None


def ids_of(db: sqlite3.Connection, refs: Iterable[str]) -> dict[str, int]:
    """Article ids by ref."""
    found: dict[str, int] = {}
    todo = sorted(set(refs))
    for at in range(0, len(todo), links.CHUNK):
        part = todo[at : at + links.CHUNK]
        rows = db.execute(f"SELECT ref, id FROM articles WHERE ref IN ({links.marks(len(part))})", part)
        found.update((str(r), int(i)) for r, i in rows)
    return found


def insert_matches(db: sqlite3.Connection, matches: list[Match], change: Change) -> None:
    """Store verified pairs (and queue their comparisons)."""
    ids = ids_of(db, (x for m in matches for x in (m.a, m.b)))
    db.executemany(
        "INSERT OR REPLACE INTO pairs(a, b, relation, similarity, containment, a_start, a_end, b_start, b_end)"
        " VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)",
        [
            (ids[m.a], ids[m.b], m.relation, m.similarity, m.containment, *m.a_span, *m.b_span)
            for m in matches
        ],
    )
    change.ends.update(ids[x] for m in matches for x in (m.a, m.b))
    change.compare.extend(matches)
    if change.explainer is not None:
        change.explainer.begin(db, matches, change.files)


def add_candidates(db: sqlite3.Connection, pairs: rule.I64, common: rule.I64, options: Options, change: Change) -> None:
    """Store new candidate pairs (``a << 32 | b``, sorted) with their counts, and the verified ones among them.

    ``common``: how many counted values each pair shares.
    """
    found = rule.as_pairs(pairs)
    db.executemany(
        "INSERT OR REPLACE INTO candidates(a, b, common) VALUES (?, ?, ?)",
        [(a, b, n) for (a, b), n in zip(found, common.tolist(), strict=True)],
    )
    # verified a few at a time when comparisons are begun early, so that the workers start soon;
    # by later article (a new one), so that the pairs of one article are begun together
    bounds = [0, len(found)]
    if change.begins_early:  # a short first batch: the workers wait for it
        found = sorted(found, key=lambda ab: (ab[1], ab[0]))
        bounds = [0, *range(EARLY_FIRST, len(found), EARLY_BATCH), len(found)]
    for at, end in itertools.pairwise(bounds):
        if end > at:
            insert_matches(db, links.verify(db, found[at:end], options), change)


EARLY_BATCH = 32  # candidates verified together before their comparisons are begun
EARLY_FIRST = 8  # ... but the first ones, fewer


def recounted(db: sqlite3.Connection, pairs: rule.I64, common: rule.I64) -> None:
    """Store the new counts of candidates that stay."""
    db.executemany(
        "UPDATE candidates SET common = ? WHERE a = ? AND b = ?",
        [(n, a, b) for (a, b), n in zip(rule.as_pairs(pairs), common.tolist(), strict=True)],
    )


def settle(
    db: sqlite3.Connection,
    reached: rule.Reached,
    options: Options,
    change: Change,
    write: Callable[[], None] | None = None,
    adding: bool = False,
) -> None:
    """Decide the pairs a change reached (``rule.affected``) afresh: add the new candidates, drop the lost.

    The pairs of new articles come with their counts, and are verified (and
    their comparisons begun) first. ``write``: on ``add``, writes the change's
    values, which the recount needs and those pairs do not. ``adding``: on
    ``add``, a stored candidate reached by values that stopped counting keeps
    its stored count less those (``reached.fewer``). Otherwise the pairs are
    recounted from their stored sketches.
    """
    exact, common, gain, loss, lost = reached
    had, had_common = rule.stored_candidates(db, links.unique(np.r_[gain, loss]))
    kept, kept_common = rule.kept_counted(db, exact, common)
    fresh = ~rule.member(had, kept)
    first = kept[fresh]
    add_candidates(db, first, kept_common[fresh], options, change)  # the new articles' pairs: compared meanwhile
    if write is not None:
        write()
    if adding and not len(gain):
        fewer = np.zeros(len(had), dtype=np.int64)
        hit = rule.member(loss, had)
        fewer[hit] = lost[np.searchsorted(loss, had[hit])]
        now, now_common = rule.kept_counted(db, had, had_common - fewer)
    else:
        now, now_common = rule.recount(db, links.unique(np.r_[gain, had]))
        more = ~rule.member(had, now) & ~rule.member(first, now)
        add_candidates(db, now[more], now_common[more], options, change)
    stay = rule.member(had, now)
    recounted(db, now[stay], now_common[stay])
    drop_candidates(db, rule.as_pairs(had[~rule.member(now, had)]), change)


def drop_candidates(db: sqlite3.Connection, pairs: list[links.Pair], change: Change) -> None:
    """Forget pairs that are no candidates any more, with their verified pairs and comparisons."""
    for a, b in pairs:
        lo, hi = min(a, b), max(a, b)
        db.execute("DELETE FROM candidates WHERE a = ? AND b = ?", (lo, hi))
        for x, y in ((a, b), (b, a)):
            gone = db.execute(
                "DELETE FROM pairs WHERE a = ? AND b = ? AND relation != 'continuation'", (x, y)
            ).rowcount
            db.execute("DELETE FROM comparisons WHERE a = ? AND b = ?", (x, y))
            if gone:
                change.ends.update((x, y))


def relink(db: sqlite3.Connection, change: Change) -> None:
    """Recompute the continuation links of the articles whose pairs changed."""
    around = sorted(x for x in change.ends if db.execute("SELECT 1 FROM articles WHERE id = ?", (x,)).fetchone())
    found = links.continuations(db, around)
    for part in links.chunks(around):
        q = links.marks(len(part))
        rows = db.execute(
            f"SELECT a, b FROM pairs WHERE relation = 'continuation' AND (a IN ({q}) OR b IN ({q}))", part * 2
        ).fetchall()
        for a, b in rows:
            change.ends.update((int(a), int(b)))
            db.execute("DELETE FROM pairs WHERE a = ? AND b = ? AND relation = 'continuation'", (a, b))
    ids = ids_of(db, (x for m in found for x in (m.a, m.b)))
    db.executemany(
        "INSERT OR REPLACE INTO pairs(a, b, relation, similarity, containment) VALUES (?, ?, ?, 0.0, 0.0)",
        [(ids[m.a], ids[m.b], m.relation) for m in found],
    )
    change.ends.update(ids.values())


def edges_of(db: sqlite3.Connection, members: set[int]) -> list[tuple[int, int]]:
    """Every stored pair with a side among ``members``, but those left out of the clustering (``dropped``)."""
    edges: set[tuple[int, int]] = set()
    for part in links.chunks(members):
        q = links.marks(len(part))
        rows = db.execute(
            f"SELECT a, b FROM pairs p WHERE (a IN ({q}) OR b IN ({q})) AND NOT EXISTS "
            "(SELECT 1 FROM dropped d WHERE d.a = p.a AND d.b = p.b)",
            part * 2,
        )
        edges.update((int(a), int(b)) for a, b in rows)
    return sorted(edges)


def recluster(db: sqlite3.Connection, change: Change) -> None:
    """Rebuild the clusters the change reaches: components of their pairs, canonical as a scan."""
    old = set(change.clusters)
    members = {x for x in change.ends if db.execute("SELECT 1 FROM articles WHERE id = ?", (x,)).fetchone()}
    for part in links.chunks(members):
        rows = db.execute(f"SELECT DISTINCT cluster FROM articles WHERE id IN ({links.marks(len(part))})", part)
        old.update(int(c) for (c,) in rows if c is not None)
    for part in links.chunks(old):
        rows = db.execute(f"SELECT id FROM articles WHERE cluster IN ({links.marks(len(part))})", part)
        members.update(int(i) for (i,) in rows)
    edges = edges_of(db, members)
    members.update(x for e in edges for x in e)
    known = links.profiles(db, members)
    by_ref = {p.id: i for i, p in known.items()}
    for part in links.chunks(old):
        db.execute(f"DELETE FROM clusters WHERE id IN ({links.marks(len(part))})", part)
    for part in links.chunks(members):
        db.execute(f"UPDATE articles SET cluster = NULL WHERE id IN ({links.marks(len(part))})", part)
    matches = [Match(known[a].id, known[b].id, 0.0, 0.0, "partial") for a, b in edges]
    for group in components(matches):
        best, reason = choose_canonical([known[by_ref[x]] for x in group])
        cur = db.execute("INSERT INTO clusters(canonical, reason) VALUES (?, ?)", (by_ref[best], reason))
        ids = [by_ref[x] for x in group]
        for part in links.chunks(ids):
            db.execute(
                f"UPDATE articles SET cluster = ? WHERE id IN ({links.marks(len(part))})", [cur.lastrowid, *part]
            )


Side = tuple[str, str, int, str]  # file, document name, article index, the document's stored summary
Job = tuple[Side, Side, float]  # both sides of a pair, its similarity
Stored = tuple[str, str, str]  # a comparison as stored: its JSON, the texts of sides A and B


class Explainer:
    """The comparisons of a change's new pairs, begun in worker processes as soon as a pair is verified.

    An ``add`` verifies its new articles' pairs first; their comparisons then
    run while the writer recounts the other pairs, links continuations and
    rebuilds clusters. ``compare_new`` takes the ones still wanted, as they
    were begun, and explains the rest. A side is split as its document's
    stored summary says (``stored_split``), so a comparison is known by its
    pair, relation, similarity and the two summaries it reads: one begun for
    a pair later dropped, or for a page later read again (with cuts, or
    uncut), is left unused. With ``jobs`` 1 nothing is begun early.
    ``early``: the options comparisons are begun with; None: none is begun.
    """

    def __init__(self, options: Options, early: Options | None = None) -> None:
        self.jobs = options.jobs
        self.early = early
        self.pool: ProcessPoolExecutor | None = None
        self.begun: dict[tuple[object, ...], tuple[Future[list[Stored]], int]] = {}  # future of its group, place in it
        self.files: dict[str, str] = {}  # stored documents written out for reading again
        self._scratch = tempfile.TemporaryDirectory(prefix="dedup-archive-")

    def prepare(self) -> None:
        """Load what every comparison needs (the comparison code, the word list as a set), so that
        the workers, forked after, share it instead of each building it for its first pairs."""
        import dedup.compare  # noqa: F401
        from dedup import lexicon

        lexicon.words()

    def __enter__(self) -> Explainer:
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()

    def close(self) -> None:
        """Stop the workers (cancelling what is not begun) and remove the scratch files."""
        if self.pool is not None:
            self.pool.shutdown(wait=True, cancel_futures=True)
            self.pool = None
        self._scratch.cleanup()

    @staticmethod
    def key(m: Match, job: Job) -> tuple[object, ...]:
        """What a comparison depends on besides the pages' bytes (unchanged within a change):
        the pair, its relation and similarity, and the readings of both pages (``job``'s summaries)."""
        return (m.a, m.b, m.relation, m.similarity, job[0][3], job[1][3])

    def job(self, db: sqlite3.Connection, m: Match, files: dict[str, str]) -> Job:
        """The sides of a pair, as ``_explain`` reads them."""
        return (self._side(db, m.a, files), self._side(db, m.b, files), m.similarity)

    def begin(self, db: sqlite3.Connection, matches: Iterable[Match], files: dict[str, str]) -> None:
        """Begin the comparisons of ``matches`` (verified pairs) in the workers, with ``early``."""
        options = self.early
        if self.jobs <= 1 or options is None:
            return
        todo = {}
        for m in (m for m in matches if m.relation != "continuation"):
            job = self.job(db, m, files)
            if (k := self.key(m, job)) not in self.begun:
                todo[k] = (m, job)
        self.submit_grouped(todo, files, options)

    def submit_grouped(
        self, todo: dict[tuple[object, ...], tuple[Match, Job]], files: dict[str, str], options: Options
    ) -> None:
        """Submit comparisons, those of one article (its side read now, if any) to one worker together,
        so that it reads the page and profiles the article once for all its pairs."""
        groups: dict[str, list[tuple[object, ...]]] = {}
        for k, (m, _) in todo.items():
            own = m.b if ArticleRef.parse(m.b).path in files and ArticleRef.parse(m.a).path not in files else m.a
            groups.setdefault(own, []).append(k)
        if self.pool is None:
            self.pool = processes(self.jobs)
        for keys in groups.values():
            future = self.pool.submit(_explain_all, [todo[k][1] for k in keys], options)
            for place, k in enumerate(keys):
                self.begun[k] = (future, place)

    def _side(self, db: sqlite3.Connection, article: str, files: dict[str, str]) -> Side:
        """One side: the file read now, or the stored bytes written out, with its stored summary."""
        ref = ArticleRef.parse(article)
        (summary,) = db.execute("SELECT summary FROM documents WHERE path = ?", (ref.path,)).fetchone()
        if ref.path in files:
            return files[ref.path], ref.path, ref.index, str(summary)
        if ref.path not in self.files:
            (content,) = db.execute("SELECT content FROM documents WHERE path = ?", (ref.path,)).fetchone()
            self.files[ref.path] = spill(Path(self._scratch.name), len(self.files), ref.path, content)
        return self.files[ref.path], ref.path, ref.index, str(summary)


def compare_new(db: sqlite3.Connection, change: Change, options: Options) -> None:
    """Explain every new pair that prints the same text, as a scan does (``compare_pair``).

    The comparisons begun early (``Explainer``) are taken when still wanted.
    """
    todo = sorted(
        (m for m in change.compare if m.relation != "continuation"),
        key=lambda m: (id_order(m.a), id_order(m.b)),
    )
    if not options.compare_pairs or not todo:
        return
    ids = ids_of(db, (x for m in todo for x in (m.a, m.b)))
    explainer = change.explainer or Explainer(options)
    try:
        wanted: list[tuple[Match, tuple[object, ...]]] = []
        rest: dict[tuple[object, ...], tuple[Match, Job]] = {}
        for m in todo:
            if m.a not in ids or m.b not in ids:
                continue
            if not db.execute(
                "SELECT 1 FROM pairs WHERE a = ? AND b = ? AND relation = ?", (ids[m.a], ids[m.b], m.relation)
            ).fetchone():
                continue  # dropped again later in the same change
            job = explainer.job(db, m, change.files)
            k = Explainer.key(m, job)
            wanted.append((m, k))
            if k not in explainer.begun:
                rest[k] = (m, job)
        store = "INSERT OR REPLACE INTO comparisons(a, b, comparison, text_a, text_b) VALUES (?, ?, ?, ?, ?)"
        if explainer.jobs <= 1:
            for m, k in wanted:
                db.execute(store, (ids[m.a], ids[m.b], *_explain(rest[k][1], options)))
            return
        explainer.submit_grouped(rest, change.files, options)  # the rest in the workers too
        waiting: dict[Future[list[Stored]], list[tuple[Match, int]]] = {}
        for m, k in wanted:
            future, place = explainer.begun[k]
            waiting.setdefault(future, []).append((m, place))
        # stored as they come (a row's place in the table does not depend on when it is written),
        # so that the writing goes on while later comparisons run
        for future in as_completed(waiting):
            found = future.result()
            for m, place in waiting[future]:
                db.execute(store, (ids[m.a], ids[m.b], *found[place]))
    finally:
        if change.explainer is None:
            explainer.close()


def _explain_all(jobs: list[Job], options: Options) -> list[Stored]:
    """``_explain`` of each job, in order."""
    return [_explain(job, options) for job in jobs]


def _explain(job: Job, options: Options) -> Stored:
    """The comparison of one pair's two sides (``compare_pair``'s, on the stored splits), with its
    ``Match.similarity``, as stored."""
    (file_a, name_a, index_a, summary_a), (file_b, name_b, index_b, summary_b), similarity = job
    doc_a, arts_a = stored_split(file_a, name_a, summary_a, options)
    doc_b, arts_b = stored_split(file_b, name_b, summary_b, options)
    explained = compare_articles((doc_a, arts_a[index_a - 1]), (doc_b, arts_b[index_b - 1]), options, similarity)
    return dump(comparison_json(explained.comparison)), article_text_json(explained.a), article_text_json(explained.b)


@lru_cache(maxsize=8)
def stored_split(file: str, name: str, summary: str, options: Options) -> tuple[Document, tuple[Article, ...]]:
    """A stored page read again and split as its ``summary`` (``documents.summary``) says.

    Why: the split is most of what reading a page costs, and the archive holds
    its result; a comparison needs the articles, not a second split. Kept for
    the next pairs, as ``dedup.pages`` keeps its splits: pairs come grouped by page.
    """
    doc = read_page(file, options, name)
    articles = tuple(article_from_json(a, doc.text) for a in document_from_json(json.loads(summary)).articles)
    if [a.index for a in articles] != list(range(1, len(articles) + 1)):
        raise ValueError(f"{name}: the stored summary does not list the page's articles in order")
    return doc, articles


def processes(jobs: int) -> ProcessPoolExecutor:
    """``jobs`` worker processes, started as the local settings say (forked by default)."""
    return ProcessPoolExecutor(jobs, mp_context=multiprocessing.get_context(LocalSettings().resolved_start_method()))
