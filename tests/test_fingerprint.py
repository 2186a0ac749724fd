"""Fingerprints: shingles by script, stable hashes, content-defined sketches."""

from __future__ import annotations

import subprocess
import sys

import numpy as np

from dedup.fingerprint import (
    SAMPLE,
    char_shingles,
    is_cjk_text,
    shingles,
    sketch,
    word_shingles,
)
from dedup.model import Options
from dedup.normalize import key_text
from tests.conftest import OTHER_STORY, ROOT, STORY

LONG = key_text(STORY + OTHER_STORY)  # ~900 characters
LATIN = "The river froze early this year, and the ferry stopped on Monday. " * 3


def test_cjk_text_gets_one_shingle_per_character_k_gram() -> None:
    key = key_text(STORY)
    got = shingles(key, STORY, Options())
    assert got.dtype == np.uint32
    assert len(got) == len(key) - 4 + 1
    assert np.array_equal(got, char_shingles(key, 4))
    # a shingle is its k-gram: the same four characters hash alike wherever they are
    twice = char_shingles("社区食堂社区食堂", 4)
    assert len(twice) == 5 and twice[0] == twice[4]
    assert len(set(twice[:4].tolist())) == 4


def test_latin_text_gets_word_shingles_blind_to_case_and_punctuation() -> None:
    key = key_text(LATIN)
    assert not is_cjk_text(key)
    got = shingles(key, LATIN, Options())
    words = LATIN.split()
    assert len(got) == len(words) - 3 + 1
    assert np.array_equal(got, word_shingles(LATIN.upper().replace(",", " ;"), Options()))
    # word 3-grams, not character 4-grams: the counts differ by far
    assert len(got) != len(char_shingles(key, 4))


def test_script_is_decided_by_the_cjk_share() -> None:
    assert is_cjk_text("社区" * 3 + "abcdefghij")  # 6 of 16 characters: 37 %
    assert not is_cjk_text("社区" + "abcdefghij")  # 2 of 12: 17 %
    assert not is_cjk_text("")


def test_short_latin_text_is_padded_to_one_shingle() -> None:
    assert len(word_shingles("two words", Options())) == 1
    assert len(word_shingles("…", Options())) == 0


def test_sketches_are_the_same_in_another_process() -> None:
    code = (
        "import sys; sys.path.insert(0, sys.argv[1])\n"
        "from dedup.fingerprint import char_shingles, sketch\n"
        "from dedup.normalize import key_text\n"
        "from tests.conftest import STORY\n"
        "print(sketch(char_shingles(key_text(STORY), 4)).tobytes().hex())\n"
    )
    env = {"PYTHONHASHSEED": "12345", "PATH": ""}
    out = subprocess.run(
        [sys.executable, "-c", code, str(ROOT)], capture_output=True, text=True, env=env, check=True
    )
    assert out.stdout.strip() == sketch(char_shingles(key_text(STORY), 4)).tobytes().hex()


def test_a_cut_version_keeps_the_samples_of_the_text_it_kept() -> None:
    full = char_shingles(LONG, 4)
    cut = char_shingles(LONG[: len(LONG) * 3 // 10], 4)
    sampled = sketch(cut)[sketch(cut) % SAMPLE == 0]
    assert len(sampled) > 3
    assert np.isin(sampled, sketch(full)).all()


def test_a_new_lede_leaves_the_later_samples_in_place() -> None:
    full = sketch(char_shingles(LONG, 4))
    relede = sketch(char_shingles("新华社北京电" + LONG[40:], 4))
    later = sketch(char_shingles(LONG[40:], 4))
    later = later[later % SAMPLE == 0]
    assert np.isin(later, relede).all() and np.isin(later, full).all()

