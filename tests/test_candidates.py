"""LSH banding: candidate pairs exactly where band keys collide."""

from __future__ import annotations

import random
from itertools import combinations

import numpy as np
import numpy.typing as npt
import pytest

from dedup.candidates import candidate_pairs, key_table, pairs_from_table


def _keys(*rows: list[list[int]]) -> list[npt.NDArray[np.uint32]]:
    """One (chunks, bands) key array per article, from nested lists."""
    return [np.array(r, dtype=np.uint32).reshape(len(r), -1) for r in rows]


def _pairs(keys: list[npt.NDArray[np.uint32]], **kw: int) -> list[tuple[int, int]]:
    return [(int(i), int(j)) for i, j in candidate_pairs(keys, **kw)]


def test_key_table_stacks_the_chunks_and_remembers_their_article() -> None:
    keys = _keys([[1, 2], [3, 4]], [[5, 6]], [[7, 8], [9, 10], [11, 12]])
    keys.insert(2, np.zeros((0, 2), dtype=np.uint32))  # an article without chunks
    owner, table = key_table(keys)
    assert owner.tolist() == [0, 0, 1, 3, 3, 3]
    assert table.tolist() == [[1, 2], [3, 4], [5, 6], [7, 8], [9, 10], [11, 12]]
    assert table.dtype == np.uint32


def test_a_pair_needs_the_same_key_in_the_same_band() -> None:
    keys = _keys(
        [[1, 2], [3, 4]],  # 0
        [[5, 2]],  # 1: band 1 like article 0's first chunk
        [[6, 7]],  # 2
        [[3, 8]],  # 3: band 0 like article 0's second chunk
        [[7, 9]],  # 4: 7 in band 0, article 2 has 7 in band 1: no pair
    )
    assert _pairs(keys) == [(0, 1), (0, 3)]
    owner, table = key_table(keys)
    assert pairs_from_table(owner, table).tolist() == [[0, 1], [0, 3]]


def test_an_article_never_pairs_with_itself() -> None:
    keys = _keys([[1, 1], [1, 1]], [[2, 3]])
    assert _pairs(keys) == []


def test_a_pair_met_in_many_bands_and_chunks_is_listed_once() -> None:
    keys = _keys([[1, 2, 3], [4, 5, 6]], [[1, 2, 3], [4, 5, 6]], [[1, 0, 0]])
    assert _pairs(keys) == [(0, 1), (0, 2), (1, 2)]


def test_crowded_buckets_are_skipped() -> None:
    keys = _keys(*[[[99, n]] for n in range(5)], [[98, 0]])
    assert _pairs(keys, max_bucket=4) == [(0, 5)]  # band 1, key 0: two articles
    assert len(_pairs(keys, max_bucket=5)) == 10 + 1


def test_no_keys_no_pairs() -> None:
    assert candidate_pairs([]).shape == (0, 2)
    assert candidate_pairs(_keys([[1, 2]])).shape == (0, 2)
    empty = np.zeros((0, 4), dtype=np.uint32)
    assert candidate_pairs([empty, empty]).shape == (0, 2)


@pytest.mark.parametrize("seed", range(4))
def test_pairs_are_exactly_the_collisions_sorted_and_unique(seed: int) -> None:
    rng = random.Random(seed)
    bands = 4
    keys = [
        np.array(
            [[rng.randrange(12) for _ in range(bands)] for _ in range(rng.randrange(0, 4))],
            dtype=np.uint32,
        ).reshape(-1, bands)
        for _ in range(30)
    ]
    expected = sorted(
        (i, j)
        for i, j in combinations(range(len(keys)), 2)
        if any(set(keys[i][:, b].tolist()) & set(keys[j][:, b].tolist()) for b in range(bands))
    )
    got = candidate_pairs(keys, max_bucket=len(keys))
    assert got.dtype == np.int64 and got.shape[1] == 2
    assert [tuple(p) for p in got.tolist()] == expected
