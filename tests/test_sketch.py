"""Sketch candidates (document-frequency filtered) and batched verification."""

from __future__ import annotations

from itertools import combinations

import numpy as np
import pytest

from bench.corpus import generate
from dedup.candidates import sketch_pairs
from dedup.fingerprint import SAMPLE, shingles, sketch
from dedup.ingest import discover, read
from dedup.match import check
from dedup.model import Document, Options, Profile
from dedup.normalize import key_text
from dedup.pages import article_text, profile
from dedup.segment import split
from dedup.verify import verify_pairs
from tests.conftest import SAMPLES
from tests.test_scan import _corpus

OPTIONS = Options()


def _articles(docs: list[Document]) -> tuple[list[Profile], list[np.ndarray]]:
    """Profiles and sketches of every story the engine would match, in page order."""
    profiles, sketches = [], []
    for doc in docs:
        for article in split(doc):
            if article.kind == "furniture":
                continue
            text = article_text(article)
            key = key_text(text)
            if len(key) >= OPTIONS.min_chars:
                profiles.append(profile(article, key))
                sketches.append(sketch(shingles(key, text, OPTIONS)))
    return profiles, sketches


def _generated(n: int, seed: int, **kw: object) -> tuple[object, list[Profile], list[np.ndarray]]:
    corpus = generate(n, seed=seed, cer=(0.0, 0.08), min_keep=0.3, **kw)  # type: ignore[arg-type]
    profiles, sketches = _articles([Document(p, t, "utf-8") for p, t in corpus.iter_pages()])
    return corpus, profiles, sketches


def test_sketch_is_a_sorted_content_defined_sample() -> None:
    key = "".join(chr(0x4E00 + (i * 7919) % 20000) for i in range(2000))
    full = sketch(shingles(key, key, OPTIONS))
    assert np.all(np.diff(full.astype(np.int64)) > 0)
    assert 0.5 / SAMPLE < len(full) / 2000 < 2 / SAMPLE
    # a version cut to 30 % keeps the samples of the text it kept
    cut = sketch(shingles(key[:600], key[:600], OPTIONS))
    kept = cut[cut % SAMPLE == 0]
    assert np.isin(kept, full).all() and len(kept) > 0.2 * len(full[full % SAMPLE == 0])
    assert len(sketch(shingles(key[:10], key[:10], OPTIONS))) >= 4  # short texts are not empty


# slow: every pair of 300 articles checked; the fast suite holds the same
# property on the pruned oracle (tests/test_scan.py)
@pytest.mark.slow
@pytest.mark.parametrize("seed", range(5))
def test_sketch_candidates_include_every_brute_force_pair(seed: int) -> None:
    corpus, profiles, sketches = _generated(300, seed, dup_fraction=0.3)
    found = {(int(i), int(j)) for i, j in sketch_pairs(sketches)}
    brute = {
        (i, j)
        for i, j in combinations(range(len(profiles)), 2)
        if check(profiles[i], profiles[j], OPTIONS) is not None
    }
    assert brute <= found, sorted(brute - found)
    assert {(profiles[i].id, profiles[j].id) for i, j in brute} == set(corpus.pairs)  # type: ignore[attr-defined]
    assert len(found - brute) <= 0.25 * len(profiles)  # the target is at most 3 an article


def test_boilerplate_does_not_make_candidates() -> None:
    corpus, profiles, sketches = _generated(1500, 2, shared_phrases=True)
    index = {p.id: k for k, p in enumerate(profiles)}
    truth = {tuple(sorted((index[a], index[b]))) for a, b in corpus.pairs}  # type: ignore[attr-defined]
    found = {(int(i), int(j)) for i, j in sketch_pairs(sketches)}
    assert truth <= found
    assert len(found - truth) <= 0.1 * len(profiles)
    # without the document-frequency filter the boilerplate would pair many stories
    loose = sketch_pairs(sketches, max_df=len(profiles), min_common=1, min_share=0.0)
    assert len(loose) > 20 * len(found)


def test_sketch_pairs_on_real_and_mutated_pages() -> None:
    profiles, sketches = _articles([read(f, name=n) for f, n in discover([SAMPLES])])
    pairs = [(int(i), int(j)) for i, j in sketch_pairs(sketches)]
    got = [(m.a, m.b, m.relation) for m in verify_pairs(profiles, pairs, OPTIONS)]
    assert got == [
        ("000_eb4e53a3a7b005b7.txt#1", "001_86c1b19793689044.txt#1", "partial"),
        ("000_eb4e53a3a7b005b7.txt#6", "001_86c1b19793689044.txt#4", "partial"),
    ]
    profiles, sketches = _articles(_corpus(0))
    pairs = [(int(i), int(j)) for i, j in sketch_pairs(sketches)]
    matched = [(m.a, m.b) for m in verify_pairs(profiles, pairs, OPTIONS)]
    assert matched and all(a.split("#")[1] == b.split("#")[1] == "1" for a, b in matched)


def test_batch_verification_equals_one_check_per_pair() -> None:
    _, profiles, sketches = _generated(400, 4, dup_fraction=0.3)
    rng = np.random.default_rng(0)
    pairs = [(int(i), int(j)) for i, j in sketch_pairs(sketches)]
    pairs += [(int(i), int(j)) for i, j in rng.integers(len(profiles), size=(300, 2)) if i != j]
    expected = [m for i, j in pairs if (m := check(profiles[i], profiles[j], OPTIONS)) is not None]
    assert verify_pairs(profiles, pairs, OPTIONS) == expected
    assert verify_pairs(profiles, pairs, OPTIONS, workers=2) == expected
    assert verify_pairs(profiles, [], OPTIONS) == []


def test_a_version_cut_to_30_percent_meets_its_full_printing() -> None:
    paragraphs = [p for path in sorted(SAMPLES.glob("*.txt")) for p in path.read_text("utf-8").split("\n\n") if len(p) > 60]
    full = "\n\n".join(paragraphs[:12])
    cut = full[: int(len(full) * 0.3)] + "（下转第二版）"
    other = "\n\n".join(paragraphs[20:32])
    docs = [
        Document(f"p{n}.txt", f"## 标题{n}\n\n本报记者 某某\n\n{body}\n", "utf-8")
        for n, body in enumerate((full, cut, other))
    ]
    profiles, sketches = _articles(docs)
    pairs = [(int(i), int(j)) for i, j in sketch_pairs(sketches)]
    assert (0, 1) in pairs
    (match,) = [m for m in verify_pairs(profiles, pairs, OPTIONS) if {m.a, m.b} == {"p0.txt#1", "p1.txt#1"}]
    assert match.relation == "partial" and match.containment > 0.9


def test_a_story_printed_twelve_times_is_found_in_every_pair() -> None:
    paragraphs = [p for path in sorted(SAMPLES.glob("*.txt")) for p in path.read_text("utf-8").split("\n\n") if len(p) > 60]
    full = "\n\n".join(paragraphs[:10])
    rng = np.random.default_rng(3)
    docs = []
    for n in range(12):  # light OCR noise: one character in 40 replaced
        chars = [c if rng.random() > 0.025 else "口" for c in full]
        docs.append(Document(f"p{n}.txt", f"## 标题\n\n本报记者 某某\n\n{''.join(chars)}\n", "utf-8"))
    profiles, sketches = _articles(docs)
    assert len(profiles) == 12
    assert {(int(i), int(j)) for i, j in sketch_pairs(sketches)} == set(combinations(range(12), 2))


@pytest.mark.parametrize("parts", [1, 3, 8])
def test_the_spark_shuffle_finds_the_local_pairs_from_any_partitioning(parts: int) -> None:
    from dedup.engines.spark import shuffle

    rng = np.random.default_rng(parts)
    # values from a small pool, so that some are held by 2..4, some by more than
    # FULL_DF (thinned) and some by more than MAX_DF articles (dropped)
    pool = rng.integers(0, 2**32, size=3000, dtype=np.uint64).astype(np.uint32)
    weights = 1.0 / np.arange(1, len(pool) + 1)
    sketches = [
        np.unique(rng.choice(pool, size=int(rng.integers(0, 40)), p=weights / weights.sum()))
        for _ in range(400)
    ]
    gids = [(k // 7) << 20 | (k % 7) for k in range(len(sketches))]  # page << 20 | article
    local = {(gids[int(i)], gids[int(j)]) for i, j in sketch_pairs(sketches)}
    assert len(local) > 50
    # map side: each of three "tasks" spreads its own articles over the partitions
    spread: dict[int, list[tuple[int, shuffle.Entries]]] = {}
    for task in range(3):
        mine = [(s, g) for k, (s, g) in enumerate(zip(sketches, gids, strict=True)) if k % 3 == task]
        for part, entries in shuffle.entries(mine, parts):
            spread.setdefault(part, []).append((part, entries))
    found = [rows for records in spread.values() for rows in shuffle.value_pairs(records)]
    sizes = {g: len(s) for s, g in zip(sketches, gids, strict=True)}
    pairs = shuffle.counted_pairs(found, sizes)
    assert {(int(i), int(j)) for i, j in pairs} == local
    assert len(pairs) == len(local)


def test_no_shared_values_in_a_range_makes_no_pairs() -> None:
    from dedup.candidates import shared_values

    assert shared_values(np.zeros(0, dtype=np.uint32), np.zeros(0, dtype=np.int64)).size == 0
    # two tiny sketches whose values all fall in one of the 16 ranges
    assert sketch_pairs([np.array([1, 2, 3], dtype=np.uint32)] * 2).tolist() == [[0, 1]]
