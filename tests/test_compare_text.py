"""``dedup compare`` in a terminal: line:column, context, --types, colour, unpaired titles, --exit-code."""

from __future__ import annotations

import re
from pathlib import Path

from click.testing import CliRunner

from dedup.cli import cli
from tests.conftest import sample


def run(*args: str, env: dict[str, str] | None = None) -> tuple[int, str]:
    result = CliRunner().invoke(cli, list(args), env=env)
    return result.exit_code, result.stdout


def test_every_listed_edit_has_both_places_and_a_context() -> None:
    a, b = str(sample("000")), str(sample("001"))
    code, out = run("compare", a, b)
    assert code == 0
    places = re.findall(r"A (\S+):(\d+):(\d+)  B (\S+):(\d+):(\d+)", out)
    assert len(places) >= 10
    lines = {p: Path(p).read_text(encoding="utf-8").split("\n") for p in (a, b)}
    # 论 → 训 is an OCR edit: its A place must hold 论 and its B place 训
    row = next(line for line in out.splitlines() if "「论」→「训」" in line)
    (fa, la, ca, fb, lb, cb), = re.findall(r"A (\S+):(\d+):(\d+)  B (\S+):(\d+):(\d+)", row)
    assert lines[fa][int(la) - 1][int(ca) - 1] == "论" and lines[fb][int(lb) - 1][int(cb) - 1] == "训"
    context = out.splitlines()[out.splitlines().index(row) + 1]
    assert "干而论道" in context and "干而训道" in context
    assert "punctuation" not in {line.split()[0] for line in out.splitlines() if ":" in line and " A " in line}
    assert "\x1b[" not in out  # not a terminal: no colour


def test_types_chooses_what_is_listed() -> None:
    a, b = str(sample("000")), str(sample("001"))
    _, everything = run("compare", a, b, "--types", "all")
    _, ocr = run("compare", a, b, "--types", "ocr")
    listed = [line.split()[0] for line in ocr.splitlines() if re.search(r" A \S+:\d+:\d+", line)]
    assert listed and set(listed) == {"ocr"}
    assert any(line.split()[0] == "punctuation" for line in everything.splitlines() if " A " in line)
    code, _ = run("compare", a, b, "--types", "nonsense")
    assert code == 2


def test_unpaired_articles_are_listed_with_their_titles() -> None:
    _, out = run("compare", str(sample("000")), str(sample("001")))
    tail = out[out.index("unpaired:") :]
    assert "only in A  " in tail and "only in B  " in tail
    assert "为经济高质量发展注入新动力" in tail


def test_colour_when_asked_and_never_with_no_color() -> None:
    a, b = str(sample("000")), str(sample("001"))
    _, painted = run("compare", a, b, "--color", "always")
    assert "\x1b[35mwording" in painted
    _, plain = run("compare", a, b, env={"NO_COLOR": "1"})
    assert "\x1b[" not in plain


def test_exit_code_like_diff(tmp_path: Path) -> None:
    a = sample("000")
    same = tmp_path / "same.txt"
    same.write_text(a.read_text(encoding="utf-8").replace("，", ","), encoding="utf-8")
    assert run("compare", str(a), str(same), "--exit-code", "-q") == (0, "")
    assert run("compare", str(a), str(sample("001")), "--exit-code", "-q") == (1, "")
    assert run("compare", str(a), str(tmp_path / "missing.txt"), "--exit-code")[0] == 2
    assert run("compare", str(a), str(sample("001")))[0] == 0
