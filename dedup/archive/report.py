"""Read an archive back: the ``ScanResult`` a scan of its files gives, stats, export, checks.

``result`` lists documents, pairs and clusters in the scan's orders
(``dedup.pipeline``): pairs by ``id_order`` of both sides, clusters by their
first article and named ``c1``, ``c2``, … in that order; so ``archive report``
writes, through ``dedup.scan.write_outputs``, the ``scan.json`` and HTML a scan
of the same files writes.
"""

from __future__ import annotations

import json
import os
import sqlite3
import zlib
from collections.abc import Iterator
from pathlib import Path, PurePosixPath
from typing import Any

import numpy as np

from dedup.archive import recent, rule, stories
from dedup.archive.codec import article_text_from, options_from
from dedup.archive.schema import connect
from dedup.archive.stories import kept_pairs, stored_pairs, stored_splits
from dedup.cluster import components
from dedup.model import Cluster, ExplainedPair, Match, id_order
from dedup.model.scan import InputFile, ScanResult
from dedup.provenance import href
from dedup.report.json_read import comparison_from_json, document_from_json


def _pairs(db: sqlite3.Connection) -> list[Match]:
    return [m for m, _ in stored_pairs(db)]


def _clusters(db: sqlite3.Connection) -> list[Cluster]:
    members: dict[int, list[str]] = {}
    for ref, cluster in db.execute("SELECT ref, cluster FROM articles WHERE cluster IS NOT NULL"):
        members.setdefault(int(cluster), []).append(ref)
    info = {
        int(c): (ref, reason)
        for c, ref, reason in db.execute(
            "SELECT c.id, a.ref, c.reason FROM clusters c JOIN articles a ON a.id = c.canonical"
        )
    }
    groups = sorted((tuple(sorted(ids, key=id_order)), c) for c, ids in members.items())
    groups.sort(key=lambda g: id_order(g[0][0]))
    return [Cluster(f"c{k}", ids, *info[c]) for k, (ids, c) in enumerate(groups, 1)]


def _comparisons(db: sqlite3.Connection) -> dict[tuple[str, str], ExplainedPair]:
    out: dict[tuple[str, str], ExplainedPair] = {}
    rows = db.execute(
        "SELECT x.ref, y.ref, c.comparison, c.text_a, c.text_b FROM comparisons c "
        "JOIN articles x ON x.id = c.a JOIN articles y ON y.id = c.b"
    )
    for a, b, data, text_a, text_b in rows:
        comparison = comparison_from_json(a, b, json.loads(data))
        out[(a, b)] = ExplainedPair(comparison, article_text_from(text_a), article_text_from(text_b))
    return out


def result(archive: str | os.PathLike[str]) -> ScanResult:
    """What a scan of the archive's files gives (read in one snapshot)."""
    db = connect(archive)
    try:
        db.execute("BEGIN")  # one snapshot: a writer's commit in between is not half seen
        meta = dict(db.execute("SELECT key, value FROM meta"))
        docs = db.execute("SELECT path, error, empty, articles, summary FROM documents").fetchall()
        docs.sort(key=lambda d: PurePosixPath(d[0]).parts)
        out = ScanResult(
            documents=[document_from_json(json.loads(d[4])) for d in docs if d[1] is None],
            pairs=_pairs(db),
            clusters=_clusters(db),
            failures=[(d[0], d[1]) for d in docs if d[1] is not None],
            warnings=[(d[0], "empty file, no articles") for d in docs if d[1] is None and d[2]],
            candidates=int(db.execute("SELECT count(*) FROM candidates").fetchone()[0]),
            articles=sum(int(d[3]) for d in docs),
            comparisons=_comparisons(db),
            roots=[r for (r,) in db.execute("SELECT root FROM roots ORDER BY position")],
            splits=stored_splits(db),
        )
        out.inputs = _inputs(db, out.roots)
        if "options" in meta:
            out.options = options_from(meta["options"])
        db.execute("COMMIT")
        return out
    finally:
        db.close()


def stats(archive: str | os.PathLike[str]) -> dict[str, Any]:
    """Counts of every table, the schema version, the file's size and size per article."""
    db = connect(archive)
    try:
        meta = dict(db.execute("SELECT key, value FROM meta"))
        counts = {
            t: int(db.execute(f"SELECT count(*) FROM {t}").fetchone()[0])
            for t in (
                "documents", "articles", "band_keys", "candidates", "pairs", "clusters",
                "comparisons", "cuts", "splits", "dropped", "recent_runs",
            )
        }
        held = recent.count(db)
        counts["band_keys"] += held  # every stored value: the index and the recent ones
        counts["recent_keys"] = held  # the recent ones, in ``recent_runs``
    finally:
        db.close()
    size = sum(Path(f"{archive}{s}").stat().st_size for s in ("", "-wal") if Path(f"{archive}{s}").exists())
    return {
        "schema_version": int(meta["schema_version"]),
        **counts,
        "bytes": size,
        "bytes_per_article": round(size / counts["articles"]) if counts["articles"] else 0,
    }


def export_lines(archive: str | os.PathLike[str]) -> Iterator[str]:
    """The archive as JSON Lines: one ``{"type": document|pair|cluster, ...}`` object a line."""
    from dedup.report.json import document_json, pair_json

    res = result(archive)
    for d in res.documents:
        yield json.dumps({"type": "document", **document_json(d)}, ensure_ascii=False, sort_keys=True)
    for m in res.pairs:
        yield json.dumps({"type": "pair", **pair_json(m)}, ensure_ascii=False, sort_keys=True)
    for c in res.clusters:
        row = {"type": "cluster", "id": c.id, "articles": list(c.articles), "canonical": c.canonical, "reason": c.reason}
        yield json.dumps(row, ensure_ascii=False, sort_keys=True)


def _check_counts(db: sqlite3.Connection) -> list[str]:
    """Candidates whose stored count of shared counted values is not what their sketches give now."""
    pairs, stored, now = rule.counts_again(db)
    bad = pairs[stored != now][:5].tolist()
    return [f"candidate with a wrong count: {x >> 32} {x & 0xFFFFFFFF}" for x in bad]


def check(archive: str | os.PathLike[str]) -> list[str]:
    """Problems found: SQLite's ``integrity_check``, then the archive's own invariants.

    Every document holds the articles it counts, every pair and comparison
    joins stored articles, every verified pair was a candidate and (with
    comparisons on) is compared, and the clusters are exactly the connected
    components of the pairs. An empty list: the archive is sound.
    """
    db = connect(archive)
    try:
        problems = [r[0] for r in db.execute("PRAGMA integrity_check") if r[0] != "ok"]
        sql = {
            "document with a wrong article count": "SELECT path FROM documents d WHERE articles != "
            "(SELECT count(*) FROM articles a WHERE a.document = d.id)",
            "article of no document": "SELECT ref FROM articles WHERE document NOT IN (SELECT id FROM documents)",
            "pair with a missing article": "SELECT a FROM pairs WHERE a NOT IN (SELECT id FROM articles) "
            "OR b NOT IN (SELECT id FROM articles)",
            "verified pair that was no candidate": "SELECT a FROM pairs p WHERE relation != 'continuation' AND "
            "NOT EXISTS (SELECT 1 FROM candidates c WHERE c.a = min(p.a, p.b) AND c.b = max(p.a, p.b))",
            "comparison of no pair": "SELECT a FROM comparisons c WHERE NOT EXISTS "
            "(SELECT 1 FROM pairs p WHERE p.a = c.a AND p.b = c.b)",
            "band key of no article": "SELECT code FROM band_keys WHERE article NOT IN (SELECT id FROM articles)",
            "dropped pair of no pair": "SELECT a FROM dropped d WHERE NOT EXISTS "
            "(SELECT 1 FROM pairs p WHERE p.a = d.a AND p.b = d.b)",
            "cut of no document": "SELECT document FROM cuts WHERE document NOT IN (SELECT id FROM documents)",
            "split of no document": "SELECT article FROM splits WHERE document NOT IN (SELECT id FROM documents)",
        }
        for what, query in sql.items():
            problems.extend(f"{what}: {row[0]}" for row in db.execute(query).fetchmany(5))
        options = dict(db.execute("SELECT key, value FROM meta")).get("options")
        if options and options_from(options).compare_pairs:
            query = ("SELECT a FROM pairs p WHERE relation != 'continuation' AND NOT EXISTS "
                     "(SELECT 1 FROM comparisons c WHERE c.a = p.a AND c.b = p.b)")
            problems.extend(f"pair not compared: {row[0]}" for row in db.execute(query).fetchmany(5))
        problems.extend(_check_runs(db))
        problems.extend(_check_clusters(db))
        problems.extend(_check_counts(db))
        problems.extend(_check_parted(db))
        return problems
    finally:
        db.close()


def _check_runs(db: sqlite3.Connection) -> list[str]:
    """Recent runs that are not sorted, misdescribed, out of id order, or hold a value of no article
    or one held twice (in two runs, or in a run and in ``band_keys``)."""
    problems: list[str] = []
    articles = np.array(sorted(i for (i,) in db.execute("SELECT id FROM articles")), dtype=np.int64)
    before = 0
    every = [np.zeros(0, dtype=np.int64)]
    for run, first, last, blob in db.execute("SELECT run, first, last, packed FROM recent_runs ORDER BY run"):
        packed = np.frombuffer(blob, dtype="<i8")
        owners = packed & recent.ARTICLE
        if not len(packed) or np.any(packed[1:] <= packed[:-1]):
            problems.append(f"recent run empty or not sorted: {run}")
        elif (first, last) != recent.described(packed)[:2] or first <= before:
            problems.append(f"recent run misdescribed or out of id order: {run}")
        else:
            before = last
        problems.extend(f"band key of no article: {int(c)}" for c in (packed >> 31)[~rule.member(articles, owners)][:5])
        every.append(packed)
    packed = np.sort(np.concatenate(every))
    problems.extend(f"value held twice by an article: {int(c)}" for c in (packed[1:][packed[1:] == packed[:-1]] >> 31)[:5])
    for at in range(0, len(packed), recent.MERGE_ROWS):
        part = json.dumps(packed[at : at + recent.MERGE_ROWS].tolist())
        twice = db.execute(
            "SELECT j.value >> 31 FROM json_each(?) j WHERE EXISTS (SELECT 1 FROM band_keys k "
            "WHERE k.code = j.value >> 31 AND k.article = j.value & 2147483647) LIMIT 5",
            (part,),
        )
        problems.extend(f"value held twice by an article: {c}" for (c,) in twice)
    return problems


def _check_parted(db: sqlite3.Connection) -> list[str]:
    """``parted`` against the articles whose matched regions the stored pairs show in two parts."""
    have = {int(x) for (x,) in db.execute("SELECT article FROM parted")}
    wrong = sorted(have ^ stories.all_parted(db))[:5]
    return [f"article listed in parted against its pairs (or left out): {x}" for x in wrong]


def _check_clusters(db: sqlite3.Connection) -> list[str]:
    """The stored clusters against the components of the stored pairs the clustering keeps."""
    want = {frozenset(g) for g in components(kept_pairs(db))}
    have = {frozenset(c.articles) for c in _clusters(db)}
    return [f"cluster not a component of the pairs: {min(g, key=id_order)}" for g in sorted(have ^ want, key=len)][:5]


def _inputs(db: sqlite3.Connection, roots: list[str]) -> list[InputFile]:
    """Every stored file's provenance, as a scan of the archive's root would record it."""
    base = PurePosixPath(roots[0]) if len(roots) == 1 else None
    rows = db.execute("SELECT path, sha256, error, content FROM documents").fetchall()
    rows.sort(key=lambda r: PurePosixPath(r[0]).parts)
    out = []
    for name, digest, error, content in rows:
        file = (base / name).as_posix() if base is not None else name
        if error is not None or content is None:
            out.append(InputFile(name, file, href=href(file)))
            continue
        size = len(zlib.decompress(content))
        out.append(InputFile(name, file, "", size, "", digest, href(file)))
    return out
