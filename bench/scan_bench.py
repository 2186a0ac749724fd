"""Benchmark ``dedup scan`` on generated corpora, against a brute-force baseline.

Prints, for each corpus size: articles per second, wall time, peak memory (the
sum of the proportional set sizes of the scan's processes, sampled, so pages
shared after a fork count once) and recall/precision of the planted
duplicates. In the same run it times a brute-force rapidfuzz comparison of all
pairs on a small corpus, and prints the ratios: LSH against brute force, and
the growth from the smallest to the largest corpus (linear growth gives the
ratio of the sizes).

    python bench/scan_bench.py                      # 10k and 100k articles
    python bench/scan_bench.py --sizes 2000,10000   # quicker

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
result = scan([sys.argv[1]], Options(jobs=int(sys.argv[2]), compare_pairs=False))
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


def run_scan(corpus: Path, jobs: int) -> dict[str, object]:
    """Scan a corpus in a fresh process; sample its memory while it runs."""
    return run_sampled([_RUN, str(corpus), str(jobs)], f"scan of {corpus}")


def ensure_corpus(work: Path, n: int, seed: int) -> Path:
    """Generate (once) a corpus of ``n`` articles with noisy and cut planted duplicates."""
    target = work / f"corpus-{n}-{seed}"
    if not (target / "truth.json").exists():
        subprocess.run(
            [sys.executable, str(ROOT / "bench" / "corpus.py"), str(target),
             "--articles", str(n), "--seed", str(seed), "--cer", "0,0.08", "--min-keep", "0.3"],
            check=True,
            stdout=subprocess.DEVNULL,
        )
    return target


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
    args = parser.parse_args()
    sizes = [int(s) for s in args.sizes.split(",")]
    rows = []
    for n in sizes:
        corpus = ensure_corpus(args.work, n, args.seed)
        truth = {tuple(p) for p in json.loads((corpus / "truth.json").read_text())}
        data = run_scan(corpus, args.jobs)
        got = {tuple(p) for p in data["pairs"]}  # type: ignore[attr-defined]
        hit = len(truth & got)
        rows.append((n, data, hit / len(truth), hit / max(1, len(got))))
        print(
            f"{n:>7} articles: {data['seconds']:7.1f} s  "
            f"{data['articles'] / data['seconds']:7.0f} articles/s  "  # type: ignore[operator]
            f"peak {data['peak_mib']:6.0f} MiB  candidates {data['candidates']}  "
            f"recall {hit / len(truth):.4f}  precision {hit / max(1, len(got)):.4f}",
            flush=True,
        )
    small = ensure_corpus(args.work, sizes[0], args.seed)
    brute_s, brute_pairs = brute_force(small, args.brute)
    n_pairs = args.brute * (args.brute - 1) // 2
    per_pair = brute_s / n_pairs
    first = rows[0]
    lsh_per_article = first[1]["seconds"] / first[0]  # type: ignore[operator]
    print(
        f"brute force: {args.brute} articles, {n_pairs} pairs in {brute_s:.1f} s "
        f"({per_pair * 1e6:.0f} µs/pair, {brute_pairs} pairs found)"
    )
    for n, data, _, _ in rows:
        brute_est = per_pair * n * (n - 1) / 2
        print(f"  at {n} articles brute force would take ~{brute_est:,.0f} s: "
              f"LSH scan is {brute_est / data['seconds']:,.0f}x faster")  # type: ignore[operator]
    if len(rows) > 1:
        last = rows[-1]
        growth = last[1]["seconds"] / first[1]["seconds"]  # type: ignore[operator]
        print(f"growth {first[0]} -> {last[0]} articles: time x{growth:.1f} "
              f"(linear: x{last[0] / first[0]:.0f}); per article "
              f"{lsh_per_article * 1e3:.2f} ms -> {last[1]['seconds'] / last[0] * 1e3:.2f} ms")  # type: ignore[operator]
    print("targets: 100k articles <= 180 s and <= 2048 MiB; recall and precision >= 0.98")


if __name__ == "__main__":
    main()
