"""Benchmark ``dedup compare`` against dinglehopper on the sample pair and on long generated pairs.

Why: comparing two printings must stay interactive on real pages (target:
<= 0.3 s for the sample pair) and scale to very long articles (target: >= 5x
faster than dinglehopper's CER + alignment on a ~1 MB pair, and near-linear
growth). dinglehopper is the reference OCR-evaluation tool: it aligns the two
whole texts character by character (rapidfuzz Levenshtein editops), which is
quadratic; dedup aligns paragraphs first and diffs only inside aligned blocks.

What is timed, on the same plain texts:

* ``dedup lib``: ``compare_files(a, b)`` in this process (read, split, pair,
  align, diff, classify), best of ``--repeat`` runs;
* ``dedup cli``: ``python -m dedup compare a b --format json`` as a subprocess
  (interpreter start and imports included), best of ``--repeat`` runs;
* ``dinglehopper``: ``character_error_rate(a, b)`` plus a full pass over
  ``align(a, b)``, in a subprocess with a time limit, one run.

The long pairs are generated deterministically (``--seed``): the sample pages'
body paragraphs, each copy with 5 % of its characters replaced (so copies
differ), form article A; B is A with 1 % more substitutions, full-width commas
made half-width, about 5 % of paragraphs split at a sentence end, 3 % dropped,
and the last 3 % cut off. Sizes are UTF-8 megabytes of A.

Usage::

    python bench/compare_bench.py [--sizes 0.25,0.5,1] [--repeat 3] [--timeout 900]
                                  [--no-dinglehopper] [--out-dir bench/out]
"""

from __future__ import annotations

import argparse
import functools
import itertools
import json
import math
import random
import subprocess
import sys
import time
from collections.abc import Callable, Sequence
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from dedup.compare import compare_files  # noqa: E402
from dedup.ingest import read  # noqa: E402
from dedup.segment import split  # noqa: E402

SAMPLE_A = next((ROOT / "samples").glob("000_*.txt"))
SAMPLE_B = next((ROOT / "samples").glob("001_*.txt"))

_DINGLEHOPPER = """
import json, sys, time
from dinglehopper.align import align
from dinglehopper.character_error_rate import character_error_rate
a = open(sys.argv[1], encoding="utf-8").read()
b = open(sys.argv[2], encoding="utf-8").read()
t = time.perf_counter()
cer = character_error_rate(a, b)
pairs = sum(1 for _ in align(a, b))
print(json.dumps({"seconds": time.perf_counter() - t, "cer": cer, "pairs": pairs}))
"""


def best_of(repeat: int, func: Callable[[], object]) -> float:
    """Smallest wall time of ``repeat`` calls."""
    times = []
    for _ in range(repeat):
        start = time.perf_counter()
        func()
        times.append(time.perf_counter() - start)
    return min(times)


def body_paragraphs() -> list[str]:
    """Body paragraphs of every sample page (headings and bylines left out)."""
    out: list[str] = []
    for page in sorted((ROOT / "samples").glob("*.txt")):
        for article in split(read(page)):
            out.extend(p.text for p in article.paragraphs if p.kind == "body" and len(p.text) > 20)
    return out


def generate(size_mb: float, seed: int) -> tuple[str, str]:
    """A long article pair: A of about ``size_mb`` UTF-8 megabytes and its mutated B."""
    rng = random.Random(seed)
    source = body_paragraphs()
    pool = [chr(c) for c in range(0x4E00, 0x4E00 + 2000)]

    def noisy(text: str, rate: float) -> str:
        return "".join(rng.choice(pool) if rng.random() < rate else c for c in text)

    a = ["## 长篇报道", "本报记者 李娜"]
    size = 0
    while size < size_mb * 1e6:
        p = noisy(rng.choice(source), 0.05)
        a.append(p)
        size += len(p.encode("utf-8")) + 2
    b: list[str] = []
    for p in a:
        roll = rng.random()
        if roll < 0.03 and len(b) > 2:
            continue
        q = noisy(p, 0.01).replace("，", ",")
        cut = q.find("。") + 1
        if roll < 0.08 and 0 < cut < len(q) and not q[cut:].startswith("记者"):
            b.extend([q[:cut], q[cut:]])
        else:
            b.append(q)
    b = b[: int(len(b) * 0.97)]
    return "\n\n".join(a) + "\n", "\n\n".join(b) + "\n"


def run_cli(a: Path, b: Path) -> None:
    subprocess.run(
        [sys.executable, "-m", "dedup", "compare", str(a), str(b), "--format", "json"],
        cwd=ROOT,
        check=True,
        stdout=subprocess.DEVNULL,
    )


def run_dinglehopper(a: Path, b: Path, timeout: float) -> tuple[float | None, str]:
    """dinglehopper's seconds (None on time-out or when missing) and a note."""
    try:
        done = subprocess.run(
            [sys.executable, "-c", _DINGLEHOPPER, str(a), str(b)],
            capture_output=True,
            text=True,
            timeout=timeout,
        )
    except subprocess.TimeoutExpired:
        return None, f"> {timeout:.0f} s (time-out)"
    if done.returncode:
        last = (done.stderr.strip().splitlines() or ["failed"])[-1]
        return None, f"failed: {last}"
    data = json.loads(done.stdout)
    return float(data["seconds"]), f"cer {data['cer']:.4f}"


def fmt(seconds: float | None) -> str:
    return "-" if seconds is None else f"{seconds:.3f}"


def main(argv: Sequence[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--sizes", default="0.25,0.5,1", help="MB of A, comma-separated")
    parser.add_argument("--repeat", type=int, default=3)
    parser.add_argument("--seed", type=int, default=5)
    parser.add_argument("--timeout", type=float, default=900.0, help="dinglehopper limit, s")
    parser.add_argument("--no-dinglehopper", action="store_true")
    parser.add_argument("--out-dir", default=str(ROOT / "bench" / "out"))
    args = parser.parse_args(argv)
    out = Path(args.out_dir)
    out.mkdir(parents=True, exist_ok=True)

    rows: list[tuple[str, int, float, float, float | None, str]] = []
    cases: list[tuple[str, Path, Path]] = [("samples 000/001", SAMPLE_A, SAMPLE_B)]
    sizes = [float(s) for s in args.sizes.split(",") if s]
    for size in sizes:
        text_a, text_b = generate(size, args.seed)
        pa, pb = out / f"long_{size:g}_a.txt", out / f"long_{size:g}_b.txt"
        pa.write_text(text_a, encoding="utf-8")
        pb.write_text(text_b, encoding="utf-8")
        cases.append((f"generated {size:g} MB", pa, pb))

    for name, pa, pb in cases:
        compare_files(pa, pb)  # warm caches and imports
        lib = best_of(args.repeat, functools.partial(compare_files, pa, pb))
        cli = best_of(args.repeat, functools.partial(run_cli, pa, pb))
        if args.no_dinglehopper:
            ding, note = None, "skipped"
        else:
            ding, note = run_dinglehopper(pa, pb, args.timeout)
        chars = len(pa.read_text(encoding="utf-8"))
        rows.append((name, chars, lib, cli, ding, note))
        print(f"  done: {name}", file=sys.stderr, flush=True)

    print()
    print(f"{'pair':<20} {'chars A':>9} {'dedup lib s':>12} {'dedup cli s':>12} "
          f"{'dinglehopper s':>15} {'ratio':>8}  note")
    for name, chars, lib, cli, ding, note in rows:
        shown = f"{ding / lib:.1f}x" if ding is not None else "-"
        print(f"{name:<20} {chars:>9} {lib:>12.3f} {cli:>12.3f} {fmt(ding):>15} {shown:>8}  {note}")

    long_rows = rows[1:]
    if len(long_rows) > 1:
        print("\ngrowth (time ratio for each step up in size):")
        for (n0, c0, l0, _, d0, _), (n1, c1, l1, _, d1, _) in itertools.pairwise(long_rows):
            dg = f"{d1 / d0:.2f}" if d0 and d1 else "-"
            print(f"  {n0} -> {n1}: size x{c1 / c0:.2f}  dedup x{l1 / l0:.2f}  dinglehopper x{dg}")

    print("\ntargets:")
    sample_lib = rows[0][2]
    print(f"  sample pair <= 0.3 s (library): {sample_lib:.3f} s "
          f"{'PASS' if sample_lib <= 0.3 else 'FAIL'}")
    biggest = max(long_rows, key=lambda r: r[1], default=None)
    if biggest is not None and biggest[4] is not None:
        ratio = biggest[4] / biggest[2]
        print(f"  >= 5x faster than dinglehopper on {biggest[0]}: {ratio:.1f}x "
              f"{'PASS' if ratio >= 5 else 'FAIL'}")
    elif biggest is not None and "time-out" in biggest[5]:
        ratio = args.timeout / biggest[2]
        print(f"  >= 5x faster than dinglehopper on {biggest[0]}: > {ratio:.1f}x (time-out) PASS")
    if len(long_rows) > 1:
        first, last = long_rows[0], long_rows[-1]
        exponent = _exponent(first[1], first[2], last[1], last[2])
        print(f"  near-linear growth: time ~ size^{exponent:.2f} "
              f"{'PASS' if exponent <= 1.3 else 'FAIL'}")
    return 0


def _exponent(n0: int, t0: float, n1: int, t1: float) -> float:
    """Exponent k of time ~ size^k between two measurements."""
    return math.log(t1 / t0) / math.log(n1 / n0)


if __name__ == "__main__":
    raise SystemExit(main())
