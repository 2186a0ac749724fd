"""Verify candidate pairs and name their relation (duplicate or partial).

Similarity is the share of both texts in their longest common subsequence
(rapidfuzz Indel: ``2·LCS / (|a| + |b|)``). Containment is the share of the
shorter text found, in order, inside the stretch of the longer text it lines up
with, so that a version cut at （下转第二版） still pairs with the full one.
Measuring containment against the whole longer text would not do: by chance
alone a short text finds most of its characters, in order, somewhere in a long
one. The stretch is found from the shingles the two texts share.

Grouping the verified pairs into stories and choosing a canonical version is
``dedup.cluster``'s work; its names are re-exported here for the modules that
still import them from this one.
"""

from __future__ import annotations

import functools
from collections import Counter
from collections.abc import Callable

from rapidfuzz.distance import LCSseq

from dedup.model import Match, Options, Profile, Relation, id_order
from dedup.text import kgram_hashes, kgram_list, use_numpy

_K = 4  # character n-gram that locates the shorter text in the longer
# Below this share of shared 4-grams two texts are not printings of one story:
# even at 15 % character errors on both sides about a quarter of them survive.
MIN_SHARED = 0.12

__all__ = ["MIN_SHARED", "check", "relation", "verify", "verify_spans"]


Span = tuple[int, int]
# the length of a longest common subsequence of two texts
Lcs = Callable[[str, str], int]


def _shared(short: str, long: str) -> tuple[float, int | None, Span, Span]:
    """Share of the shorter text's shingles found in the longer, where it lines up, and the regions.

    The place is the dominant diagonal (offset in ``long`` minus offset in
    ``short``) of the shared shingles; None when they share fewer than three.
    The regions (of ``short`` and of ``long``) span the shared shingles that
    lie near that diagonal: the stretch of each text that printed the other.
    A shingle of ``short`` is placed at its first occurrence in ``long``.
    """
    if use_numpy(len(short) + len(long)):
        return _shared_numpy(short, long)
    return _shared_python(short, long)


def _shared_numpy(short: str, long: str) -> tuple[float, int | None, Span, Span]:
    """``_shared`` on numpy arrays (long texts, or where numpy is loaded)."""
    import numpy as np

    hs, hl = kgram_hashes(short, _K), kgram_hashes(long, _K)
    if not len(hs) or not len(hl):
        return 0.0, None, (0, 0), (0, 0)
    order = np.argsort(hl, kind="stable")
    sorted_hl = hl[order]
    idx = np.searchsorted(sorted_hl, hs)
    ok = idx < len(hl)
    ok[ok] = sorted_hl[idx[ok]] == hs[ok]
    found = int(ok.sum())
    if found < 3:
        return found / len(hs), None, (0, 0), (0, 0)
    at_long = order[idx[ok]].astype(np.int64)
    at_short = np.flatnonzero(ok)
    diag = at_long - at_short
    bins = (diag - diag.min()) // 32
    best = int(np.bincount(bins).argmax())
    at = int(np.median(diag[bins == best]))
    near = np.abs(diag - at) <= int(0.15 * len(short)) + 16
    s_pos, l_pos = at_short[near], at_long[near]
    span_s = (int(s_pos.min()), int(s_pos.max()) + _K)
    span_l = (int(l_pos.min()), int(l_pos.max()) + _K)
    return found / len(hs), at, span_s, span_l


def _shared_python(short: str, long: str) -> tuple[float, int | None, Span, Span]:
    """``_shared`` in plain Python, the same figures exactly (short texts, numpy not loaded)."""
    hs, first = _grams(short)[0], _grams(long)[1]
    if not hs or not first:
        return 0.0, None, (0, 0), (0, 0)
    at_short = [i for i, h in enumerate(hs) if h in first]
    if len(at_short) < 3:
        return len(at_short) / len(hs), None, (0, 0), (0, 0)
    diag = [first[hs[i]] - i for i in at_short]
    low = min(diag)
    counts = Counter((d - low) // 32 for d in diag)
    best = max(sorted(counts), key=counts.__getitem__)  # the first of the fullest bins
    inside = sorted(d for d in diag if (d - low) // 32 == best)
    half = len(inside) // 2  # the median as numpy takes it: the mean of the middle two
    at = int(inside[half] if len(inside) % 2 else (inside[half - 1] + inside[half]) / 2)
    slack = int(0.15 * len(short)) + 16
    s_pos = [i for i, d in zip(at_short, diag, strict=True) if abs(d - at) <= slack]
    l_pos = [i + d for i, d in zip(at_short, diag, strict=True) if abs(d - at) <= slack]
    return len(at_short) / len(hs), at, (s_pos[0], s_pos[-1] + _K), (min(l_pos), max(l_pos) + _K)


@functools.lru_cache(maxsize=16)
def _grams(text: str) -> tuple[list[int], dict[int, int]]:
    """A text's 4-gram hashes in order, and where each first occurs.

    Cached: pairing the articles of two pages verifies each article against
    every article of the other page.
    """
    hashes = kgram_list(text, _K)
    # written from the end, so each hash keeps its first position
    return hashes, dict(zip(reversed(hashes), range(len(hashes) - 1, -1, -1), strict=True))


def verify(key_a: str, key_b: str, lcs: Lcs | None = None) -> tuple[float, float]:
    """Similarity and containment (both 0..1) of two folded texts.

    ``lcs`` counts the common subsequence (default: exactly, rapidfuzz's
    bit-parallel LCS, whose time grows with the product of the lengths).

    >>> verify("高擎红色旗帜筑牢坚强堡垒", "高擎红色旗帜筑牢坚强堡垒")
    (1.0, 1.0)
    """
    similarity, containment, _, _ = verify_spans(key_a, key_b, lcs)
    return similarity, containment


def verify_spans(key_a: str, key_b: str, lcs: Lcs | None = None) -> tuple[float, float, Span, Span]:
    """``verify``, and the region of each text that matched the other (``Match.a_span``)."""
    swap = len(key_a) > len(key_b)
    short, long = (key_b, key_a) if swap else (key_a, key_b)
    if not short:
        return 0.0, 0.0, (0, 0), (0, 0)
    shared, at, span_s, span_l = _shared(short, long)
    spans = (span_l, span_s) if swap else (span_s, span_l)
    if shared < MIN_SHARED:
        # Not a printing of the same story: spare the dearer alignment. The
        # figures returned are upper bounds, far below any threshold.
        return min(shared * 2, 1.0), min(shared * 2, 1.0), *spans
    count: Lcs = lcs or LCSseq.similarity
    common = count(short, long)
    similarity = 2.0 * common / (len(short) + len(long))
    if len(long) <= 1.3 * len(short) + 20:
        return similarity, common / len(short), *spans
    if at is None:
        return similarity, 0.0, *spans
    slack = int(0.15 * len(short)) + 16
    window = long[max(0, at - slack) : at + len(short) + slack]
    return similarity, count(short, window) / len(short), *spans


def relation(
    similarity: float, containment: float, a: Profile, b: Profile, options: Options
) -> Relation | None:
    """``duplicate``, ``partial`` (one is cut short or continued elsewhere) or None."""
    if containment < options.containment_threshold and similarity < options.similarity_threshold:
        return None
    ratio = min(len(a.key), len(b.key)) / max(len(a.key), len(b.key), 1)
    if ratio >= 0.85 and similarity >= options.similarity_threshold and not (a.cut ^ b.cut):
        return "duplicate"
    return "partial"


def check(a: Profile, b: Profile, options: Options) -> Match | None:
    """Verify one candidate pair; a Match when the two print the same story."""
    similarity, containment, span_a, span_b = verify_spans(a.key, b.key)
    rel = relation(similarity, containment, a, b, options)
    if rel is None:
        return None
    return ordered_match(a, b, similarity, containment, rel, span_a, span_b)


def ordered_match(
    a: Profile,
    b: Profile,
    similarity: float,
    containment: float,
    rel: Relation,
    span_a: tuple[int, int],
    span_b: tuple[int, int],
) -> Match:
    """The Match of a verified pair, its article listed first (``id_order``) as A."""
    if id_order(b.id) < id_order(a.id):
        a, b, span_a, span_b = b, a, span_b, span_a
    return Match(a.id, b.id, similarity, containment, rel, span_a, span_b)
