"""Where the characters of two whole articles align: matched runs, near-linear in length.

The paragraph alignment (``dedup.align``) groups paragraphs by the characters
they share, so it first needs a character alignment of the two articles'
folded texts, taken whole (paragraph breaks ignored, because two printings
rarely break alike). An exact longest common subsequence of two texts costs
``|a|·|b|`` cells; rapidfuzz computes it bit-parallel, which is quick up to a
few tens of thousands of characters. Longer texts are first cut by anchors:
character n-grams that occur exactly once in each text, content-sampled so
that both sides pick the same ones, of which the longest chain increasing on
both sides is kept (patience diff). The stretches between anchors are then
aligned exactly, recursively cut again when still too long. So the work grows
about linearly with the length of the texts, and on the usual article it is
one exact LCS.
"""

from __future__ import annotations

import bisect
from collections import Counter
from typing import TYPE_CHECKING

from rapidfuzz.distance import LCSseq

from dedup.text import codepoints, kgram_list, rolling_hashes, use_numpy

if TYPE_CHECKING:
    import numpy as np
    import numpy.typing as npt

__all__ = ["matched_runs"]

# Largest stretch (cells |a|·|b|) aligned exactly in one step.
_EXACT_CELLS = 60_000_000
# Character n-gram length of the anchors, and one in _SAMPLE n-grams is kept.
_GRAM = 8
_SAMPLE = 4

Run = tuple[int, int, int]  # (start in a, start in b, length)


def matched_runs(a: str, b: str) -> list[Run]:
    """Runs of characters the two texts share, in order on both sides.

    Each run ``(i, j, n)`` says ``a[i:i+n] == b[j:j+n]``; runs increase on
    both sides and do not overlap.

    >>> matched_runs("甲乙丙丁戊", "甲乙X丁戊")
    [(0, 0, 2), (3, 3, 2)]
    """
    out: list[Run] = []
    _align(a, b, 0, 0, out)
    return out


def _align(a: str, b: str, oa: int, ob: int, out: list[Run]) -> None:
    """Append the runs of ``a`` against ``b`` (which start at ``oa``/``ob``)."""
    if not a or not b:
        return
    if len(a) * len(b) <= _EXACT_CELLS:
        _exact(a, b, oa, ob, out)
        return
    chain = _anchor_chain(a, b)
    if not chain:  # nothing shared for sure: align the heads, leave the rest
        cut = max(1, int(_EXACT_CELLS**0.5))
        _exact(a[:cut], b[:cut], oa, ob, out)
        return
    pa = pb = 0
    for i, j in chain:
        if i < pa or j < pb:
            continue
        _align(a[pa:i], b[pb:j], oa + pa, ob + pb, out)
        n = _GRAM
        while i + n < len(a) and j + n < len(b) and a[i + n] == b[j + n]:
            n += 1
        _push(out, oa + i, ob + j, n)
        pa, pb = i + n, j + n
    _align(a[pa:], b[pb:], oa + pa, ob + pb, out)


def _push(out: list[Run], i: int, j: int, n: int) -> None:
    """Append a run, joining it to the previous one when they touch."""
    if out and out[-1][0] + out[-1][2] == i and out[-1][1] + out[-1][2] == j:
        pi, pj, pn = out[-1]
        out[-1] = (pi, pj, pn + n)
    elif n > 0:
        out.append((i, j, n))


def _exact(a: str, b: str, oa: int, ob: int, out: list[Run]) -> None:
    """The exact LCS runs of two stretches (rapidfuzz, bit-parallel)."""
    for op in LCSseq.opcodes(a, b):
        if op.tag == "equal":
            _push(out, oa + op.src_start, ob + op.dest_start, op.src_end - op.src_start)


def _sampled(text: str) -> tuple[npt.NDArray[np.uint64], npt.NDArray[np.int64]]:
    """Hashes of the content-sampled n-grams of a text that occur once, and where."""
    import numpy as np

    cps = codepoints(text)
    count = len(cps) - _GRAM + 1
    if count <= 0:
        return np.zeros(0, dtype=np.uint64), np.zeros(0, dtype=np.int64)
    hashes = rolling_hashes(cps, _GRAM)
    keep = np.flatnonzero((cps[:count] * np.uint64(7) + cps[_GRAM - 1 :]) % np.uint64(_SAMPLE) == 0)
    values, first, counts = np.unique(hashes[keep], return_index=True, return_counts=True)
    once = counts == 1
    return values[once], keep[first[once]].astype(np.int64)


def _sampled_python(text: str) -> dict[int, int]:
    """``_sampled`` without numpy: each sampled n-gram's hash that occurs once, and where."""
    cps = list(map(ord, text))
    kept = [
        (h, p)
        for p, h in enumerate(kgram_list(text, _GRAM))
        if (cps[p] * 7 + cps[p + _GRAM - 1]) % _SAMPLE == 0
    ]
    counts = Counter(h for h, _ in kept)
    return {h: p for h, p in kept if counts[h] == 1}


def _anchor_chain(a: str, b: str) -> list[tuple[int, int]]:
    """Positions of n-grams unique in both texts, longest chain increasing on both sides."""
    if not use_numpy(len(a) + len(b)):
        sa, sb = _sampled_python(a), _sampled_python(b)
        return _longest_chain(sorted((sa[h], sb[h]) for h in sa.keys() & sb.keys()))
    import numpy as np

    ha, pa = _sampled(a)
    hb, pb = _sampled(b)
    _common, ia, ib = np.intersect1d(ha, hb, assume_unique=True, return_indices=True)
    if not len(ia):
        return []
    order = np.argsort(pa[ia], kind="stable")
    points = list(zip(pa[ia][order].tolist(), pb[ib][order].tolist(), strict=True))
    return _longest_chain(points)


def _longest_chain(points: list[tuple[int, int]]) -> list[tuple[int, int]]:
    """Longest subsequence of ``points`` (sorted by i) with increasing j."""
    tails: list[int] = []  # j of the smallest tail of each chain length
    tail_idx: list[int] = []
    prev = [-1] * len(points)
    for idx, (_i, j) in enumerate(points):
        pos = bisect.bisect_left(tails, j)
        if pos > 0:
            prev[idx] = tail_idx[pos - 1]
        if pos == len(tails):
            tails.append(j)
            tail_idx.append(idx)
        else:
            tails[pos] = j
            tail_idx[pos] = idx
    chain: list[tuple[int, int]] = []
    k = tail_idx[-1] if tail_idx else -1
    while k >= 0:
        chain.append(points[k])
        k = prev[k]
    chain.reverse()
    return chain
