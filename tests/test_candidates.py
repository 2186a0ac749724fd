"""Sketch candidates: pairs exactly where enough rare sampled shingles are shared."""

from __future__ import annotations

from itertools import combinations

import numpy as np
import numpy.typing as npt
import pytest

from dedup.candidates import FULL_DF, MAX_DF, MIN_COMMON, counted, sketch_pairs


def _sketches(*rows: list[int]) -> list[npt.NDArray[np.uint32]]:
    return [np.unique(np.array(r, dtype=np.uint32)) for r in rows]


def _pairs(sketches: list[npt.NDArray[np.uint32]], **kw: float) -> list[tuple[int, int]]:
    return [(int(i), int(j)) for i, j in sketch_pairs(sketches, **kw)]  # type: ignore[arg-type]


def test_a_pair_needs_enough_shared_values() -> None:
    one = [1 << 28 | v for v in range(10)]
    got = _pairs(_sketches(one, one[:MIN_COMMON], one[:MIN_COMMON - 1], [7, 8, 9]))
    assert got == [(0, 1)]


def test_the_share_is_counted_against_the_smaller_sketch() -> None:
    long = list(range(1000, 1100))
    short = long[:3] + list(range(5000, 5010))  # 3 of 13 shared: above 10 %
    assert _pairs(_sketches(long, short)) == [(0, 1)]
    assert _pairs(_sketches(long, short + list(range(6000, 6030)))) == []  # 3 of 43


def test_an_article_never_pairs_with_itself_and_pairs_are_listed_once() -> None:
    same = list(range(100, 140))
    assert _pairs(_sketches(same, same)) == [(0, 1)]


def test_values_in_too_many_articles_are_dropped() -> None:
    shared = [11, 12, 13, 14]
    rows = [shared + [100 * k + 1000 + v for v in range(4)] for k in range(70)]
    assert _pairs(_sketches(*rows)) == []
    assert _pairs(_sketches(*rows[:FULL_DF])) == list(combinations(range(FULL_DF), 2))


def test_no_sketches_no_pairs() -> None:
    assert sketch_pairs([]).shape == (0, 2)
    assert sketch_pairs(_sketches([], [])).shape == (0, 2)


@pytest.mark.parametrize("seed", range(3))
def test_rare_values_pair_exactly_the_articles_sharing_enough(seed: int) -> None:
    rng = np.random.default_rng(seed)
    # every value is held by at most FULL_DF articles, so none is thinned
    sketches = [np.unique(rng.integers(0, 400, size=12).astype(np.uint32) * 9973) for _ in range(60)]
    holders: dict[int, int] = {}
    for s in sketches:
        for v in s:
            holders[int(v)] = holders.get(int(v), 0) + 1
    keep = [np.array([v for v in s if holders[int(v)] <= FULL_DF], dtype=np.uint32) for s in sketches]
    expected = [
        (i, j)
        for i, j in combinations(range(len(keep)), 2)
        if (c := len(np.intersect1d(keep[i], keep[j]))) >= MIN_COMMON
        and c >= 0.1 * min(len(keep[i]), len(keep[j]))
    ]
    assert expected, "the corpus must share values"
    assert _pairs(keep) == expected


def test_a_value_counted_by_many_holders_is_counted_by_fewer() -> None:
    # sketch values are multiples of 8 (fingerprint.SAMPLE) spread over 32 bits
    values = np.random.default_rng(5).integers(0, 1 << 29, size=20_000, dtype=np.int64) << 3
    status = np.stack([counted(values, np.full(len(values), d)) for d in range(MAX_DF + 2)])
    assert not status[:2].any() and status[2 : FULL_DF + 1].all() and not status[MAX_DF + 1].any()
    # nested: counting at d holders implies counting at every d' in 2..d, so an add never makes a value count again
    assert not (status[3:] & ~status[2:-1]).any()
    for d in (FULL_DF + 1, 8, 20, MAX_DF):  # and each is kept with chance FULL_DF / d
        assert abs(status[d].mean() - FULL_DF / d) < 0.02, d
    # the choice is the value's: the same value held by the same number is decided alike
    assert (counted(values[::-1], np.full(len(values), 9)) == status[9][::-1]).all()


def test_most_holders_is_where_a_value_stops_counting() -> None:
    """``counted(v, d)`` holds exactly for ``2 <= d <= most_holders(v)``, for every fraction a value can have."""
    import numpy as np

    from dedup.candidates import MAX_DF, counted, most_holders

    rng = np.random.default_rng(7)
    values = np.r_[rng.integers(0, 1 << 32, 20_000), np.arange(0, 1 << 19, 8), (1 << 32) - 1].astype(np.int64)
    most = most_holders(values)
    assert most.min() >= 4 and most.max() == MAX_DF
    for d in range(MAX_DF + 3):
        held = np.full(len(values), d)
        assert np.array_equal(counted(values, held), (d >= 2) & (d <= most)), d
