"""Verify many candidate pairs at once, with the same verdicts as ``match.check``.

Why a batch: checking candidates one Python call at a time recomputes each
article's 4-gram table for every pair it is in, and pays rapidfuzz's call
overhead once per alignment. Here every article's sorted 4-gram table is built
once per batch, the shared-shingle prefilter runs on those tables, and the
pairs that pass it are aligned together by rapidfuzz's pairwise batch scorer
(``process.cpdist``), which can also spread them over threads. (A prefilter
over all pairs in one numpy pass, renaming every 4-gram to a dense id, was
measured slower than the cached per-pair lookups: its sorts of the whole
batch cost more than the small per-pair searches they replace.)

The figures are computed exactly as ``match.verify`` computes them (same
shingles, same dominant diagonal, same windows, same formulas), so a scan gives
the same matches whichever of the two verifies its candidates.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from dataclasses import dataclass

import numpy as np
import numpy.typing as npt
from rapidfuzz import process
from rapidfuzz.distance import LCSseq

from dedup.match import MIN_SHARED, ordered_match, relation, verify_spans
from dedup.model import Match, Options, Profile
from dedup.text import kgram_hashes

U64 = npt.NDArray[np.uint64]
_K = 4  # the 4-grams ``match.verify`` locates the shorter text with


@dataclass(frozen=True)
class _Table:
    """One article's 4-gram hashes, in text order and sorted (with the sorting order)."""

    hashes: U64
    order: npt.NDArray[np.int64]
    sorted: U64

    @classmethod
    def of(cls, key: str) -> _Table:
        """The table of a folded text."""
        hashes = kgram_hashes(key, _K)
        order = np.argsort(hashes, kind="stable")
        return cls(hashes, order, hashes[order])


def _shared(short: _Table, long: _Table) -> tuple[float, int | None]:
    """Share of the shorter text's 4-grams found in the longer, and the diagonal they line up on.

    None for the diagonal when fewer than three 4-grams are shared.
    """
    hs, table = short.hashes, long.sorted
    if not len(hs) or not len(table):
        return 0.0, None
    # the first equal entry, or (past the end: clipped) an entry that cannot be equal
    at = np.minimum(np.searchsorted(table, hs), len(table) - 1)
    hit = table[at] == hs
    found = int(np.count_nonzero(hit))
    if found < 3:
        return found / len(hs), None
    return found / len(hs), _diagonal(long.order[at[hit]].astype(np.int64) - np.flatnonzero(hit))


def _diagonal(offsets: npt.NDArray[np.int64]) -> int:
    """Where two texts line up: the median offset of the most populated 32-wide band of offsets.

    An offset is a shared 4-gram's place in the longer text minus its place
    in the shorter.
    """
    band = (offsets - offsets.min()) // 32
    busiest = band == int(np.bincount(band).argmax())
    return int(np.median(offsets[busiest]))


@dataclass
class _Pending:
    """A pair that passed the prefilter, waiting for its alignments."""

    a: int
    b: int
    short: str
    long: str
    at: int | None
    common: int = 0


def verify_pairs(
    profiles: Sequence[Profile],
    pairs: Iterable[tuple[int, int]],
    options: Options,
    *,
    workers: int = 1,
) -> list[Match]:
    """The matches among candidate pairs of ``profiles`` (indices), in the pairs' order.

    Args:
        profiles: every article's verification profile.
        pairs: candidate pairs ``(i, j)`` of indices into ``profiles``.
        options: the thresholds of ``match.relation``.
        workers: threads rapidfuzz may align with (-1: all cores); 1 when
            the caller already runs one batch per process.

    Returns:
        What ``match.check(profiles[i], profiles[j], options)`` returns for
        each pair, the Nones left out.
    """
    tables: dict[int, _Table] = {}

    def table(k: int) -> _Table:
        if k not in tables:
            tables[k] = _Table.of(profiles[k].key)
        return tables[k]

    pending: list[_Pending] = []
    for i, j in pairs:
        ka, kb = profiles[i].key, profiles[j].key
        if not ka or not kb:
            continue
        first, second = (i, j) if len(ka) <= len(kb) else (j, i)
        shared, at = _shared(table(first), table(second))
        if shared >= MIN_SHARED:
            pending.append(_Pending(i, j, profiles[first].key, profiles[second].key, at))
    _align(pending, workers)
    out = []
    for p, containment in zip(pending, _containments(pending, workers), strict=True):
        similarity = 2.0 * p.common / (len(p.short) + len(p.long))
        a, b = profiles[p.a], profiles[p.b]
        rel = relation(similarity, containment, a, b, options)
        if rel is not None:
            _, _, span_a, span_b = verify_spans(a.key, b.key)  # the matched regions, as check
            out.append(ordered_match(a, b, similarity, containment, rel, span_a, span_b))
    return out


def _align(pending: list[_Pending], workers: int) -> None:
    """Longest common subsequences of each pair's texts, in one batch (sets ``common``)."""
    if not pending:
        return
    common = process.cpdist(
        [p.short for p in pending],
        [p.long for p in pending],
        scorer=LCSseq.similarity,
        workers=workers,
        dtype=np.int64,
    )
    for p, c in zip(pending, common.tolist(), strict=True):
        p.common = int(c)


def _containments(pending: Sequence[_Pending], workers: int) -> list[float]:
    """Share of each shorter text found in the stretch of the longer it lines up with.

    Near-equal lengths compare with the whole longer text; otherwise with a
    window around the dominant diagonal, widened by 15 % of the shorter text
    and 16 characters each side (0 when there is no diagonal).
    """
    out = [0.0] * len(pending)
    windows: list[tuple[int, str, str]] = []
    for n, p in enumerate(pending):
        if len(p.long) <= 1.3 * len(p.short) + 20:
            out[n] = p.common / len(p.short)
        elif p.at is not None:
            slack = int(0.15 * len(p.short)) + 16
            window = p.long[max(0, p.at - slack) : p.at + len(p.short) + slack]
            windows.append((n, p.short, window))
    if windows:
        common = process.cpdist(
            [w[1] for w in windows],
            [w[2] for w in windows],
            scorer=LCSseq.similarity,
            workers=workers,
            dtype=np.int64,
        )
        for (n, short, _), c in zip(windows, common.tolist(), strict=True):
            out[n] = int(c) / len(short)
    return out
