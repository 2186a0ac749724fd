"""Benchmark: one very large page against the same text as many small pages.

Why: splitting used to number every article's lines from the start of the
page, so one page of tens of thousands of articles took time quadratic in its
size. This benchmark generates a corpus with ``bench/corpus.py``, scans it
once as its ~4-article pages and once as a single file holding all of them
(pages joined by a blank line), in fresh processes, and prints for each the
wall time, peak memory (proportional set size of the process tree) and
articles and pairs found, then the ratio single/many. Linear cost gives a
ratio near 1 with one job; with more jobs the many pages are read in
parallel while one page is read by one process, so the ratio grows with the
jobs. Sizes are the single file's size in MB; the growth between two sizes
shows whether the cost is linear (ratio of the sizes) or not.

    python bench/bigfile_bench.py                    # 200 MB
    python bench/bigfile_bench.py --mb 20,50 --jobs 1

Corpora are generated once into --work (default bench/out) and reused.
"""

from __future__ import annotations

import argparse
import itertools
import json
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from bench.scan_bench import run_sampled  # noqa: E402

# bytes of UTF-8 per generated article (1,700 characters on average, mostly CJK)
_BYTES_PER_ARTICLE = 5_000

_RUN = r"""
import json, sys, tempfile, time
from dedup.model import Options
from dedup.scan import scan_paths, write_outputs
start = time.perf_counter()
result = scan_paths([sys.argv[1]], Options(jobs=int(sys.argv[2])))
with tempfile.TemporaryDirectory() as out:
    write_outputs(result, out + "/out", {"json", "csv"})
print(json.dumps({"seconds": time.perf_counter() - start, "articles": result.articles,
                  "pairs": len(result.pairs), "files": len(result.documents)}))
"""


def ensure(work: Path, mb: int) -> tuple[Path, Path]:
    """The corpus of about ``mb`` MB as pages, and as one file (made once)."""
    import subprocess

    articles = mb * 1_000_000 // _BYTES_PER_ARTICLE
    pages = work / f"bigfile-{mb}mb"
    single = work / f"bigfile-{mb}mb.txt"
    if not (pages / "truth.json").exists():
        subprocess.run(
            [sys.executable, str(ROOT / "bench" / "corpus.py"), str(pages),
             "--articles", str(articles), "--seed", "16", "--jobs", "2"],
            check=True, stdout=subprocess.DEVNULL,
        )
    if not single.exists():
        with single.open("wb") as f:
            for page in sorted(pages.rglob("*.txt")):
                f.write(page.read_bytes().rstrip(b"\n") + b"\n\n")
    return pages, single


def main() -> int:
    """Scan each size both ways and print the figures and the ratios."""
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("--mb", default="200", help="sizes in MB, comma-separated")
    ap.add_argument("--jobs", type=int, default=2)
    ap.add_argument("--work", default=str(ROOT / "bench" / "out"))
    args = ap.parse_args()
    work = Path(args.work)
    work.mkdir(parents=True, exist_ok=True)
    rows = []
    for mb in (int(x) for x in args.mb.split(",")):
        pages, single = ensure(work, mb)
        many = run_sampled([_RUN, str(pages), str(args.jobs)], f"scan of {pages}")
        one = run_sampled([_RUN, str(single), str(args.jobs)], f"scan of {single}")
        size = single.stat().st_size / 1e6
        for label, r in (("pages", many), ("one file", one)):
            print(
                f"{size:7.1f} MB {label:>8}: {r['seconds']:7.1f} s, peak {r['peak_mib']:7.0f} MiB, "
                f"{r['articles']} articles in {r['files']} files, {r['pairs']} pairs"
            )
        ratio = float(one["seconds"]) / float(many["seconds"])  # type: ignore[arg-type]
        print(f"{size:7.1f} MB one file / pages: {ratio:.2f}x (jobs={args.jobs})")
        rows.append((size, float(one["seconds"])))  # type: ignore[arg-type]
    for (s0, t0), (s1, t1) in itertools.pairwise(rows):
        print(f"one file, {s0:.0f} -> {s1:.0f} MB ({s1 / s0:.1f}x the size): {t1 / t0:.1f}x the time")
    print(json.dumps({"sizes_mb": [r[0] for r in rows], "one_file_seconds": [r[1] for r in rows]}))
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
