"""Shingles and sketches: the cheap fingerprints candidates come from.

Text is reduced to its letters and digits (``normalize.key_text``), so that
punctuation width, quotes and line breaks cannot change a fingerprint. CJK text
is cut into character n-grams; Latin text into word n-grams. Every hash here is
a fixed function of the text (no salted ``hash()``), so signatures are the
same in every process and on every machine.

A *sketch* is an article's fingerprint: a fixed, content-defined sample of its
shingles (see ``sketch``). A sampled shingle is the same value in every
article that prints it, so the candidate stage can
count in how many articles it occurs and drop boilerplate (a slogan, an
official's full title) that unrelated stories share.
"""

from __future__ import annotations

import re
import zlib
from collections.abc import Callable

import numpy as np
import numpy.typing as npt

from dedup.model import Options
from dedup.text import MASK32, cjk_share, codepoints, rolling_hashes

U32 = npt.NDArray[np.uint32]
U64 = npt.NDArray[np.uint64]

_MASK32 = np.uint64(MASK32)  # every hash here is 32 bits wide
_SHINGLE_BASE = 1000003  # a prime below 2^20: k-grams of 32-bit values spread over 32 bits
_WORD = re.compile(r"[^\W_]+")
_SPACE = re.compile(r"\s")
_WORDS_AT_ONCE = 1 << 18  # characters of text whose words are hashed together
_BLOCK = 1 << 16  # shingles (or signature cells) handled at a time in the 64-bit steps
_EMPTY = 0xFFFFFFFF  # a bin no shingle fell in
SAMPLE = 8  # a sketch keeps about one shingle in SAMPLE
SMALLEST = 4  # and the SMALLEST least hashes, so that short texts are never left empty


def _fmix32(h: U64) -> U64:
    """MurmurHash3's finaliser on 32-bit values held in uint64 (avalanche)."""
    h = h & _MASK32
    h ^= h >> np.uint64(16)
    h = (h * np.uint64(0x85EBCA6B)) & _MASK32
    h ^= h >> np.uint64(13)
    h = (h * np.uint64(0xC2B2AE35)) & _MASK32
    h ^= h >> np.uint64(16)
    return h


def is_cjk_text(key: str) -> bool:
    """True when CJK characters make up at least 30 % of ``key``."""
    if not key:
        return False
    return cjk_share(key[:400]) >= 0.3


def shingles(key: str, text: str, options: Options) -> U32:
    """Hashes of an article's shingles, in text order (uint32).

    Args:
        key: the article's ``normalize.key_text`` (letters and digits only).
        text: the same text with its word boundaries, for Latin script.
        options: ``shingle`` (characters) and ``word_shingle`` (words).
    """
    if is_cjk_text(key):
        return char_shingles(key, options.shingle)
    return word_shingles(text, options)


def char_shingles(key: str, k: int) -> U32:
    """Hashes of the character k-grams of ``key`` (uint32, in text order)."""
    return _windows(len(key), k, lambda a, b: codepoints(key[a:b]))


def word_shingles(text: str, options: Options) -> U32:
    """Hashes of word n-grams of a Latin-script text (uint32, in text order).

    The text is lower-cased and its words hashed ``_WORDS_AT_ONCE``
    characters at a time, cut at a space (where no word is and lower-casing
    looks no further), so that a page of many megabytes on one line never
    holds all its words as strings at once.
    """
    k = options.word_shingle
    parts = []
    start = 0
    while start < len(text):
        gap = _SPACE.search(text, start + _WORDS_AT_ONCE)
        stop = gap.start() if gap else len(text)
        words = _WORD.findall(text[start:stop].lower())
        parts.append(np.array([zlib.crc32(w.encode("utf-8")) for w in words], dtype=np.uint32))
        start = stop
    wh = np.concatenate(parts) if parts else np.zeros(0, dtype=np.uint32)
    if not len(wh):
        return np.zeros(0, dtype=np.uint32)
    if len(wh) < k:  # a text shorter than one shingle: padded with the hash of "" (0)
        wh = np.concatenate([wh, np.zeros(k - len(wh), dtype=np.uint32)])
    return _windows(len(wh), k, lambda a, b: wh[a:b].astype(np.uint64))


def _windows(count: int, k: int, values: Callable[[int, int], U64]) -> U32:
    """Shingle hashes of the windows of ``k`` of ``count`` values (uint32, in order).

    Made ``_BLOCK`` windows at a time (``values(a, b)`` gives values ``a`` to
    ``b``, each block reading ``k - 1`` values of the next), so the 64-bit
    temporaries of one long article stay small.
    """
    n = max(0, count - k + 1)
    out = np.empty(n, dtype=np.uint32)
    for a in range(0, n, _BLOCK):
        part = values(a, a + _BLOCK + k - 1)
        out[a : a + _BLOCK] = _fmix32(rolling_hashes(part, k, base=_SHINGLE_BASE, bits32=True))
    return out


def sketch(hashes: U32) -> U32:
    """Content-defined sample of an article's shingle hashes: sorted, without repeats (uint32).

    A shingle is kept when its hash is 0 modulo ``SAMPLE``: the choice
    depends on the shingle alone, so a version cut short keeps exactly the
    samples of the text it kept, and two printings share the samples of the
    text they share (containment survives). The ``SMALLEST`` least hashes
    are added, so that a short text still has a few values to meet its
    printings by (the least hashes of two near-equal texts mostly agree).
    """
    if not len(hashes):
        return np.zeros(0, dtype=np.uint32)
    kept = hashes[hashes % np.uint32(SAMPLE) == 0]
    least = np.partition(hashes, SMALLEST - 1)[:SMALLEST] if len(hashes) > SMALLEST else hashes
    return np.unique(np.concatenate([kept, least]))
