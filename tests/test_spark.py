"""The Spark engine gives exactly the local engine's result (oracle: the local engine).

These tests need pyspark and Java 17+. Without them they are skipped on a
developer's machine and fail in CI (``CI`` set), so that a missing install
step cannot hide them. One SparkSession on ``local[2]`` serves the module.
"""

from __future__ import annotations

import json
import os
import shutil
from collections.abc import Iterator
from dataclasses import replace
from pathlib import Path
from typing import Any

import pytest
from click.testing import CliRunner

from bench.corpus import generate
from dedup.cli import cli
from dedup.engines import local
from dedup.engines.base import EngineUnavailable, get_engine
from dedup.model import Options
from dedup.model.page import ArticleSummary
from dedup.model.scan import ScanResult
from dedup.report.csv import pairs_csv
from dedup.report.json import scan_json
from tests.conftest import SAMPLES

pytestmark = pytest.mark.spark


def _in_ci() -> bool:
    return os.environ.get("CI", "").strip().lower() not in ("", "0", "false", "no")


@pytest.fixture(scope="module")
def spark() -> Iterator[Any]:
    """One local[2] session for the module; fails in CI when Spark cannot start."""
    from dedup.engines import spark as engine

    try:
        engine.require()
    except EngineUnavailable as exc:
        if _in_ci():
            pytest.fail(f"Spark tests cannot run in CI: {exc}")
        pytest.skip(str(exc))
    session = engine.session(
        "local[2]",
        # a cold JVM compiles less with C1 only: these corpora are small
        conf={"spark.driver.extraJavaOptions": "-XX:TieredStopAtLevel=1"},
    )
    yield session
    session.stop()


def _scan(spark: Any, paths: list[Path | str], options: Options) -> ScanResult:
    from dedup.engines.spark import scan

    return scan(paths, options, spark=spark)


def assert_same(expected: ScanResult, got: ScanResult, inputs: bool = True) -> None:
    """Every part of the two results is equal, and so are scan.json and pairs.csv.

    ``roots`` (the paths each scan was given) are set equal first: the tests
    give the engines the same pages as files and as JSON Lines. So are the
    ``inputs`` (the files read, with their digests) when ``inputs`` is False:
    a JSON Lines corpus is one file where the other scan read many.
    """
    got = replace(got, roots=expected.roots)
    if not inputs:
        got = replace(got, inputs=expected.inputs)
    assert got.pairs == expected.pairs
    assert got.clusters == expected.clusters
    assert got.documents == expected.documents
    assert got.failures == expected.failures
    assert got.warnings == expected.warnings
    assert (got.candidates, got.articles) == (expected.candidates, expected.articles)
    assert got.comparisons == expected.comparisons
    assert scan_json(got) == scan_json(expected)
    assert pairs_csv(got) == pairs_csv(expected)


@pytest.fixture(scope="module")
def corpus(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """A generated corpus with planted, noisy and cut printings, as files and as JSON Lines."""
    root = tmp_path_factory.mktemp("corpus")
    generated = generate(240, seed=3, cer=(0.0, 0.08), min_keep=0.3, dup_fraction=0.3)
    generated.write(root / "pages", jsonl=root / "pages.jsonl")
    return root


def test_samples_give_the_local_result(spark: Any) -> None:
    options = Options(jobs=1)
    expected = local.scan([SAMPLES], options)
    assert len(expected.pairs) == 2  # the oracle finds something to agree on
    assert_same(expected, _scan(spark, [SAMPLES], options))


EVAL_DEV = Path(__file__).resolve().parents[2] / "shared" / "eval-dev"


def _story_text(folder: Path, article: ArticleSummary, title: bool) -> list[str]:
    """The paragraphs of a scanned article: its body, after its title when asked."""
    text = (folder / article.path).read_text(encoding="utf-8")
    kinds = ("title", "body", "subhead") if title else ("body", "subhead")
    return [text[p.start : p.end] for p in article.paragraphs if p.kind in kinds]


def _apart(one: tuple[str, ...], other: tuple[str, ...]) -> bool:
    """No printing of one cluster sits within two articles of a printing of the other on a page."""
    def place(i: str) -> tuple[str, int]:
        path, _, n = i.rpartition("#")
        return path, int(n)

    return all(p != q or abs(m - n) > 2 for p, m in map(place, one) for q, n in map(place, other))


def _with_two_stories_run_together(folder: Path, out: Path, options: Options) -> Path:
    """A copy of ``folder`` plus a page whose one article holds two stories printed elsewhere too.

    A titled printing each of two stories that the local scan clusters apart (and
    that never stand side by side on a page, which would make them pieces of
    one story) are written one after the other, the second's headline left
    out: the page splits into one article that the printings of both match,
    a split to report.
    """
    scan = local.scan([folder], options)
    titled = {a.id: a for d in scan.documents for a in d.articles if a.kind == "story" and a.title}
    clusters = [c.articles for c in scan.clusters]
    one, other = next(
        (c, d)
        for k, c in enumerate(clusters)
        for d in clusters[k + 1 :]
        if _apart(c, d) and set(c) & titled.keys() and set(d) & titled.keys()
    )
    first, second = (titled[min(set(c) & titled.keys())] for c in (one, other))
    shutil.copytree(folder, out)
    paragraphs = _story_text(folder, first, True) + _story_text(folder, second, False)
    (out / "zz_two_stories.txt").write_text("\n\n".join(paragraphs) + "\n", encoding="utf-8")
    return out


@pytest.mark.slow
@pytest.mark.parametrize("name", ["corpus-a", "corpus-b"])
def test_development_corpora_give_the_local_result(spark: Any, name: str, tmp_path: Path) -> None:
    """Real OCR, mixed heading styles and an article that holds two stories: the same bytes."""
    if not (EVAL_DEV / name).is_dir():
        pytest.skip(f"{EVAL_DEV / name} is not here")
    options = Options(jobs=1)
    folder = _with_two_stories_run_together(EVAL_DEV / name, tmp_path / name, options)
    expected = local.scan([folder], options)
    assert any(s.article.startswith("zz_two_stories.txt#") for s in expected.splits)
    assert_same(expected, _scan(spark, [folder], options))


def test_generated_files_and_jsonl_give_the_local_result(spark: Any, corpus: Path) -> None:
    options = Options(jobs=2)
    expected = local.scan([corpus / "pages"], options)
    truth = {tuple(p) for p in json.loads((corpus / "pages" / "truth.json").read_text("utf-8"))}
    found = {(m.a, m.b) for m in expected.pairs if m.relation != "continuation"}
    assert found == truth and expected.clusters and expected.comparisons
    assert_same(expected, _scan(spark, [corpus / "pages"], options))
    # a JSON Lines record is read as a UTF-8 file of that path and text
    via_jsonl = _scan(spark, [corpus / "pages.jsonl"], options)
    assert_same(expected, via_jsonl, inputs=False)
    assert [i.name for i in via_jsonl.inputs] == [str(corpus / "pages.jsonl")]
    assert via_jsonl.roots == [str(corpus / "pages.jsonl")]


def test_mixed_inputs_bad_files_and_no_compare(spark: Any, tmp_path: Path) -> None:
    pages = tmp_path / "pages"
    pages.mkdir()
    for path in SAMPLES.glob("*.txt"):
        shutil.copy(path, pages / path.name)
    (pages / "broken.txt").write_bytes(b"\x00\x01binary")
    (pages / "empty.txt").write_bytes(b"")
    single = tmp_path / "one.txt"
    shutil.copy(next(SAMPLES.glob("001_*.txt")), single)
    jsonl = tmp_path / "more.jsonl"
    text = next(SAMPLES.glob("000_*.txt")).read_text(encoding="utf-8")
    jsonl.write_text(
        json.dumps({"path": "copy/000.txt", "text": text}, ensure_ascii=False) + "\n\n",
        encoding="utf-8",
    )
    options = Options(jobs=1, compare_pairs=False)
    # with several paths a folder's pages are named after it: copy/000.txt, as the record
    mirror = tmp_path / "copy"
    mirror.mkdir()
    (mirror / "000.txt").write_text(text, encoding="utf-8", newline="")
    expected = local.scan([pages, single, mirror], options)
    got = _scan(spark, [pages, single, jsonl], options)
    assert_same(expected, got, inputs=False)
    assert ("pages/broken.txt", "binary file (NUL byte at offset 0)") in got.failures
    assert got.warnings == [("pages/empty.txt", "empty file, no articles")]


def test_continuations_are_linked_as_the_local_engine_links_them(spark: Any, tmp_path: Path) -> None:
    from dedup import read, split

    full = next(SAMPLES.glob("001_*.txt"))
    story = split(read(full))[0]
    body = [p.text for p in story.body]
    tail = "\n\n".join(body[len(body) // 2 :])
    shutil.copy(next(SAMPLES.glob("000_*.txt")), tmp_path / "a.txt")  # the head, cut at 下转
    shutil.copy(full, tmp_path / "b.txt")  # the full printing
    (tmp_path / "c.txt").write_text(f"## {story.title}\n\n（上接第一版）\n\n{tail}\n", encoding="utf-8")
    options = Options(jobs=1)
    expected = local.scan([tmp_path], options)
    # the continuation keeps its inner sub-heads, so it shares with the head
    # only the stretch around the jump: they are linked, not verified
    assert [m.relation for m in expected.pairs if (m.a, m.b) == ("a.txt#1", "c.txt#2")] == ["continuation"]
    assert [m.relation for m in expected.pairs if (m.a, m.b) == ("b.txt#1", "c.txt#2")] == ["partial"]
    assert_same(expected, _scan(spark, [tmp_path], options))


def test_bad_jsonl_records_and_missing_inputs_are_failures(spark: Any, tmp_path: Path) -> None:
    jsonl = tmp_path / "bad.jsonl"
    jsonl.write_text('{"path": "a.txt"}\nnot json\n', encoding="utf-8")
    got = _scan(spark, [jsonl, tmp_path / "missing.jsonl"], Options(jobs=1))
    assert got.failures == [
        (jsonl.as_posix(), "bad JSON Lines record: Expecting value: line 1 column 1 (char 0)"),
        (jsonl.as_posix(), 'bad JSON Lines record: needs string "path" and "text"'),
        ((tmp_path / "missing.jsonl").as_posix(), "no such file"),
    ]
    assert got.pairs == [] and got.documents == []


def test_cli_spark_engine_writes_the_local_outputs_and_parquet(spark: Any, tmp_path: Path) -> None:
    runner = CliRunner()
    outs = {}
    for engine in ("local", "spark"):
        out = tmp_path / engine
        args = ["scan", str(SAMPLES), "--out", str(out), "-q", "-j", "1", "--engine", engine]
        args += ["--format", "json", "--format", "csv"]
        if engine == "spark":
            args += ["--format", "parquet"]
        result = runner.invoke(cli, args)
        assert result.exit_code == 0, result.output
        outs[engine] = out
    for name in ("scan.json", "pairs.csv"):
        assert (outs["spark"] / name).read_bytes() == (outs["local"] / name).read_bytes()
    data = json.loads((outs["local"] / "scan.json").read_text(encoding="utf-8"))
    pairs = spark.read.parquet(str(outs["spark"] / "pairs.parquet")).collect()
    assert [(r.a, r.b, r.relation, r.cluster) for r in pairs] == [
        (p["a"], p["b"], p["relation"], c["id"])
        for p, c in zip(data["pairs"], data["clusters"], strict=True)
    ]
    clusters = spark.read.parquet(str(outs["spark"] / "clusters.parquet")).collect()
    assert [r.asDict() for r in clusters] == data["clusters"]
    documents = spark.read.parquet(str(outs["spark"] / "documents.parquet")).collect()
    as_json = sorted((r.asDict(recursive=True) for r in documents), key=lambda d: str(d["path"]))
    for doc in data["documents"]:  # scan.json alone carries compared articles' texts
        for art in doc["articles"]:
            art.pop("text", None)
    assert as_json == data["documents"]


def test_cli_parquet_only_keeps_documents_off_the_driver(spark: Any, tmp_path: Path) -> None:
    out = tmp_path / "out"
    args = ["scan", str(SAMPLES), "--out", str(out), "--engine", "spark", "--format", "parquet"]
    result = CliRunner().invoke(cli, args)
    assert result.exit_code == 0, result.output
    assert sorted(p.name for p in out.iterdir()) == [
        "clusters.parquet",
        "documents.parquet",
        "pairs.parquet",
    ]
    assert result.stderr.startswith(f"{_articles()} articles: 2 pairs in 2 clusters")
    assert spark.read.parquet(str(out / "documents.parquet")).count() == 5


def _articles() -> int:
    return local.scan([SAMPLES], Options(jobs=1, compare_pairs=False)).articles


def test_spark_settings_need_the_spark_engine() -> None:
    runner = CliRunner()
    for extra, message in (
        (["--master", "local[2]"], "Error: --master needs --engine spark"),
        (["--format", "parquet"], "Error: --format parquet needs --engine spark"),
    ):
        result = runner.invoke(cli, ["scan", str(SAMPLES), "--out", "unused", *extra])
        assert result.exit_code == 2
        assert result.stderr.splitlines()[-1] == message
    with pytest.raises(ValueError, match="need the spark engine"):
        get_engine("local", master="local[2]")
    with pytest.raises(ValueError, match="engine must be one of local, spark"):
        get_engine("dask")


def test_sides_give_the_local_result(spark: Any, tmp_path: Path) -> None:
    """Print against web: only cross-side pairs, the first side as A, the same coverage."""
    from dedup.sides import Root
    from tests.conftest import sample

    for side, prefixes in (("print", ("000", "002", "003")), ("web", ("001", "004"))):
        (tmp_path / side).mkdir()
        for n, prefix in enumerate(prefixes, 1):
            shutil.copy(sample(prefix), tmp_path / side / f"p{n}.txt")
    roots = [Root(str(tmp_path / "web"), "web"), Root(str(tmp_path / "print"), "print")]
    options = Options(jobs=1)
    expected = local.scan(roots, options)
    assert [m.a for m in expected.pairs] == ["web/p1.txt#1", "web/p1.txt#4"]
    got = _scan(spark, roots, options)
    assert_same(expected, got)
    assert (got.sides, got.side_order, got.inputs) == (expected.sides, expected.side_order, expected.inputs)
    assert json.loads(scan_json(got))["unmatched"]["print"]
