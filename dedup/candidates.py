"""LSH banding: which articles share a band of a chunk signature with which others.

No article is compared with every other: two articles become candidates only
when some chunk of one and some chunk of the other agree on every row of some
band. Buckets holding very many articles are common boilerplate (a slogan
printed in every story) and are skipped: a real duplicate shares many chunks
and is still found through its other bands.
"""

from __future__ import annotations

from collections.abc import Sequence

import numpy as np
import numpy.typing as npt

U32 = npt.NDArray[np.uint32]
MAX_BUCKET = 64


def candidate_pairs(
    keys: Sequence[U32], *, max_bucket: int = MAX_BUCKET
) -> npt.NDArray[np.int64]:
    """Article index pairs ``(i, j)``, ``i < j``, sharing at least one band key.

    Args:
        keys: per article, its band keys of shape (chunks, bands).
        max_bucket: buckets with more distinct articles than this are skipped.

    Returns:
        An array of shape (pairs, 2), sorted, without repeats.
    """
    owner, table = key_table(keys)
    return pairs_from_table(owner, table, max_bucket=max_bucket)


def key_table(keys: Sequence[U32]) -> tuple[npt.NDArray[np.int64], U32]:
    """All chunks' band keys in one (chunks, bands) table, with each chunk's article."""
    sizes = [k.shape[0] for k in keys]
    # the width of a chunkless article's (0, bands) array counts too
    bands = next((k.shape[1] for k in keys if k.size), keys[0].shape[1] if keys else 0)
    owner = np.repeat(np.arange(len(keys), dtype=np.int64), sizes)
    table = np.empty((int(sum(sizes)), bands), dtype=np.uint32)
    at = 0
    for k in keys:
        table[at : at + k.shape[0]] = k
        at += k.shape[0]
    return owner, table


def pairs_from_table(
    owner: npt.NDArray[np.int64], table: U32, *, max_bucket: int = MAX_BUCKET
) -> npt.NDArray[np.int64]:
    """Candidate pairs from a key table (see ``candidate_pairs``)."""
    bands = table.shape[1] if table.ndim == 2 else 0
    if bands == 0 or not len(table):
        return np.zeros((0, 2), dtype=np.int64)
    found: list[npt.NDArray[np.int64]] = []
    for band in range(bands):
        found.append(_band_pairs(table[:, band], owner, max_bucket))
    if not found:
        return np.zeros((0, 2), dtype=np.int64)
    codes = np.unique(np.concatenate(found))
    return np.stack([codes >> 32, codes & 0xFFFFFFFF], axis=1)


def _band_pairs(
    column: U32, owner: npt.NDArray[np.int64], max_bucket: int
) -> npt.NDArray[np.int64]:
    """Pairs of owners whose key in this band is equal, encoded as ``i << 32 | j``."""
    # one entry per (key, article): an article with two equal chunks counts once
    entries = np.unique((column.astype(np.int64) << 32) | owner)
    key = entries >> 32
    who = entries & 0xFFFFFFFF
    starts = np.flatnonzero(np.r_[True, key[1:] != key[:-1]])
    sizes = np.diff(np.r_[starts, len(key)])
    out: list[npt.NDArray[np.int64]] = []
    for size in np.unique(sizes[(sizes >= 2) & (sizes <= max_bucket)]):
        group_starts = starts[sizes == size]
        members = who[group_starts[:, None] + np.arange(size)[None, :]]  # (groups, size)
        a, b = np.triu_indices(int(size), k=1)
        left = members[:, a].ravel()
        right = members[:, b].ravel()
        out.append((np.minimum(left, right) << 32) | np.maximum(left, right))
    if not out:
        return np.zeros(0, dtype=np.int64)
    return np.concatenate(out)
