"""``edits.csv`` / ``edits.jsonl``: one row per difference, with where it is as line:column."""

from __future__ import annotations

import csv
import json
import re
from pathlib import Path

from click.testing import CliRunner

from dedup.cli import cli
from dedup.model import Options
from dedup.report.edits import COLUMNS, edits_csv, position
from dedup.scan import scan_paths, write_outputs
from tests.conftest import SAMPLES, sample
from tests.report.conftest import pair_of

_BREAK = re.compile(r"\r\n|\r|\n")


def _lines(path: Path) -> list[str]:
    """A sample's lines as the splitter counts them (LF, CRLF and CR end a line)."""
    return _BREAK.split(path.read_bytes().decode("utf-8"))


def _at(lines: list[str], line: int, column: int, text: str) -> bool:
    """Whether ``text`` starts at 1-based ``line:column`` (its first line, when it spans lines)."""
    head = _BREAK.split(text)[0]
    return lines[line - 1][column - 1 :].startswith(head)


def test_edits_csv_of_the_samples_lists_every_edit_with_its_line_and_column(tmp_path: Path) -> None:
    result = scan_paths([SAMPLES], Options(jobs=1))
    written = write_outputs(result, tmp_path, {"json", "csv"})
    assert {"edits.csv", "edits.jsonl"} <= set(written)
    with (tmp_path / "edits.csv").open(encoding="utf-8", newline="") as f:
        rows = list(csv.DictReader(f))
    assert tuple(rows[0]) == COLUMNS
    scan = json.loads((tmp_path / "scan.json").read_text(encoding="utf-8"))
    want = [
        (str(n), p["a"], p["b"], e["type"], e["reason"], e["a"], e["b"], e["a_text"], e["b_text"])
        for n, p in enumerate(scan["pairs"], 1)
        for e in p["edits"]
    ]
    got = [
        (r["pair"], r["a"], r["b"], r["type"], r["reason"], [int(r["a_start"]), int(r["a_end"])],
         [int(r["b_start"]), int(r["b_end"])], r["a_text"], r["b_text"])
        for r in rows
    ]
    assert len(want) > 100 and got == want
    lines = {p.name: _lines(p) for p in SAMPLES.iterdir() if p.suffix == ".txt"}
    texts = {p.name: p.read_bytes().decode("utf-8") for p in SAMPLES.iterdir() if p.suffix == ".txt"}
    for r in rows:
        for side in "ab":
            file, line, col = r[f"{side}_file"], int(r[f"{side}_line"]), int(r[f"{side}_column"])
            start, end = int(r[f"{side}_start"]), int(r[f"{side}_end"])
            assert texts[file][start:end] == r[f"{side}_text"]
            before = texts[file][:start]
            assert line == len(_BREAK.split(before)), r
            assert _at(lines[file], line, col, r[f"{side}_text"]), r
            ctx = r[f"{side}_context"]
            assert "⟦" + r[f"{side}_text"].replace("\n", "⏎") + "⟧" in ctx.replace("\r", "")
    jsonl = [json.loads(x) for x in (tmp_path / "edits.jsonl").read_text(encoding="utf-8").splitlines()]
    assert [list(x) for x in jsonl] == [list(COLUMNS)] * len(rows)
    assert [str(x["a_line"]) + ":" + str(x["a_column"]) for x in jsonl] == [
        r["a_line"] + ":" + r["a_column"] for r in rows
    ]


def test_compare_json_and_edits_csv_list_the_same_edits(tmp_path: Path) -> None:
    a, b = sample("000"), sample("001")
    runner = CliRunner()
    got = runner.invoke(cli, ["compare", str(a), str(b), "--format", "json"])
    assert got.exit_code == 0, got.output
    page = json.loads(got.stdout)
    out = tmp_path / "edits.csv"
    done = runner.invoke(cli, ["compare", str(a), str(b), "--format", "csv", "--out", str(out)])
    assert done.exit_code == 0, done.output
    with out.open(encoding="utf-8", newline="") as f:
        rows = list(csv.DictReader(f))
    want = [(p["a"], e["type"], e["a"][0], e["b"][0]) for p in page["pairs"] for e in p["edits"]]
    assert [(r["a"], r["type"], int(r["a_start"]), int(r["b_start"])) for r in rows] == want


def test_line_and_column_count_crlf_and_cr_as_one_break() -> None:
    text_a = "## 标题一二三四五\r\n\r\n第一段：党的基层组织是党的肌体神经末梢，是党的全部工作和战斗力的基础。\r\n"
    text_b = text_a.replace("\r\n", "\r").replace("基础", "基石")
    pair = pair_of(text_a, text_b)
    from dedup.model import ArticleText, ExplainedPair

    explained = ExplainedPair(
        pair.comparison,
        ArticleText(pair.article_a, text_a[pair.article_a.start : pair.article_a.end]),
        ArticleText(pair.article_b, text_b[pair.article_b.start : pair.article_b.end]),
    )
    wording = [e for e in pair.comparison.edits if e.type == "wording"]
    assert wording
    col = text_a.split("\r\n")[2].index(wording[0].a_text) + 1
    assert position(explained.a, wording[0].a[0]) == (3, col)
    assert position(explained.b, wording[0].b[0]) == (3, col)
    rows = list(csv.DictReader(edits_csv([(explained, "")]).splitlines()))
    assert any(r["type"] == "wording" and r["a_line"] == "3" and r["b_column"] == str(col) for r in rows)
