"""Scans of collections: names kept apart across paths, pairs only across sides, coverage, provenance, rebuilt reports."""

from __future__ import annotations

import hashlib
import json
import shutil
from pathlib import Path

import pytest
from click.testing import CliRunner

from dedup.cli import cli
from dedup.model import Options
from dedup.model.scan import ScanResult
from dedup.report.json import scan_json
from dedup.scan import scan_paths
from dedup.sides import PairRule, Root, scan_roots
from tests.conftest import sample

PRINT = ("000", "002", "003")
WEB = ("001", "004")
OPTIONS = Options(jobs=1)


def editions(root: Path, print_names: list[str], web_names: list[str]) -> tuple[Path, Path]:
    """The samples as two editions: 000, 002, 003 in print/, 001, 004 in web/, under the names given."""
    for folder, prefixes, names in (("print", PRINT, print_names), ("web", WEB, web_names)):
        (root / folder).mkdir(parents=True)
        for prefix, name in zip(prefixes, names, strict=True):
            shutil.copy(sample(prefix), root / folder / name)
    return root / "print", root / "web"


def run(*args: str) -> str:
    result = CliRunner().invoke(cli, list(args), catch_exceptions=False)
    assert result.exit_code == 0, result.output
    return result.output


def renamed(result: ScanResult, names: dict[str, str]) -> list[tuple[str, str, float, float, str]]:
    """The pairs with their page names mapped through ``names`` (article numbers kept)."""

    def name(article_id: str) -> str:
        path, _, n = article_id.rpartition("#")
        return f"{names.get(path, path)}#{n}"

    return [(name(m.a), name(m.b), m.similarity, m.containment, m.relation) for m in result.pairs]


def test_identical_file_names_in_two_folders_pair_as_distinct_names(tmp_path: Path) -> None:
    same = editions(tmp_path / "same", ["p1.txt", "p2.txt", "p3.txt"], ["p1.txt", "p2.txt"])
    apart = editions(tmp_path / "apart", ["a1.txt", "a2.txt", "a3.txt"], ["b1.txt", "b2.txt"])
    got = scan_paths(list(same), OPTIONS)
    want = scan_paths(list(apart), OPTIONS)
    paths = [d.path for d in got.documents]
    assert sorted(paths) == [
        "print/p1.txt",
        "print/p2.txt",
        "print/p3.txt",
        "web/p1.txt",
        "web/p2.txt",
    ]
    names = {f"print/a{n}.txt": f"print/p{n}.txt" for n in (1, 2, 3)}
    names.update({f"web/b{n}.txt": f"web/p{n}.txt" for n in (1, 2)})
    assert renamed(want, names) == renamed(got, {}) and len(got.pairs) == 2
    assert [m.a for m in got.pairs] == ["print/p1.txt#1", "print/p1.txt#6"]
    assert [x.comparison.metrics for x in got.comparisons.values()] == [
        x.comparison.metrics for x in want.comparisons.values()
    ]
    # the command line too: it writes every output, one report per pair
    out = tmp_path / "out"
    run("scan", str(same[0]), str(same[1]), "--out", str(out), "-q", "-j", "1")
    assert len(list((out / "pairs").glob("*.html"))) == 2


def test_one_path_keeps_todays_names(tmp_path: Path) -> None:
    print_dir, _ = editions(tmp_path, ["p1.txt", "p2.txt", "p3.txt"], ["p1.txt", "p2.txt"])
    assert [d.path for d in scan_paths([print_dir], OPTIONS).documents] == [
        "p1.txt",
        "p2.txt",
        "p3.txt",
    ]


def test_two_folders_of_one_name_get_numbered_labels(tmp_path: Path) -> None:
    for edition in ("x", "y"):
        (tmp_path / edition / "pages").mkdir(parents=True)
        shutil.copy(sample("000"), tmp_path / edition / "pages" / "p1.txt")
    result = scan_paths([tmp_path / "x" / "pages", tmp_path / "y" / "pages"], OPTIONS)
    assert sorted(d.path for d in result.documents) == ["pages/p1.txt", "pages~2/p1.txt"]


def _sides_scan(first: str = "print") -> ScanResult:
    sides = {"print": PRINT, "web": WEB}
    order = [first, "web" if first == "print" else "print"]
    roots = [Root(str(sample(p)), side) for side in order for p in sides[side]]
    return scan_paths(roots, OPTIONS)


def test_sides_pair_only_across_with_the_first_side_left_and_list_the_rest() -> None:
    result = _sides_scan()
    zero, one = sample("000").name, sample("001").name
    assert [(m.a, m.b) for m in result.pairs] == [
        (f"print/{zero}#1", f"web/{one}#1"),
        (f"print/{zero}#6", f"web/{one}#4"),
    ]
    data = json.loads(scan_json(result))
    assert data["sides"] == ["print", "web"]
    paired = {x for m in result.pairs for x in (m.a, m.b)}
    for side in ("print", "web"):
        arts = [
            a
            for d in result.documents
            if result.sides[d.path] == side
            for a in d.articles
            if a.kind != "furniture"
        ]
        unmatched = data["unmatched"][side]
        assert [u["id"] for u in unmatched] == [a.id for a in arts if a.id not in paired]
        assert {u["id"] for u in unmatched} | (paired & {a.id for a in arts}) == {
            a.id for a in arts
        }
        by_id = {a.id: a for a in arts}
        for u in unmatched:
            art = by_id[u["id"]]
            assert (u["first_line"], u["last_line"], u["characters"]) == (
                art.first_line,
                art.last_line,
                art.end - art.start,
            )
            assert u["file"] == art.path and u["title"] == art.title
        cov = data["coverage"][side]
        assert cov["articles"] == len(arts) == cov["matched"] + cov["partial"] + cov["missing"]
        assert cov["missing"] == len(unmatched)
        assert sum(f["articles"] for f in cov["files"]) == cov["articles"]
        assert 0 < cov["covered"] < cov["characters"]


def test_the_first_side_given_is_always_a() -> None:
    result = _sides_scan(first="web")
    assert [m.a.split("/")[0] for m in result.pairs] == ["web", "web"]
    assert all(k[0].startswith("web/") for k in result.comparisons)
    assert result.side_order == ["web", "print"]


def test_a_pair_turned_round_for_its_sides_keeps_each_articles_matched_region() -> None:
    """With the web side first, A and B swap: so must the regions each article matched."""

    def by_article(result: ScanResult) -> dict[frozenset[str], dict[str, tuple[int, int]]]:
        bare = lambda x: x.split("/", 1)[1]  # noqa: E731 - the side's prefix off
        return {
            frozenset((bare(m.a), bare(m.b))): {bare(m.a): m.a_span, bare(m.b): m.b_span}
            for m in result.pairs
        }

    web_first, print_first = by_article(_sides_scan(first="web")), by_article(_sides_scan())
    assert web_first == print_first
    assert any(len(set(spans.values())) == 2 for spans in web_first.values())


def test_pages_of_one_side_never_pair() -> None:
    roots = [Root(str(sample("000")), "print"), Root(str(sample("001")), "print")]
    roots.append(Root(str(sample("002")), "web"))
    assert len(scan_paths([r.path for r in roots], OPTIONS).pairs) == 2
    assert scan_paths(roots, OPTIONS).pairs == []


def test_match_files_by_name_and_by_pattern(tmp_path: Path) -> None:
    print_dir, web_dir = editions(
        tmp_path / "n", ["p1.txt", "p2.txt", "p3.txt"], ["p2.txt", "p1.txt"]
    )
    # 000 is print/p1.txt, 001 (its counterpart) web/p2.txt: names do not match
    roots = [Root(str(print_dir), "print"), Root(str(web_dir), "web")]
    assert len(scan_paths(roots, OPTIONS).pairs) == 2
    assert scan_paths(roots, Options(jobs=1, match_files="name")).pairs == []
    print_dir, web_dir = editions(
        tmp_path / "r", ["20221125-p1.txt", "x.txt", "y.txt"], ["page1_2022-11-25.txt", "z.txt"]
    )
    roots = [Root(str(print_dir), "print"), Root(str(web_dir), "web")]
    pattern = r"(\d{4})-?(\d\d)-?(\d\d)|p(?:age)?(\d+)"
    rule = PairRule.of(roots, pattern)
    assert rule is not None and rule.key(0, "print/20221125-p1.txt#1") == "2022\x0011\x0025\x00"
    by_page = r"p(?:age)?(\d+)"
    assert len(scan_paths(roots, Options(jobs=1, match_files=by_page)).pairs) == 2
    assert scan_paths(roots, Options(jobs=1, match_files=r"p(\d+)\.txt")).pairs == []


def test_command_line_sides_errors(tmp_path: Path) -> None:
    with pytest.raises(ValueError, match="not both"):
        scan_roots(["a"], ["print=b"])
    with pytest.raises(ValueError, match="two sides"):
        scan_roots([], ["print=a", "print=b"])
    with pytest.raises(ValueError, match="pattern"):
        scan_roots([], ["print=a", "web=b"], "(")
    with pytest.raises(ValueError, match="needs --side"):
        scan_roots(["a"], [], "name")
    with pytest.raises(ValueError, match="NAME=PATH"):
        scan_roots([], ["print", "web=b"])
    grouped = scan_roots([], ["web=a", "print=b", "web=c"])
    assert [(r.side, r.path) for r in grouped] == [("web", "a"), ("web", "c"), ("print", "b")]  # type: ignore[union-attr]
    result = CliRunner().invoke(cli, ["scan", "--side", "print=x", "--out", str(tmp_path)])
    assert result.exit_code == 2 and "two sides" in result.output


def test_scan_json_records_each_input_digest_and_time_only_when_asked(tmp_path: Path) -> None:
    print_dir, web_dir = editions(tmp_path, ["p1.txt", "p2.txt", "p3.txt"], ["p1.txt", "p2.txt"])
    out, stamped = tmp_path / "out", tmp_path / "stamped"
    sides = ["--side", f"print={print_dir}", "--side", f"web={web_dir}"]
    run("scan", *sides, "--out", str(out), "-q", "-j", "1")
    run("scan", *sides, "--out", str(stamped), "-q", "-j", "1", "--timestamp")
    data = json.loads((out / "scan.json").read_text(encoding="utf-8"))
    assert [i["name"] for i in data["inputs"]] == [
        "print/p1.txt",
        "print/p2.txt",
        "print/p3.txt",
        "web/p1.txt",
        "web/p2.txt",
    ]
    for entry in data["inputs"]:
        body = Path(entry["file"]).read_bytes()
        assert entry["sha256"] == hashlib.sha256(body).hexdigest() and entry["size"] == len(body)
        assert entry["mtime"] == "" and entry["href"] == Path(entry["file"]).as_uri()
    assert "scanned_at" not in data
    again = json.loads((stamped / "scan.json").read_text(encoding="utf-8"))
    assert again["scanned_at"].endswith("Z") and all(i["mtime"] for i in again["inputs"])
    index = (stamped / "index.html").read_text(encoding="utf-8")
    assert again["scanned_at"] in index and again["inputs"][0]["mtime"] in index
    assert "not recorded" in (out / "index.html").read_text(encoding="utf-8")
    rows = (out / "unmatched.csv").read_text(encoding="utf-8").splitlines()
    assert rows[0] == "side,id,file,first_line,last_line,characters,title"
    assert len(rows) - 1 == sum(len(v) for v in data["unmatched"].values())


def _html(folder: Path) -> dict[str, bytes]:
    return {
        p.relative_to(folder).as_posix(): p.read_bytes()
        for p in sorted(folder.rglob("*"))
        if p.suffix in (".html", ".csv")
    }


@pytest.mark.parametrize("with_sides", [True, False])
def test_report_rebuilds_the_scans_html_byte_for_byte(tmp_path: Path, with_sides: bool) -> None:
    print_dir, web_dir = editions(tmp_path, ["p1.txt", "p2.txt", "p3.txt"], ["p1.txt", "p2.txt"])
    out, again = tmp_path / "out", tmp_path / "elsewhere" / "again"
    given = (
        ["--side", f"print={print_dir}", "--side", f"web={web_dir}"]
        if with_sides
        else [str(print_dir), str(web_dir)]
    )
    run("scan", *given, "--out", str(out), "-q", "-j", "1")
    # the inputs are gone: the reports come from scan.json alone
    shutil.rmtree(print_dir)
    shutil.rmtree(web_dir)
    run(
        "report", str(out / "scan.json"), "--out", str(again), "--format", "html", "--format", "csv"
    )
    scan_files, rebuilt = _html(out), _html(again)
    assert len([n for n in scan_files if n.startswith("pairs/")]) == 2
    assert ("unmatched.csv" in scan_files) == with_sides
    assert scan_files == rebuilt


def test_report_of_web_and_ocr_pages_keeps_the_source_citations(tmp_path: Path) -> None:
    """HTML and ALTO input: the marks cite their source elements, in the scan's and the rebuilt reports."""
    from tests.test_one_path import FORMATS

    for side, name in (("print", "story.alto.xml"), ("web", "story.html")):
        (tmp_path / side).mkdir()
        shutil.copy(FORMATS / name, tmp_path / side / name)
    out, again = tmp_path / "out", tmp_path / "again"
    run(
        "scan",
        "--side",
        f"print={tmp_path / 'print'}",
        "--side",
        f"web={tmp_path / 'web'}",
        "--out",
        str(out),
        "-q",
        "-j",
        "1",
    )
    run(
        "report", str(out / "scan.json"), "--out", str(again), "--format", "html", "--format", "csv"
    )
    reports = sorted((out / "pairs").glob("*.html"))
    assert reports and all("source: //" in p.read_text(encoding="utf-8") for p in reports)
    assert _html(out) == _html(again)
