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

A *sketch* is the other fingerprint: a fixed, content-defined sample of an
article's shingles (see ``sketch``). Unlike a band key, a sampled shingle is
the same value in every article that prints it, so the candidate stage can
count in how many articles it occurs and drop boilerplate (a slogan, an
official's full title) that unrelated stories share.
"""

from __future__ import annotations

import re
import zlib
from dataclasses import dataclass

import numpy as np
import numpy.typing as npt

from dedup.model import Options
from dedup.text import MASK32, cjk_share, codepoints, rolling_hashes

U32 = npt.NDArray[np.uint32]
U64 = npt.NDArray[np.uint64]

CHUNK = 96  # mean shingles per chunk (content-defined, see chunk_ids)
LAYERS = 2  # chunkings per article, with different anchors
_MASK32 = MASK32  # every hash here is 32 bits wide
_SHINGLE_BASE = 1000003  # a prime below 2^20: k-grams of 32-bit values spread over 32 bits
_WORD = re.compile(r"[^\W_]+")
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
    """Hashes of the character k-grams of ``key`` (uint32, in text order).

    Made ``_BLOCK`` k-grams at a time (each block reads ``k - 1`` characters
    of the next), so the 64-bit temporaries of one long article stay small.
    """
    n = max(0, len(key) - k + 1)
    out = np.empty(n, dtype=np.uint32)
    for a in range(0, n, _BLOCK):
        part = codepoints(key[a : a + _BLOCK + k - 1])
        out[a : a + _BLOCK] = _fmix32(rolling_hashes(part, k, base=_SHINGLE_BASE, bits32=True))
    return out


def word_shingles(text: str, options: Options) -> U32:
    """Hashes of word n-grams of a Latin-script text (uint32, in text order)."""
    words = _WORD.findall(text.lower())
    k = options.word_shingle
    if not words:
        return np.zeros(0, dtype=np.uint32)
    if len(words) < k:
        words = words + [""] * (k - len(words))
    wh = np.array([zlib.crc32(w.encode("utf-8")) for w in words], dtype=np.uint64)
    return _fmix32(rolling_hashes(wh, k, base=_SHINGLE_BASE, bits32=True)).astype(np.uint32)


def chunk_ids(hashes: U32, layer: int = 0) -> npt.NDArray[np.int64]:
    """Chunk number of each shingle: chunks are cut where the text says so.

    A chunk ends after a shingle whose hash is 0 modulo ``CHUNK`` (an
    anchor), so two printings cut the shared text at the same places whatever
    precedes it: a version cut short, a continuation piece or a reprint with a
    new lede still shares whole chunks with the full text. Anchors closer than
    ``CHUNK // 4`` to the previous one are ignored, so chunks are not tiny.
    Each ``layer`` uses other anchors, so its chunks straddle the first's.
    """
    return _chunk_of(_chunk_starts(hashes, layer), 0, len(hashes))


def _chunk_starts(hashes: U32, layer: int) -> npt.NDArray[np.int64]:
    """Where each chunk but the first starts (``chunk_ids``), in order."""
    n = len(hashes)
    salt = np.uint32(layer * 37)
    anchors = np.flatnonzero(((hashes >> np.uint32(8)) + salt) % np.uint32(CHUNK) == 0)
    if anchors.size:
        gaps = np.diff(np.r_[-CHUNK, anchors])
        anchors = anchors[gaps >= CHUNK // 4]
    starts = anchors[anchors + 1 < n] + 1
    # a short tail joins the chunk before it
    if starts.size and n - starts[-1] < CHUNK // 4:
        starts = starts[:-1]
    return starts.astype(np.int64)


def _chunk_of(starts: npt.NDArray[np.int64], a: int, b: int) -> npt.NDArray[np.int64]:
    """Chunk number of the shingles ``a`` to ``b`` of an article whose chunks start at ``starts``."""
    return np.searchsorted(starts, np.arange(a, b), side="right").astype(np.int64)


@dataclass(frozen=True)
class Hasher:
    """The fixed family of hash functions a signature is made of.

    One permutation hashing: each shingle is hashed once, its top bits choose
    one of ``num_perm`` bins and the rest is its value; a chunk keeps the
    smallest value per bin. Empty bins borrow the value of the next filled bin
    (densification), so that short chunks still give comparable signatures.
    """

    num_perm: int
    seed: int

    @classmethod
    def make(cls, options: Options) -> Hasher:
        """The hasher an Options asks for."""
        return cls(options.num_perm, options.seed)

    def signatures(self, hashes: U32) -> U32:
        """MinHash signatures of the chunks of ``hashes``: shape (chunks, num_perm).

        Note that the chunks of every layer are returned, one after the other:
        two layers of differently placed chunks give a pair of printings twice
        the chances to meet in a band. A last row signs the whole article: OCR
        noise destroys anchors as well as shingles, and a short, noisy
        printing whose chunks all fell differently still meets its original
        on the similarity of the whole text.
        """
        m = self.num_perm
        if len(hashes) == 0:
            return np.zeros((0, m), dtype=np.uint32)
        layers = [self._signed(hashes, _chunk_starts(hashes, layer)) for layer in range(LAYERS)]
        return np.concatenate([*layers, self._signed(hashes, np.zeros(0, dtype=np.int64))])

    def _signed(self, hashes: U32, starts: npt.NDArray[np.int64]) -> U32:
        """The signature of each chunk: per bin, the smallest value of the chunk's shingles.

        The chunks start at 0 and at ``starts``. Shingles are taken
        ``_BLOCK`` at a time, so the temporaries of one long article stay
        small; a block's minima are merged into the chunks' signatures.
        """
        m = self.num_perm
        chunks = len(starts) + 1
        sig = np.full(chunks * m, _EMPTY, dtype=np.uint32)
        for a in range(0, len(hashes), _BLOCK):
            part = hashes[a : a + _BLOCK]
            h = (part.astype(np.uint64) * np.uint64(0x9E3779B1 + 2 * self.seed)) & _MASK32
            h = _fmix32(h ^ np.uint64(self.seed))
            cell = (_chunk_of(starts, a, a + len(part)) * m + (h % np.uint64(m)).astype(np.int64)).astype(np.uint64)
            # the smallest value per (chunk, bin): sort by cell then value, keep firsts
            packed = np.sort((cell << np.uint64(32)) | h)
            cells = packed >> np.uint64(32)
            first = np.r_[True, cells[1:] != cells[:-1]]
            at = cells[first].astype(np.int64)
            sig[at] = np.minimum(sig[at], (packed[first] & _MASK32).astype(np.uint32))
        sig2 = sig.reshape(chunks, m)
        step = max(1, _BLOCK // m)
        for r in range(0, chunks, step):
            sig2[r : r + step] = _densify(sig2[r : r + step])
        return sig2


def _densify(block: U32) -> U32:
    """Rotation densification of some chunks' signatures.

    An empty bin takes the value of the next non-empty bin to its right
    (wrapping round), shifted by the distance, so equal chunks still agree
    bin for bin.
    """
    sig2 = block.astype(np.uint64)
    chunks, m = sig2.shape
    empty = np.uint64(_EMPTY)
    missing = sig2 == empty
    if not missing.any():
        return block
    doubled = np.concatenate([sig2, sig2], axis=1)
    where = np.where(doubled == empty, 2 * m, np.arange(2 * m))
    nxt = np.minimum.accumulate(where[:, ::-1], axis=1)[:, ::-1][:, :m]
    rows = np.arange(chunks)[:, None]
    shift = (nxt - np.arange(m)).astype(np.uint64) * np.uint64(0x9E3779B1)
    return np.where(missing, (doubled[rows, nxt] + shift) & _MASK32, sig2).astype(np.uint32)


def band_keys(signatures: U32, bands: int) -> U32:
    """Hash each band of each chunk signature to one uint32: shape (chunks, bands).

    Note that the band index is mixed in, so equal keys in different bands
    never meet (bands are grouped separately anyway).
    """
    chunks, m = signatures.shape
    step = max(1, _BLOCK // m)  # a block of chunks at a time: the temporaries are 64-bit
    parts = [_band_keys(signatures[r : r + step], bands) for r in range(0, chunks, step)]
    return np.concatenate(parts) if parts else np.zeros((0, bands), dtype=np.uint32)


def _band_keys(signatures: U32, bands: int) -> U32:
    chunks, m = signatures.shape
    rows = m // bands
    # Rows of a band are bins ``band, band + bands, …``, not neighbours:
    # densification fills empty neighbours from the same bin, and a band of
    # neighbours would then hang on a single value.
    sig = signatures.astype(np.uint64).reshape(chunks, rows, bands).transpose(0, 2, 1)
    h = np.broadcast_to(np.arange(bands, dtype=np.uint64) * np.uint64(0x27D4EB2F), (chunks, bands))
    h = h.copy()
    for r in range(rows):
        h = _fmix32((h * np.uint64(1000003)) ^ sig[:, :, r])
    return h.astype(np.uint32)


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
