#!/usr/bin/env python3
"""Derive the visual-confusables table ``dedup/data/confusables.tsv`` from glyph shapes.

Run by hand (the generated table is committed; tests do not need the fonts)::

    apt-get install -y fonts-noto-cjk fonts-liberation
    pip install pillow numpy
    python tools/build_confusables.py            # writes dedup/data/confusables.tsv, parts.tsv
    python tools/build_confusables.py --report   # also prints calibration and probe pairs

Method
------
Character set: GB2312 level-1 and level-2 hanzi (6763, found by decoding every
GB2312 code point with Python's codec), the GB2312 full-width punctuation
(row 1 punctuation, row 3 non-alphanumerics, plus ``·—〇○□``), printable ASCII,
and every two-character sequence of ASCII letters and digits.

Every glyph is rendered the way a low-resolution scanner sees it: drawn at
64 px (CJK: 58 px font centred in a 64 px em square; Latin: 36 px font on a
fixed baseline in a 72x48 canvas), box-downsampled to a 24x24 (Latin 24x16)
grid and Gaussian blurred.  Each glyph gives two feature tensors per font:

* *pixel*: the blurred grey levels (blur radius 1.0);
* *direction*: four gradient-orientation planes (0/45/90/135 degrees) of the
  lightly blurred image (radius 0.6), the classical feature of printed-Chinese
  OCR classifiers.

Two glyphs are compared, per feature, by the best value over +-1 px shifts
(a scanner's registration error), for all pairs at once with numpy matrix
products:

* hanzi vs hanzi: cosine after subtracting the *mean glyph* of the set, so
  that "ink fills the em square" does not make every pair of dense characters
  look alike; plus (weight 0.2) the same measure on the best-matching half of
  the glyph (left, right, top or bottom), a glyph-derived structural term that
  favours pairs sharing a component;
* Latin letters and digits: the same centred cosine, averaged over the natural
  rendering and a width-normalised one (ink stretched to a fixed width, as an
  OCR engine's size normalisation does), so 0/O and 1/l/I meet;
* Latin single characters vs two-character sequences (``rn``/``m``,
  ``cl``/``d``, ``vv``/``w``, ``li``/``h``...): width-normalised centred
  cosine, only for sequences whose natural width is 0.7-1.45 times the
  character's and which do not contain it; at most 3 per character, >= 0.65;
* punctuation (full-width vs full-width and hanzi, ASCII vs ASCII): Dice
  coefficient 2<a,b>/(|a|^2+|b|^2), rescaled so the median pair scores 0;
  symbol vs hanzi pairs need >= 0.6.

Scores are averaged over a Song/Ming (serif) and a Hei (sans) typeface: Noto
Serif/Sans CJK SC for CJK, Liberation Serif/Sans (Times/Arial metrics) for
Latin.  Each score is clipped to 0..1; for every hanzi the ``--top-k`` nearest
neighbours (24: the most that keeps the table under ~1.3 MB) scoring at least
``--min-score`` are kept, for every other token the nearest ``OTHER_TOP_K``
(8), and a pair is stored once (a < b) with its score.

Shared parts (``dedup/data/parts.tsv``)
---------------------------------------
Whole-glyph likeness misses pairs whose only common ground is one component in
the same place (论/训 share 讠 but their right parts correlate no better than
random ones), and there are far too many such pairs to list (about 1% of all
hanzi pairs).  So the build also derives, from the glyphs, which characters
share a part: each hanzi is drawn at 64 px (no downsampling: a font draws a
component the same way in every character) and binarised; for each region
(left 20 px, right 40 px, top 20 px, bottom 40 px) two characters match when
the intersection-over-union of their ink there is >= ``PART_IOU`` (0.8) and
both have >= ``PART_MIN_INK`` (60) ink pixels in it; matches are closed
transitively (union-find), and two characters share the part when they fall
in the same group in *both* typefaces.  Each group of two or more is one line
``region<TAB>members``.  ``--report`` prints how often random pairs share a
part and score above the thresholds, the numbers that ``dedup.diff`` is
calibrated on.

The output is deterministic: same fonts and parameters give the same bytes.
"""

from __future__ import annotations

import argparse
import string
import sys
import time
from dataclasses import dataclass
from pathlib import Path

import numpy as np
from numpy.typing import NDArray
from PIL import Image, ImageDraw, ImageFilter, ImageFont

Array = NDArray[np.float32]

NOTO = "/usr/share/fonts/opentype/noto/"
LIBERATION = "/usr/share/fonts/truetype/liberation/"
# (path, index inside a .ttc collection); index 2 is the Simplified Chinese face.
CJK_FONTS: dict[str, tuple[str, int]] = {
    "serif": (NOTO + "NotoSerifCJK-Regular.ttc", 2),
    "sans": (NOTO + "NotoSansCJK-Regular.ttc", 2),
}
LATIN_FONTS: dict[str, tuple[str, int]] = {
    "serif": (LIBERATION + "LiberationSerif-Regular.ttf", 0),
    "sans": (LIBERATION + "LiberationSans-Regular.ttf", 0),
}

HI = 64  # render size of the em square, pixels
LO = 24  # feature grid (scanner resolution) for CJK glyphs
PIX_BLUR = 1.0
DIR_BLUR = 0.6
SHIFT = 1
REGION_WEIGHT = 0.2
# Latin tokens: 72x48 canvas, 36 px font on a baseline at y=36, 24x16 grid.
LAT_CANVAS = (72, 48)
LAT_SIZE = 36
LAT_GRID = (24, 16)
LAT_BASELINE = 36.0
LAT_NORM_WIDTH = 30  # ink width after horizontal size normalisation, pixels
SEQ_WIDTH_RATIO = (0.7, 1.45)  # sequence/single natural ink-width ratio allowed
SEQ_TOP_K = 3
OTHER_TOP_K = 8  # neighbours kept per symbol or Latin token (--top-k is for hanzi)
SEQ_MIN_SCORE = 0.65
CROSS_MIN_SCORE = 0.6  # symbol vs hanzi pairs

# Shared parts: region of the 64 px em square -> (rows, columns); IoU and ink floor.
PART_REGIONS: dict[str, tuple[slice, slice]] = {
    "left": (slice(0, HI), slice(0, 20)),
    "right": (slice(0, HI), slice(24, HI)),
    "top": (slice(0, 20), slice(0, HI)),
    "bottom": (slice(24, HI), slice(0, HI)),
}
PART_IOU = 0.8
PART_MIN_INK = 60

# Symbols that GB2312 lacks or spells with another code point in Python's codec.
EXTRA_SYMBOLS = "·—〇○□"

# Probe pairs printed by --report (evaluation only; they do not feed the table).
PROBES: list[tuple[str, str]] = [
    ("论", "训"),
    ("弃", "套"),
    ("己", "已"),
    ("已", "巳"),
    ("己", "巳"),
    ("未", "末"),
    ("土", "士"),
    ("人", "入"),
    ("日", "曰"),
    ("戍", "戌"),
    ("戌", "戊"),
    ("大", "太"),
    ("太", "犬"),
    ("王", "玉"),
    ("木", "本"),
    ("刀", "力"),
    ("拔", "拨"),
    ("候", "侯"),
    ("折", "拆"),
    ("治", "冶"),
    ("汨", "汩"),
    ("免", "兔"),
    ("贝", "见"),
    ("今", "令"),
    ("千", "干"),
    ("干", "于"),
    ("田", "由"),
    ("甲", "申"),
    ("夭", "天"),
    ("鸟", "乌"),
    ("论", "沦"),
    ("论", "伦"),
    ("间", "问"),
    ("日", "目"),
    ("辨", "辩"),
    ("晴", "睛"),
    ("厂", "广"),
    ("瓜", "爪"),
    ("夫", "失"),
    ("午", "牛"),
    ("一", "—"),
    ("，", "、"),
    ("〇", "○"),
    ("口", "□"),
    (",", "."),
    (";", ":"),
    ("$", "S"),
    ("|", "l"),
    ("!", "l"),
    ("0", "O"),
    ("1", "l"),
    ("l", "I"),
    ("1", "I"),
    ("5", "S"),
    ("8", "B"),
    ("rn", "m"),
    ("cl", "d"),
    ("vv", "w"),
    ("li", "h"),
    ("论", "海"),
    ("弃", "水"),
    # editorial substitutions in samples 000/001 (must stay wording)
    ("趟", "辆"),
    ("意", "声"),
    ("情", "意"),
    ("建", "进"),
    ("a", "W"),
]


@dataclass(frozen=True)
class Features:
    """Feature tensors of one glyph set in one font.

    Attributes:
        pix: Blurred grey levels, shape (n, h, w).
        dirs: Gradient-orientation planes, shape (n, 4, h, w).
        widths: Natural ink width of each token on the high-resolution canvas.
    """

    pix: Array
    dirs: Array
    widths: NDArray[np.int64]


def gb2312_rows(first: int, last: int) -> list[str]:
    """Decode every GB2312 code point in rows ``first..last`` (lead bytes)."""
    out: list[str] = []
    for b1 in range(first, last + 1):
        for b2 in range(0xA1, 0xFF):
            try:
                out.append(bytes([b1, b2]).decode("gb2312"))
            except UnicodeDecodeError:
                continue
    return out


def hanzi_set() -> list[str]:
    """GB2312 level-1 and level-2 hanzi (rows 16-87, lead bytes 0xB0-0xF7)."""
    return gb2312_rows(0xB0, 0xF7)


def symbol_set() -> list[str]:
    """Common full-width punctuation: GB2312 row 1 punctuation and row 3 non-alphanumerics."""
    row1 = [bytes([0xA1, b]).decode("gb2312") for b in range(0xA2, 0xC0)]
    row3 = [c for c in gb2312_rows(0xA3, 0xA3) if not c.isalnum()]
    syms = row1 + row3 + [c for c in EXTRA_SYMBOLS if c not in row1 + row3]
    return sorted(set(syms))


def latin_singles() -> list[str]:
    """Printable ASCII letters, digits and punctuation."""
    return sorted(string.ascii_letters + string.digits + string.punctuation)


def latin_sequences() -> list[str]:
    """Every two-character sequence of ASCII letters and digits."""
    alnum = string.ascii_letters + string.digits
    return sorted(a + b for a in alnum for b in alnum)


def _direction_planes(img: Array) -> Array:
    """Split gradient magnitude into four orientation planes (0, 45, 90, 135 degrees)."""
    gy, gx = np.gradient(img, axis=(-2, -1))
    mag = np.hypot(gx, gy)
    ang = np.mod(np.arctan2(gy, gx), np.pi)
    planes = []
    for k in range(4):
        centre = k * np.pi / 4
        dist = np.abs(((ang - centre + np.pi / 2) % np.pi) - np.pi / 2)
        planes.append(mag * np.clip(1 - dist / (np.pi / 4), 0, 1))
    return np.stack(planes, axis=-3).astype(np.float32)


def render(
    tokens: list[str],
    font: tuple[str, int],
    canvas: tuple[int, int],
    size: int,
    grid: tuple[int, int],
    baseline: float | None,
    norm_width: int | None = None,
) -> Features:
    """Render tokens and compute their features.

    Args:
        tokens: Strings to draw (single characters or short sequences).
        font: (path, collection index).
        canvas: (width, height) of the high-resolution canvas.
        size: Font size in pixels.
        grid: (width, height) of the downsampled feature grid.
        baseline: y of the baseline for Latin text, or None to centre the em box.
        norm_width: If given, stretch the ink horizontally to this many pixels
            (vertical position and size are kept), as an OCR engine's size
            normalisation does; used to compare ``rn`` with ``m``.

    Returns:
        Pixel and direction features.
    """
    face = ImageFont.truetype(font[0], size, index=font[1])
    w, h = canvas
    n = len(tokens)
    pix = np.zeros((n, grid[1], grid[0]), np.float32)
    sharp = np.zeros_like(pix)
    widths = np.zeros(n, np.int64)
    for i, tok in enumerate(tokens):
        im = Image.new("L", (w, h), 0)
        draw = ImageDraw.Draw(im)
        if baseline is None:
            draw.text((w / 2, h / 2), tok, font=face, fill=255, anchor="mm")
        else:
            draw.text((w / 2, baseline), tok, font=face, fill=255, anchor="ms")
        box = im.getbbox()
        if box is not None:
            widths[i] = box[2] - box[0]
            if norm_width is not None:
                strip = im.crop((box[0], 0, box[2], h)).resize(
                    (norm_width, h), Image.Resampling.BILINEAR
                )
                im = Image.new("L", (w, h), 0)
                im.paste(strip, ((w - norm_width) // 2, 0))
        small = im.resize(grid, Image.Resampling.BOX)
        pix[i] = np.asarray(small.filter(ImageFilter.GaussianBlur(PIX_BLUR)), np.float32) / 255
        sharp[i] = np.asarray(small.filter(ImageFilter.GaussianBlur(DIR_BLUR)), np.float32) / 255
    return Features(pix=pix, dirs=_direction_planes(sharp), widths=widths)


def _shifted(x: Array, dy: int, dx: int) -> Array:
    """Translate images (last two axes) by (dy, dx), filling with zeros."""
    pad = [(0, 0)] * (x.ndim - 2) + [(SHIFT, SHIFT), (SHIFT, SHIFT)]
    p = np.pad(x, pad)
    h, w = x.shape[-2:]
    return p[..., SHIFT + dy : SHIFT + dy + h, SHIFT + dx : SHIFT + dx + w]


def similarity_matrix(a: Array, b: Array, mode: str, mean: Array | None = None) -> Array:
    """Best similarity over +-SHIFT pixel translations, for all pairs.

    Args:
        a: Images, shape (n, ..., h, w).
        b: Images, shape (m, ..., h, w).
        mode: ``"corr"`` (cosine after subtracting ``mean``) or ``"dice"``
            (2<a,b> / (|a|^2 + |b|^2)).
        mean: Mean image to subtract in ``corr`` mode.

    Returns:
        Matrix (n, m), symmetric in its definition (max over shifts of b and of a).
    """

    def prep(x: Array) -> Array:
        flat = (x - mean if mean is not None else x).reshape(len(x), -1)
        return flat.astype(np.float32)

    def one_way(p: Array, q: Array) -> Array:
        fp = prep(p)
        np_ = (fp * fp).sum(1)
        best: Array | None = None
        for dy in range(-SHIFT, SHIFT + 1):
            for dx in range(-SHIFT, SHIFT + 1):
                fq = prep(_shifted(q, dy, dx))
                nq = (fq * fq).sum(1)
                dot = fp @ fq.T
                if mode == "corr":
                    s = dot / (np.sqrt(np_)[:, None] * np.sqrt(nq)[None, :] + 1e-9)
                else:
                    s = 2 * dot / (np_[:, None] + nq[None, :] + 1e-9)
                best = s if best is None else np.maximum(best, s)
        assert best is not None
        return best.astype(np.float32)

    if a is b:  # same set: one pass, then symmetrise
        s = one_way(a, a)
        return np.maximum(s, s.T)
    return np.maximum(one_way(a, b), one_way(b, a).T)


def region_matrix(x: Array, mean: Array) -> Array:
    """Best correlation of one glyph half (left, right, top, bottom) for all pairs."""
    h, w = x.shape[-2:]
    halves = [
        np.s_[:, :, : w // 2],
        np.s_[:, :, w // 2 :],
        np.s_[:, : h // 2, :],
        np.s_[:, h // 2 :, :],
    ]
    best: Array | None = None
    for sl in halves:
        part = np.ascontiguousarray(x[sl])
        s = similarity_matrix(part, part, "corr", mean[sl[1:]])
        best = s if best is None else np.maximum(best, s)
    assert best is not None
    return best


def hanzi_scores(chars: list[str], feats: list[Features], log: bool) -> Array:
    """Combined hanzi-hanzi score matrix (see module docstring)."""
    n = len(chars)
    total = np.zeros((n, n), np.float32)
    region = np.zeros((n, n), np.float32)
    for f in feats:
        for x in (f.pix, f.dirs):
            t = time.time()
            total += similarity_matrix(x, x, "corr", x.mean(0))
            if log:
                print(f"  channel {x.shape} {time.time() - t:.1f}s", file=sys.stderr)
        region += region_matrix(f.pix, f.pix.mean(0))
    total /= 2 * len(feats)
    region /= len(feats)
    return (1 - REGION_WEIGHT) * total + REGION_WEIGHT * region


def corr_scores(a: list[Features], b: list[Features], ref: list[Features]) -> Array:
    """Mean centred correlation over fonts and feature kinds; centred on ``ref``'s mean glyph."""
    acc: Array | None = None
    for fa, fb, fr in zip(a, b, ref, strict=True):
        for xa, xb, xr in ((fa.pix, fb.pix, fr.pix), (fa.dirs, fb.dirs, fr.dirs)):
            s = similarity_matrix(xa, xb, "corr", xr.mean(0))
            acc = s if acc is None else acc + s
    assert acc is not None
    return (acc / (2 * len(a))).astype(np.float32)


def dice_scores(a: list[Features], b: list[Features]) -> Array:
    """Mean Dice similarity over fonts and feature kinds between two glyph sets."""
    acc: Array | None = None
    for fa, fb in zip(a, b, strict=True):
        for xa, xb in ((fa.pix, fb.pix), (fa.dirs, fb.dirs)):
            s = similarity_matrix(xa, xb, "dice")
            acc = s if acc is None else acc + s
    assert acc is not None
    return (acc / (2 * len(a))).astype(np.float32)


def rescale_dice(d: Array) -> Array:
    """Map Dice values onto the correlation scale: 0 at the median pair, 1 at identity.

    Dice of blurred sparse glyphs is inflated by their common position (most
    punctuation sits in the same corner), just as raw cosine of hanzi is by
    their common square; subtracting the typical value plays the part of
    mean-centring.
    """
    d0 = float(np.median(d))
    return ((d - d0) / (1 - d0)).astype(np.float32)


def render_ink(tokens: list[str], font: tuple[str, int]) -> NDArray[np.bool_]:
    """Binarised 64 px renderings (ink where grey >= 50%), shape (n, HI, HI)."""
    face = ImageFont.truetype(font[0], int(HI * 0.9), index=font[1])
    out = np.zeros((len(tokens), HI, HI), np.bool_)
    for i, tok in enumerate(tokens):
        im = Image.new("L", (HI, HI), 0)
        ImageDraw.Draw(im).text((HI / 2, HI / 2), tok, font=face, fill=255, anchor="mm")
        out[i] = np.asarray(im) >= 128
    return out


def _union_find_labels(n: int, ii: NDArray[np.int64], jj: NDArray[np.int64]) -> list[int]:
    """Connected-component label (smallest member index) of each of n items, given edges."""
    parent = list(range(n))

    def find(x: int) -> int:
        while parent[x] != x:
            parent[x] = parent[parent[x]]
            x = parent[x]
        return x

    for i, j in zip(ii.tolist(), jj.tolist(), strict=True):
        a, b = find(i), find(j)
        if a != b:
            parent[max(a, b)] = min(a, b)
    return [find(i) for i in range(n)]


def part_groups(
    chars: list[str], inks: list[NDArray[np.bool_]]
) -> tuple[list[tuple[str, str]], dict[str, float]]:
    """Groups of characters sharing a part (see "Shared parts" in the module docstring).

    Args:
        chars: The hanzi.
        inks: Their binarised renderings, one array per typeface.

    Returns:
        ``(region, members)`` for every group of two or more (members in
        ``chars`` order), sorted; and, per region, the fraction of all pairs
        of ``chars`` that share that part.
    """
    n = len(chars)
    groups: list[tuple[str, str]] = []
    rates: dict[str, float] = {}
    for region, (rows, cols) in PART_REGIONS.items():
        labels: list[list[int]] = []
        for ink in inks:
            b = ink[:, rows, cols].reshape(n, -1).astype(np.float32)
            inter = b @ b.T
            area = b.sum(1)
            iou = inter / np.maximum(area[:, None] + area[None, :] - inter, 1)
            ok = (iou >= PART_IOU) & (area[:, None] >= PART_MIN_INK) & (area[None, :] >= PART_MIN_INK)
            ii, jj = np.nonzero(np.triu(ok, 1))
            labels.append(_union_find_labels(n, ii.astype(np.int64), jj.astype(np.int64)))
        members: dict[tuple[int, ...], list[str]] = {}
        for k, ch in enumerate(chars):
            members.setdefault(tuple(lab[k] for lab in labels), []).append(ch)
        found = [m for m in members.values() if len(m) > 1]
        rates[region] = sum(len(m) * (len(m) - 1) / 2 for m in found) / (n * (n - 1) / 2)
        groups.extend((region, "".join(m)) for m in found)
    return sorted(groups), rates


def top_pairs(
    rows: list[str], cols: list[str], scores: Array, top_k: int, min_score: float
) -> dict[tuple[str, str], float]:
    """Keep, for each row token, its ``top_k`` best column tokens scoring >= ``min_score``."""
    out: dict[tuple[str, str], float] = {}
    for i, a in enumerate(rows):
        row = scores[i].astype(np.float64)
        # deterministic order: score descending, then token
        order = sorted(range(len(cols)), key=lambda j: (-round(float(row[j]), 6), cols[j]))
        kept = 0
        for j in order:
            b = cols[j]
            if b == a:
                continue
            s = float(row[j])
            if s < min_score or kept >= top_k:
                break
            kept += 1
            key = (a, b) if a < b else (b, a)
            out[key] = max(out.get(key, 0.0), s)
    return out


def build(
    top_k: int, min_score: float, report: bool
) -> tuple[dict[tuple[str, str], float], list[tuple[str, str]], dict[str, object]]:
    """Compute the tables.

    Returns:
        The pairs with scores, the shared-part groups, and diagnostic data for
        ``--report``.
    """
    t0 = time.time()
    hanzi = hanzi_set()
    syms = symbol_set()
    cjk_canvas = (HI, HI)
    cjk_size = int(HI * 0.9)
    hz_feats = [render(hanzi, f, cjk_canvas, cjk_size, (LO, LO), None) for f in CJK_FONTS.values()]
    sym_feats = [render(syms, f, cjk_canvas, cjk_size, (LO, LO), None) for f in CJK_FONTS.values()]
    print(
        f"rendered {len(hanzi)} hanzi, {len(syms)} symbols in {time.time() - t0:.1f}s",
        file=sys.stderr,
    )

    hz = hanzi_scores(hanzi, hz_feats, log=True)
    print(f"hanzi matrix done at {time.time() - t0:.1f}s", file=sys.stderr)
    pairs = top_pairs(hanzi, hanzi, hz, top_k, min_score)
    groups, part_rates = part_groups(hanzi, [render_ink(hanzi, f) for f in CJK_FONTS.values()])
    print(f"shared parts done at {time.time() - t0:.1f}s", file=sys.stderr)

    cjk_all = syms + hanzi
    cat = [
        Features(
            np.concatenate([s.pix, h.pix]),
            np.concatenate([s.dirs, h.dirs]),
            np.concatenate([s.widths, h.widths]),
        )
        for s, h in zip(sym_feats, hz_feats, strict=True)
    ]
    sym_vs_all = rescale_dice(dice_scores(sym_feats, cat))
    # a symbol and a hanzi must agree more closely than two symbols: the Dice of a
    # small mark against a dense glyph is noisy
    cross = sym_vs_all[:, len(syms) :]
    cross[cross < CROSS_MIN_SCORE] = -1
    pairs.update(top_pairs(syms, cjk_all, sym_vs_all, OTHER_TOP_K, min_score))

    # Latin: 72x48 canvas, font size 36, baseline at y=36 -> 24x16 grid.
    singles = latin_singles()
    alnum = [c for c in singles if c.isalnum()]
    punct = [c for c in singles if not c.isalnum()]
    seqs = latin_sequences()

    def lat(tokens: list[str], norm_width: int | None = None) -> list[Features]:
        return [
            render(tokens, f, LAT_CANVAS, LAT_SIZE, LAT_GRID, LAT_BASELINE, norm_width)
            for f in LATIN_FONTS.values()
        ]

    a_nat = lat(alnum)
    a_nrm = lat(alnum, LAT_NORM_WIDTH)
    q_nat = lat(seqs)
    q_nrm = lat(seqs, LAT_NORM_WIDTH)
    p_nat = lat(punct)
    # letters/digits: mean of natural-width and width-normalised correlation
    lat_ss = ((corr_scores(a_nat, a_nat, a_nat) + corr_scores(a_nrm, a_nrm, a_nrm)) / 2).astype(
        np.float32
    )
    pairs.update(top_pairs(alnum, alnum, lat_ss, OTHER_TOP_K, min_score))
    # punctuation vs all ASCII: Dice on natural rendering
    s_nat = [
        Features(
            np.concatenate([p.pix, a.pix]),
            np.concatenate([p.dirs, a.dirs]),
            np.concatenate([p.widths, a.widths]),
        )
        for p, a in zip(p_nat, a_nat, strict=True)
    ]
    lat_ps = rescale_dice(dice_scores(p_nat, s_nat))
    pairs.update(top_pairs(punct, punct + alnum, lat_ps, OTHER_TOP_K, min_score))
    # single vs two-character sequence, both stretched to the same width; only
    # sequences whose natural width is close to the single character's qualify
    lat_sq = corr_scores(a_nrm, q_nrm, a_nrm)
    ws = np.mean([f.widths for f in a_nat], axis=0)
    wq = np.mean([f.widths for f in q_nat], axis=0)
    ratio = wq[None, :] / np.maximum(ws[:, None], 1)
    ok = (ratio >= SEQ_WIDTH_RATIO[0]) & (ratio <= SEQ_WIDTH_RATIO[1])
    # "Ti" for "T" is an insertion, not a shape confusion
    ok &= np.array([[c in q for q in seqs] for c in alnum]) == 0
    lat_sq = np.where(ok, lat_sq, -1).astype(np.float32)
    pairs.update(top_pairs(alnum, seqs, lat_sq, SEQ_TOP_K, max(min_score, SEQ_MIN_SCORE)))
    print(f"all done at {time.time() - t0:.1f}s", file=sys.stderr)

    diag: dict[str, object] = {}
    if report:
        n = len(hanzi)
        all_pairs = n * (n - 1) / 2
        above = {
            t: float(((hz >= t).sum() - int((np.diag(hz) >= t).sum())) / 2 / all_pairs)
            for t in (0.4, 0.45, 0.5, 0.55, 0.6)
        }
        diag = {
            "above": above,
            "part_rates": part_rates,
            "groups": groups,
            "hanzi": hanzi,
            "hz": hz,
            "syms": syms,
            "cjk_all": cjk_all,
            "sym_vs_all": sym_vs_all,
            "alnum": alnum,
            "seqs": seqs,
            "lat_ss": lat_ss,
            "lat_sq": lat_sq,
            "punct": punct,
            "punct_all": punct + alnum,
            "lat_ps": lat_ps,
        }
    return {k: min(1.0, max(0.0, v)) for k, v in pairs.items()}, groups, diag


def _rank(
    row_tokens: list[str], col_tokens: list[str], scores: Array, a: str, b: str
) -> int | None:
    """Rank (1 = nearest) of ``b`` among the neighbours of ``a``."""
    if a not in row_tokens or b not in col_tokens:
        return None
    i = row_tokens.index(a)
    j = col_tokens.index(b)
    row = scores[i].copy()
    if a in col_tokens:
        row[col_tokens.index(a)] = -9
    return int((row > row[j]).sum()) + 1


def print_report(pairs: dict[tuple[str, str], float], diag: dict[str, object]) -> None:
    """Print the calibration numbers, then rank, score and shared part of each probe pair.

    The calibration lines give, over *all* pairs of GB2312 hanzi, the fraction
    scoring at or above a few thresholds and the fraction sharing a part: the
    rate at which a substitution of two unrelated characters would pass each
    visual test.
    """
    above: dict[float, float] = diag["above"]  # type: ignore[assignment]
    rates: dict[str, float] = diag["part_rates"]  # type: ignore[assignment]
    groups: list[tuple[str, str]] = diag["groups"]  # type: ignore[assignment]
    for t, frac in above.items():
        print(f"hanzi pairs scoring >= {t:.2f}: {100 * frac:.3f}%")
    for region, rate in rates.items():
        print(f"hanzi pairs sharing the {region} part: {100 * rate:.3f}%")
    print(f"hanzi pairs sharing any part: <= {100 * sum(rates.values()):.3f}%")
    group_of: dict[tuple[str, str], int] = {}
    for k, (region, members) in enumerate(groups):
        for ch in members:
            group_of[region, ch] = k
    mats: list[tuple[list[str], list[str], Array]] = [
        (diag[r], diag[c], diag[m])  # type: ignore[misc]
        for r, c, m in (
            ("hanzi", "hanzi", "hz"),
            ("syms", "cjk_all", "sym_vs_all"),
            ("alnum", "alnum", "lat_ss"),
            ("punct", "punct_all", "lat_ps"),
            ("alnum", "seqs", "lat_sq"),
        )
    ]
    for a, b in PROBES:
        ranks: list[int] = []
        score = None
        for rows, cols, m in mats:
            for x, y in ((a, b), (b, a)):
                r = _rank(rows, cols, m, x, y)
                if r is not None:
                    ranks.append(r)
                    score = float(m[rows.index(x), cols.index(y)])
        key = (a, b) if a < b else (b, a)
        stored = pairs.get(key)
        best = min(ranks) if ranks else None
        sc = "n/a" if score is None else "masked" if score < 0 else f"{score:.3f}"
        shared = [
            r for r in PART_REGIONS if group_of.get((r, a), -1) == group_of.get((r, b), -2)
        ]
        print(
            f"{a}/{b}\trank {best}\tscore {sc}\tin table: {'yes' if stored is not None else 'no'}"
            f"\tshared part: {'/'.join(shared) or 'none'}"
        )


def write_table(path: Path, pairs: dict[tuple[str, str], float], header: str) -> None:
    """Write the table, sorted, one ``a<TAB>b<TAB>score`` line per pair."""
    lines = [header]
    for (a, b), s in sorted(pairs.items()):
        lines.append(f"{a}\t{b}\t{s:.3f}")
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text("\n".join(lines) + "\n", encoding="utf-8")


def write_parts(path: Path, groups: list[tuple[str, str]], header: str) -> None:
    """Write the shared-part groups, one ``region<TAB>members`` line per group."""
    lines = [header] + [f"{region}\t{members}" for region, members in groups]
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text("\n".join(lines) + "\n", encoding="utf-8")


def main(argv: list[str] | None = None) -> int:
    """Command-line entry point."""
    ap = argparse.ArgumentParser(description=__doc__.split("\n")[0] if __doc__ else None)
    ap.add_argument(
        "--out",
        type=Path,
        default=Path(__file__).resolve().parent.parent / "dedup" / "data" / "confusables.tsv",
    )
    ap.add_argument(
        "--parts-out",
        type=Path,
        default=Path(__file__).resolve().parent.parent / "dedup" / "data" / "parts.tsv",
    )
    ap.add_argument("--top-k", type=int, default=24, help="neighbours kept per hanzi")
    ap.add_argument("--min-score", type=float, default=0.45)
    ap.add_argument(
        "--report", action="store_true", help="print calibration numbers and probe pairs"
    )
    args = ap.parse_args(argv)

    t0 = time.time()
    pairs, groups, diag = build(args.top_k, args.min_score, args.report)
    header = (
        "# visual confusables, derived from glyph shapes by tools/build_confusables.py "
        f"(fonts: Noto Serif/Sans CJK SC Regular, Liberation Serif/Sans Regular; "
        f"{HI}px render -> {LO}x{LO} grid, blur {PIX_BLUR}/{DIR_BLUR}; pixel + 4-direction "
        f"features, best of +-{SHIFT}px shifts; hanzi: mean-centred correlation + "
        f"{REGION_WEIGHT} half-glyph term; Latin: centred cosine, natural + width-normalised, "
        f"2-char sequences vs single chars; punctuation: rescaled Dice; top {args.top_k} "
        f"per hanzi, {OTHER_TOP_K} per other token, score >= {args.min_score}; "
        f"command: python tools/build_confusables.py --top-k {args.top_k} "
        f"--min-score {args.min_score})"
    )
    write_table(args.out, pairs, header)
    print(f"wrote {len(pairs)} pairs to {args.out}", file=sys.stderr)
    parts_header = (
        "# hanzi sharing a part, derived from glyph shapes by tools/build_confusables.py "
        f"(fonts: Noto Serif/Sans CJK SC Regular; {HI}px binarised render; regions "
        + ", ".join(
            f"{r} rows {v[0].start}-{v[0].stop} cols {v[1].start}-{v[1].stop}"
            for r, v in PART_REGIONS.items()
        )
        + f"; ink IoU >= {PART_IOU}, >= {PART_MIN_INK} ink px, closed transitively, "
        "same group in both typefaces; one line per group: region<TAB>members)"
    )
    write_parts(args.parts_out, groups, parts_header)
    print(
        f"wrote {len(groups)} part groups to {args.parts_out} in {time.time() - t0:.0f}s",
        file=sys.stderr,
    )
    if args.report:
        print_report(pairs, diag)
    return 0


if __name__ == "__main__":
    sys.exit(main())
