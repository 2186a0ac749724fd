"""The archive treats an article holding two stories as a scan does: split, cut, read again, clustered apart."""

from __future__ import annotations

import json
import shutil
import sqlite3
from pathlib import Path

import pytest

from dedup.archive import add, check, remove, result, stats
from dedup.model import Options
from dedup.report.build import write_scan_reports
from dedup.report.json import scan_json
from dedup.scan import scan_paths
from tests.conftest import OTHER_STORY, STORY

EVAL_DEV = Path("../shared/eval-dev")
OPTIONS = Options(jobs=1)


def _paragraphs(story: str) -> str:
    return "\n\n".join(story.split("\n"))


def _pool(folder: Path) -> Path:
    """A page whose one article holds two stories (``m``), printings of each, an unrelated page."""
    folder.mkdir()
    pages = {
        "m.txt": f"## 冬日里的小城\n\n{_paragraphs(STORY)}\n\n{_paragraphs(OTHER_STORY)}\n",
        "x1.txt": f"## 社区志愿者扫雪送暖\n\n{_paragraphs(STORY)}\n",
        "x2.txt": f"## 小城初雪\n\n{_paragraphs(STORY)}\n\n编辑：张三\n",
        "y1.txt": f"## 春耕时节农机忙\n\n{_paragraphs(OTHER_STORY)}\n",
        "z.txt": "## 图书馆延长开放时间\n\n" + "市图书馆自下月起延长开放时间，工作日开放至晚上九点，周末全天开放。" * 6 + "\n",
        # both stories printed as two articles side by side: the first reading sees one story in two pieces
        "both.txt": f"## 社区志愿者扫雪送暖\n\n{_paragraphs(STORY)}\n\n## 春耕时节农机忙\n\n{_paragraphs(OTHER_STORY)}\n",
    }
    for name, text in pages.items():
        (folder / name).write_text(text, encoding="utf-8")
    return folder


def _same_as_scan(db: Path, root: Path, options: Options = OPTIONS) -> dict[str, object]:
    """Assert the archive's report is the scan's of ``root``, and the archive sound; the scan.json."""
    scanned = scan_json(scan_paths([str(root)], options))
    assert scan_json(result(db)) == scanned
    assert check(db) == []
    data: dict[str, object] = json.loads(scanned)
    return data


def _html(folder: Path) -> dict[str, bytes]:
    return {str(p.relative_to(folder)): p.read_bytes() for p in sorted(folder.rglob("*.html"))}


def _kinds(data: dict[str, object], path: str) -> list[str]:
    docs = data["documents"]
    assert isinstance(docs, list)
    (doc,) = [d for d in docs if d["path"] == path]
    return [a["kind"] for a in doc["articles"]]


def _split(data: dict[str, object]) -> list[tuple[str, list[list[str]]]]:
    found = data["split"]
    assert isinstance(found, list)
    return [(s["article"], [p["partners"] for p in s["parts"]]) for s in found]


@pytest.mark.parametrize(
    "batches",
    [
        [["m.txt"], ["x1.txt", "y1.txt"], ["x2.txt", "z.txt"]],  # the story page first
        [["x1.txt", "x2.txt", "y1.txt", "z.txt"], ["m.txt"]],  # the story page last
        [["x1.txt"], ["m.txt"], ["z.txt"], ["y1.txt"], ["x2.txt"]],  # cut on a stored page, a partner after
    ],
)
def test_a_page_holding_two_stories_gives_the_scan_in_any_order(tmp_path: Path, batches: list[list[str]]) -> None:
    pool, root, db = _pool(tmp_path / "pool"), tmp_path / "pages", tmp_path / "a.db"
    root.mkdir()
    for batch in batches:
        for name in batch:
            shutil.copy(pool / name, root / name)
        add(db, [str(root / name) for name in batch], OPTIONS, base=str(root))
        data = _same_as_scan(db, root)
    assert _split(data) == [("m.txt#1", [["x1.txt#1", "x2.txt#1"], ["y1.txt#1"]])]
    assert _kinds(data, "m.txt") == ["story", "story"]  # cut and read again
    clusters = data["clusters"]
    assert isinstance(clusters, list)
    assert sorted(c["articles"] for c in clusters) == [["m.txt#1", "x1.txt#1", "x2.txt#1"], ["m.txt#2", "y1.txt#1"]]
    assert (stats(db)["cuts"], stats(db)["splits"], stats(db)["dropped"]) == (1, 1, 0)
    write_scan_reports(scan_paths([str(root)], OPTIONS), tmp_path / "scan")
    write_scan_reports(result(db), tmp_path / "archive")  # the pieces' pair reports read the cut page
    assert _html(tmp_path / "archive") == _html(tmp_path / "scan")


def test_a_split_that_goes_away_reads_the_page_uncut_again(tmp_path: Path) -> None:
    pool, root, db = _pool(tmp_path / "pool"), tmp_path / "pages", tmp_path / "a.db"
    shutil.copytree(pool, root, ignore=shutil.ignore_patterns("both.txt"))
    add(db, [str(root)], OPTIONS, base=str(root))
    assert _kinds(_same_as_scan(db, root), "m.txt") == ["story", "story"]
    remove(db, ["y1.txt"])  # one story printed nowhere else: no split, no cut
    (root / "y1.txt").unlink()
    data = _same_as_scan(db, root)
    assert _split(data) == [] and _kinds(data, "m.txt") == ["story"]
    shutil.copy(pool / "y1.txt", root)
    add(db, [str(root / "y1.txt")], OPTIONS, base=str(root))
    assert _kinds(_same_as_scan(db, root), "m.txt") == ["story", "story"]
    shutil.copy(pool / "both.txt", root)  # both stories side by side: one story in two pieces, not a split
    add(db, [str(root / "both.txt")], OPTIONS, base=str(root))
    data = _same_as_scan(db, root)
    assert _split(data) == [] and _kinds(data, "m.txt") == ["story"]
    with sqlite3.connect(db) as con:
        assert con.execute("SELECT count(*) FROM cuts").fetchone()[0] == 0


def test_a_version_3_archive_is_cut_where_the_scan_cuts(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    pool, db = _pool(tmp_path / "pool"), tmp_path / "a.db"
    (pool / "both.txt").unlink()
    with monkeypatch.context() as m:  # as version 3 built it: no split seen, the page stored uncut
        m.setattr("dedup.archive.stories.settle_stories", lambda *args: None)
        add(db, [str(pool)], OPTIONS, base=str(pool))
    assert _kinds(json.loads(scan_json(result(db))), "m.txt") == ["story"]
    with sqlite3.connect(db) as con:
        for table in ("cuts", "splits", "dropped"):
            con.execute(f"DROP TABLE {table}")
        con.execute("UPDATE meta SET value = '3' WHERE key = 'schema_version'")
    assert _kinds(_same_as_scan(db, pool), "m.txt") == ["story", "story"]
    assert stats(db)["schema_version"] == 7


@pytest.mark.parametrize("corpus", ["corpus-a", "corpus-b"])
def test_eval_dev_corpora_in_three_batches_give_the_scan(tmp_path: Path, corpus: str) -> None:
    if not (EVAL_DEV / corpus).is_dir():
        pytest.skip(f"{EVAL_DEV / corpus} is not here (shared material next to the repository)")
    root = tmp_path / corpus
    shutil.copytree(EVAL_DEV / corpus, root, ignore=shutil.ignore_patterns("*.json", "*.jsonl"))
    options = Options(jobs=2)
    pages = sorted(root.glob("*.txt"))
    db = tmp_path / "a.db"
    for k in range(3):
        add(db, [str(p) for p in pages[k::3]], options, base=str(root))
    data = _same_as_scan(db, root, options)
    if corpus == "corpus-a":  # one page there holds two stories: the archive cuts it as the scan does
        assert len(_split(data)) == 1


def test_an_article_that_cannot_be_cut_keeps_its_stories_apart_in_the_clusters(tmp_path: Path) -> None:
    pool, root, db = _pool(tmp_path / "pool"), tmp_path / "pages", tmp_path / "a.db"
    root.mkdir()
    # one paragraph holding both stories: no paragraph start to cut at
    (pool / "m.txt").write_text((STORY + OTHER_STORY).replace("\n", "") + "\n", "utf-8")
    for batch in (["x1.txt", "m.txt"], ["y1.txt"], ["x2.txt"]):
        for name in batch:
            shutil.copy(pool / name, root / name)
        add(db, [str(root / name) for name in batch], OPTIONS, base=str(root))
        data = _same_as_scan(db, root)
    assert _split(data) == [("m.txt#1", [["x1.txt#1", "x2.txt#1"], ["y1.txt#1"]])]
    assert _kinds(data, "m.txt") == ["story"]
    assert (stats(db)["cuts"], stats(db)["dropped"]) == (0, 1)  # m–y1 is verified, not clustered on
    clusters = data["clusters"]
    assert isinstance(clusters, list)
    assert sorted(c["articles"] for c in clusters) == [["m.txt#1", "x1.txt#1", "x2.txt#1"]]
    remove(db, ["x1.txt", "x2.txt"])  # the split goes: y1 joins m again
    for name in ("x1.txt", "x2.txt"):
        (root / name).unlink()
    data = _same_as_scan(db, root)
    assert _split(data) == [] and stats(db)["dropped"] == 0


def test_a_changed_page_cut_again_where_it_was_cut_is_compared_as_read_now(tmp_path: Path) -> None:
    """A changed file whose old version was cut is read anew and cut again at the same seam, its
    comparisons begun while it is still uncut: the archive gives the scan, reports and all."""
    pool, root, db = _pool(tmp_path / "pool"), tmp_path / "pages", tmp_path / "a.db"
    shutil.copytree(pool, root, ignore=shutil.ignore_patterns("both.txt"))
    options = Options(jobs=2)  # comparisons begun early, in the worker processes
    add(db, [str(root)], options, base=str(root))
    assert _kinds(_same_as_scan(db, root, options), "m.txt") == ["story", "story"]
    with (root / "m.txt").open("a", encoding="utf-8") as f:
        f.write("\n")  # a new version, split as before
    add(db, [str(root / "m.txt")], options, base=str(root))
    data = _same_as_scan(db, root, options)
    assert _kinds(data, "m.txt") == ["story", "story"]
    write_scan_reports(scan_paths([str(root)], options), tmp_path / "scan")
    write_scan_reports(result(db), tmp_path / "archive")
    assert _html(tmp_path / "archive") == _html(tmp_path / "scan")


def test_a_version_5_archive_lists_its_parted_articles_and_indexes_only_pieces_by_title(tmp_path: Path) -> None:
    """Version 5 kept no ``parted`` and indexed every title: the migration lists the articles whose
    matched regions form two parts (here the uncut page whose two stories both.txt prints as two
    pieces), adds keep the list as the pairs give it, and a head still finds its pieces."""
    pool, root, db = _pool(tmp_path / "pool"), tmp_path / "pages", tmp_path / "a.db"
    shutil.copytree(pool, root)
    add(db, [str(root)], OPTIONS, base=str(root))
    data = _same_as_scan(db, root)
    assert _split(data) == [] and _kinds(data, "m.txt") == ["story"]
    with sqlite3.connect(db) as con:
        listed = con.execute("SELECT a.ref FROM parted p JOIN articles a ON a.id = p.article").fetchall()
        assert listed == [("m.txt#1",)]
        con.executescript(  # as version 5 laid it out
            "DROP TABLE parted; DROP INDEX articles_title; CREATE INDEX articles_title ON articles(title);"
            "UPDATE meta SET value = '5' WHERE key = 'schema_version';"
        )
    assert stats(db)["schema_version"] == 7 and check(db) == []
    with sqlite3.connect(db) as con:
        assert con.execute("SELECT a.ref FROM parted p JOIN articles a ON a.id = p.article").fetchall() == listed
        (sql,) = con.execute("SELECT sql FROM sqlite_master WHERE name = 'articles_title'").fetchone()
        assert "WHERE" in sql
    remove(db, ["both.txt"])  # the two stories printed apart only: m.txt is split and cut
    (root / "both.txt").unlink()
    data = _same_as_scan(db, root)
    assert _kinds(data, "m.txt") == ["story", "story"]
    with sqlite3.connect(db) as con:
        assert con.execute("SELECT count(*) FROM parted").fetchone()[0] == 0
        con.execute("INSERT INTO parted(article) SELECT min(id) FROM articles")  # a wrong list is found
    assert [p for p in check(db) if "parted" in p]
