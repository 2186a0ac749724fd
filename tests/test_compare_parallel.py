"""A scan explains its pairs in a process pool, and the pool's comparisons are the serial ones.

The samples hold only two pairs (too few for the pool), so the pages are
copied into folders until a scan finds more pairs than one worker's share.
"""

from __future__ import annotations

import shutil
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import Any

import pytest

from dedup.engines import local
from dedup.metrics import pair_similarity
from dedup.model import ArticleRef, Options
from dedup.report.json import scan_json
from tests.conftest import sample


@pytest.fixture
def copies(tmp_path: Path) -> Path:
    for folder in ("a", "b"):
        (tmp_path / folder).mkdir()
        for name in ("000", "001"):
            shutil.copy(sample(name), tmp_path / folder / sample(name).name)
    return tmp_path


def test_pairs_are_compared_in_the_pool_alike(copies: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    calls: list[tuple[str, bool, int]] = []
    real = local.LocalExecutor._map

    def spy(self: Any, run: Callable[[Any], Any], items: list[Any], *args: Any) -> Iterator[Any]:
        calls.append((getattr(run, "__name__", ""), bool(args[1]), len(items)))
        return real(self, run, items, *args)

    monkeypatch.setattr(local.LocalExecutor, "_map", spy)
    parallel = local.scan([copies], Options(jobs=2))
    compared = [c for c in calls if c[0] == "_compare_one"]
    assert compared == [("_compare_one", True, len(parallel.comparisons))]
    assert len(parallel.comparisons) > 4
    calls.clear()
    serial = local.scan([copies], Options(jobs=1))
    assert [c for c in calls if c[0] == "_compare_one"] == [("_compare_one", False, len(serial.comparisons))]
    assert scan_json(parallel) == scan_json(serial)


def test_a_scan_shows_the_similarity_it_verified(copies: Path) -> None:
    """The comparison takes the Match's similarity: the figure ``pair_similarity`` gives."""
    from dedup.pages import _split_file

    result = local.scan([copies], Options(jobs=1))
    checked = 0
    for m in result.pairs:
        explained = result.comparisons.get((m.a, m.b))
        if explained is None:
            continue
        checked += 1
        assert explained.comparison.metrics.similarity == m.similarity
        ra, rb = ArticleRef.parse(m.a), ArticleRef.parse(m.b)
        xa = _split_file(str(copies / ra.path), ra.path, Options())[1][ra.index - 1]
        xb = _split_file(str(copies / rb.path), rb.path, Options())[1][rb.index - 1]
        assert pair_similarity(xa, xb) == m.similarity
    assert checked > 4
