"""Benchmark the Spark engine against the local engine on generated corpora.

Prints, for each corpus size and engine: wall time, articles per second, peak
memory (the sum of the proportional set sizes of the scan's process tree,
sampled: the Python driver, for Spark also its JVM and the Python workers the
JVM starts), the time per stage, and the ratio Spark / local. The scans run
with ``--no-compare``: explaining every pair (alignment and typed edits) costs
the same per pair on either engine and would hide what the engines do
differently. The Spark run's JVM start-up is timed apart from the scan.

    python bench/spark_bench.py                        # 10k and 100k articles
    python bench/spark_bench.py --sizes 2000 --jsonl   # quicker; also Spark on JSON Lines

Corpora are generated once into --work (default bench/out) like
bench/scan_bench.py's, by ``python bench/corpus.py DIR --articles N --seed 1
--cer 0,0.08 --min-keep 0.3`` (100,000 articles ≈ 500 MB), and reused.
"""

from __future__ import annotations

import argparse
import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from bench.scan_bench import run_sampled  # noqa: E402

_RUN = r"""
import json, sys, time
engine, corpus, master, jobs = sys.argv[1], sys.argv[2], sys.argv[3], int(sys.argv[4])
from dedup.model import Options
options = Options(jobs=jobs, compare_pairs=False)
marks = []
def progress(stage, done, total):
    marks.append((stage, done, total, time.perf_counter()))
start = time.perf_counter()
startup = 0.0
if engine == "spark":
    from dedup.engines import spark as sp
    session = sp.session(master)
    session.range(1).count()  # the JVM and a first job are up
    startup = time.perf_counter() - start
    start = time.perf_counter()
    result = sp.scan([corpus], options, progress, spark=session)
else:
    from dedup.engines.local import scan
    result = scan([corpus], options, progress)
elapsed = time.perf_counter() - start
stages = {}
for stage, done, total, at in marks:
    first, last = stages.get(stage, (at, at))
    stages[stage] = (min(first, at), max(last, at))
pairs = [(m.a, m.b, m.relation, round(m.similarity, 6), round(m.containment, 6)) for m in result.pairs]
clusters = [(c.id, list(c.articles), c.canonical) for c in result.clusters]
print(json.dumps({"seconds": elapsed, "startup": startup, "articles": result.articles,
                  "candidates": result.candidates, "pairs": pairs, "clusters": clusters,
                  "stages": {k: [a - start, b - start] for k, (a, b) in stages.items()}}))
if engine == "spark":
    session.stop()
"""


def run(engine: str, corpus: Path, master: str, jobs: int) -> dict[str, object]:
    """Scan a corpus in a fresh process; sample the memory of its process tree meanwhile."""
    return run_sampled(
        [_RUN, engine, str(corpus), master, str(jobs)], f"{engine} scan of {corpus}", every=0.5
    )


def ensure_corpus(work: Path, n: int, seed: int, jsonl: bool) -> Path:
    """Generate (once) a corpus of ``n`` articles, with its JSON Lines twin if asked for."""
    target = work / f"corpus-{n}-{seed}"
    pages = target.with_suffix(".jsonl")
    if not (target / "truth.json").exists() or (jsonl and not pages.exists()):
        cmd = [sys.executable, str(ROOT / "bench" / "corpus.py"), str(target),
               "--articles", str(n), "--seed", str(seed), "--cer", "0,0.08", "--min-keep", "0.3"]
        if jsonl:
            cmd += ["--jsonl", str(pages)]
        subprocess.run(cmd, check=True, stdout=subprocess.DEVNULL)
    return target


def _stages(data: dict[str, object]) -> str:
    stages = data["stages"]
    assert isinstance(stages, dict)
    order = ["reading", "verifying", "clustering"]
    marks = {k: v[1] for k, v in stages.items()}
    parts, prev = [], 0.0
    for stage in order:
        if stage in marks:
            parts.append(f"{stage} {marks[stage] - prev:.0f} s")
            prev = marks[stage]
    total = float(data["seconds"])  # type: ignore[arg-type]
    parts.append(f"rest {total - prev:.0f} s")
    return ", ".join(parts)


def main() -> None:
    parser = argparse.ArgumentParser(description=(__doc__ or "").splitlines()[0])
    parser.add_argument("--sizes", default="10000,100000")
    parser.add_argument("--seed", type=int, default=1)
    parser.add_argument("--jobs", type=int, default=2, help="local engine processes")
    parser.add_argument("--master", default="local[2]")
    parser.add_argument("--jsonl", action="store_true", help="also run Spark on the JSON Lines twin")
    parser.add_argument("--work", type=Path, default=ROOT / "bench" / "out")
    args = parser.parse_args()
    for n in (int(s) for s in args.sizes.split(",")):
        corpus = ensure_corpus(args.work, n, args.seed, args.jsonl)
        runs = [("local", corpus), ("spark", corpus)]
        if args.jsonl:
            runs.append(("spark", corpus.with_suffix(".jsonl")))
        results = {}
        for engine, source in runs:
            label = engine if source == corpus else f"{engine} (jsonl)"
            data = run(engine, source, args.master, args.jobs)
            results[label] = data
            secs = float(data["seconds"])  # type: ignore[arg-type]
            print(
                f"{n:>7} articles  {label:<13} {secs:7.1f} s  "
                f"{int(data['articles']) / secs:6.0f} articles/s  "  # type: ignore[call-overload]
                f"peak {float(data['peak_mib']):6.0f} MiB  "  # type: ignore[arg-type]
                f"start-up {float(data['startup']):4.1f} s  "  # type: ignore[arg-type]
                f"[{_stages(data)}]",
                flush=True,
            )
        base = results["local"]
        for label, data in results.items():
            if label == "local":
                continue
            same = data["pairs"] == base["pairs"] and data["clusters"] == base["clusters"]
            ratio = float(data["seconds"]) / float(base["seconds"])  # type: ignore[arg-type]
            mem = float(data["peak_mib"]) / float(base["peak_mib"])  # type: ignore[arg-type]
            print(
                f"{n:>7} articles  {label} / local: time x{ratio:.2f}, peak memory x{mem:.2f}; "
                f"pairs and clusters {'identical' if same else 'DIFFER'} "
                f"({len(base['pairs'])} pairs, {len(base['clusters'])} clusters, "  # type: ignore[arg-type]
                f"{base['candidates']} candidates)",
                flush=True,
            )


if __name__ == "__main__":
    main()
