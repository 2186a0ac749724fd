"""Fit ``dedup/data/ocr_profile.tsv``: how noisy real OCR is, against real editing.

What: generated Chinese text (random sequences of dictionary words from
``dedup/data/words.txt``, joined by commas and full stops) and generic English
text (a fixed pangram-like vocabulary) are rendered with Noto CJK fonts at
several sizes and qualities (sharp, blurred, downscaled; Pillow), read back with
tesseract (``chi_sim`` / ``eng``), and the output is diffed against the source
with dedup's own character diff. The figure kept is the rate of *short
substitutions* (both sides 1..``short_max`` letters) per 1000 characters.
The editorial rate is that of the real second printing in ``samples/`` (000
against 001, the same story edited by hand). Generated text with a newspaper's
marks (；：“”（） and figures) is rendered the same way to count the OCR marks of
``dedup.evidence.ocr_marks`` in tesseract's raw output (and in the clean source,
which carries none); ``side_marks`` is how many make a side OCR output. The pair threshold
``pair_rate`` is the geometric mean of the editorial rate and the lowest OCR
rate, so a pair noisier than that reads as OCR.

No text of the sample stories is rendered; the dev corpora are not read.

Usage::

    python tools/build_ocr_profile.py [--out dedup/data/ocr_profile.tsv] [--work /tmp/ocrprof]

Needs Pillow, tesseract with chi_sim and eng, and fonts-noto-cjk. Takes a
minute or two; the output is deterministic for one tesseract version.
"""

from __future__ import annotations

import argparse
import math
import random
import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from dedup.classify import letters, to_edits  # noqa: E402
from dedup.compare import compare_files  # noqa: E402
from dedup.diff import changes  # noqa: E402
from dedup.evidence import ocr_marks  # noqa: E402

FONT = "/usr/share/fonts/opentype/noto/NotoSerifCJK-Regular.ttc"
SHORT_MAX = 4
# Fewest OCR marks (``dedup.evidence.ocr_marks``) that make a side OCR output.
SIDE_MARKS = 2
ENGLISH = ["the", "river", "market", "opened", "early", "and", "traders", "carried", "baskets", "of", "grain", "along", "the", "old", "stone", "bridge", "while", "a", "light", "rain", "moved", "across", "the", "valley", "farmers", "spoke", "of", "prices", "and", "weather", "and", "the", "children", "ran", "between", "the", "carts", "a", "clerk", "wrote", "every", "sale", "in", "a", "thick", "ledger", "and", "the", "bell", "of", "the", "town", "hall", "rang", "at", "noon"]
# (font size px, treatment): treatment is sharp, blur or small (rendered at half and upscaled)
RENDERS = ((22, "sharp"), (18, "blur"), (26, "small"), (16, "sharp"))


def short_words() -> list[str]:
    """The two- and three-character words of the shipped dictionary, in its order."""
    path = ROOT / "dedup" / "data" / "words.txt"
    words = [w for w in path.read_text(encoding="utf-8").splitlines() if w and not w.startswith("#")]
    return [w for w in words if len(w) in (2, 3)]


def chinese_text(rng: random.Random, n_chars: int) -> str:
    """Random dictionary words joined into sentences, about ``n_chars`` long."""
    words = short_words()
    out: list[str] = []
    size = 0
    while size < n_chars:
        sentence = "".join(rng.choice(words) for _ in range(rng.randint(3, 6)))
        out.append(sentence + rng.choice("，，。"))
        size += len(out[-1])
    return "".join(out)


def news_text(rng: random.Random, n_chars: int) -> str:
    """Random dictionary words with a newspaper's marks (；：、“”（） and figures), for OCR marks."""
    words = short_words()
    out: list[str] = []
    size = 0
    while size < n_chars:
        parts = []
        for _ in range(rng.randint(3, 6)):
            w, r = rng.choice(words), rng.random()
            if r < 0.08:
                w = f"“{w}”"
            elif r < 0.12:
                w = f"（{w}）"
            elif r < 0.16:
                w += str(rng.randint(2, 2023))
            parts.append(w)
        out.append("".join(parts) + rng.choice("，，，。；：、"))
        size += len(out[-1])
    return "".join(out)


def marks_rows(work: Path) -> list[tuple[int, str, int, float, int]]:
    """OCR marks (``dedup.evidence.ocr_marks``) per 1000 characters of tesseract's raw output.

    Rows of (size, treatment, characters per line, marks per 1000 of the
    output, marks of the source): the source, clean text, carries none.
    """
    rng = random.Random(20261202)
    rows = []
    for size, treatment in RENDERS:
        for per_line in (24, 12):
            text = news_text(rng, 600)
            png = work / f"marks_{size}_{treatment}_{per_line}.png"
            render(text, size, treatment, png, per_line)
            read = ocr(png, "chi_sim")
            per_1000 = 1000.0 * ocr_marks(read) / max(1, len(read))
            rows.append((size, treatment, per_line, per_1000, ocr_marks(text)))
            print(f"marks    {size:3} {treatment:6} {per_line:2}/line ocr={per_1000:5.1f}/1000 source={rows[-1][4]}")
    return rows


def english_text(rng: random.Random, n_words: int) -> str:
    words = [rng.choice(ENGLISH) for _ in range(n_words)]
    return " ".join(words).capitalize() + "."


def render(text: str, size: int, treatment: str, path: Path, per_line: int) -> None:
    """Render text in lines of ``per_line`` characters to a PNG page (Pillow)."""
    from PIL import Image, ImageDraw, ImageFilter, ImageFont

    font = ImageFont.truetype(FONT, size)
    lines = [text[i : i + per_line] for i in range(0, len(text), per_line)]
    step = int(size * 1.6)
    img = Image.new("L", (per_line * size + 2 * size, (len(lines) + 2) * step), 255)
    draw = ImageDraw.Draw(img)
    for k, line in enumerate(lines):
        draw.text((size, size + k * step), line, font=font, fill=0)
    if treatment == "blur":
        img = img.filter(ImageFilter.GaussianBlur(0.9))
    elif treatment == "small":
        w, h = img.size
        img = img.resize((w // 2, h // 2)).resize((w, h))
    img.save(path)


def ocr(path: Path, lang: str) -> str:
    out = subprocess.run(
        ["tesseract", str(path), "stdout", "-l", lang], capture_output=True, text=True, check=True
    )
    return out.stdout


def short_rate(a: str, b: str) -> tuple[float, float]:
    """Short substitutions per 1000 letters of ``a``, and the share of changed letters."""
    edits = to_edits(changes(a, b))
    subs = 0
    for e in edits:
        la, lb = letters(e.a_text), letters(e.b_text)
        if la and lb and max(len(la), len(lb)) <= SHORT_MAX:
            subs += 1
    size = max(1, len(letters(a)))
    return 1000.0 * subs / size, sum(len(letters(e.a_text)) for e in edits) / size


def editorial_rate() -> float:
    """Short substitutions per 1000 letters between the two real printings of the sample story."""
    samples = sorted((ROOT / "samples").glob("*.txt"))
    result = compare_files(samples[0], samples[1])
    best = max(result.explained, key=lambda x: x.comparison.metrics.similarity)
    subs = sum(
        1
        for e in best.comparison.edits
        if e.type in ("wording", "ocr")
        and letters(e.a_text)
        and letters(e.b_text)
        and max(len(letters(e.a_text)), len(letters(e.b_text))) <= SHORT_MAX
    )
    return 1000.0 * subs / max(1, len(letters(best.a.text)))


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--out", default=str(ROOT / "dedup" / "data" / "ocr_profile.tsv"))
    ap.add_argument("--work", default="/tmp/ocrprof")
    args = ap.parse_args(argv)
    work = Path(args.work)
    work.mkdir(parents=True, exist_ok=True)
    rng = random.Random(20261201)
    rows: list[tuple[str, int, str, float, float]] = []
    for lang in ("chi_sim", "eng"):
        for size, treatment in RENDERS:
            if lang == "chi_sim":
                text, per_line = chinese_text(rng, 360), 24
            else:
                text, per_line = english_text(rng, 90), 48
            png = work / f"{lang}_{size}_{treatment}.png"
            render(text, size, treatment, png, per_line)
            read = ocr(png, lang)
            flat = "".join(read.split()) if lang == "chi_sim" else " ".join(read.split())
            rate, cer = short_rate(text, flat)
            rows.append((lang, size, treatment, rate, cer))
            print(f"{lang:8} {size:3} {treatment:6} short/1000={rate:6.1f} changed={cer:.3f}")
    edit = editorial_rate()
    ocr_low = min(r[3] for r in rows if r[0] == "chi_sim")  # clean English reads almost perfectly
    threshold = math.sqrt(max(edit, 0.5) * max(ocr_low, 1.0))
    print(f"editorial short/1000={edit:.1f}  lowest OCR short/1000={ocr_low:.1f}  pair_rate={threshold:.1f}")
    marks = marks_rows(work)
    if any(src for *_, src in marks):
        raise SystemExit("the clean source text carries OCR marks: dedup.evidence.ocr_marks misfires")
    lines = [
        "# Fitted by tools/build_ocr_profile.py: tesseract on rendered text of our own",
        "# against the editorial changes of the real second printing in samples/.",
        "# key<TAB>value; the render rows are comments (lang size treatment short/1000 changed).",
        *(f"# {lang} {size} {t} {rate:.1f} {cer:.3f}" for lang, size, t, rate, cer in rows),
        f"# editorial {edit:.1f}",
        "# OCR marks of a side (size treatment chars/line marks/1000 of the output, of the source):",
        *(f"# marks {size} {t} {n} {m:.1f} {src}" for size, t, n, m, src in marks),
        f"pair_rate\t{threshold:.1f}",
        f"short_max\t{SHORT_MAX}",
        # clean sources carry no mark and every render many: two tolerate one stray mark
        f"side_marks\t{SIDE_MARKS}",
    ]
    Path(args.out).write_text("\n".join(lines) + "\n", encoding="utf-8")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
