"""HTML reports: structure (rows, highlights, legend), escaping, names, determinism."""

from __future__ import annotations

import base64
import hashlib
import json
import re
import subprocess
import sys
from pathlib import Path
from typing import Any

import pytest
from click.testing import CliRunner
from lxml import etree
from lxml import html as lxml_html

from dedup.cli import cli
from dedup.compare import compare_files
from dedup.model import EDIT_TYPES, MINOR_TYPES, Cluster, Options
from dedup.report.build import compare_report, write_scan_reports
from dedup.report.html import (
    HIDDEN_BY_DEFAULT,
    IndexPair,
    asset,
    clean,
    index_files,
    pair_report,
    report_name,
)
from dedup.report.json import comparison_json
from dedup.report.json_read import comparison_from_json
from dedup.scan import scan_paths, write_outputs
from tests.conftest import ROOT, SAMPLES, sample
from tests.report.conftest import XSS_IMG, XSS_SCRIPT, pair_of, shapes_pages

LEAD = ("000_eb4e53a3a7b005b7.txt#1", "001_86c1b19793689044.txt#1")


def parse(data: bytes) -> lxml_html.HtmlElement:
    return lxml_html.document_fromstring(data)


def cell_text(cell: etree._Element) -> str:
    """The text a cell shows, notes and links left out."""
    parts = []
    for node in cell.iter():
        cls = node.get("class") or ""
        if node is not cell and ("note" in cls.split() or node.tag in ("a", "summary")):
            continue
        if node.text and not _inside_skipped(node, cell):
            parts.append(node.text)
        if node is not cell and node.tail and not _inside_skipped(node.getparent(), cell):
            parts.append(node.tail)
    return "".join(parts)


def _inside_skipped(node: etree._Element | None, cell: etree._Element) -> bool:
    while node is not None and node is not cell:
        cls = (node.get("class") or "").split()
        if "note" in cls or node.tag in ("a", "summary"):
            return True
        node = node.getparent()
    return False


@pytest.fixture(scope="module")
def lead_page(sample_reports: Path) -> lxml_html.HtmlElement:
    return parse((sample_reports / "pairs" / report_name(*LEAD)).read_bytes())


# ------------------------------------------------------------------ pair report


def test_lead_report_header_names_both_sources_and_metrics(lead_page: lxml_html.HtmlElement) -> None:
    head = lead_page.cssselect("header.pair-head")[0]
    text = head.text_content()
    for expected in (*LEAD, "000_eb4e53a3a7b005b7.txt", "高擎红色旗帜 筑牢坚强堡垒", "本报记者 李抑嫄"):
        assert expected in text
    facts = {
        d.cssselect("dt")[0].text: d.cssselect("dd")[0].text for d in head.cssselect("dl.facts div")
    }
    assert facts["relation"] == "partial"
    assert set(facts) >= {"similarity", "CER", "coverage A", "coverage B", "containment", "cluster"}
    counts = {
        td.get("data-t"): int(td.cssselect("b")[0].text) for td in head.cssselect("table.counts td")
    }
    assert list(counts) == list(EDIT_TYPES)
    assert counts["punctuation"] == 80 and counts["truncation"] == 1
    assert "★ canonical" in head.cssselect(".source.b")[0].text_content()


def test_lead_report_shows_every_difference_an_archivist_checks(
    lead_page: lxml_html.HtmlElement,
) -> None:
    def marks(side: str, kind: str) -> list[str]:
        return [
            (m.text or "")
            for m in lead_page.cssselect(f".cell.{side} .d.t-{kind}")
        ]

    assert "征" in marks("b", "ocr")
    assert {"论", "弃"} <= set(marks("a", "ocr")) and {"训", "套"} <= set(marks("b", "ocr"))
    assert {"能当家", "着", "本报", "嫄"} <= set(marks("a", "wording"))
    assert {"来当管家", "素质", "能力", "吉林日报", "楠"} <= set(marks("b", "wording"))
    assert "实务" in marks("a", "inversion") and "务实" in marks("b", "inversion")
    assert "（下转第二版）" in marks("a", "truncation")
    tail = lead_page.cssselect("details.tail")
    assert len(tail) == 1 and "（下转第二版）" in tail[0].cssselect("summary")[0].text_content()
    assert "搭建基层治理特色载体" in tail[0].text_content()


def test_every_edit_has_one_mark_per_side_with_its_reason(sample_reports: Path) -> None:
    import json

    for path in sorted((sample_reports / "pairs").glob("*.html")):
        page = parse(path.read_bytes())
        ids = [m.get("id") for m in page.cssselect(".cell .d")]
        assert len(ids) == len(set(ids))
        a_side = [i for i in ids if i.endswith("-a")]
        b_side = {i for i in ids if i.endswith("-b")}
        assert {i[:-1] + "b" for i in a_side} == b_side
        for m in page.cssselect(".cell .d"):
            kind = next(c[2:] for c in m.get("class").split() if c.startswith("t-"))
            assert kind in EDIT_TYPES and m.get("title").startswith(f"{kind}: ")
    scan = json.loads((ROOT / "reports" / "scan.json").read_text(encoding="utf-8"))
    lead = next(p for p in scan["pairs"] if (p["a"], p["b"]) == LEAD)
    page = parse((sample_reports / "pairs" / report_name(*LEAD)).read_bytes())
    assert len(page.cssselect(".cell.a .d")) == len(lead["edits"])


def test_rows_follow_the_alignment(lead_page: lxml_html.HtmlElement) -> None:
    rows = lead_page.cssselect(".grid .row:not(.colhead)")
    kinds = [next(c for c in r.get("class").split() if c.startswith("k-")) for r in rows]
    # 21 1:1 blocks, the cut, and the moved byline twice (at its place in A and in B)
    assert kinds.count("k-1_1") == 21 and kinds.count("k-truncation") == 1
    assert kinds.count("k-moved") == 2
    assert kinds[2] == "k-moved" and kinds[-1] == "k-moved"  # A's byline is on top, B's last
    for row in rows:
        assert re.fullmatch(r"--h:\d+", row.get("style"))
        assert len(row.cssselect(":scope > .cell")) == 2


def test_cells_show_the_original_text_exactly(sample_reports: Path) -> None:
    from dedup.ingest import read
    from dedup.segment import split

    doc_a, doc_b = read(sample("000")), read(sample("001"))
    x, y = split(doc_a)[0], split(doc_b)[0]
    page = parse((sample_reports / "pairs" / report_name(*LEAD)).read_bytes())
    for row in page.cssselect(".grid .row:not(.colhead)"):
        label_a, label_b = (s.text for s in row.cssselect(".gut .pa, .gut .pb"))
        for cell, label, art, text in (
            (row.cssselect(".cell.a")[0], label_a, x, doc_a.text),
            (row.cssselect(".cell.b")[0], label_b, y, doc_b.text),
        ):
            if "empty" in cell.get("class").split():
                continue
            first, _, last = label[2:].partition("–")
            i, j = int(first) - 1, int(last or first) - 1
            expected = text[art.paragraphs[i].start : art.paragraphs[j].end]
            assert cell_text(cell) == expected


def test_one_sided_split_and_moved_rows() -> None:
    a, b = shapes_pages()
    page = parse(pair_report(pair_of(a, b)))
    rows = page.cssselect(".grid .row:not(.colhead)")
    by_kind: dict[str, list[etree._Element]] = {}
    for r in rows:
        by_kind.setdefault(next(c for c in r.get("class").split() if c.startswith("k-")), []).append(r)
    a_only = by_kind["k-a-only"][0]
    assert "第三段" in a_only.cssselect(".cell.a")[0].text_content()
    empty = a_only.cssselect(".cell.b")[0]
    assert "empty" in empty.get("class") and empty.cssselect(".d.gap.t-missing")
    b_only = by_kind["k-b-only"][0]
    assert "新增段" in b_only.cssselect(".cell.b .d.t-extra")[0].text_content()
    split_row = by_kind["k-1_n"][0]
    b_text = split_row.cssselect(".cell.b")[0].text_content()
    assert "第六段" in b_text and "\n\n" in b_text  # both of B's paragraphs, one row
    assert split_row.cssselect(".cell.a .d.gap.t-whitespace")  # the break B added
    here, there = by_kind["k-moved"]
    assert "第四段" in here.cssselect(".cell.a")[0].text_content()
    assert here.cssselect(".cell.b a.moved-link")[0].get("href") == "#" + there.get("id")
    assert there.cssselect(".cell.a a.moved-link")[0].get("href") == "#" + here.get("id")
    assert rows[-1] is there  # B prints it last


def test_legend_and_toggles_one_per_type_minor_types_off() -> None:
    a, b = shapes_pages()
    page = parse(pair_report(pair_of(a, b)))
    boxes = page.cssselect(".toolbar input.tog")
    assert [b.get("data-t") for b in boxes] == list(EDIT_TYPES)
    assert {b.get("data-t") for b in boxes if b.get("checked") is None} == set(HIDDEN_BY_DEFAULT)
    assert HIDDEN_BY_DEFAULT == MINOR_TYPES
    legend = page.cssselect("details.legend")[0].text_content()
    assert "hidden when the page opens" in legend and "typesetting" in legend
    for t in EDIT_TYPES:
        assert f"#show-{t}:not(:checked)" in asset("style.css")
        assert page.cssselect(f".toolbar .d.t-{t}.sw")
    nav = page.cssselect("#nav")[0]
    assert nav.get("hidden") is not None  # shown by the script only
    assert page.cssselect("#nav-prev") and page.cssselect("#nav-next") and page.cssselect("#nav-count")


def test_overview_strip_links_to_differences() -> None:
    a, b = shapes_pages()
    page = parse(pair_report(pair_of(a, b)))
    links = page.cssselect("nav.overview a.m")
    assert links
    ids = {el.get("id") for el in page.iter() if el.get("id")}
    for link in links:
        assert link.get("href")[1:] in ids
        top = float(re.fullmatch(r"top:([\d.]+)%", link.get("style")).group(1))
        assert 0.0 <= top <= 100.0


def test_page_is_self_contained() -> None:
    a, b = shapes_pages()
    data = pair_report(pair_of(a, b))
    page = parse(data)
    scripts = page.cssselect("script")
    assert len(scripts) == 1 and scripts[0].get("src") is None
    assert not page.cssselect("link, img, iframe, object, embed")
    for el in page.iter():
        for attr in ("src", "href"):
            value = el.get(attr)
            assert value is None or value.startswith("#") or not re.match(r"^[a-z]+:|^//", value)
    css = asset("style.css")
    assert "@import" not in css and "url(" not in css and "@font-face" not in css
    csp = page.cssselect('meta[http-equiv="Content-Security-Policy"]')[0].get("content")
    digest = base64.b64encode(hashlib.sha256(scripts[0].text.encode()).digest()).decode()
    assert f"script-src 'sha256-{digest}'" in csp and "default-src 'none'" in csp
    assert "@media print" in css


def test_hostile_text_is_escaped_and_never_markup(xss_report: Path) -> None:
    for path in [xss_report / "compare.html", *sorted((xss_report / "scan").rglob("*.html"))]:
        data = path.read_bytes()
        page = parse(data)
        assert len(page.cssselect("script:not([src])")) == 1  # ours
        loaded = [s.get("src") for s in page.cssselect("script[src]")]
        assert all(re.fullmatch(r"index-data-\d{3}\.js", name) for name in loaded)
        assert not page.cssselect("img")
        assert not [el for el in page.iter() if any(k.startswith("on") for k in el.attrib)]
        assert b"<script>alert" not in data and b"<img" not in data
        if loaded:  # the index: the titles are in its data, escaped for a script body
            text = (path.parent / loaded[0]).read_text(encoding="utf-8")
            assert "</script" not in text and "<\\/script>" in text
        else:
            assert XSS_SCRIPT in page.text_content()
    compare_page = parse((xss_report / "compare.html").read_bytes())
    assert XSS_IMG in compare_page.cssselect("h2")[0].text_content()
    titles = [el.get("title") for el in compare_page.cssselect(".d[title]")]
    assert any('"' in t and "'" in t for t in titles)  # quoted both ways, still one attribute


def test_control_characters_are_shown_not_dropped() -> None:
    a, b = shapes_pages()
    b = b.replace("第二段：", "第二段：\x0c\x1b")
    page = parse(pair_report(pair_of(a, b)))
    assert "\u240c\u241b" in page.text_content()
    assert clean("a\x00b\x7f\ud800") == "a\u2400b\u2421\ufffd"


def test_compare_of_two_pages_gives_one_page_with_every_pair(tmp_path: Path) -> None:
    data = compare_report(compare_files(sample("000"), sample("001")))
    page = parse(data)
    sections = page.cssselect("section.pair")
    assert [s.get("id") for s in sections] == ["p1-pair", "p2-pair"]
    assert [a.get("href") for a in page.cssselect("header.top ol a")] == ["#p1-pair", "#p2-pair"]
    assert len(page.cssselect("#nav")) == 1 and len(page.cssselect("input#show-ocr")) == 1
    assert all(m.get("id").startswith(("p1-", "p2-")) for m in page.cssselect(".cell .d"))
    assert "Only in A" in page.cssselect("header.top")[0].text_content()


# ------------------------------------------------------------------ names


@pytest.mark.parametrize(
    "a, b",
    [
        LEAD,
        ("../../etc/passwd#1", "..\\..\\boot.ini#2"),
        ("报纸/第一版.txt#1", "报纸/第二版.txt#3"),
        (".hidden#1", "/abs/path/x.md#12"),
        ("a b<c>:d|e?.txt#1", "#1"),
    ],
)
def test_report_names_are_safe_and_stable(a: str, b: str) -> None:
    name = report_name(a, b)
    assert re.fullmatch(r"[A-Za-z0-9_][A-Za-z0-9_-]*-[0-9a-f]{10}\.html", name)
    assert ".." not in name and "/" not in name and "\\" not in name
    assert name == report_name(a, b) and name != report_name(b, a)
    assert name.endswith(hashlib.sha1(f"{a}\n{b}".encode()).hexdigest()[:10] + ".html")


# ------------------------------------------------------------------ index


def index_data(out: Path) -> dict[str, Any]:
    """Every part of an index's data files, merged (lists concatenated), in load order."""
    page = parse((out / "index.html").read_bytes())
    merged: dict[str, Any] = {}
    for script in page.cssselect("script[src]"):
        text = (out / script.get("src")).read_text(encoding="utf-8")
        prefix = "(window.dedupIndex = window.dedupIndex || []).push("
        assert text.startswith(prefix) and text.endswith(");\n")
        for key, value in json.loads(text[len(prefix) : -3]).items():
            if key in ("articles", "clusters", "pairs"):
                merged.setdefault(key, []).extend(value)
            else:
                merged[key] = value
    return merged


def test_index_lists_files_articles_clusters_pairs_and_failures(tmp_path: Path) -> None:
    pages = tmp_path / "pages"
    pages.mkdir()
    for name in ("000", "001", "004"):
        (pages / sample(name).name).write_bytes(sample(name).read_bytes())
    (pages / "broken.txt").write_bytes(b"\x00\x01binary")
    out = tmp_path / "out"
    result = scan_paths([pages], Options(jobs=1))
    written = write_outputs(result, out, {"html"})
    assert written[:2] == ["index.html", "index-data-001.js"] and len(written) == 4
    page = parse((out / "index.html").read_bytes())
    data = index_data(out)
    assert data["files"] == sorted(d.path for d in result.documents)
    ids = [data["files"][f] + suffix for f, suffix, *_ in data["articles"]]
    want = [a for d in sorted(result.documents, key=lambda d: d.path) for a in d.articles]
    assert ids == [a.id for a in want]
    assert [row[3] for row in data["articles"]] == [a.title for a in want]
    assert [row[0] for row in data["clusters"]] == ["c1", "c2"]
    canon = data["clusters"][0][1]
    assert ids[canon] == "001_86c1b19793689044.txt#1"
    assert "longest complete text" in data["clusters"][0][2]
    links = [row[8] for row in data["pairs"]]
    assert links == [f"pairs/{report_name(m.a, m.b)}" for m in result.pairs]
    assert all((out / link).is_file() for link in links)
    assert [(ids[row[0]], ids[row[1]]) for row in data["pairs"]] == [(m.a, m.b) for m in result.pairs]
    fail = page.cssselect("table.failures tbody tr")
    assert len(fail) == 1 and "broken.txt" in fail[0].text_content()
    assert "binary" in fail[0].text_content()
    heads = page.cssselect("#pairs-table thead th")
    assert all(h.get("data-key") for h in heads)
    assert [h.text_content() for h in heads][:4] == ["#", "A", "B", "relation"]
    summary = page.cssselect("#summary")[0].text_content()
    assert f"{len(result.pairs)}" in summary and "files that failed" in summary
    wording = sum(
        c.comparison.metrics.count("wording") for c in result.comparisons.values()
    )
    row = [r for r in page.cssselect("#summary table.types tbody tr") if "wording" in r.text_content()]
    assert row[0].cssselect("td")[0].text_content() == str(wording)


def test_index_notes_pairs_without_a_report(tmp_path: Path) -> None:
    pair = IndexPair("a.txt#1", "b.txt#1", 0.0, 0.0, "continuation", "c1", "", "continuation: no shared text")
    files = index_files(
        documents=[],
        clusters=[Cluster("c1", ("a.txt#1", "b.txt#1"), "a.txt#1", "why")],
        pairs=[pair],
        failures=[],
    )
    for name, data in files.items():
        (tmp_path / name).write_bytes(data)
    page = parse(files["index.html"])
    assert index_data(tmp_path)["pairs"][0][9] == "continuation: no shared text"
    assert "Every file was read." in page.text_content()


def test_reports_show_what_the_scan_compared_even_after_the_file_changed(tmp_path: Path) -> None:
    """Reports render the scan's own texts: a file rewritten afterwards changes nothing."""
    pages = tmp_path / "pages"
    pages.mkdir()
    for name in ("000", "001"):
        (pages / sample(name).name).write_bytes(sample(name).read_bytes())
    result = scan_paths([pages], Options(jobs=1))
    before = write_scan_reports(result, tmp_path / "before")
    first = pages / sample("000").name
    first.write_text("## 全新的页面\n\n完全不同的内容。\n", encoding="utf-8")
    after = write_scan_reports(result, tmp_path / "after")
    assert before == after and len(after) == 4
    for name in after:
        assert (tmp_path / "before" / name).read_bytes() == (tmp_path / "after" / name).read_bytes()
    assert not result.warnings
    assert "全面过硬" in (tmp_path / "after" / after[2]).read_text(encoding="utf-8")


def test_comparison_round_trips_through_json() -> None:
    a, b = shapes_pages()
    c = pair_of(a, b).comparison
    data = comparison_json(c)
    back = comparison_from_json(data.pop("a"), data.pop("b"), data)
    assert back == c


# ------------------------------------------------------------------ determinism


def test_reports_are_byte_identical_across_runs(sample_reports: Path, tmp_path: Path) -> None:
    again = tmp_path / "again"
    write_outputs(scan_paths([SAMPLES], Options(jobs=2)), again, {"html"})
    files = sorted(p.relative_to(sample_reports) for p in sample_reports.rglob("*.*"))
    assert any(f.suffix == ".js" for f in files)  # the index's data files too
    assert files == sorted(p.relative_to(again) for p in again.rglob("*.*"))
    for f in files:
        assert (sample_reports / f).read_bytes() == (again / f).read_bytes(), f
    a, b = shapes_pages()
    assert pair_report(pair_of(a, b)) == pair_report(pair_of(a, b))


@pytest.mark.integration
def test_committed_reports_match_a_fresh_scan(tmp_path: Path) -> None:
    """``reports/`` is what the README's main command writes; regenerate it when this fails."""
    out = tmp_path / "reports"
    done = subprocess.run(
        [sys.executable, "-m", "dedup", "scan", "samples", "--out", str(out), "-q"],
        cwd=ROOT,
        capture_output=True,
        text=True,
    )
    assert done.returncode == 0, done.stderr
    committed = ROOT / "reports"
    fresh = sorted(p.relative_to(out).as_posix() for p in out.rglob("*") if p.is_file())
    kept = sorted(
        p.relative_to(committed).as_posix()
        for p in committed.rglob("*")
        if p.is_file() and not p.name.startswith(".")
    )
    hint = "regenerate with: python -m dedup scan samples --out reports -q"
    assert kept == fresh, hint
    for name in fresh:
        assert (committed / name).read_bytes() == (out / name).read_bytes(), f"{name}: {hint}"


# ------------------------------------------------------------------ command line


def test_cli_compare_html_writes_one_file(tmp_path: Path) -> None:
    out = tmp_path / "report.html"
    result = CliRunner().invoke(
        cli, ["compare", str(sample("000")), str(sample("001")), "--format", "html", "--out", str(out)]
    )
    assert result.exit_code == 0, result.output
    assert out.read_bytes() == compare_report(compare_files(sample("000"), sample("001")))
    result = CliRunner().invoke(cli, ["compare", str(sample("000")), str(sample("001")), "--format", "html"])
    assert result.exit_code == 0 and result.output.startswith("<!DOCTYPE html>")


def test_cli_compare_html_missing_file(tmp_path: Path) -> None:
    result = CliRunner().invoke(
        cli, ["compare", str(tmp_path / "nope.txt"), str(sample("001")), "--format", "html"]
    )
    assert result.exit_code == 1
    assert result.output.strip().endswith("nope.txt: no such file")


def test_scan_without_compare_lists_pairs_without_reports(tmp_path: Path) -> None:
    result = scan_paths([SAMPLES], Options(jobs=1, compare_pairs=False))
    assert write_outputs(result, tmp_path, {"html"}) == ["index.html", "index-data-001.js"]
    rows = index_data(tmp_path)["pairs"]
    assert len(rows) == 2 and all(r[8] == "" and r[9] == "not compared" and r[7] == [] for r in rows)
    assert not (tmp_path / "pairs").exists()


def test_cli_scan_names_the_reports_it_wrote(tmp_path: Path) -> None:
    result = CliRunner().invoke(cli, ["scan", str(SAMPLES), "--out", str(tmp_path), "-j", "1"])
    assert result.exit_code == 0
    assert result.stderr.strip().endswith(
        "wrote scan.json, edits.jsonl, pairs.csv, edits.csv, index.html, 2 pair reports in pairs/"
    )
    assert len(list((tmp_path / "pairs").glob("*.html"))) == 2
