"""The band of the paragraph alignment on long articles: anchors from rare shared n-grams.

The alignment's dynamic programme (``dedup.align``) costs one cell per pair of
paragraphs. On long articles it runs only inside a band around a chain of
anchor pairs found from rare character 6-grams the two sides share, so the
work grows about linearly with the number of paragraphs. The band is an
optimisation: on real pairs it finds the path the full programme finds.
"""

from __future__ import annotations

import bisect
from collections.abc import Sequence

import numpy as np
import numpy.typing as npt

from dedup.text import codepoints, rolling_hashes

__all__ = ["band"]

# Above this many DP cells the programme runs in a band around anchors.
_FULL_CELLS = 2_500
# Slack (in paragraphs) of the band around the anchor chain.
_SLACK = 3
# Character n-gram length and sampling used to find anchors.
_GRAM = 6


def band(a: Sequence[str], b: Sequence[str]) -> tuple[list[int], list[int]]:
    """For each DP row ``i`` (0..n) the allowed column range ``[lo[i], hi[i]]``.

    The whole table when it is small; else a monotone, connected band around
    the anchor chain (or around the diagonal when the texts share no anchor).
    """
    n, m = len(a), len(b)
    if (n + 1) * (m + 1) <= _FULL_CELLS:
        return [0] * (n + 1), [m] * (n + 1)
    chain = _anchors(a, b)
    lo = [0] * (n + 1)
    hi = [m] * (n + 1)
    if chain:
        rows = [i for i, _ in chain]
        for r in range(n + 1):
            # anchors at or before row r-1 bound the start, anchors at or after row r the end
            p = bisect.bisect_right(rows, r - 1) - 1
            q = bisect.bisect_left(rows, r)
            lo[r] = max(0, chain[p][1] - _SLACK) if p >= 0 else 0
            hi[r] = min(m, chain[q][1] + 1 + _SLACK) if q < len(chain) else m
    else:  # nothing shared: a diagonal band keeps the work bounded
        for r in range(n + 1):
            centre = r * m // max(n, 1)
            lo[r] = max(0, centre - 64)
            hi[r] = min(m, centre + 64)
    lo[0], hi[n] = 0, m
    for r in range(1, n + 1):  # monotone and connected
        lo[r] = max(lo[r], lo[r - 1])
    for r in range(n - 1, -1, -1):
        hi[r] = min(hi[r], hi[r + 1])
    for r in range(1, n + 1):
        lo[r] = min(lo[r], hi[r - 1])
    return lo, hi


def _grams(texts: Sequence[str]) -> tuple[npt.NDArray[np.uint64], npt.NDArray[np.int64]]:
    """Sampled character n-gram hashes of every text, and the text each comes from.

    The sample is content-defined (it depends on the n-gram's own characters),
    so both sides pick the same n-grams wherever their texts agree.
    """
    lengths = np.fromiter((len(t) for t in texts), dtype=np.int64, count=len(texts))
    cps = codepoints("".join(texts))
    count = len(cps) - _GRAM + 1
    if count <= 0:
        return np.zeros(0, dtype=np.uint64), np.zeros(0, dtype=np.int64)
    owner = np.repeat(np.arange(len(texts), dtype=np.int64), lengths)
    hashes = rolling_hashes(cps, _GRAM)
    first, last = cps[:count], cps[_GRAM - 1 :]
    keep = (owner[:count] == owner[_GRAM - 1 :]) & ((first * np.uint64(7) + last) % np.uint64(3) == 0)
    return hashes[keep], owner[:count][keep]


def _singles(hashes: npt.NDArray[np.uint64], owner: npt.NDArray[np.int64]) -> tuple[
    npt.NDArray[np.uint64], npt.NDArray[np.int64]
]:
    """The hashes that occur exactly once, sorted, with their texts."""
    values, first, counts = np.unique(hashes, return_index=True, return_counts=True)
    once = counts == 1
    return values[once], owner[first[once]]


def _anchors(a: Sequence[str], b: Sequence[str]) -> list[tuple[int, int]]:
    """A chain of paragraph pairs, increasing in A and non-decreasing in B.

    Each A paragraph votes for the B paragraphs holding the n-grams it holds
    that occur exactly once in each article; its best-voted B paragraph (at
    least two votes) is its candidate, and the longest non-decreasing run of
    candidates is the chain.
    """
    ha, oa = _singles(*_grams(a))
    hb, ob = _singles(*_grams(b))
    _common, ia, ib = np.intersect1d(ha, hb, assume_unique=True, return_indices=True)
    if not len(ia):
        return []
    width = np.int64(len(b) + 1)
    keys, votes = np.unique(oa[ia] * width + ob[ib], return_counts=True)
    rows, cols = keys // width, keys % width
    # per A paragraph the B paragraph with the most votes (the first such on ties)
    order = np.lexsort((cols, -votes, rows))
    rows, cols, votes = rows[order], cols[order], votes[order]
    best = np.ones(len(rows), dtype=bool)
    best[1:] = rows[1:] != rows[:-1]
    best &= votes >= 2
    points = [(int(i), int(j)) for i, j in zip(rows[best], cols[best], strict=True)]
    return _longest_chain(points)


def _longest_chain(points: list[tuple[int, int]]) -> list[tuple[int, int]]:
    """Longest subsequence of ``points`` (sorted by i) with non-decreasing j."""
    tails: list[int] = []  # j of the smallest tail of each chain length
    tail_idx: list[int] = []
    prev = [-1] * len(points)
    for idx, (_i, j) in enumerate(points):
        pos = bisect.bisect_right(tails, j)
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
