"""The pipeline and its engine settings: one result however the workers are started."""

from __future__ import annotations

from pathlib import Path

import pytest

from bench.corpus import generate
from dedup.engines import local
from dedup.engines.base import LocalSettings, SparkSettings, settings_for
from dedup.model import Options
from dedup.pipeline import PageMeta, page_order
from dedup.report.csv import pairs_csv
from dedup.report.json import scan_json
from dedup.sources import discover_sources, jsonl_source


@pytest.fixture(scope="module")
def corpus(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """About 2,500 generated articles: enough candidates for the verification pool."""
    root = tmp_path_factory.mktemp("pipeline") / "pages"
    generate(2500, seed=3, cer=(0.0, 0.08), min_keep=0.3).write(root, jobs=2)
    return root


@pytest.mark.slow
def test_spawned_workers_give_the_forked_result(corpus: Path) -> None:
    """Workers get their state from the pool's initializer, so ``spawn`` works as ``fork``.

    ``spawn`` is how worker processes start off POSIX: a worker that relied on
    module state set in the parent before forking would see none.
    """
    options = Options(jobs=2)
    results = {
        method: local.scan([corpus], options, settings=LocalSettings(start_method=method))
        for method in ("spawn", "fork")
    }
    forked = results["fork"]
    assert forked.candidates > 200 and len(forked.pairs) > 4  # the pools are used
    assert scan_json(results["spawn"]) == scan_json(forked)
    assert pairs_csv(results["spawn"]) == pairs_csv(forked)


def test_start_method_setting_and_environment(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.delenv("DEDUP_START_METHOD", raising=False)
    assert LocalSettings("spawn").resolved_start_method() == "spawn"
    assert LocalSettings().resolved_start_method() == "fork"  # POSIX
    monkeypatch.setenv("DEDUP_START_METHOD", "forkserver")
    assert LocalSettings().resolved_start_method() == "forkserver"
    assert LocalSettings("fork").resolved_start_method() == "fork"
    monkeypatch.setenv("DEDUP_START_METHOD", "threads")
    with pytest.raises(ValueError, match="DEDUP_START_METHOD must be one of"):
        LocalSettings().resolved_start_method()
    with pytest.raises(ValueError, match="start_method must be one of"):
        LocalSettings("threads")


def test_engine_settings_are_one_validated_record(tmp_path: Path) -> None:
    assert settings_for("local") == LocalSettings()
    spark = settings_for("spark", master="local[1]", parquet=tmp_path, documents=False)
    assert spark == SparkSettings("local[1]", str(tmp_path), False)
    assert SparkSettings(parquet=tmp_path).parquet == str(tmp_path)  # type: ignore[arg-type]
    with pytest.raises(ValueError, match="master must not be empty"):
        SparkSettings(master=" ")
    for loose in ({"master": "local[2]"}, {"parquet": tmp_path}, {"documents": False}):
        with pytest.raises(ValueError, match="need the spark engine"):
            settings_for("local", **loose)  # type: ignore[arg-type]
    with pytest.raises(ValueError, match="engine must be one of local, spark"):
        settings_for("dask")


def test_discovery_lists_pages_by_argument_and_jsonl_corpora_when_read(tmp_path: Path) -> None:
    (tmp_path / "b").mkdir()
    (tmp_path / "b" / "2.txt").write_text("x", encoding="utf-8")
    (tmp_path / "a.txt").write_text("x", encoding="utf-8")
    corpus = tmp_path / "c.jsonl"
    corpus.write_text("", encoding="utf-8")
    missing = (tmp_path / "gone.jsonl").as_posix()
    paths = [str(tmp_path / "b"), str(corpus), missing, str(tmp_path / "a.txt")]
    sources, corpora = discover_sources(paths, jsonl=True)
    assert [(s.arg, s.name, s.problem) for s in sources] == [
        (0, "b/2.txt", None),  # several paths: a folder's pages carry its name
        (2, missing, "no such file"),
        (3, (tmp_path / "a.txt").as_posix(), None),
    ]
    assert [(c.arg, c.path) for c in corpora] == [(1, str(corpus))]
    sources, corpora = discover_sources(paths[:2], jsonl=False)
    assert [s.name for s in sources] == ["b/2.txt", corpus.as_posix()] and not corpora


def test_jsonl_records_and_page_order() -> None:
    record = '{"path": "p/1.txt", "text": "t"}'
    assert jsonl_source(1, "c.jsonl", record) == (1, "p/1.txt", None, "t", None)
    assert jsonl_source(1, "c.jsonl", "[]").problem == (
        'bad JSON Lines record: needs string "path" and "text"'
    )
    metas = [
        PageMeta(1, "a.txt", None, False, None, 0, 0),
        PageMeta(0, "b/c.txt", None, False, None, 0, 1),
        PageMeta(0, "b/c.txt", "bad", False, None, 0, 3),
        PageMeta(0, "b/c.txt", None, False, None, 0, 2),
        PageMeta(0, "b-c.txt", None, False, None, 0, 4),
    ]
    # path parts, not strings: "b/c.txt" comes before "b-c.txt"
    assert [m.uid for m in sorted(metas, key=page_order)] == [1, 2, 3, 4, 0]


@pytest.mark.slow
def test_public_scan_under_spawn_gives_the_forked_result(
    corpus: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """The public scan with every process pool started by ``spawn`` (as off POSIX).

    Only the standard library is patched, so the same test runs against any
    version of the engine: one that kept its profiles in module globals set
    before forking failed here with an IndexError above 200 candidates.
    """
    import multiprocessing

    from dedup import find_duplicates

    forked = find_duplicates([corpus], Options(jobs=2))
    real = multiprocessing.get_context
    monkeypatch.setattr(multiprocessing, "get_context", lambda method=None: real("spawn"))
    spawned = find_duplicates([corpus], Options(jobs=2))
    assert forked.candidates > 200
    assert scan_json(spawned) == scan_json(forked)
