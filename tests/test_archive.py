"""The archive (dedup.archive): batches of adds give what one scan gives; adds survive SIGKILL."""

from __future__ import annotations

import os
import shutil
import sqlite3
import subprocess
import sys
from pathlib import Path

import pytest

from dedup.archive import ArchiveError, add, check, query, remove, result, schema, stats
from dedup.model import Options
from dedup.report.build import write_scan_reports
from dedup.report.json import scan_json
from dedup.scan import scan_paths

ROOT = Path(__file__).resolve().parent.parent
SAMPLES = ROOT / "samples"
OPTIONS = Options(jobs=1)


def _scan(root: Path, options: Options = OPTIONS) -> str:
    return scan_json(scan_paths([str(root)], options))


def _pages(root: Path) -> list[Path]:
    return sorted(p for p in root.rglob("*.txt"))


def _add_batches(db: Path, root: Path, batches: int, options: Options = OPTIONS) -> None:
    pages = _pages(root)
    for k in range(batches):  # interleaved: planted duplicates fall in different batches
        add(db, [str(p) for p in pages[k::batches]], options, base=str(root))


def _html(result_dir: Path) -> dict[str, bytes]:
    return {str(p.relative_to(result_dir)): p.read_bytes() for p in sorted(result_dir.rglob("*.html"))}


def _boilerplate_corpus(tmp_path: Path, articles: int, seed: int) -> tuple[Path, list[Path]]:
    """A generated corpus whose boilerplate clauses are each printed in 2 % to 25 % of the articles,
    so that batches move values across ``FULL_DF`` and ``MAX_DF`` and thin them in between; its pages."""
    from bench.corpus import generate

    root = tmp_path / "corpus"
    generate(articles, seed=seed, shared_phrases=True, phrase_shares=(0.02, 0.25)).write(root, jobs=1)
    return root, _pages(root)


def test_five_batches_of_samples_give_the_scan(tmp_path: Path) -> None:
    root = tmp_path / "samples"
    shutil.copytree(SAMPLES, root)
    db = tmp_path / "a.db"
    _add_batches(db, root, 5, Options(jobs=2))  # reading and comparing in a pool gives the same
    scanned = scan_paths([str(root)], OPTIONS)
    archived = result(db)
    assert scan_json(archived) == scan_json(scanned)
    assert scanned.pairs and scanned.clusters  # the samples do pair across files
    write_scan_reports(scanned, tmp_path / "scan")
    write_scan_reports(archived, tmp_path / "archive")
    assert _html(tmp_path / "archive") == _html(tmp_path / "scan")
    assert check(db) == []


@pytest.fixture(scope="module")
def corpus(tmp_path_factory: pytest.TempPathFactory) -> Path:
    from bench.corpus import generate

    out = tmp_path_factory.mktemp("corpus")
    generate(400, seed=5).write(out, jobs=1)
    return out


def test_five_batches_of_a_generated_corpus_give_the_scan(corpus: Path, tmp_path: Path) -> None:
    import json

    db = tmp_path / "a.db"
    _add_batches(db, corpus, 5)
    pages = [p.relative_to(corpus).as_posix() for p in _pages(corpus)]
    batch = {name: k % 5 for k, name in enumerate(pages)}
    truth = json.loads((corpus / "truth.json").read_text())
    across = [t for t in truth if batch[t[0].split("#")[0]] != batch[t[1].split("#")[0]]]
    assert len(across) > 10  # planted duplicates do cross batches
    expected = _scan(corpus)
    assert scan_json(result(db)) == expected
    assert check(db) == []
    # an unchanged file costs a hash; a changed one is replaced
    again = add(db, [str(corpus / pages[0])], OPTIONS, base=str(corpus))
    assert (again.unchanged, again.added, again.articles) == (1, 0, 0)


def test_remove_and_change_give_the_scan_of_what_is_left(tmp_path: Path) -> None:
    root = tmp_path / "samples"
    shutil.copytree(SAMPLES, root)
    db = tmp_path / "a.db"
    _add_batches(db, root, 2)
    gone = _pages(root)[1]
    remove(db, [gone.name])
    gone.unlink()
    assert scan_json(result(db)) == _scan(root)
    first = _pages(root)[0]
    first.write_text(first.read_text(encoding="utf-8") + "\n补记。\n", encoding="utf-8")
    changed = add(db, [str(first)], OPTIONS, base=str(root))
    assert changed.changed == 1
    assert scan_json(result(db)) == _scan(root)
    assert check(db) == []


def _cli_add(db: Path, files: list[Path], root: Path, kill_at: str | None) -> subprocess.CompletedProcess[str]:
    env = dict(os.environ)
    if kill_at:
        env["DEDUP_ARCHIVE_KILL_AT"] = kill_at
    scratch = db.parent / "tmp"  # a killed add cannot remove its scratch folder: keep it with the test's files
    scratch.mkdir(exist_ok=True)
    env["TMPDIR"] = str(scratch)
    args = [sys.executable, "-m", "dedup", "archive", "add", str(db), *map(str, files), "--base", str(root), "-q"]
    return subprocess.run(args, cwd=ROOT, env=env, capture_output=True, text=True, check=False)


@pytest.mark.parametrize("point", ["read", "linked", "clustered", "compared", "commit"])
def test_sigkill_during_add_leaves_the_archive_as_before(tmp_path: Path, point: str) -> None:
    root = tmp_path / "samples"
    shutil.copytree(SAMPLES, root)
    pages = _pages(root)
    db = tmp_path / "a.db"
    assert _cli_add(db, pages[:2], root, None).returncode == 0
    before = scan_json(result(db))
    killed = _cli_add(db, pages[2:], root, point)
    assert killed.returncode == -9
    with sqlite3.connect(db) as con:
        assert con.execute("PRAGMA integrity_check").fetchone()[0] == "ok"
    assert check(db) == []
    assert scan_json(result(db)) == before  # no half-added file
    assert _cli_add(db, pages[2:], root, None).returncode == 0  # the next add completes it
    assert scan_json(result(db)) == _scan(root)


def test_foreign_and_damaged_files_are_refused(tmp_path: Path) -> None:
    junk = tmp_path / "junk.db"
    junk.write_bytes(b"this is not a database at all" * 100)
    other = tmp_path / "other.db"
    with sqlite3.connect(other) as con:
        con.execute("CREATE TABLE t (x)")
    for file in (junk, other):
        with pytest.raises(ArchiveError):
            result(file)
        run = subprocess.run(
            [sys.executable, "-m", "dedup", "archive", "stats", str(file)],
            cwd=ROOT, capture_output=True, text=True, check=False,
        )
        assert run.returncode == 1
        assert run.stderr.startswith("Error:") and run.stderr.count("\n") == 1
    newer = tmp_path / "newer.db"
    add(newer, [str(SAMPLES / next(iter(sorted(os.listdir(SAMPLES)))))], OPTIONS)
    with sqlite3.connect(newer) as con:
        con.execute("UPDATE meta SET value = '99' WHERE key = 'schema_version'")
    with pytest.raises(ArchiveError, match="newer"):
        result(newer)


def test_second_writer_fails_clearly_and_readers_read(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    db = tmp_path / "a.db"
    files = [str(p) for p in _pages(SAMPLES)]
    add(db, files[:1], OPTIONS, base=str(SAMPLES))
    seen = scan_json(result(db))
    writer = sqlite3.connect(db, isolation_level=None)
    writer.execute("BEGIN IMMEDIATE")
    writer.execute("DELETE FROM pairs")
    monkeypatch.setattr(schema, "BUSY_TIMEOUT_MS", 200)
    with pytest.raises(ArchiveError, match="another add or remove"):
        add(db, files[1:], OPTIONS, base=str(SAMPLES))
    assert scan_json(result(db)) == seen  # a reader during a write sees the last commit
    writer.execute("ROLLBACK")
    writer.close()
    with pytest.raises(ArchiveError, match="other options"):
        add(db, files[1:], Options(jobs=1, similarity_threshold=0.9), base=str(SAMPLES))


def test_query_finds_the_stored_printings_without_adding(tmp_path: Path) -> None:
    db = tmp_path / "a.db"
    pages = _pages(SAMPLES)
    add(db, [str(pages[0])], OPTIONS, base=str(SAMPLES))
    found = query(db, pages[1])
    hits = {(a["id"].rsplit("#")[-1], m["article"]) for a in found["articles"] for m in a["matches"]}
    scanned = scan_paths([str(SAMPLES)], OPTIONS)
    want = {
        (m.b.rsplit("#")[-1], m.a)
        for m in scanned.pairs
        if m.a.startswith(pages[0].name) and m.b.startswith(pages[1].name) and m.relation != "continuation"
    }
    assert want and hits == want
    assert result(db).articles == scan_paths([str(pages[0])], OPTIONS).articles  # nothing added


def test_cli_report_export_and_stats(tmp_path: Path) -> None:
    import json

    db = tmp_path / "a.db"

    def cli(*args: str) -> subprocess.CompletedProcess[str]:
        return subprocess.run(
            [sys.executable, "-m", "dedup", "archive", *args], cwd=ROOT, capture_output=True, text=True, check=False
        )

    assert cli("add", str(db), str(SAMPLES), "-q", "-j", "1").returncode == 0
    assert cli("report", str(db), "--out", str(tmp_path / "rep")).returncode == 0
    scanned = scan_paths([str(SAMPLES)], OPTIONS)
    assert (tmp_path / "rep" / "scan.json").read_text(encoding="utf-8") == scan_json(scanned)
    assert (tmp_path / "rep" / "pairs.csv").exists() and (tmp_path / "rep" / "index.html").exists()
    lines = [json.loads(x) for x in cli("export", str(db)).stdout.splitlines()]
    kinds = [x["type"] for x in lines]
    assert kinds.count("document") == len(scanned.documents)
    assert kinds.count("pair") == len(scanned.pairs) and kinds.count("cluster") == len(scanned.clusters)
    stats = json.loads(cli("stats", str(db)).stdout)
    assert stats["articles"] == scanned.articles and stats["schema_version"] == schema.SCHEMA_VERSION
    assert cli("check", str(db)).returncode == 0


def _as_version_1(db: Path) -> None:
    """Make an archive look as version 1 wrote it: band codes ``band << 32 | key``, no sketch values."""
    with sqlite3.connect(db) as con:
        con.execute("UPDATE meta SET value = '1' WHERE key = 'schema_version'")
        con.execute("DELETE FROM band_keys")
        for (art,) in con.execute("SELECT id FROM articles").fetchall():
            bands = [(band << 32 | (int(art) * 7919 + band) % 65521, art) for band in range(32)]
            con.executemany("INSERT INTO band_keys(code, article) VALUES (?, ?)", bands)
            con.execute("UPDATE articles SET codes = ? WHERE id = ?", (b"".join(c.to_bytes(8, "little") for c, _ in bands), art))
        con.execute("DELETE FROM candidates")


def test_a_version_1_archive_is_migrated_from_its_stored_bytes(tmp_path: Path) -> None:
    root = tmp_path / "samples"
    shutil.copytree(SAMPLES, root)
    db = tmp_path / "a.db"
    _add_batches(db, root, 2)
    _as_version_1(db)
    for page in _pages(root):
        page.unlink()  # the migration reads the stored bytes, not the files
    assert scan_json(result(db)) == _scan(SAMPLES).replace(str(SAMPLES), str(root))
    assert stats(db)["schema_version"] == schema.SCHEMA_VERSION == 7
    assert check(db) == [] and _candidates_are_the_scans(db) > 0
    broken = tmp_path / "b.db"
    _add_batches(broken, SAMPLES, 1)
    _as_version_1(broken)
    with sqlite3.connect(broken) as con:
        con.execute("UPDATE documents SET content = NULL WHERE id = 1")
    with pytest.raises(ArchiveError, match="rebuild it with dedup archive add"):
        result(broken)
    with sqlite3.connect(broken) as con:  # refused, not altered
        assert con.execute("SELECT value FROM meta WHERE key = 'schema_version'").fetchone()[0] == "1"


def _candidates_are_the_scans(db: Path) -> int:
    """Assert the stored candidates are ``sketch_pairs`` over every stored sketch; how many."""
    import numpy as np

    from dedup.candidates import sketch_pairs

    with sqlite3.connect(db) as con:
        rows = con.execute("SELECT id, codes FROM articles ORDER BY id").fetchall()
        stored = set(con.execute("SELECT a, b FROM candidates").fetchall())
    sketches = [np.frombuffer(blob, dtype="<i8").astype(np.uint32) for _, blob in rows]
    ids = [int(i) for i, _ in rows]
    want = {(ids[i], ids[j]) for i, j in sketch_pairs(sketches).tolist()}
    assert stored == want
    from dedup.archive import rule

    with sqlite3.connect(db) as con:  # each with its count of shared counted values, as its sketches give it now
        rows = con.execute("SELECT a, b, common FROM candidates ORDER BY a, b").fetchall()
        pairs = np.array([a << 32 | b for a, b, _ in rows], dtype=np.int64)
        assert [n for _, _, n in rows] == rule.commons(con, pairs).tolist()
    return len(want)


def test_a_value_crossing_full_df_and_max_df_gives_the_scan_at_every_step(tmp_path: Path) -> None:
    from dedup.candidates import FULL_DF, MAX_DF
    from tests.conftest import STORY

    pool, root = tmp_path / "pool", tmp_path / "pages"
    pool.mkdir()
    root.mkdir()
    for k in range(MAX_DF + 6):  # one story printed more often than a value may be held
        (pool / f"p{k:03d}.txt").write_text(f"## 标题{k}\n\n{STORY}\n", encoding="utf-8")
    options = Options(jobs=1, compare_pairs=False)
    db = tmp_path / "a.db"
    pairs = []
    # held by <= FULL_DF (every value counts), then thinned, then past MAX_DF (none counts), then back
    for held in (FULL_DF - 1, FULL_DF + 2, 20, MAX_DF, MAX_DF + 6, 30, FULL_DF, 2):
        now = sorted(p.name for p in root.iterdir())
        if held > len(now):
            new = [pool / f"p{k:03d}.txt" for k in range(len(now), held)]
            for page in new:
                shutil.copy(page, root / page.name)
            add(db, [str(root / p.name) for p in new], options, base=str(root))
        else:
            remove(db, now[held:])
            for name in now[held:]:
                (root / name).unlink()
        assert scan_json(result(db)) == _scan(root, options), held
        assert check(db) == []
        _candidates_are_the_scans(db)
        pairs.append(len(result(db).pairs))
    assert pairs[0] == 3 and pairs[-2] == FULL_DF * (FULL_DF - 1) // 2 and pairs[-1] == 1  # every value counts
    assert pairs[4] == 0  # held past MAX_DF: no value counts, no pairs
    assert pairs[1] > 0  # thinned values still pair the printings of one story


def test_batches_and_removals_of_a_corpus_with_shared_boilerplate_give_the_scan(tmp_path: Path) -> None:
    root, pages = _boilerplate_corpus(tmp_path, 300, 11)  # 6 to 75 holders a clause
    options = Options(jobs=1, compare_pairs=False)
    db = tmp_path / "a.db"
    for k in range(5):
        add(db, [str(p) for p in pages[k::5]], options, base=str(root))
        assert _candidates_are_the_scans(db) > 0
    assert scan_json(result(db)) == _scan(root, options)
    gone = _pages(root)[::3]
    remove(db, [p.relative_to(root).as_posix() for p in gone])
    for p in gone:
        p.unlink()
    _candidates_are_the_scans(db)
    assert scan_json(result(db)) == _scan(root, options)
    assert result(db).pairs and check(db) == []


def _version_2_counted(values: object, holders: object, max_df: int = 64) -> object:
    """Version 2's rule: a value above ``FULL_DF`` holders counted when ``(value >> 3) % holders < FULL_DF``."""
    import numpy as np

    from dedup.candidates import FULL_DF

    d = np.asarray(holders, dtype=np.int64)
    v = np.asarray(values).astype(np.int64)
    return (d >= 2) & (d <= max_df) & ((v >> 3) % np.maximum(d, 1) < FULL_DF)


def test_a_version_2_archive_is_migrated_to_the_nested_rule(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    from bench.corpus import generate
    from tests.conftest import STORY

    root = tmp_path / "corpus"
    generate(60, seed=11, shared_phrases=True, phrase_shares=(0.05, 0.25)).write(root, jobs=1)
    for k in range(36):  # one story printed so often that its values are thinned to about a ninth
        (root / f"p{k:03d}.txt").write_text(f"## 标题{k}\n\n{STORY}\n", encoding="utf-8")
    options = Options(jobs=1)
    db = tmp_path / "a.db"
    with monkeypatch.context() as m:  # an archive as version 2 built it
        m.setattr("dedup.candidates.counted", _version_2_counted)
        m.setattr("dedup.archive.rule.counted", _version_2_counted)
        pages = _pages(root)
        for k in range(3):
            add(db, [str(p) for p in pages[k::3]], options, base=str(root))
    with sqlite3.connect(db) as con:
        con.execute("UPDATE meta SET value = '2' WHERE key = 'schema_version'")
    with pytest.raises(AssertionError):  # the two rules pair these printings differently
        _candidates_are_the_scans(db)
    assert scan_json(result(db)) == _scan(root, options)
    assert stats(db)["schema_version"] == 7
    assert _candidates_are_the_scans(db) > 0 and check(db) == []


def test_recent_values_merged_into_the_index_give_the_scan(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    from dedup.archive import recent

    root, pages = _boilerplate_corpus(tmp_path, 240, 12)
    options = Options(jobs=1, compare_pairs=False)
    monkeypatch.setattr(recent, "MERGE_MIN", 60)  # merged after about every second batch here
    monkeypatch.setattr(recent, "MERGE_RANGE", 5_000)  # ... in several ranges of codes
    monkeypatch.setattr(recent, "MERGE_ROWS", 2_000)  # ... of several statements each
    db = tmp_path / "a.db"
    held = []
    for k in range(6):
        add(db, [str(p) for p in pages[k::6]], options, base=str(root))
        _candidates_are_the_scans(db)
        held.append((stats(db)["recent_keys"], stats(db)["band_keys"]))
    assert any(recent == 0 for recent, _ in held) and any(recent > 0 for recent, _ in held)  # merged, and not always
    assert held[-1][1] == sum(len(c) // 8 for (c,) in sqlite3.connect(db).execute("SELECT codes FROM articles"))
    gone = pages[::4]
    remove(db, [p.relative_to(root).as_posix() for p in gone])  # values leave the index and the runs
    for p in gone:
        p.unlink()
    _candidates_are_the_scans(db)
    assert scan_json(result(db)) == _scan(root, options) and check(db) == []


@pytest.mark.parametrize("jobs", [1, 2])
def test_holders_looked_up_before_writing_decide_what_one_lookup_after_writing_decides(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, jobs: int
) -> None:
    """``Keys.touched_with`` (the values looked up once the pages are read, before the add's keys are
    written: with ``jobs`` 2 by the reading processes, a range of values each, in the archive as
    last committed) reaches
    the pairs ``Keys.touched`` (one lookup once they are written) reaches, on boilerplate held past
    ``MAX_DF`` too, and when changed files are read again."""
    import numpy as np

    from dedup.archive import ingest, links, rule
    from dedup.candidates import MAX_DF

    root, pages = _boilerplate_corpus(tmp_path, 300, 11)
    options = Options(jobs=jobs, compare_pairs=False)
    made: list[tuple[links.Keys, links.Touched]] = []
    real_touched, real_settle = links.Keys.touched_with, ingest.settle
    checked, past_max = [], 0

    def touched_with(self: links.Keys, earlier: links.Earlier) -> links.Touched:
        made.append((self, real_touched(self, earlier)))
        return made[-1][1]

    def settle(
        db: sqlite3.Connection, reached: tuple, options: Options, change: object, write: object = None, adding: bool = False  # type: ignore[type-arg]
    ) -> None:
        nonlocal past_max
        if not made:  # the removal of a changed file's old version
            return real_settle(db, reached, options, change)  # type: ignore[arg-type]
        write()  # type: ignore[operator]
        keys, got = made.pop()
        first_new = int(np.concatenate(keys.owners).min())
        want = keys.touched(db)
        assert np.array_equal(got.code, want.code) and np.array_equal(got.changed, want.changed)
        past_max += int(np.sum(want.size > MAX_DF))
        for x, y in zip(reached, rule.affected(want, first_new), strict=True):
            assert np.array_equal(x, y)
        checked.append(len(reached[0]))
        real_settle(db, reached, options, change, None, adding)  # type: ignore[arg-type]

    monkeypatch.setattr(links.Keys, "touched_with", touched_with)
    monkeypatch.setattr(ingest, "settle", settle)
    db = tmp_path / "a.db"
    for k in range(4):
        add(db, [str(p) for p in pages[k::4]], options, base=str(root))
    changed = pages[1::7]  # each printed again with a story of another page: its old articles go
    for page, other in zip(changed, pages[3::7], strict=False):
        page.write_text(page.read_text(encoding="utf-8") + "\n\n" + other.read_text(encoding="utf-8"), encoding="utf-8")
    assert add(db, [str(p) for p in changed], options, base=str(root)).changed == len(changed)
    assert len(checked) >= 5 and sum(checked) > 0 and past_max > 0
    assert scan_json(result(db)) == _scan(root, options) and check(db) == []


def test_a_version_4_archive_gets_each_candidates_count(tmp_path: Path) -> None:
    """Version 4 stored no count with a candidate: the migration counts them, and adds then go on from them."""
    root, pages = _boilerplate_corpus(tmp_path, 200, 13)
    options = Options(jobs=1, compare_pairs=False)
    db = tmp_path / "a.db"
    for k in range(2):
        add(db, [str(p) for p in pages[k::4]], options, base=str(root))
    with sqlite3.connect(db) as con:  # the candidates table as version 4 laid it out
        con.executescript(
            "CREATE TABLE old AS SELECT a, b FROM candidates; DROP TABLE candidates;"
            "CREATE TABLE candidates (a INTEGER NOT NULL, b INTEGER NOT NULL, PRIMARY KEY (a, b)) WITHOUT ROWID;"
            "CREATE INDEX candidates_b ON candidates(b); INSERT INTO candidates SELECT a, b FROM old; DROP TABLE old;"
            "UPDATE meta SET value = '4' WHERE key = 'schema_version';"
        )
        assert con.execute("SELECT count(*) FROM candidates").fetchone()[0] > 0
    assert stats(db)["schema_version"] == 7
    assert _candidates_are_the_scans(db) > 0 and check(db) == []
    for k in range(2, 4):
        add(db, [str(p) for p in pages[k::4]], options, base=str(root))
        assert _candidates_are_the_scans(db) > 0
    assert scan_json(result(db)) == _scan(root, options) and check(db) == []


def _as_version_6(db: Path) -> int:
    """Lay the recent runs out as versions 4 to 6 did (a table ``recent_keys`` read through the view
    ``all_keys``), marked version 6; returns how many recent values there are."""
    import numpy as np

    with sqlite3.connect(db) as con:
        runs = [np.frombuffer(b, dtype="<i8") for (b,) in con.execute("SELECT packed FROM recent_runs ORDER BY run")]
        rows = [(int(x) >> 31, int(x) & 0x7FFFFFFF) for run in runs for x in run.tolist()]
        con.executescript(
            "DROP TABLE recent_runs;"
            "CREATE TABLE recent_keys (code INTEGER NOT NULL, article INTEGER NOT NULL, PRIMARY KEY (code, article)) WITHOUT ROWID;"
            "CREATE VIEW all_keys AS SELECT code, article FROM band_keys UNION ALL SELECT code, article FROM recent_keys;"
            "UPDATE meta SET value = '6' WHERE key = 'schema_version';"
        )
        con.executemany("INSERT INTO recent_keys(code, article) VALUES (?, ?)", rows)
    return len(rows)


def test_a_version_6_archive_moves_its_recent_values_into_one_run(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """Version 6 kept the recent values as rows: the migration moves them into one run and drops the
    table and its view; the pairs found and the adds after it are the scan's."""
    from dedup.archive import recent

    monkeypatch.setattr(recent, "MERGE_MIN", 10**6)  # no merge: every value stays recent
    root, pages = _boilerplate_corpus(tmp_path, 200, 17)
    options = Options(jobs=1, compare_pairs=False)
    db = tmp_path / "a.db"
    for k in range(2):
        add(db, [str(p) for p in pages[k::3]], options, base=str(root))
    before = stats(db)
    assert before["recent_runs"] == 2 and _as_version_6(db) == before["recent_keys"] > 0
    after = stats(db)
    assert after["schema_version"] == 7 and after["recent_runs"] == 1
    assert after["recent_keys"] == before["recent_keys"] and after["band_keys"] == before["band_keys"]
    with sqlite3.connect(db) as con:
        names = {r[0] for r in con.execute("SELECT name FROM sqlite_master")}
    assert "recent_keys" not in names and "all_keys" not in names
    assert _candidates_are_the_scans(db) > 0 and check(db) == []
    add(db, [str(p) for p in pages[2::3]], options, base=str(root))
    assert stats(db)["recent_runs"] == 2
    assert scan_json(result(db)) == _scan(root, options) and check(db) == []


def test_recent_holders_are_every_run_s_in_id_order() -> None:
    """``recent.holders`` against a plain search: codes sorted or not, repeated, absent, at the ends of the range."""
    import numpy as np

    from dedup.archive import recent

    rng = np.random.default_rng(5)
    runs, rows, first = [], [], 1
    for size in (1, 40, 300, 7):
        arts = np.arange(first, first + size)
        first += size
        codes = rng.choice(np.r_[0, 2**32 - 1, rng.integers(0, 2**32, 30)], size=(size, 6))
        packed = np.unique(codes << 31 | arts[:, None])
        runs.append(packed)
        rows += [(int(x) >> 31, int(x) & recent.ARTICLE) for x in packed.tolist()]
    asked = np.r_[rng.permutation(np.unique([c for c, _ in rows]))[:20], 12345, 0, 0, 2**32 - 1]
    for codes in (asked, np.sort(asked)):
        size, held = recent.holders(runs, codes)
        want = [[a for c2, a in sorted(rows, key=lambda r: r[1]) if c2 == c] for c in codes.tolist()]
        assert size.tolist() == [len(w) for w in want] and held.tolist() == [a for w in want for a in w]


def test_check_finds_a_damaged_run(tmp_path: Path) -> None:
    """A run out of order, or holding a value of no article or one also in ``band_keys``, is reported."""
    import numpy as np

    db = tmp_path / "a.db"
    _add_batches(db, SAMPLES, 2)
    assert check(db) == [] and stats(db)["recent_runs"] == 2
    with sqlite3.connect(db) as con:
        run, blob = con.execute("SELECT run, packed FROM recent_runs ORDER BY run LIMIT 1").fetchone()
        packed = np.frombuffer(blob, dtype="<i8")
        con.execute("INSERT INTO band_keys(code, article) VALUES (?, ?)", (int(packed[0]) >> 31, int(packed[0]) & 0x7FFFFFFF))
        con.execute("UPDATE recent_runs SET packed = ? WHERE run = ?", (packed[::-1].tobytes(), run))
    problems = check(db)
    assert any(p.startswith("value held twice by an article") for p in problems)
    assert any(p.startswith("recent run empty or not sorted") for p in problems)


def _real_pages() -> list[Path]:
    """The samples and every readable page of ``../shared``: plain text, saved web pages, ALTO, hOCR, PAGE."""
    shared = ROOT.parent / "shared"
    found = _pages(SAMPLES)
    for folder, suffixes in (("eval-dev", {".txt"}), ("html-real", {".html"}), ("ocr-real", {".xml", ".hocr", ".txt"})):
        found += sorted(p for p in (shared / folder).rglob("*") if p.suffix in suffixes)
    return found


def test_a_stored_summary_splits_each_real_page_as_the_split_does() -> None:
    """Comparisons take a stored page's articles from its summary, not from a second split: the same articles."""
    from dataclasses import replace

    from dedup.archive.codec import dump
    from dedup.archive.update import stored_split
    from dedup.model import DocumentSummary
    from dedup.pages import _split_file
    from dedup.report.json import document_json

    pages = _real_pages()
    assert len(pages) > 60
    kinds = set()
    for page in pages:
        doc, articles = _split_file(str(page), page.name, OPTIONS)
        summary = dump(document_json(DocumentSummary.of(doc, articles)))
        again, rebuilt = stored_split(str(page), page.name, summary, OPTIONS)
        assert again == doc
        assert rebuilt == tuple(replace(a, title_level=0) for a in articles), page
        kinds.add(doc.format)
        if any(a.title_level for a in articles):
            kinds.add("headings")
    assert {"text", "html", "alto", "hocr", "page", "headings"} <= kinds


def test_pairs_with_a_later_owner_are_the_pairs_of_a_group_that_reach_it() -> None:
    """``group_pairs(..., later_from)`` lists exactly the pairs of the full expansion whose later side is that late."""
    import numpy as np

    from dedup.archive.rule import group_pairs

    rng = np.random.default_rng(7)
    for _ in range(200):
        n = int(rng.integers(0, 80))
        codes = rng.integers(0, 9, n).astype(np.int64)
        owners = rng.permutation(300)[:n].astype(np.int64)
        first = int(rng.integers(0, 300))
        every = group_pairs(codes, owners)
        assert sorted(group_pairs(codes, owners, first).tolist()) == sorted(every[(every & 0xFFFFFFFF) >= first].tolist())
        # rows said to be in order are checked: in order or not, the pairs are the same
        order = np.lexsort((owners, codes))
        for c, o in ((codes, owners), (codes[order], owners[order])):
            assert np.array_equal(group_pairs(c, o, in_order=True), every)
            assert np.array_equal(group_pairs(c, o, first, in_order=True), group_pairs(codes, owners, first))
