"""Run the local engine with sketch candidates and batched verification, for measuring.

The engine itself still fingerprints with band keys and checks one candidate
at a time; ``install`` swaps in, for the process it runs in (and the worker
processes it forks), the sketch (``fingerprint.sketch``), the
document-frequency filtered pairs (``candidates.sketch_pairs``) and the batch
verifier (``verify.verify_pairs``), so that a benchmark can measure them
inside the same pipeline. Call it before ``scan``.
"""

from __future__ import annotations

from collections.abc import Sequence

import numpy as np
import numpy.typing as npt

from dedup.model import Match, Options


class _Sketcher:
    """Stands in for the engine's Hasher: its "signatures" are the sketch."""

    @staticmethod
    def signatures(hashes: npt.NDArray[np.uint32]) -> npt.NDArray[np.uint32]:
        from dedup.fingerprint import sketch

        return sketch(hashes)


def _no_bands(signatures: npt.NDArray[np.uint32], bands: int) -> npt.NDArray[np.uint32]:
    return signatures


def _hasher(options: Options) -> _Sketcher:
    return _Sketcher()


def _key_table(keys: Sequence[npt.NDArray[np.uint32]]) -> tuple[object, None]:
    return keys, None


def _pairs(keys: Sequence[npt.NDArray[np.uint32]], table: None) -> npt.NDArray[np.int64]:
    from dedup.candidates import sketch_pairs

    return sketch_pairs(keys)


def verify_slice(pairs: list[tuple[int, int]]) -> list[Match]:
    """The engine's per-slice verification, done by the batch verifier."""
    from dedup.engines import local
    from dedup.verify import verify_pairs

    return verify_pairs(local._PROFILES, pairs, local._OPTIONS)


def install() -> None:
    """Patch ``dedup.stages`` and ``dedup.engines.local`` in this process."""
    from dedup import stages
    from dedup.engines import local

    stages._hasher = _hasher  # type: ignore[assignment]
    stages.band_keys = _no_bands
    local.key_table = _key_table  # type: ignore[assignment]
    local.pairs_from_table = _pairs  # type: ignore[assignment]
    local._verify_slice = verify_slice
