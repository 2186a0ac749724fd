"""Benchmark ``dedup compare`` against dinglehopper (and an older checkout) on the same pairs.

Why: comparing two printings must stay interactive on real pages (target:
the sample pair in <= 0.3 s as a whole process, start-up included) and scale
to very long articles (targets: >= 25x faster than dinglehopper's CER +
alignment on a ~1 MB pair, no more than 2x slower than a baseline checkout,
near-linear growth). dinglehopper is the reference OCR-evaluation tool: it
aligns the two whole texts character by character (rapidfuzz Levenshtein
editops), which is quadratic; dedup aligns paragraphs first and diffs only
inside aligned blocks.

What is timed, on the same plain texts and in the same run (runs of the
checkouts alternate, so load on the machine hits them alike):

* ``lib``: ``compare_files(a, b)`` in a fresh interpreter, after a warm-up
  comparison of the sample pair (imports, caches), the median over
  ``--repeat`` runs on the sample pair, ``--long-repeat`` on a long pair;
* ``cli``: ``python -m dedup compare a b --format json`` as a whole process
  (interpreter start and imports included; byte-compiled modules written
  once beforehand, as an installed package has them), the median likewise;
* the same two for ``--baseline DIR`` (a checkout or ``git archive`` of an
  older version), when given;
* ``dinglehopper``: ``character_error_rate(a, b)`` plus a full pass over
  ``align(a, b)`` (``lib``) and the whole process (``cli``), one run with a
  time limit, in the interpreter of ``--dinglehopper-python`` (a separate
  venv: ``python3 -m venv /tmp/dh && /tmp/dh/bin/pip install dinglehopper``);
* the floor: ``python -c pass`` and ``python -c "import numpy"``.

The long pairs are generated deterministically (``--seed``): the sample pages'
body paragraphs, each copy with 5 % of its characters replaced (so copies
differ), form article A; B is A with 1 % more substitutions, full-width commas
made half-width, about 5 % of paragraphs split at a sentence end, 3 % dropped,
and the last 3 % cut off. Sizes are UTF-8 megabytes of A.

Usage::

    python bench/compare_bench.py [--sizes 0.25,0.5,1] [--repeat 5] [--long-repeat 1] [--timeout 900]
                                  [--baseline DIR] [--dinglehopper-python PATH]
                                  [--no-dinglehopper] [--out-dir bench/out]
"""

from __future__ import annotations

import argparse
import json
import math
import os
import random
import statistics
import subprocess
import sys
import time
from collections.abc import Sequence
from dataclasses import dataclass, field
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from dedup.ingest import read  # noqa: E402
from dedup.segment import split  # noqa: E402

SAMPLE_A = next((ROOT / "samples").glob("000_*.txt"))
SAMPLE_B = next((ROOT / "samples").glob("001_*.txt"))
DEFAULT_DH = Path(os.environ.get("DINGLEHOPPER_PYTHON", "/tmp/dh/bin/python"))

_DINGLEHOPPER = """
import json, sys, time
from dinglehopper.align import align
from dinglehopper.character_error_rate import character_error_rate
a = open(sys.argv[1], encoding="utf-8").read()
b = open(sys.argv[2], encoding="utf-8").read()
t, c = time.perf_counter(), time.process_time()
cer = character_error_rate(a, b)
pairs = sum(1 for _ in align(a, b))
print(json.dumps({"seconds": time.perf_counter() - t, "cpu": time.process_time() - c, "cer": cer}))
"""

_LIBRARY = """
import json, sys, time
sys.path.insert(0, sys.argv[1])
from dedup.compare import compare_files
compare_files(sys.argv[5], sys.argv[6])  # imports and caches, on the sample pair
times = []
for _ in range(int(sys.argv[4])):
    t, c = time.perf_counter(), time.process_time()
    compare_files(sys.argv[2], sys.argv[3])
    times.append((time.perf_counter() - t, time.process_time() - c))
print(json.dumps(times))
"""


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


@dataclass
class Timing:
    """The figures of one checkout (or of dinglehopper) on one pair, in seconds."""

    lib: list[float] = field(default_factory=list)
    cli: list[float] = field(default_factory=list)
    note: str = ""
    cpu: list[float] = field(default_factory=list)  # CPU seconds of each ``lib`` run

    def median(self, which: str) -> float | None:
        values = {"lib": self.lib, "cli": self.cli, "cpu": self.cpu}[which]
        return statistics.median(values) if values else None


# byte-compiled modules are written and used, as in an installed package
_ENV = {k: v for k, v in os.environ.items() if k != "PYTHONDONTWRITEBYTECODE"}


def _wall(argv: Sequence[str], cwd: Path, timeout: float | None = None) -> tuple[float, str]:
    """Wall time of a whole process and its standard output."""
    start = time.perf_counter()
    done = subprocess.run(
        list(argv), cwd=cwd, capture_output=True, text=True, timeout=timeout, check=False, env=_ENV
    )
    seconds = time.perf_counter() - start
    if done.returncode:
        last = (done.stderr.strip().splitlines() or ["failed"])[-1]
        raise RuntimeError(f"{' '.join(argv[:4])}: {last}")
    return seconds, done.stdout


def time_checkout(root: Path, a: Path, b: Path, repeat: int, timing: Timing) -> None:
    """One more round for a checkout: ``repeat`` library calls in one process, one CLI run."""
    warm = (str(SAMPLE_A), str(SAMPLE_B))
    _, out = _wall([sys.executable, "-c", _LIBRARY, str(root), str(a), str(b), str(repeat), *warm], root)
    for wall, cpu in json.loads(out):
        timing.lib.append(wall)
        timing.cpu.append(cpu)
    timing.cli.append(_wall(cli_command(a, b), root)[0])


def cli_command(a: Path, b: Path) -> list[str]:
    """``dedup compare a b --format json`` in this interpreter."""
    return [sys.executable, "-m", "dedup", "compare", str(a), str(b), "--format", "json"]


def time_dinglehopper(python: Path, a: Path, b: Path, timeout: float) -> Timing:
    """dinglehopper's CER + alignment time and its whole process, or a note why not."""
    if not python.exists():
        return Timing(note=f"no interpreter {python}")
    try:
        whole, out = _wall([str(python), "-c", _DINGLEHOPPER, str(a), str(b)], ROOT, timeout)
    except subprocess.TimeoutExpired:
        return Timing(note=f"> {timeout:.0f} s (time-out)")
    except RuntimeError as exc:
        return Timing(note=f"failed: {exc}")
    data = json.loads(out)
    return Timing([float(data["seconds"])], [whole], f"cer {data['cer']:.4f}", [float(data["cpu"])])


def floor(repeat: int) -> dict[str, float]:
    """Median whole-process time of an empty interpreter and of one that imports numpy."""
    out = {}
    for name, code in (("python -c pass", "pass"), ("python -c 'import numpy'", "import numpy")):
        out[name] = statistics.median(
            _wall([sys.executable, "-c", code], ROOT)[0] for _ in range(repeat)
        )
    return out


def _cpu_of_cli(a: Path, b: Path) -> float:
    """User + system CPU seconds of one ``dedup compare`` process (of this checkout)."""
    before = os.times()
    _wall(cli_command(a, b), ROOT)
    after = os.times()
    return (after.children_user - before.children_user) + (after.children_system - before.children_system)


def fmt(seconds: float | None) -> str:
    return "-" if seconds is None else f"{seconds:.3f}"


def ratio(num: float | None, den: float | None) -> str:
    return "-" if num is None or den is None or den == 0 else f"{num / den:.2f}x"


def cases(sizes: Sequence[float], seed: int, out: Path) -> list[tuple[str, Path, Path]]:
    """The sample pair, then one generated pair per size (written to ``out``)."""
    found: list[tuple[str, Path, Path]] = [("samples 000/001", SAMPLE_A, SAMPLE_B)]
    for size in sizes:
        text_a, text_b = generate(size, seed)
        pa, pb = out / f"long_{size:g}_a.txt", out / f"long_{size:g}_b.txt"
        pa.write_text(text_a, encoding="utf-8")
        pb.write_text(text_b, encoding="utf-8")
        found.append((f"generated {size:g} MB", pa, pb))
    return found


def main(argv: Sequence[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--sizes", default="0.25,0.5,1", help="MB of A, comma-separated")
    parser.add_argument("--repeat", type=int, default=5, help="runs on the sample pair")
    parser.add_argument("--long-repeat", type=int, default=1, help="runs on each long pair")
    parser.add_argument("--seed", type=int, default=5)
    parser.add_argument("--timeout", type=float, default=900.0, help="dinglehopper limit, s")
    parser.add_argument("--baseline", type=Path, default=None, help="an older checkout to compare with")
    parser.add_argument("--dinglehopper-python", type=Path, default=DEFAULT_DH)
    parser.add_argument("--no-dinglehopper", action="store_true")
    parser.add_argument("--out-dir", default=str(ROOT / "bench" / "out"))
    args = parser.parse_args(argv)
    out = Path(args.out_dir)
    out.mkdir(parents=True, exist_ok=True)
    roots = {"dedup": ROOT} | ({"baseline": args.baseline.resolve()} if args.baseline else {})

    for root in roots.values():  # byte-compile each checkout once, untimed
        _wall(cli_command(SAMPLE_A, SAMPLE_B), root)
    rows: list[tuple[str, int, dict[str, Timing]]] = []
    for name, pa, pb in cases([float(s) for s in args.sizes.split(",") if s], args.seed, out):
        timings = {who: Timing() for who in roots}
        rounds = args.repeat if name.startswith("samples") else args.long_repeat
        for _ in range(rounds):  # alternate the checkouts
            for who, root in roots.items():
                time_checkout(root, pa, pb, 1, timings[who])
        if not args.no_dinglehopper:
            timings["dinglehopper"] = time_dinglehopper(args.dinglehopper_python, pa, pb, args.timeout)
        rows.append((name, len(pa.read_text(encoding="utf-8")), timings))
        print(f"  done: {name}", file=sys.stderr, flush=True)
    report(rows, floor(args.repeat), args.dinglehopper_python)
    return 0


def report(rows: list[tuple[str, int, dict[str, Timing]]], base: dict[str, float], dh: Path) -> None:
    """Print the figures, the ratios between them and the targets."""
    print(f"\nmedian seconds (lib: compare_files in the process; cli: the whole process); "
          f"dinglehopper: {dh}")
    for name, value in base.items():
        print(f"  floor: {name:<28} {value:.3f}")
    print(f"{'pair':<18} {'chars A':>8}  {'who':<13} {'lib s':>8} {'cpu s':>8} {'cli s':>8}  "
          f"{'ding/lib':>9} {'ding/cpu':>9} {'ding/cli':>9} {'this/base':>9}  note")
    for name, chars, timings in rows:
        ding, old = timings.get("dinglehopper"), timings.get("baseline")
        for who, t in timings.items():
            vs = {"lib": "", "cpu": "", "cli": "", "base": ""}
            if who != "dinglehopper" and ding is not None:
                vs |= {k: ratio(ding.median(k), t.median(k)) for k in ("lib", "cpu", "cli")}
            if who == "dedup" and old is not None:
                vs["base"] = ratio(t.median("lib"), old.median("lib"))
            print(f"{name:<18} {chars:>8}  {who:<13} {fmt(t.median('lib')):>8} {fmt(t.median('cpu')):>8} "
                  f"{fmt(t.median('cli')):>8}  {vs['lib']:>9} {vs['cpu']:>9} {vs['cli']:>9} "
                  f"{vs['base']:>9}  {t.note}")
    targets(rows)


def targets(rows: list[tuple[str, int, dict[str, Timing]]]) -> None:
    """The acceptance figures: sample pair, 1 MB against dinglehopper and baseline, growth."""
    print("\ntargets:")
    sample = rows[0][2]["dedup"].median("cli") or 0.0
    print(f"  sample pair <= 0.3 s (whole process, median): {sample:.3f} s "
          f"{'PASS' if sample <= 0.3 else 'FAIL'}")
    cpu = statistics.median(_cpu_of_cli(SAMPLE_A, SAMPLE_B) for _ in range(5))
    print(f"  sample pair, CPU of the whole process (user + system, median of 5): {cpu:.3f} s "
          f"{'PASS' if cpu <= 0.3 else 'FAIL'}")
    long_rows = rows[1:]
    if not long_rows:
        return
    name, _chars, big = max(long_rows, key=lambda r: r[1])
    mine = big["dedup"].median("lib") or 0.0
    ding = big.get("dinglehopper")
    if ding is not None and ding.lib:
        for which in ("lib", "cpu"):
            times = (ding.median(which) or 0.0) / (big["dedup"].median(which) or 1.0)
            print(f"  >= 25x faster than dinglehopper on {name} ({which}): {times:.1f}x "
                  f"{'PASS' if times >= 25 else 'FAIL'}")
    old = big.get("baseline")
    if old is not None:
        slower = mine / (old.median("lib") or mine)
        print(f"  <= 2x the baseline on {name}: {slower:.2f}x {'PASS' if slower <= 2 else 'FAIL'}")
    if len(long_rows) > 1:
        (_, c0, t0), (_, c1, t1) = long_rows[0], long_rows[-1]
        exponent = _exponent(c0, t0["dedup"].median("lib") or 0.0, c1, t1["dedup"].median("lib") or 0.0)
        print(f"  near-linear growth: time ~ size^{exponent:.2f} "
              f"{'PASS' if exponent <= 1.3 else 'FAIL'}")
        print(f"  growth per doubling: x{2 ** exponent:.2f}")


def _exponent(n0: int, t0: float, n1: int, t1: float) -> float:
    """Exponent k of time ~ size^k between two measurements."""
    return math.log(t1 / t0) / math.log(n1 / n0)


if __name__ == "__main__":
    raise SystemExit(main())
