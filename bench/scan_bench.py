"""Benchmark ``dedup scan`` on generated corpora, against brute-force and datasketch baselines.

Prints, for each corpus size: articles per second, wall time, peak memory (the
sum of the proportional set sizes of the scan's processes, sampled, so pages
shared after a fork count once), candidates per article beyond the true pairs,
and recall/precision/F1 and ARI of the planted duplicates. In the same run it
times a brute-force rapidfuzz comparison of all pairs on a small corpus, and
prints the ratios: the scan against brute force (``--brute 0`` skips it), and the growth from the smallest
to the largest corpus (linear growth gives the ratio of the sizes).

    python bench/scan_bench.py                      # 10k and 100k articles
    python bench/scan_bench.py --sizes 2000,10000   # quicker
    python bench/scan_bench.py --mode shared --datasketch

``--mode shared`` uses the shared-phrase corpus (boilerplate clauses in 0.5-5 %
of the articles each, ``bench/corpus.py --shared-phrases``). ``--engines``
names the runs of the local engine to time: ``current`` scans without
explaining the pairs, ``compare`` explains every pair as ``dedup scan`` does by
default; every run is compared pair for pair with the first.
``--datasketch`` adds a MinHash-LSH baseline (5-gram shingles, 128
permutations, its LSH pairs taken as found) on the first corpus.

Corpora are generated once into --work (default bench/out) with OCR noise up
to 8 % CER and versions cut to 30 %, and reused.
"""

from __future__ import annotations

import argparse
import json
import os
import subprocess
import sys
import tempfile
import time
from itertools import combinations
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

_RUN = r"""
import json, sys, time
from dedup.engines.local import scan
from dedup.model import Options
start = time.perf_counter()
explain = len(sys.argv) > 3 and sys.argv[3] == "compare"
result = scan([sys.argv[1]], Options(jobs=int(sys.argv[2]), compare_pairs=explain))
elapsed = time.perf_counter() - start
pairs = sorted(tuple(sorted((p.a, p.b))) for p in result.pairs if p.relation != "continuation")
print(json.dumps({"seconds": elapsed, "articles": result.articles,
                  "candidates": result.candidates, "pairs": pairs}))
"""


def _pss_kib(pid: int) -> int:
    """Proportional set size of one process in KiB (0 when it is gone)."""
    try:
        with open(f"/proc/{pid}/smaps_rollup", encoding="ascii") as f:
            for line in f:
                if line.startswith("Pss:"):
                    return int(line.split()[1])
    except OSError:
        return 0
    return 0


def _tree(pid: int) -> list[int]:
    out = [pid]
    try:
        children = Path(f"/proc/{pid}/task/{pid}/children").read_text().split()
    except OSError:
        return out
    for child in children:
        out.extend(_tree(int(child)))
    return out


def run_sampled(
    args: list[str], label: str, every: float = 0.2, root: Path = ROOT
) -> dict[str, object]:
    """Run a Python snippet in a fresh process; sample its tree's memory while it runs.

    The snippet prints one JSON object; it is returned with ``peak_mib`` and
    ``process_seconds`` added. ``root`` is the source tree it imports dedup from
    (it runs in a neutral folder, so only ``root`` is on its path).
    """
    env = dict(os.environ, PYTHONPATH=str(root))
    wall = time.perf_counter()
    # the result goes to a file: a pipe would fill up while the memory is sampled
    with tempfile.TemporaryFile("w+", encoding="utf-8") as out:
        proc = subprocess.Popen(
            [sys.executable, "-c", *args],
            stdout=out,
            stderr=subprocess.DEVNULL,
            env=env,
            cwd=tempfile.gettempdir(),
        )
        peak = 0
        while proc.poll() is None:
            peak = max(peak, sum(_pss_kib(p) for p in _tree(proc.pid)))
            time.sleep(every)
        if proc.returncode:
            raise SystemExit(f"{label} failed with exit code {proc.returncode}")
        out.seek(0)
        data: dict[str, object] = json.load(out)
    data["peak_mib"] = peak / 1024
    data["process_seconds"] = time.perf_counter() - wall
    return data


_DATASKETCH = r"""
import json, sys, time
from datasketch import MinHash, MinHashLSH
from dedup.ingest import discover, read
from dedup.normalize import key_text
from dedup.segment import split
from dedup.pages import article_text
start = time.perf_counter()
ids, sigs = [], []
for file, name in discover([sys.argv[1]]):
    for article in split(read(file, name=name)):
        if article.kind == "furniture":
            continue
        key = key_text(article_text(article))
        if len(key) < 80:
            continue
        m = MinHash(num_perm=128, seed=1)
        m.update_batch([key[i : i + 5].encode("utf-8") for i in range(len(key) - 4)])
        ids.append(article.id)
        sigs.append(m)
lsh = MinHashLSH(threshold=float(sys.argv[2]), num_perm=128)
for k, m in enumerate(sigs):
    lsh.insert(k, m)
pairs = set()
for k, m in enumerate(sigs):
    for other in lsh.query(m):
        if other != k:
            pairs.add(tuple(sorted((ids[k], ids[other]))))
print(json.dumps({"seconds": time.perf_counter() - start, "articles": len(ids),
                  "candidates": len(pairs), "pairs": sorted(pairs)}))
"""


def run_scan(corpus: Path, jobs: int, engine: str = "current") -> dict[str, object]:
    """Scan a corpus in a fresh process with one of the engines; sample its memory."""
    return run_sampled([_RUN, str(corpus), str(jobs), engine], f"scan of {corpus}")


def run_datasketch(corpus: Path, threshold: float) -> dict[str, object]:
    """datasketch MinHash LSH over the same articles, its LSH pairs taken as the answer."""
    return run_sampled([_DATASKETCH, str(corpus), str(threshold)], f"datasketch on {corpus}")


def ensure_corpus(work: Path, n: int, seed: int, mode: str = "old") -> Path:
    """Generate (once) a corpus of ``n`` articles with noisy and cut planted duplicates."""
    shared = mode == "shared"
    target = work / f"{'shared' if shared else 'corpus'}-{n}-{seed}"
    if not (target / "truth.json").exists():
        subprocess.run(
            [sys.executable, str(ROOT / "bench" / "corpus.py"), str(target),
             "--articles", str(n), "--seed", str(seed), "--cer", "0,0.08", "--min-keep", "0.3",
             *(["--shared-phrases"] if shared else [])],
            check=True,
            stdout=subprocess.DEVNULL,
        )
    return target


def ari(articles: int, truth: set[tuple[str, str]], found: set[tuple[str, str]]) -> float:
    """Adjusted Rand index of the clusters two pair sets make (other articles alone)."""

    def labels(pairs: set[tuple[str, str]]) -> dict[str, str]:
        parent: dict[str, str] = {}

        def root(x: str) -> str:
            while parent.setdefault(x, x) != x:
                parent[x] = parent[parent[x]]
                x = parent[x]
            return x

        for a, b in pairs:
            parent[root(a)] = root(b)
        return {x: root(x) for x in parent}

    def c2(n: int) -> float:
        return n * (n - 1) / 2

    t, f = labels(truth), labels(found)
    cells: dict[tuple[str, str], int] = {}
    for x in set(t) | set(f):
        key = (t.get(x, "t" + x), f.get(x, "f" + x))
        cells[key] = cells.get(key, 0) + 1
    rows: dict[str, int] = {}
    cols: dict[str, int] = {}
    for (r, c), n in cells.items():
        rows[r] = rows.get(r, 0) + n
        cols[c] = cols.get(c, 0) + n
    index = sum(c2(n) for n in cells.values())
    a, b, total = sum(map(c2, rows.values())), sum(map(c2, cols.values())), c2(articles)
    expected = a * b / total if total else 0.0
    top = (a + b) / 2
    return 1.0 if top == expected else (index - expected) / (top - expected)


def scores(data: dict[str, object], truth: set[tuple[str, str]]) -> dict[str, float]:
    """Recall, precision, F1, ARI and candidates per article beyond the true pairs."""
    got = {tuple(p) for p in data["pairs"]}  # type: ignore[attr-defined]
    hit = len(truth & got)  # type: ignore[operator]
    recall, precision = hit / len(truth), hit / max(1, len(got))
    articles = int(data["articles"])  # type: ignore[call-overload]
    return {
        "recall": recall,
        "precision": precision,
        "f1": 2 * recall * precision / max(recall + precision, 1e-9),
        "ari": ari(articles, truth, got),  # type: ignore[arg-type]
        "extra": (int(data["candidates"]) - hit) / max(1, articles),  # type: ignore[call-overload]
    }


def line(label: str, n: int, data: dict[str, object], sc: dict[str, float]) -> str:
    """One printed row of figures."""
    return (
        f"{label:>10} {n:>7} articles: {data['seconds']:7.1f} s  "
        f"{data['articles'] / data['seconds']:7.0f} articles/s  "  # type: ignore[operator]
        f"peak {data['peak_mib']:6.0f} MiB  candidates {data['candidates']} "
        f"({sc['extra']:.2f}/article beyond true)  recall {sc['recall']:.4f}  "
        f"precision {sc['precision']:.4f}  F1 {sc['f1']:.4f}  ARI {sc['ari']:.4f}"
    )


def brute_force(corpus: Path, limit: int) -> tuple[float, int]:
    """Verify all pairs among the first ``limit`` articles with rapidfuzz; seconds, pairs."""
    from dedup.ingest import discover, read
    from dedup.match import check
    from dedup.model import Options
    from dedup.normalize import key_text
    from dedup.pages import article_text, profile
    from dedup.segment import split

    options = Options()
    start = time.perf_counter()
    profiles = []
    for file, name in discover([corpus]):
        for article in split(read(file, name=name)):
            key = key_text(article_text(article))
            if len(key) >= options.min_chars:
                profiles.append(profile(article, key))
        if len(profiles) >= limit:
            break
    profiles = profiles[:limit]
    found = sum(1 for a, b in combinations(profiles, 2) if check(a, b, options) is not None)
    return time.perf_counter() - start, found


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--sizes", default="10000,100000")
    parser.add_argument("--seed", type=int, default=1)
    parser.add_argument("--jobs", type=int, default=2)
    parser.add_argument("--brute", type=int, default=1000, help="articles for the baseline")
    parser.add_argument("--work", type=Path, default=ROOT / "bench" / "out")
    parser.add_argument("--mode", choices=("old", "shared"), default="old")
    parser.add_argument("--engines", default="current", help="current,compare")
    parser.add_argument("--current-sizes", help="sizes the current engine runs at (default all)")
    parser.add_argument("--datasketch", action="store_true", help="MinHash-LSH baseline")
    parser.add_argument("--threshold", type=float, default=0.5, help="datasketch LSH threshold")
    args = parser.parse_args()
    sizes = [int(s) for s in args.sizes.split(",")]
    engines = args.engines.split(",")
    current_sizes = {int(s) for s in (args.current_sizes or args.sizes).split(",")}
    runs: dict[tuple[str, int], dict[str, object]] = {}
    for n in sizes:
        corpus = ensure_corpus(args.work, n, args.seed, args.mode)
        truth = {tuple(p) for p in json.loads((corpus / "truth.json").read_text())}
        for engine in engines:
            if engine == "current" and n not in current_sizes:
                continue
            data = run_scan(corpus, args.jobs, engine)
            runs[(engine, n)] = data
            print(line(engine, n, data, scores(data, truth)), flush=True)  # type: ignore[arg-type]
        first = engines[0]
        for other in engines[1:]:
            if (first, n) not in runs or (other, n) not in runs:
                continue
            old = {tuple(p) for p in runs[(first, n)]["pairs"]}  # type: ignore[attr-defined]
            new = {tuple(p) for p in runs[(other, n)]["pairs"]}  # type: ignore[attr-defined]
            ratio = runs[(other, n)]["seconds"] / runs[(first, n)]["seconds"]  # type: ignore[operator]
            print(f"  at {n}: {other} takes {ratio:.2f}x the time of {first}; pairs only {first} "
                  f"{len(old - new)}, only {other} {len(new - old)}, both {len(old & new)}")
        if args.datasketch and n == sizes[0]:
            data = run_datasketch(corpus, args.threshold)
            runs[("datasketch", n)] = data
            print(line("datasketch", n, data, scores(data, truth)), flush=True)  # type: ignore[arg-type]
            for engine in engines:
                if (engine, n) in runs:
                    ratio = data["seconds"] / runs[(engine, n)]["seconds"]  # type: ignore[operator]
                    print(f"  at {n}: {engine} is {ratio:.2f}x the speed of datasketch")
    if args.brute:
        small = ensure_corpus(args.work, sizes[0], args.seed, args.mode)
        brute_s, brute_pairs = brute_force(small, args.brute)
        n_pairs = args.brute * (args.brute - 1) // 2
        per_pair = brute_s / n_pairs
        print(
            f"brute force: {args.brute} articles, {n_pairs} pairs in {brute_s:.1f} s "
            f"({per_pair * 1e6:.0f} µs/pair, {brute_pairs} pairs found)"
        )
        for (engine, n), data in runs.items():
            brute_est = per_pair * n * (n - 1) / 2
            print(f"  at {n} articles brute force would take ~{brute_est:,.0f} s: "
                  f"{engine} is {brute_est / data['seconds']:,.0f}x faster")  # type: ignore[operator]
    for engine in engines:
        done = [n for n in sizes if (engine, n) in runs]
        if len(done) > 1:
            first, last = runs[(engine, done[0])], runs[(engine, done[-1])]
            growth = last["seconds"] / first["seconds"]  # type: ignore[operator]
            print(f"{engine} growth {done[0]} -> {done[-1]} articles: time x{growth:.1f} "
                  f"(linear: x{done[-1] / done[0]:.0f})")
    print("targets: 100k articles <= 180 s and <= 2048 MiB; recall and precision >= 0.98")


if __name__ == "__main__":
    main()
