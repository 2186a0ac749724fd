"""Every output of a comparison comes from one computation.

A scan's HTML reports render the comparisons the scan computed (never a second
reading of the files), and ``compare --format html`` shows exactly the edits
that ``compare --format json`` lists, whatever the input format.
"""

from __future__ import annotations

import json
import re
from pathlib import Path

import pytest
from click.testing import CliRunner

from dedup.cli import cli

FORMATS = Path(__file__).parent / "fixtures" / "formats"


def _run(*args: str) -> str:
    result = CliRunner().invoke(cli, list(args), catch_exceptions=False)
    assert result.exit_code == 0, result.output
    return result.output


def _json_edits(path_a: Path, path_b: Path, *extra: str) -> list[tuple[str, str, str]]:
    data = json.loads(_run("compare", str(path_a), str(path_b), "--format", "json", *extra))
    return sorted((e["type"], e["a_text"], e["b_text"]) for p in data["pairs"] for e in p["edits"])


def _html_counts(path_a: Path, path_b: Path, *extra: str) -> list[tuple[str, int]]:
    """How many edits of each type a compare page marks (each edit once, by its A-side id)."""
    page = _run("compare", str(path_a), str(path_b), "--format", "html", *extra)
    seen: dict[str, str] = {}
    for kind, ident in re.findall(r'class="d t-([a-z-]+)[^"]*" id="([^"]+-e\d+)-[ab]"', page):
        seen[ident] = kind
    counts: dict[str, int] = {}
    for kind in seen.values():
        counts[kind] = counts.get(kind, 0) + 1
    return sorted(counts.items())


def _json_counts(path_a: Path, path_b: Path, *extra: str) -> list[tuple[str, int]]:
    counts: dict[str, int] = {}
    for kind, _a, _b in _json_edits(path_a, path_b, *extra):
        counts[kind] = counts.get(kind, 0) + 1
    return sorted(counts.items())


@pytest.mark.parametrize(
    ("a", "b", "extra"),
    [
        ("story.txt", "story.alto.xml", ()),
        ("story.txt", "story.html", ()),
        ("story.txt", "story.hocr", ()),
        ("story.txt", "story.alto.xml", ("--format-in", "text")),
    ],
)
def test_compare_html_shows_the_json_edits(a: str, b: str, extra: tuple[str, ...]) -> None:
    path_a, path_b = FORMATS / a, FORMATS / b
    assert _html_counts(path_a, path_b, *extra) == _json_counts(path_a, path_b, *extra)


def test_scan_with_format_in_text_writes_every_pair_report(tmp_path: Path) -> None:
    """Web pages read as plain text (markup and all) still get their pair reports."""
    pages = tmp_path / "pages"
    pages.mkdir()
    html = (FORMATS / "story.html").read_text(encoding="utf-8")
    (pages / "a.html").write_text(html, encoding="utf-8")
    (pages / "b.html").write_text(html.replace("</p>", "。</p>", 1), encoding="utf-8")
    out = tmp_path / "out"
    result = CliRunner().invoke(
        cli, ["scan", str(pages), "--out", str(out), "--format-in", "text", "--jobs", "1", "-q"]
    )
    assert result.exit_code == 0, result.output
    scan = json.loads((out / "scan.json").read_text(encoding="utf-8"))
    assert {d["format"] for d in scan["documents"]} == {"text"}
    compared = [p for p in scan["pairs"] if "edits" in p]
    assert compared
    reports = sorted((out / "pairs").glob("*.html"))
    assert len(reports) == len(compared)
    index = (out / "index.html").read_text(encoding="utf-8")
    assert "file changed" not in index


def test_pair_report_cites_the_source_element_of_an_edit() -> None:
    """On OCR input every mark of the OCR side names the ALTO element it was read from."""
    page = _run(
        "compare", str(FORMATS / "story.txt"), str(FORMATS / "story.alto.xml"), "--format", "html"
    )
    marks_b = re.findall(r'id="p1-e\d+-b" title="([^"]*)"', page)
    marks_a = re.findall(r'id="p1-e\d+-a" title="([^"]*)"', page)
    assert marks_b and marks_a
    cited = [t for t in marks_b if "source: //*[@ID='string_" in t]
    assert len(cited) >= len(marks_b) - 2  # reader-made breaks and # markers have no element
    assert not any("source:" in t for t in marks_a)  # plain text has no source elements
