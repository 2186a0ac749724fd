"""Candidate pairs: which articles share enough rare sampled shingles with which others.

No article is compared with every other. Sketches (``fingerprint.sketch``) go through the
document-frequency filter of text-reuse finders such as passim: a sampled
shingle printed in more than ``MAX_DF`` articles is boilerplate and is
dropped; two articles become candidates when they share enough of the rest,
counted against the shorter one's sketch, so that a short text contained in a
long one still qualifies. (LSH band keys of chunk signatures were used
before: a band key mixes a slogan with the text around it and is rare even
when the slogan is printed everywhere, so boilerplate made candidates.)
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

import numpy as np
import numpy.typing as npt

U32 = npt.NDArray[np.uint32]
MAX_DF = 64  # a sampled shingle in more articles than this is boilerplate
MIN_COMMON = 2  # sampled shingles a candidate pair shares at the least
MIN_SHARE = 0.1  # ... and this share of the smaller sketch (verification needs 0.12)


def sketch_pairs(
    sketches: Sequence[U32],
    *,
    max_df: int = MAX_DF,
    min_common: int = MIN_COMMON,
    min_share: float = MIN_SHARE,
) -> npt.NDArray[np.int64]:
    """Article index pairs ``(i, j)``, ``i < j``, whose sketches share enough rare values.

    Args:
        sketches: per article, its ``fingerprint.sketch`` (sorted, no repeats).
        max_df: values found in more articles than this are ignored.
        min_common: a pair shares at least this many values ...
        min_share: ... and at least this share of the smaller sketch.

    Returns:
        An array of shape (pairs, 2), sorted, without repeats.
    """
    sizes = np.array([len(k) for k in sketches], dtype=np.int64)
    if not sizes.sum():
        return np.zeros((0, 2), dtype=np.int64)
    owner = np.repeat(np.arange(len(sketches), dtype=np.int32), sizes)
    values = np.concatenate([np.asarray(k, dtype=np.uint32) for k in sketches])
    # One range of values at a time: the sort and its companions stay a
    # sixteenth of the corpus' sketches (at 100k articles, 23 million values).
    top = (values >> np.uint32(32 - _PART_BITS)).astype(np.uint8)
    found = [
        shared_values(values[top == part], owner[top == part], max_df)
        for part in range(1 << _PART_BITS)
    ]
    del values, owner, top
    codes, common = np.unique(np.concatenate(found), return_counts=True)
    return kept_pairs(codes, common, sizes, min_common=min_common, min_share=min_share)


def kept_pairs(
    codes: npt.NDArray[np.int64],
    common: npt.NDArray[np.int64],
    sizes: npt.NDArray[np.int64],
    *,
    min_common: int = MIN_COMMON,
    min_share: float = MIN_SHARE,
) -> npt.NDArray[np.int64]:
    """The pairs ``i << 32 | j`` (sorted, unique) sharing ``common`` values that are enough.

    ``sizes`` are the articles' sketch sizes; the rule is ``sketch_pairs``'.
    Returned as an array of shape (pairs, 2).
    """
    if not len(codes):
        return np.zeros((0, 2), dtype=np.int64)
    left, right = codes >> 32, codes & 0xFFFFFFFF
    smaller = np.minimum(sizes[left], sizes[right])
    keep = (common >= min_common) & (common >= min_share * smaller)
    return np.stack([left[keep], right[keep]], axis=1)


_PART_BITS = 4  # sketch values are gathered in 2^4 ranges
FULL_DF = 4  # values in at most this many articles always count; commoner ones are thinned
_FRACTION = 0xFFFF  # the value bits ``counted`` reads as a fraction (the low 3 are fixed by sampling)


def shared_values(
    values: U32, owner: npt.NDArray[np.int32] | npt.NDArray[np.int64], max_df: int = MAX_DF
) -> npt.NDArray[np.int64]:
    """Pairs ``i << 32 | j`` of owners sharing a value, one per shared value.

    A value held by ``d`` articles makes ``d·(d-1)/2`` pairs: common words do
    that by the hundred million, and boilerplate pairs stories that share
    nothing else. Values held by more than ``FULL_DF`` articles are therefore
    kept only with chance ``FULL_DF / d`` (decided by the value itself, so all
    its holders agree; see ``counted``): the commoner a value, the less it
    counts, and the pairs made grow like ``d``, not ``d²``. Values held by more than
    ``max_df`` are dropped. A story printed ``g > FULL_DF`` times keeps about
    ``FULL_DF / g`` of its shared values, enough against ``MIN_SHARE`` up to
    about 16 printings of a noisy text.

    The decision depends on the value and on how many articles hold it, never
    on where the entries come from, so a shuffle that brings every holder of a
    value together (the spark engine's) finds the same pairs from any
    partitioning. ``owner`` numbers must be below 2^31.
    """
    if not len(values):
        return np.zeros(0, dtype=np.int64)
    order = np.argsort(values, kind="stable")
    column = values[order]
    who = owner[order].astype(np.int64)
    starts = np.flatnonzero(np.r_[True, column[1:] != column[:-1]])
    sizes = np.diff(np.r_[starts, len(column)])
    keep = counted(column[starts], sizes, max_df)
    return _group_pairs(who, starts, np.where(keep, sizes, 0), max_df)


def counted(
    values: npt.NDArray[np.integer[Any]], holders: npt.NDArray[np.integer[Any]], max_df: int = MAX_DF
) -> npt.NDArray[np.bool_]:
    """Whether each value, held by ``holders`` articles, counts towards pairing them.

    The rule of ``shared_values``: held by 2..``max_df`` articles, and when by
    more than ``FULL_DF``, only if the value's own fraction ``u`` (16 of its
    bits above the sampling bits, read as a number in [0, 1)) is below
    ``FULL_DF / holders``. Why a threshold on a fixed fraction: the rule is
    nested, a value that counts with ``d`` holders counts with any number
    from 2 to ``d``, so as articles are added a value's status changes at most
    twice (when it gains a second holder, and once when it grows too common)
    and never back and forth. An archive that keeps holder counts applies the
    same rule incrementally, and an added article then reaches its own pairs
    and the pairs of the few values that stopped counting, nothing else.
    """
    d = np.asarray(holders, dtype=np.int64)
    return (d >= 2) & (d <= max_df) & (_fraction(values) * d < FULL_DF * (_FRACTION + 1))


def _fraction(values: npt.NDArray[np.integer[Any]]) -> npt.NDArray[np.int64]:
    """Each value's own fraction as ``counted`` reads it: 16 of its bits, the fraction times 65,536."""
    return (np.asarray(values).astype(np.int64) >> 3) & _FRACTION


def most_holders(values: npt.NDArray[np.integer[Any]], max_df: int = MAX_DF) -> npt.NDArray[np.int64]:
    """The most holders with which each value counts (``counted``: it counts with 2 to this many).

    The rule is nested, so this bound is all an archive needs to know about a
    value once its holders are past it: adding holders never brings it back.
    """
    u = _fraction(values)
    # the largest d with u * d < FULL_DF * (_FRACTION + 1)
    bound = -(-FULL_DF * (_FRACTION + 1) // np.maximum(u, 1)) - 1
    return np.where(u == 0, max_df, np.minimum(max_df, bound)).astype(np.int64)


def _group_pairs(
    who: npt.NDArray[np.int64],
    starts: npt.NDArray[np.int64],
    sizes: npt.NDArray[np.int64],
    max_size: int,
) -> npt.NDArray[np.int64]:
    """Every pair of members of each group of 2..``max_size``, as ``min << 32 | max``.

    Groups are runs ``who[start : start + size]``; groups of one size are
    expanded together, so the work is one numpy call per distinct size.
    A size of 0 leaves a group out.
    """
    out: list[npt.NDArray[np.int64]] = []
    for size in np.unique(sizes[(sizes >= 2) & (sizes <= max_size)]):
        group_starts = starts[sizes == size]
        members = who[group_starts[:, None] + np.arange(size)[None, :]]  # (groups, size)
        a, b = np.triu_indices(int(size), k=1)
        left = members[:, a].ravel()
        right = members[:, b].ravel()
        out.append((np.minimum(left, right) << 32) | np.maximum(left, right))
    if not out:
        return np.zeros(0, dtype=np.int64)
    return np.concatenate(out)
