"""Archive benchmark: adding batches of 1,000 articles and querying single pages, against a rescan.

Builds an archive of N generated articles (``bench/corpus.py``), adds
``--batches`` batches of about 1,000 articles each, queries ``--queries``
single pages, and rescans the N + 1,000 articles of the archive and its
first batch in the same run; prints the time per batch and per query against
the rescan, the peak memory of an add, and the archive's size per article.

    python bench/archive_bench.py --articles 10000 [--seed 1] [--jobs 2] [--work DIR]

An add costs more as the values added since the last merge
(the recent runs) grow, and the merge itself comes once per
``recent.MERGE_SHARE`` of the archive added. So the batches are timed twice:
right after a merge (the base archive, its recent values merged once built), and halfway through a merge
cycle (a copy whose last articles' values, half of those that make a merge
due, are moved back to recent runs, as if added since the last merge):
the add of an average moment. The two take turns within each repeat. The
merge is timed once and its share per add given with it.

``--repeat N`` times the batches N times, each time from a fresh copy of the
archive before them, and takes each batch's median: the machines these run on
are shared, and one add of a few seconds can fall in a slow moment.

The base archive is kept in ``--work`` as ``base-<total>-<seed>.db``: with
``--keep`` a later run starts from a copy of it (building 100k articles takes
long); ``--build-only`` stops once it is built.
"""

from __future__ import annotations

import argparse
import os
import resource
import shutil
import sqlite3
import statistics
import sys
import tempfile
import time
from contextlib import closing
from multiprocessing import get_context
from multiprocessing.connection import Connection
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from bench.corpus import generate
from dedup.archive import add, connect, query, stats
from dedup.archive.links import Keys, codes_from
from dedup.archive.recent import MERGE_MIN, MERGE_SHARE, MERGED, merge
from dedup.model import Options
from dedup.scan import scan_paths

BATCH = 1000


def _cpu() -> float:
    """CPU seconds of this process and of its finished children."""
    own, kids = resource.getrusage(resource.RUSAGE_SELF), resource.getrusage(resource.RUSAGE_CHILDREN)
    return own.ru_utime + own.ru_stime + kids.ru_utime + kids.ru_stime


def _timed_add(db: str, files: list[str], base: str, jobs: int) -> tuple[float, int, float]:
    """Seconds of one add in a fresh process, the peak RSS (KiB) of it and its workers, and its CPU seconds."""
    context = get_context("fork")
    receive, send = context.Pipe(duplex=False)
    child = context.Process(target=_add_child, args=(db, files, base, jobs, send))
    child.start()
    found: tuple[float, int, float] = receive.recv()
    child.join()
    return found


def _add_child(db: str, files: list[str], base: str, jobs: int, send: Connection) -> None:
    t, c = time.perf_counter(), _cpu()
    add(db, files, Options(jobs=jobs), base=base)
    own = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss
    peak = max(own, resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss)
    send.send((time.perf_counter() - t, peak, _cpu() - c))


def _timed_merge(db: str) -> tuple[float, int]:
    """Seconds to merge the recent values into the index (in a copy, one transaction), and how
    many added articles make a merge due at this archive's size (``recent.MERGE_SHARE``)."""
    copy = f"{db}.merge"
    with closing(connect(db)) as con:
        con.execute("PRAGMA wal_checkpoint(TRUNCATE)")
        total = int(con.execute("SELECT count(*) FROM articles").fetchone()[0])
    shutil.copyfile(db, copy)
    os.sync()
    try:
        with closing(connect(copy)) as con:
            t = time.perf_counter()
            _merge_now(con)
            sec = time.perf_counter() - t
    finally:
        for suffix in ("", "-wal", "-shm"):
            Path(f"{copy}{suffix}").unlink(missing_ok=True)
    return sec, max(MERGE_MIN, total // MERGE_SHARE)


def _merged(base: Path) -> bool:
    """Merge ``base``'s recent values into the index (as a forced ``recent.merge``), checkpointed into one
    file; False when there were none: the archive already stood right after a merge."""
    with closing(connect(base)) as con:
        if con.execute("SELECT 1 FROM recent_runs LIMIT 1").fetchone() is None:
            return False
        _merge_now(con)
        con.execute("PRAGMA wal_checkpoint(TRUNCATE)")
    return True


def _merge_now(con: sqlite3.Connection) -> None:
    """Merge the recent values into the index whether or not a merge is due, in one transaction."""
    con.execute("BEGIN IMMEDIATE")
    merge(con, force=True)
    con.execute("COMMIT")


def _mid_cycle(base: Path, mid: Path) -> int:
    """Write ``mid``: ``base`` as it is halfway through a merge cycle; returns how many articles' values are recent.

    The values of the last articles, half as many as make a merge due, go
    from ``band_keys`` back to recent runs, one run per ``BATCH`` articles,
    and the merge mark before them: the state those articles' adds since a
    merge would have left.
    """
    part = Path(f"{mid}.part")
    shutil.copyfile(base, part)
    with closing(connect(part)) as con:
        total = int(con.execute("SELECT count(*) FROM articles").fetchone()[0])
        recent = max(MERGE_MIN, total // MERGE_SHARE) // 2
        (first,) = con.execute("SELECT id FROM articles ORDER BY id DESC LIMIT 1 OFFSET ?", (recent - 1,)).fetchone()
        con.execute("BEGIN IMMEDIATE")
        rows = con.execute("SELECT id, codes FROM articles WHERE id >= ? ORDER BY id", (first,)).fetchall()
        for at in range(0, len(rows), BATCH):
            keys = Keys()
            for art, blob in rows[at : at + BATCH]:
                keys.put(int(art), codes_from(blob))
            keys.write(con)
        con.execute("DELETE FROM band_keys WHERE article >= ?", (first,))
        con.execute("INSERT OR REPLACE INTO meta(key, value) VALUES (?, ?)", (MERGED, str(int(first) - 1)))
        con.execute("COMMIT")
        con.execute("PRAGMA wal_checkpoint(TRUNCATE)")
    part.replace(mid)
    return int(recent)


def _time_batches(
    db: str, bases: list[tuple[str, Path]], batches: list[list[str]], corpus: Path, jobs: int, repeat: int
) -> list[tuple[list[float], float]]:
    """For each ``(label, base)``: each batch's median seconds over ``repeat`` runs from fresh copies of
    ``base``, and the mean of the batches' median CPU seconds. The bases take turns within each
    repeat, so that a slow moment of the machine falls on all of them alike."""
    runs: list[list[list[float]]] = [[[] for _ in batches] for _ in bases]
    cpus: list[list[list[float]]] = [[[] for _ in batches] for _ in bases]
    for _ in range(repeat):
        for b, (label, base) in enumerate(bases):
            for suffix in ("", "-wal", "-shm"):
                Path(f"{db}{suffix}").unlink(missing_ok=True)
            shutil.copyfile(base, db)
            os.sync()  # the copy written out first: an add's commit must not wait for its write-back
            for k, batch in enumerate(batches):
                sec, rss, cpu = _timed_add(db, batch, str(corpus), jobs)
                runs[b][k].append(sec)
                cpus[b][k].append(cpu)
                print(
                    f"{label}batch {k + 1}: {len(batch)} pages (~{BATCH} articles) in {sec:.2f}s ({cpu:.2f} CPU s), "
                    f"peak RSS {rss / 1024:.0f} MB",
                    flush=True,
                )
    found = []
    for b, (label, _) in enumerate(bases):
        times = [statistics.median_high(t) for t in runs[b]]  # each batch's median
        if repeat > 1:
            print(f"{label}medians: " + ", ".join(f"batch {k + 1} {t:.2f}s" for k, t in enumerate(times)), flush=True)
        found.append((times, statistics.mean(statistics.median_high(c) for c in cpus[b])))
    return found


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--articles", type=int, default=100_000)
    ap.add_argument("--batches", type=int, default=2)
    ap.add_argument("--queries", type=int, default=5)
    ap.add_argument("--seed", type=int, default=1)
    ap.add_argument("--jobs", type=int, default=2, help="scan and corpus worker processes")
    ap.add_argument("--work", default=None, help="folder for corpus and archive (default: a temp dir)")
    ap.add_argument("--keep", action="store_true", help="start from the base archive left in --work by a run")
    ap.add_argument("--build-only", action="store_true", help="stop once the base archive is built")
    ap.add_argument("--skip-rescan", action="store_true", help="time batches and queries only (no ratio)")
    ap.add_argument(
        "--repeat", type=int, default=1, help="time the batches this many times, each from a fresh copy; medians"
    )
    args = ap.parse_args()
    work = Path(args.work or tempfile.mkdtemp(prefix="archive-bench-"))
    total = args.articles + args.batches * BATCH
    corpus = work / f"corpus-{total}-{args.seed}"
    if not corpus.exists():
        generate(total, seed=args.seed).write(corpus, jobs=args.jobs)
    pages = sorted(str(p) for p in corpus.rglob("*.txt"))
    per_page = total / len(pages)
    cut = round(args.articles / per_page)
    step = round(BATCH / per_page)
    db = str(work / f"archive-{total}-{args.seed}.db")
    base = work / f"base-{total}-{args.seed}.db"
    mid = work / f"mid-{total}-{args.seed}.db"
    Path(db).unlink(missing_ok=True)
    Path(f"{db}-wal").unlink(missing_ok=True)
    if args.keep and base.exists():
        print(f"archive of {args.articles} articles ({cut} pages) copied from {base}", flush=True)
    else:
        mid.unlink(missing_ok=True)
        t = time.perf_counter()
        for at in range(0, cut, 1000):  # the base archive, in adds of 1,000 pages
            add(db, pages[at : min(at + 1000, cut)], Options(jobs=args.jobs), base=str(corpus))
        print(f"built archive of {args.articles} articles ({cut} pages) in {time.perf_counter() - t:.1f}s", flush=True)
        with closing(connect(db)) as con:  # one file: the WAL checkpointed into it
            con.execute("PRAGMA wal_checkpoint(TRUNCATE)")
        shutil.copyfile(db, base)
    if _merged(base):  # the adds of the build end where they end in a merge cycle
        print("base archive: its recent values merged, so that it stands right after a merge", flush=True)
        mid.unlink(missing_ok=True)
    if args.build_only:
        return
    if not mid.exists():
        recent = _mid_cycle(base, mid)
        print(f"halfway through a merge cycle: a copy with the values of its last {recent} articles recent", flush=True)
    batches = [pages[cut + k * step : cut + (k + 1) * step] for k in range(args.batches)]
    (times, cpu_mean), (halfway, halfway_cpu) = _time_batches(
        db, [("", base), ("halfway: ", mid)], batches, corpus, args.jobs, args.repeat
    )
    merge, every = _timed_merge(db)
    print(
        f"merge of the recent values into the index: {merge:.2f}s, due once per {every} articles added "
        f"(+{merge * BATCH / every:.2f}s per add of ~{BATCH} articles)",
        flush=True,
    )
    q = []
    for file in pages[cut + args.batches * step :][: args.queries] or pages[: args.queries]:
        t = time.perf_counter()
        query(db, file)
        q.append(time.perf_counter() - t)
    st = stats(db)
    mean, mean_halfway = statistics.mean(times), statistics.mean(halfway)
    share = merge * BATCH / every
    print(f"add of ~{BATCH} articles (jobs={args.jobs}): mean {mean:.2f}s after a merge, {mean_halfway:.2f}s halfway", flush=True)
    print(f"query of one page: mean {sum(q) / len(q):.3f}s, max {max(q):.3f}s")
    print(f"archive: {st['articles']} articles, {st['bytes'] / 2**20:.0f} MB, {st['bytes_per_article']} bytes/article")
    if args.skip_rescan:
        return
    rescanned = pages[: cut + step]  # the archive and its first batch: N + 1,000 articles
    t = time.perf_counter()
    c = _cpu()
    res = scan_paths(rescanned, Options(jobs=args.jobs))
    rescan, rescan_cpu = time.perf_counter() - t, _cpu() - c
    print(f"rescan of {res.articles} articles (jobs={args.jobs}): {rescan:.1f}s ({rescan_cpu:.1f} CPU s)")
    print(f"add of ~{BATCH} articles after a merge = {100 * mean / rescan:.2f} % of the rescan")
    print(f"add halfway through a merge cycle = {100 * mean_halfway / rescan:.2f} % of the rescan")
    print(f"add halfway, with its share of the merges = {100 * (mean_halfway + share) / rescan:.2f} % of the rescan")
    print(
        f"in CPU time: {cpu_mean:.2f} s after a merge, {halfway_cpu:.2f} s halfway = "
        f"{100 * cpu_mean / rescan_cpu:.2f} %, {100 * halfway_cpu / rescan_cpu:.2f} % of the rescan's"
    )


if __name__ == "__main__":
    main()
