"""Long pairs: the pair similarity above the exact-LCS limit, counted along anchors, stays the LCS's."""

from __future__ import annotations

import random

from dedup import metrics
from dedup.ingest import read
from dedup.match import verify
from dedup.normalize import key_text
from dedup.segment import split
from tests.conftest import SAMPLES


def _long_pair(chars: int, seed: int) -> tuple[str, str]:
    """Two match keys of about ``chars`` characters: sample text, and it with substitutions and cuts."""
    rng = random.Random(seed)
    body = [
        key_text(p.text)
        for page in sorted(SAMPLES.glob("*.txt"))
        for art in split(read(page))
        for p in art.body
    ]
    body = [t for t in body if len(t) > 20]
    a: list[str] = []
    while sum(map(len, a)) < chars:
        a.append(rng.choice(body))
    pool = [chr(c) for c in range(0x4E00, 0x4E00 + 500)]
    b = [
        "".join(rng.choice(pool) if rng.random() < 0.03 else c for c in t)
        for t in a
        if rng.random() > 0.03
    ]
    return "".join(a), "".join(b)


def test_anchored_similarity_matches_the_exact_one_on_a_long_pair() -> None:
    ka, kb = _long_pair(25_000, 3)
    assert len(ka) * len(kb) > metrics._EXACT_LCS  # the anchored count applies
    exact = verify(ka, kb)
    anchored = metrics._verify(ka, kb)
    assert anchored != (0.0, 0.0)
    assert abs(anchored[0] - exact[0]) < 0.005 and abs(anchored[1] - exact[1]) < 0.005
    assert anchored[0] <= exact[0]  # a common subsequence is never longer than the longest


def test_short_pairs_keep_the_exact_lcs() -> None:
    ka, kb = _long_pair(3_000, 4)
    assert len(ka) * len(kb) <= metrics._EXACT_LCS
    assert metrics._verify(ka, kb) == verify(ka, kb)
