"""Shingles and MinHash signatures: the cheap fingerprints candidates come from.

Text is reduced to its letters and digits (``normalize.key_text``), so that
punctuation width, quotes and line breaks cannot change a fingerprint. CJK text
is cut into character n-grams; Latin text into word n-grams. Every hash here is
a fixed function of the text (no salted ``hash()``), so signatures are the
same in every process and on every machine.

A story cut short is *contained* in its full printing, and two printings
rarely share all of their text; a single signature for a whole article would
see only their Jaccard similarity, which truncation drives down. Each article
is therefore cut into fixed chunks of shingles, and every chunk gets its own
signature: a cut version shares whole chunks with the full one.
"""

from __future__ import annotations

import re
import zlib
from dataclasses import dataclass

import numpy as np
import numpy.typing as npt

from dedup.model import Options
from dedup.normalize import is_cjk

U32 = npt.NDArray[np.uint32]
U64 = npt.NDArray[np.uint64]

CHUNK = 192  # shingles per chunk
_MASK32 = np.uint64(0xFFFFFFFF)
_WORD = re.compile(r"[^\W_]+")


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
    sample = key[:2000]
    return sum(1 for c in sample if is_cjk(c)) >= 0.3 * len(sample)


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
    cps = np.frombuffer(key.encode("utf-32-le"), dtype=np.uint32).astype(np.uint64)
    if len(cps) < k:
        return np.zeros(0, dtype=np.uint32)
    h = np.zeros(len(cps) - k + 1, dtype=np.uint64)
    for j in range(k):
        h = (h * np.uint64(1000003) + cps[j : len(cps) - k + 1 + j]) & _MASK32
    return _fmix32(h).astype(np.uint32)


def word_shingles(text: str, options: Options) -> U32:
    """Hashes of word n-grams of a Latin-script text (uint32, in text order)."""
    words = _WORD.findall(text.lower())
    k = options.word_shingle
    if not words:
        return np.zeros(0, dtype=np.uint32)
    if len(words) < k:
        words = words + [""] * (k - len(words))
    wh = np.array([zlib.crc32(w.encode("utf-8")) for w in words], dtype=np.uint64)
    h = np.zeros(len(wh) - k + 1, dtype=np.uint64)
    for j in range(k):
        h = (h * np.uint64(1000003) + wh[j : len(wh) - k + 1 + j]) & _MASK32
    return _fmix32(h).astype(np.uint32)


@dataclass(frozen=True)
class Hasher:
    """The fixed family of hash functions a signature is made of.

    One permutation hashing: each shingle is hashed once, its top bits choose
    one of ``num_perm`` bins and the rest is its value; a chunk keeps the
    smallest value per bin. Empty bins borrow the value of another bin along a
    fixed probe sequence (densification), so that short chunks still give
    comparable signatures.
    """

    num_perm: int
    seed: int
    probes: npt.NDArray[np.int64]

    @classmethod
    def make(cls, options: Options) -> Hasher:
        rng = np.random.default_rng(options.seed)
        probes = rng.integers(0, options.num_perm, size=(24, options.num_perm), dtype=np.int64)
        return cls(options.num_perm, options.seed, probes)

    def signatures(self, hashes: U32) -> U32:
        """MinHash signatures of consecutive chunks of ``hashes``: shape (chunks, num_perm)."""
        n = len(hashes)
        m = self.num_perm
        if n == 0:
            return np.zeros((0, m), dtype=np.uint32)
        # Fixed-size chunks from the start: a version cut short keeps the
        # chunk boundaries of the full one. A short tail joins the last chunk.
        chunks = max(1, -(-n // CHUNK))
        if chunks > 1 and n - (chunks - 1) * CHUNK < CHUNK // 2:
            chunks -= 1
        h = (hashes.astype(np.uint64) * np.uint64(0x9E3779B1 + 2 * self.seed)) & _MASK32
        h = _fmix32(h ^ np.uint64(self.seed))
        bins = (h % np.uint64(m)).astype(np.int64)
        chunk_of = np.minimum(np.arange(n, dtype=np.int64) // CHUNK, chunks - 1)
        cell = chunk_of * m + bins
        empty = np.uint64(0xFFFFFFFF)
        sig = np.full(chunks * m, empty, dtype=np.uint64)
        np.minimum.at(sig, cell, h)
        sig2 = sig.reshape(chunks, m)
        missing = sig2 == empty
        if missing.any():
            filled = sig2.copy()
            for probe in self.probes:
                todo = filled == empty
                if not todo.any():
                    break
                borrowed = sig2[:, probe]
                take = todo & (borrowed != empty)
                # mix in the bin index so borrowed values differ from their source
                filled[take] = _fmix32(borrowed[take] ^ np.uint64(0x5BD1E995))
            sig2 = filled
        return sig2.astype(np.uint32)


def band_keys(signatures: U32, bands: int) -> U32:
    """Hash each band of each chunk signature to one uint32: shape (chunks, bands).

    Note that the band index is mixed in, so equal keys in different bands
    never meet (bands are grouped separately anyway).
    """
    chunks, m = signatures.shape
    rows = m // bands
    sig = signatures.astype(np.uint64).reshape(chunks, bands, rows)
    h = np.broadcast_to(np.arange(bands, dtype=np.uint64) * np.uint64(0x27D4EB2F), (chunks, bands))
    h = h.copy()
    for r in range(rows):
        h = _fmix32((h * np.uint64(1000003)) ^ sig[:, :, r])
    return h.astype(np.uint32)
