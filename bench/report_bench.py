"""Benchmark how fast a large HTML pair report opens in headless Chromium.

Why: an archivist opens pair reports of long articles; a report of 5,000
paragraphs must still be usable within 3 s of asking for it (target: load
event < 3 s). The page keeps the browser's work small: rows are CSS grid rows
with ``content-visibility: auto`` (off-screen rows are not laid out), the
overview strip is positioned by the server, and the script does no work per
row at start-up.

What is measured, on a generated long article pair (sample paragraphs with
5 % noise for A; B with 1 % more, half-width commas, some paragraphs split,
dropped, moved, and the tail cut), for each report:

* ``dcl``: navigation start → DOMContentLoaded end (parsing, plus the inlined
  script, which runs at the end of the body);
* ``load``: navigation start → load event end (what the target is about);
* ``fcp``: navigation start → first contentful paint (when the reader sees
  the top of the report).

Reports: the large one (``--paragraphs``, default 5,000), the same report with
its script removed (what the script costs), and a baseline of a tenth of the
paragraphs (how load grows with size). Several runs each (``--runs``), each in
a fresh tab of one browser; the median is printed with min and max.

With ``--index-articles N`` it measures instead the index of a synthetic scan
of N articles (``bench/index_corpus.py``: files of four articles, one in ten
in a cluster) against one of N/10, the same way (target: load < 3 s).

Usage::

    python bench/report_bench.py [--paragraphs 5000] [--runs 5] [--seed 7] [--index-articles 100000]
                                 [--out-dir bench/out] [--chromium /usr/bin/chromium]
                                 [--chromedriver /usr/bin/chromedriver]
"""

from __future__ import annotations

import argparse
import random
import statistics
import sys
import tempfile
import time
from collections.abc import Sequence
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from bench.compare_bench import body_paragraphs  # noqa: E402
from dedup.compare import compare  # noqa: E402
from dedup.model import Document, Options  # noqa: E402
from dedup.report.html import PairInput, asset, pair_report  # noqa: E402
from dedup.segment import split  # noqa: E402

TARGET_S = 3.0


def generate(paragraphs: int, seed: int) -> tuple[str, str]:
    """A long article pair of about ``paragraphs`` body paragraphs, with edits of every kind."""
    rng = random.Random(seed)
    source = body_paragraphs()
    pool = [chr(c) for c in range(0x4E00, 0x4E00 + 2000)]

    def noisy(text: str, rate: float) -> str:
        return "".join(rng.choice(pool) if rng.random() < rate else c for c in text)

    a = [noisy(rng.choice(source), 0.05) for _ in range(paragraphs)]
    b: list[str] = []
    held: list[str] = []
    for k, p in enumerate(a):
        roll = rng.random()
        if roll < 0.02 and k > 2:
            continue  # dropped: an A-only paragraph
        q = noisy(p, 0.01).replace("，", ",")
        if roll < 0.03 and k > 2:
            held.append(q)  # moved: printed later in B
            continue
        cut = q.find("。") + 1
        if roll < 0.08 and 0 < cut < len(q):
            b.extend([q[:cut], q[cut:]])
        else:
            b.append(q)
        if held and roll > 0.97:
            b.append(held.pop(0))
    b.extend(held)
    b = b[: int(len(b) * 0.97)]
    head = ["## 长篇报道", "本报记者 李娜"]
    text_a = "\n\n".join([*head, *a, "（下转第二版）"]) + "\n"
    text_b = "\n\n".join([*head, *b]) + "\n"
    return text_a, text_b


def build(paragraphs: int, seed: int) -> tuple[bytes, int, int]:
    """The report's bytes, its number of rows and of differences."""
    text_a, text_b = generate(paragraphs, seed)
    doc_a = Document("long_a.txt", text_a, "utf-8")
    doc_b = Document("long_b.txt", text_b, "utf-8")
    (x,), (y,) = split(doc_a), split(doc_b)
    c = compare(x, y, options=Options(), text_a=text_a, text_b=text_b)
    page = pair_report(PairInput(c, x, y, text_a, text_b, relation="partial"))
    rows = len(c.alignment) + sum(1 for blk in c.alignment if blk.kind == "moved")
    return page, rows, len(c.edits)


def without_script(page: bytes) -> bytes:
    """The same page with the body of its inlined script emptied, every other byte kept."""
    script = asset("app.js").encode("utf-8")
    if page.count(script) != 1:
        raise ValueError("the report does not hold the script exactly once")
    return page.replace(script, b"")


def browser(chromium: str, chromedriver: str) -> Any:
    """A headless Chromium driven by Selenium, with a fresh profile."""
    from selenium import webdriver
    from selenium.webdriver.chrome.service import Service

    opts = webdriver.ChromeOptions()
    opts.binary_location = chromium
    for flag in (
        "--headless=new",
        "--no-sandbox",
        "--disable-gpu",
        "--disable-background-networking",
        "--disable-component-update",
        "--disable-sync",
        "--no-first-run",
        f"--user-data-dir={tempfile.mkdtemp(prefix='dedup-bench-')}",
        "--window-size=1400,1000",
    ):
        opts.add_argument(flag)
    return webdriver.Chrome(service=Service(chromedriver), options=opts)


_TIMING = """
const nav = performance.getEntriesByType("navigation")[0];
const paint = performance.getEntriesByName("first-contentful-paint")[0];
return [nav.domContentLoadedEventEnd, nav.loadEventEnd, paint ? paint.startTime : -1];
"""


def measure(driver: Any, path: Path, runs: int) -> list[tuple[float, float, float]]:
    """(dcl, load, fcp) in seconds for ``runs`` fresh loads of ``path``."""
    out = []
    for _ in range(runs):
        driver.get("about:blank")
        driver.get(path.resolve().as_uri())
        deadline = time.monotonic() + 60
        while driver.execute_script(
            "const n = performance.getEntriesByType('navigation')[0]; return n && n.loadEventEnd;"
        ) in (None, 0):
            if time.monotonic() > deadline:
                raise TimeoutError(f"{path} did not finish loading")
            time.sleep(0.05)
        dcl, load, fcp = driver.execute_script(_TIMING)
        out.append((dcl / 1000.0, load / 1000.0, fcp / 1000.0))
    return out


def summary(values: Sequence[float]) -> str:
    return f"{statistics.median(values):7.3f} (min {min(values):.3f}, max {max(values):.3f})"


def index_bench(args: argparse.Namespace, out: Path) -> int:
    """Load time of the index of ``args.index_articles`` synthetic articles, against a tenth."""
    from bench.index_corpus import write_index

    sizes = (args.index_articles, max(1, args.index_articles // 10))
    pages = {}
    for n in sizes:
        folder = out / f"index-{n}"
        _docs, _clusters, pairs = write_index(folder, n, args.seed)
        biggest = max(f.stat().st_size for f in folder.iterdir())
        total = sum(f.stat().st_size for f in folder.iterdir())
        print(f"  built {folder.name}: {n} articles, {len(pairs)} pairs, {total / 1e6:.1f} MB "
              f"in {len(list(folder.iterdir()))} files, largest {biggest / 1e6:.2f} MB", file=sys.stderr)
        pages[n] = folder / "index.html"
    driver = browser(args.chromium, args.chromedriver)
    try:
        results = {}
        for n, path in pages.items():
            measure(driver, path, 1)
            results[n] = measure(driver, path, args.runs)
    finally:
        driver.quit()
    for n, r in results.items():
        print(f"index of {n:>7} articles  dcl {summary([x[0] for x in r])}  load {summary([x[1] for x in r])}")
    big = statistics.median(x[1] for x in results[sizes[0]])
    base = statistics.median(x[1] for x in results[sizes[1]])
    print(f"ratio {sizes[0]} / {sizes[1]} articles (load): {big / base:.2f}x for 10x the articles")
    verdict = "PASS" if big < TARGET_S else "FAIL"
    print(f"target: load of the {sizes[0]}-article index < {TARGET_S:.0f} s: {big:.3f} s {verdict}")
    return 0 if big < TARGET_S else 1


def main(argv: Sequence[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--paragraphs", type=int, default=5000)
    parser.add_argument("--runs", type=int, default=5)
    parser.add_argument("--seed", type=int, default=7)
    parser.add_argument("--out-dir", default=str(ROOT / "bench" / "out"))
    parser.add_argument("--chromium", default="/usr/bin/chromium")
    parser.add_argument("--chromedriver", default="/usr/bin/chromedriver")
    parser.add_argument("--index-articles", type=int, default=0)
    args = parser.parse_args(argv)
    out = Path(args.out_dir)
    out.mkdir(parents=True, exist_ok=True)
    if args.index_articles:
        return index_bench(args, out)

    cases: list[tuple[str, Path, int, int, float]] = []
    small = max(1, args.paragraphs // 10)
    for n in (args.paragraphs, small):
        start = time.perf_counter()
        page, rows, edits = build(n, args.seed)
        seconds = time.perf_counter() - start
        path = out / f"report_{n}.html"
        path.write_bytes(page)
        cases.append((f"{n} paragraphs", path, rows, edits, seconds))
        if n == args.paragraphs:
            bare = out / f"report_{n}_noscript.html"
            bare.write_bytes(without_script(page))
            cases.append((f"{n}, no script", bare, rows, edits, seconds))
        print(f"  built {path.name}: {len(page) / 1e6:.1f} MB, {rows} rows, {edits} differences, "
              f"{seconds:.1f} s to compare and render", file=sys.stderr, flush=True)

    driver = browser(args.chromium, args.chromedriver)
    results: dict[str, list[tuple[float, float, float]]] = {}
    try:
        for name, path, *_ in cases:
            measure(driver, path, 1)  # warm the browser's caches
            results[name] = measure(driver, path, args.runs)
    finally:
        driver.quit()

    print()
    print(f"{'report':<22} {'MB':>5} {'rows':>6} {'diffs':>6}  {'dcl s (median)':<30} "
          f"{'load s (median)':<30} {'fcp s (median)':<30}")
    for name, path, rows, edits, _s in cases:
        r = results[name]
        print(f"{name:<22} {path.stat().st_size / 1e6:5.1f} {rows:>6} {edits:>6}  "
              f"{summary([x[0] for x in r]):<30} {summary([x[1] for x in r]):<30} "
              f"{summary([x[2] for x in r]):<30}")

    big = statistics.median(x[1] for x in results[cases[0][0]])
    bare = statistics.median(x[1] for x in results[cases[1][0]])
    base = statistics.median(x[1] for x in results[cases[2][0]])
    print()
    print(f"ratio {cases[0][0]} / {cases[2][0]} (load): {big / base:.2f}x "
          f"for {args.paragraphs / small:.0f}x the paragraphs")
    print(f"ratio with / without script (load): {big / bare:.2f}x")
    verdict = "PASS" if big < TARGET_S else "FAIL"
    print(f"target: load of the {args.paragraphs}-paragraph report < {TARGET_S:.0f} s: "
          f"{big:.3f} s {verdict}")
    return 0 if big < TARGET_S else 1


if __name__ == "__main__":
    raise SystemExit(main())
