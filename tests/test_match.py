"""Verification: similarity and containment of hand-made texts, relation, thresholds."""

from __future__ import annotations

import dataclasses

import pytest

from dedup.match import MIN_SHARED, check, relation, verify, verify_spans
from dedup.model import Match, Options
from dedup.normalize import key_text
from tests.conftest import OTHER_STORY, STORY, profile

FULL = key_text(STORY)
OTHER = key_text(OTHER_STORY)
# look-alike characters an OCR engine confuses
LOOKALIKE = {"日": "曰", "己": "已", "人": "入", "天": "夭", "大": "太", "土": "士", "未": "末"}


def _noised(text: str, every: int = 17) -> str:
    """Every ``every``-th character dropped or swapped for a look-alike (about 6 % CER)."""
    out = []
    for n, ch in enumerate(text):
        if n % every == every - 1:
            if n % 2:
                continue
            ch = "口"
        out.append(LOOKALIKE.get(ch, ch))
    return "".join(out)


def test_identical_texts_are_fully_similar_and_contained() -> None:
    assert verify(FULL, FULL) == (1.0, 1.0)


def test_empty_text_matches_nothing() -> None:
    assert verify("", FULL) == (0.0, 0.0)
    assert verify(FULL, "") == (0.0, 0.0)


@pytest.mark.parametrize("keep", [0.3, 0.6])
def test_a_cut_version_is_contained_but_not_similar(keep: float) -> None:
    cut = FULL[: int(len(FULL) * keep)]
    similarity, containment = verify(cut, FULL)
    assert containment == 1.0
    assert similarity == pytest.approx(2 * len(cut) / (len(cut) + len(FULL)))
    assert verify(FULL, cut) == (similarity, containment)  # the order does not matter


def test_containment_is_measured_where_the_short_text_lines_up() -> None:
    # the last 30 % of the story, inside a long text that starts with another story
    tail = FULL[-int(len(FULL) * 0.3) :]
    similarity, containment = verify(tail, OTHER + FULL)
    assert containment == 1.0 and similarity < 0.3
    # a text shuffled from the same characters finds many of them in order in
    # the whole long text, but not where its shingles line up
    scrambled = "".join(sorted(tail))
    assert verify(scrambled, OTHER + FULL)[1] < 0.5


def test_ocr_noise_lowers_both_figures_a_little() -> None:
    noisy = _noised(FULL)
    assert noisy != FULL
    similarity, containment = verify(FULL, noisy)
    assert 0.85 < similarity < 1.0
    assert 0.85 < containment < 1.0


def test_unrelated_stories_score_low() -> None:
    similarity, containment = verify(FULL, OTHER)
    assert similarity < 0.4 and containment < 0.4


def test_texts_sharing_almost_no_4_grams_are_turned_down_early() -> None:
    # the same characters in another order: no 4-gram survives
    backwards = FULL[::-1]
    similarity, containment = verify(FULL, backwards)
    assert similarity == containment
    assert similarity <= 2 * MIN_SHARED


def test_equal_length_similar_uncut_texts_are_duplicates() -> None:
    a, b = profile("a.txt#1"), profile("b.txt#1", _noised(FULL))
    similarity, containment = verify(a.key, b.key)
    assert relation(similarity, containment, a, b, Options()) == "duplicate"


def test_a_cut_version_is_partial_even_when_nearly_whole() -> None:
    cut = profile("b.txt#1", FULL[:-20], jump="下转第二版")
    whole = profile("a.txt#1")
    similarity, containment = verify(whole.key, cut.key)
    assert similarity > 0.95  # long enough, similar enough: the jump marker decides
    assert relation(similarity, containment, whole, cut, Options()) == "partial"
    both_cut = profile("a.txt#1", FULL, jump="下转第三版")
    assert relation(similarity, containment, both_cut, cut, Options()) == "duplicate"


def test_a_much_shorter_version_is_partial() -> None:
    a, b = profile("a.txt#1"), profile("b.txt#1", FULL[: len(FULL) // 2])
    similarity, containment = verify(a.key, b.key)
    assert relation(similarity, containment, a, b, Options()) == "partial"


def test_below_both_thresholds_there_is_no_relation() -> None:
    a, b = profile("a.txt#1"), profile("b.txt#1")
    options = Options()
    assert relation(0.59, 0.59, a, b, options) is None
    assert relation(0.59, 0.6, a, b, options) == "partial"
    assert relation(0.6, 0.59, a, b, options) == "duplicate"


def test_check_orders_the_pair_by_article_number() -> None:
    options = Options()
    late, early = profile("p.txt#10"), profile("p.txt#2", _noised(FULL))
    m = check(late, early, options)
    assert m is not None
    assert (m.a, m.b, m.relation) == ("p.txt#2", "p.txt#10", "duplicate")
    assert (m.similarity, m.containment) == verify(FULL, _noised(FULL))
    assert check(early, late, options) == m


def test_check_follows_the_thresholds() -> None:
    a = profile("a.txt#1")
    b = profile("b.txt#1", _noised(FULL[: int(len(FULL) * 0.3)]))
    similarity, containment = verify(a.key, b.key)
    assert similarity < 0.6 < 0.85 < containment < 0.95
    _, _, span_a, span_b = verify_spans(a.key, b.key)
    expected = Match("a.txt#1", "b.txt#1", similarity, containment, "partial", span_a, span_b)
    assert check(a, b, Options()) == expected
    # the cut version matched the first third of the full one, and all of itself
    assert span_a[0] < 8 and abs(span_a[1] - len(b.key)) < 0.1 * len(b.key)
    assert span_b[0] < 8 and span_b[1] >= len(b.key) - 8
    assert check(a, b, dataclasses.replace(Options(), containment_threshold=0.85)) == expected
    assert check(a, b, dataclasses.replace(Options(), containment_threshold=0.95)) is None
    # similarity alone also lets a pair through
    loose = dataclasses.replace(Options(), containment_threshold=0.95, similarity_threshold=0.3)
    assert check(a, b, loose) == expected
    assert check(profile("a.txt#1"), profile("c.txt#1", OTHER), Options()) is None
