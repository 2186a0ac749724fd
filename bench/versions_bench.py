"""Scan speed and memory of this tree against another version of dedup, in one run.

Why: a change that should not touch speed (a restructure) is judged by the
ratio of the two versions on the same corpus, on the same machine, at the same
time; figures from different days on a shared machine say little. Runs of the
two versions alternate, so load that comes and goes hits both alike.

    python bench/versions_bench.py --baseline ../old-checkout --sizes 10000,100000 --repeat 3

Both versions scan through the public API (``dedup.find_duplicates``) with
``--jobs`` processes and without explaining the pairs. Prints per size the
median wall time and peak memory (PSS of all processes) of each version, the
ratios new/old, and whether both found the same pairs.
"""

from __future__ import annotations

import argparse
import json
import statistics
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from bench.scan_bench import ensure_corpus, run_sampled  # noqa: E402

_RUN = r"""
import json, sys, time
from dedup import find_duplicates
from dedup.model import Options
start = time.perf_counter()
result = find_duplicates([sys.argv[1]], Options(jobs=int(sys.argv[2]), compare_pairs=False))
elapsed = time.perf_counter() - start
pairs = sorted((p.a, p.b, p.relation) for p in result.pairs)
print(json.dumps({"seconds": elapsed, "candidates": result.candidates, "pairs": pairs}))
"""


def measure(tree: Path, corpus: Path, jobs: int) -> dict[str, object]:
    """One scan of ``corpus`` by the dedup of ``tree``, in a fresh process."""
    return run_sampled([_RUN, str(corpus), str(jobs)], f"scan by {tree}", root=tree)


def differences(corpus: Path, old: dict[str, object], new: dict[str, object]) -> str:
    """How the two versions' pairs differ, against the corpus' planted pairs (``truth.json``)."""
    truth = {tuple(sorted(p)) for p in json.loads((corpus / "truth.json").read_text())}

    def found(run: dict[str, object]) -> set[tuple[str, ...]]:
        return {tuple(sorted(p[:2])) for p in run["pairs"] if p[2] != "continuation"}  # type: ignore[attr-defined]

    a, b = found(old), found(new)
    return (
        f"pairs only old {len(a - b)} (planted {len((a - b) & truth)}), only new {len(b - a)} "
        f"(planted {len((b - a) & truth)}); planted found: old {len(a & truth)}, new {len(b & truth)} "
        f"of {len(truth)}"
    )


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--baseline", type=Path, required=True, help="the other dedup source tree")
    parser.add_argument("--sizes", default="10000")
    parser.add_argument("--seed", type=int, default=1)
    parser.add_argument("--jobs", type=int, default=2)
    parser.add_argument("--repeat", type=int, default=3)
    parser.add_argument("--work", type=Path, default=ROOT / "bench" / "out")
    args = parser.parse_args()
    trees = {"old": args.baseline.resolve(), "new": ROOT}
    print("articles  version  median s  peak MiB  runs")
    for n in (int(x) for x in args.sizes.split(",")):
        corpus = ensure_corpus(args.work, n, args.seed)
        runs: dict[str, list[dict[str, object]]] = {"old": [], "new": []}
        for _ in range(args.repeat):
            for name, tree in trees.items():
                runs[name].append(measure(tree, corpus, args.jobs))
        med = {k: statistics.median(float(str(r["seconds"])) for r in v) for k, v in runs.items()}
        peak = {k: statistics.median(float(str(r["peak_mib"])) for r in v) for k, v in runs.items()}
        for name in trees:
            times = ", ".join(f"{float(str(r['seconds'])):.1f}" for r in runs[name])
            print(f"{n:>8}  {name:<7}  {med[name]:8.1f}  {peak[name]:8.0f}  {times}")
        same = all(r["pairs"] == runs["old"][0]["pairs"] for r in runs["old"] + runs["new"])
        print(
            f"{n:>8}  new/old  time ×{med['new'] / med['old']:.3f}  "
            f"memory ×{peak['new'] / peak['old']:.3f}  same pairs: {same}"
        )
        if not same:
            print(f"{n:>8}  {differences(corpus, runs['old'][0], runs['new'][0])}")


if __name__ == "__main__":
    main()
