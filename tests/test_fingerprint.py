"""Fingerprints: shingles by script, stable hashes, content-defined chunks, band keys."""

from __future__ import annotations

import subprocess
import sys

import numpy as np
import pytest

from dedup.fingerprint import (
    CHUNK,
    LAYERS,
    Hasher,
    band_keys,
    char_shingles,
    chunk_ids,
    is_cjk_text,
    shingles,
    word_shingles,
)
from dedup.model import Options
from dedup.normalize import key_text
from tests.conftest import OTHER_STORY, ROOT, STORY

LONG = key_text(STORY + OTHER_STORY)  # ~900 characters: several chunks per layer
LATIN = "The river froze early this year, and the ferry stopped on Monday. " * 3


def _signatures(key: str, seed: int = 1) -> np.ndarray:
    return Hasher(96, seed).signatures(char_shingles(key, 4))


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


def test_signatures_are_the_same_in_another_process() -> None:
    code = (
        "import sys; sys.path.insert(0, sys.argv[1])\n"
        "from dedup.fingerprint import Hasher, char_shingles\n"
        "from dedup.normalize import key_text\n"
        "from tests.conftest import STORY\n"
        "sig = Hasher(96, 1).signatures(char_shingles(key_text(STORY), 4))\n"
        "print(sig.tobytes().hex())\n"
    )
    env = {"PYTHONHASHSEED": "12345", "PATH": ""}
    out = subprocess.run(
        [sys.executable, "-c", code, str(ROOT)], capture_output=True, text=True, env=env, check=True
    )
    assert out.stdout.strip() == _signatures(key_text(STORY)).tobytes().hex()


def test_the_seed_chooses_the_hash_family() -> None:
    key = key_text(STORY)
    assert np.array_equal(_signatures(key, 1), _signatures(key, 1))
    differ = _signatures(key, 1) != _signatures(key, 2)
    assert differ.mean() > 0.9


def test_chunk_ids_number_consecutive_chunks_of_sensible_size() -> None:
    hashes = char_shingles(LONG, 4)
    for layer in range(LAYERS):
        ids = chunk_ids(hashes, layer)
        assert len(ids) == len(hashes) and ids[0] == 0
        assert set(np.diff(ids).tolist()) <= {0, 1}
        sizes = np.bincount(ids)
        assert len(sizes) >= 3
        assert sizes.min() >= CHUNK // 4
    assert not np.array_equal(chunk_ids(hashes, 0), chunk_ids(hashes, 1))


def _chunks(key: str, layer: int) -> list[tuple[int, ...]]:
    """The shingle hashes of each chunk of ``key``."""
    hashes = char_shingles(key, 4)
    ids = chunk_ids(hashes, layer)
    return [tuple(hashes[ids == c].tolist()) for c in range(int(ids[-1]) + 1)]


@pytest.mark.parametrize("layer", range(LAYERS))
def test_a_cut_version_shares_whole_chunks_with_the_full_text(layer: int) -> None:
    full = _chunks(LONG, layer)
    cut = _chunks(LONG[: int(len(LONG) * 0.6)], layer)
    # every chunk of the cut text but the last (which the cut ends) is a chunk of the full
    assert len(cut) >= 2
    assert cut[:-1] == full[: len(cut) - 1]


def test_a_new_lede_leaves_the_later_chunks_in_place() -> None:
    full = _chunks(LONG, 0)
    reprint = _chunks("本报讯据新华社消息" + LONG, 0)
    assert full[1:] == reprint[1:]


def test_signature_rows_are_the_chunks_of_every_layer_and_the_whole() -> None:
    hashes = char_shingles(LONG, 4)
    sig = Hasher(96, 1).signatures(hashes)
    chunks = sum(int(chunk_ids(hashes, layer)[-1]) + 1 for layer in range(LAYERS))
    assert sig.shape == (chunks + 1, 96) and sig.dtype == np.uint32
    # the last row signs the whole text as a set: shingle order moves the
    # chunks, not the whole-text row
    shuffled = Hasher(96, 1).signatures(hashes[::-1])
    assert not np.array_equal(sig[0], shuffled[0])
    assert np.array_equal(sig[-1], shuffled[-1])
    assert Hasher(96, 1).signatures(np.zeros(0, dtype=np.uint32)).shape == (0, 96)


def test_a_cut_version_shares_signature_rows_with_the_full_text() -> None:
    full = {row.tobytes() for row in _signatures(LONG)}
    cut = [row.tobytes() for row in _signatures(LONG[: len(LONG) // 2])]
    assert sum(row in full for row in cut) >= 2
    assert not {row.tobytes() for row in _signatures(key_text(OTHER_STORY))} & set(cut)


def test_band_keys_have_one_key_per_chunk_and_band() -> None:
    sig = _signatures(LONG)
    keys = band_keys(sig, 32)
    assert keys.shape == (sig.shape[0], 32) and keys.dtype == np.uint32
    assert band_keys(sig[:0], 32).shape == (0, 32)
    assert band_keys(sig, 8).shape == (sig.shape[0], 8)


def test_a_bin_belongs_to_exactly_one_band() -> None:
    sig = _signatures(LONG)[:1]
    changed = sig.copy()
    changed[0, 37] ^= 1
    differ = band_keys(sig, 32)[0] != band_keys(changed, 32)[0]
    # with 32 bands of 3 rows, bin 37 is row 1 of band 37 % 32 = 5
    assert np.flatnonzero(differ).tolist() == [5]


def test_equal_rows_in_different_bands_give_different_keys() -> None:
    sig = np.full((1, 96), 7, dtype=np.uint32)
    keys = band_keys(sig, 32)[0]
    assert len(set(keys.tolist())) == 32
