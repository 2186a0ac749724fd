"""Build ``dedup/data/ocr_confusions.tsv``: which hanzi tesseract really reads for which.

What: every common hanzi (GB2312 level 1, 3,755 characters) is set in two
dictionary words drawn from ``dedup/data/words.txt``, and the common words
(``dedup/data/common_words.txt``) twice over; the words are shuffled into
sentences with a newspaper's marks, set in pages of 30 characters a line
with Noto Serif CJK (``tools/build_ocr_profile.py``'s renderer) at several
sizes and qualities (sharp, blurred, downscaled), and read back with tesseract
``chi_sim``. The output is aligned to the source character by character
(Levenshtein opcodes), and three things are counted:

* ``sub``: one hanzi read as another (an equal-length replacement of up to
  three hanzi gives one pair per position), kept when seen ``MIN_COUNT`` times;
* ``ins``: a hanzi tesseract put in where the source has none;
* ``del``: a hanzi of the source it left out.

Why: a look-alike table misses most of tesseract's substitutions (its
recognition is a language-model-driven sequence reader, not a glyph matcher),
and a word change an editor makes (通过/经过) looks like a misreading
within a word (营建/党建) to any word test. The engine's own record of
which glyph it takes for which tells them apart. No text of the sample stories
is rendered and the development corpora are not read.

Usage::

    python tools/build_ocr_confusions.py [--out dedup/data/ocr_confusions.tsv] [--work /tmp/ocrconf]

Reads cached OCR output from ``--work`` when present; the result is
deterministic for one tesseract version (the header records it).
"""

from __future__ import annotations

import argparse
import os
import random
import subprocess
import sys
from collections import Counter
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path

from rapidfuzz.distance import Levenshtein

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT / "tools"))

from build_ocr_profile import render  # noqa: E402

# (font size px, treatment), as in build_ocr_profile.py
RENDERS = ((22, "sharp"), (18, "blur"), (26, "small"))
PAGE = 900  # characters a page
PER_LINE = 30
WORDS_PER_CHAR = 2
MIN_COUNT = 1
COMMON_PASSES = 2
# (font size px, treatment) for the pages of common words
COMMON_RENDERS = ((22, "sharp"), (18, "blur"))
SEED = 20261203


def level1() -> list[str]:
    """The 3,755 hanzi of GB2312 level 1, in code order."""
    out = []
    for hi in range(0xB0, 0xD8):
        for lo in range(0xA1, 0xFF):
            if hi == 0xD7 and lo > 0xF9:
                break
            out.append(bytes((hi, lo)).decode("gb2312"))
    return out


def source_text(rng: random.Random) -> str:
    """Words covering every level-1 hanzi, joined into sentences with newspaper marks."""
    path = ROOT / "dedup" / "data" / "words.txt"
    words = [w for w in path.read_text(encoding="utf-8").splitlines() if w and not w.startswith("#")]
    by_char: dict[str, list[str]] = {}
    for w in words:
        if len(w) in (2, 3):
            for c in set(w):
                by_char.setdefault(c, []).append(w)
    chosen: list[str] = []
    for c in level1():
        found = by_char.get(c, [])
        chosen += rng.sample(found, min(WORDS_PER_CHAR, len(found))) if found else [c]
    rng.shuffle(chosen)
    out: list[str] = []
    k = 0
    while k < len(chosen):
        n = rng.randint(3, 6)
        part = chosen[k : k + n]
        k += n
        if rng.random() < 0.1:
            part[0] = f"“{part[0]}”"
        out.append("".join(part) + rng.choice("，，，。。、；"))
    return "".join(out)


def common_text(rng: random.Random) -> str:
    """The common words (``dedup/data/common_words.txt``), ``COMMON_PASSES`` shuffles, as sentences.

    News text is mostly made of these; tesseract's language model reads them
    differently from rare words, and their glyphs are the ones that matter.
    """
    path = ROOT / "dedup" / "data" / "common_words.txt"
    words = [w for w in path.read_text(encoding="utf-8").splitlines() if w and not w.startswith("#")]
    out: list[str] = []
    for _ in range(COMMON_PASSES):
        order = list(words)
        rng.shuffle(order)
        for k in range(0, len(order), 5):
            out.append("".join(order[k : k + 5]) + rng.choice("，，。、"))
    return "".join(out)


def ocr_page(png: Path) -> str:
    """Tesseract's reading of one page (cached next to the image)."""
    cache = png.with_suffix(".txt")
    if cache.is_file():
        return cache.read_text(encoding="utf-8")
    env = dict(os.environ, OMP_THREAD_LIMIT="1")
    out = subprocess.run(
        ["tesseract", str(png), "stdout", "-l", "chi_sim"],
        capture_output=True, text=True, check=True, env=env,
    ).stdout
    cache.write_text(out, encoding="utf-8")
    return out


def _hanzi(s: str) -> bool:
    return bool(s) and all("\u4e00" <= c <= "\u9fff" for c in s)


def count(source: str, read: str, subs: Counter[tuple[str, str]], ins: Counter[str], dels: Counter[str]) -> None:
    """Add the substitutions, insertions and deletions of one page to the counters."""
    for op, s1, e1, s2, e2 in Levenshtein.opcodes(source, read):
        a, b = source[s1:e1], read[s2:e2]
        if op == "replace" and len(a) == len(b) <= 3 and _hanzi(a) and _hanzi(b):
            for x, y in zip(a, b, strict=True):
                subs[(min(x, y), max(x, y))] += 1
        elif op == "insert" and len(b) == 1 and _hanzi(b):
            ins[b] += 1
        elif op == "delete" and len(a) == 1 and _hanzi(a):
            dels[a] += 1


def tesseract_version() -> str:
    out = subprocess.run(["tesseract", "--version"], capture_output=True, text=True, check=True)
    return (out.stdout or out.stderr).splitlines()[0].strip()


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--out", default=str(ROOT / "dedup" / "data" / "ocr_confusions.tsv"))
    ap.add_argument("--work", default="/tmp/ocrconf")
    ap.add_argument("--jobs", type=int, default=2)
    args = ap.parse_args(argv)
    work = Path(args.work)
    work.mkdir(parents=True, exist_ok=True)
    text = source_text(random.Random(SEED))
    pages = [text[i : i + PAGE] for i in range(0, len(text), PAGE)]
    common = common_text(random.Random(SEED + 1))
    common_pages = [common[i : i + PAGE] for i in range(0, len(common), PAGE)]
    jobs = []
    for prefix, renders, texts in (("p", RENDERS, pages), ("c", COMMON_RENDERS, common_pages)):
        for size, treatment in renders:
            for k, page in enumerate(texts):
                png = work / f"{prefix}{size}_{treatment}_{k:03}.png"
                if not png.with_suffix(".txt").is_file():
                    render(page, size, treatment, png, PER_LINE)
                jobs.append((page, png))
    with ThreadPoolExecutor(args.jobs) as pool:
        reads = list(pool.map(lambda job: ocr_page(job[1]), jobs))
    subs: Counter[tuple[str, str]] = Counter()
    ins: Counter[str] = Counter()
    dels: Counter[str] = Counter()
    for (page, _), read in zip(jobs, reads, strict=True):
        count(page, "".join(read.split()), subs, ins, dels)
    rendered = sum(len(page) for page, _ in jobs)
    lines = [
        "# tesseract's own confusions, built by tools/build_ocr_confusions.py",
        f"# {tesseract_version()} chi_sim; Noto Serif CJK; renders {RENDERS}, common words {COMMON_RENDERS}; "
        f"{rendered} characters read; seed {SEED}",
        "# sub<TAB>a<TAB>b<TAB>count (a < b, either way round) | ins<TAB>c<TAB>count | del<TAB>c<TAB>count",
        f"chars\t{rendered}",
    ]
    lines += [f"sub\t{a}\t{b}\t{n}" for (a, b), n in sorted(subs.items()) if n >= MIN_COUNT]
    lines += [f"ins\t{c}\t{n}" for c, n in sorted(ins.items())]
    lines += [f"del\t{c}\t{n}" for c, n in sorted(dels.items())]
    Path(args.out).write_text("\n".join(lines) + "\n", encoding="utf-8")
    print(f"{len(jobs)} pages; {sum(subs.values())} substitutions "
          f"({len(subs)} pairs), {sum(ins.values())} insertions, {sum(dels.values())} deletions")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
