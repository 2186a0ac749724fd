"""The command line: exit codes, exact error lines, help, and the README's commands."""

from __future__ import annotations

import json
import re
from pathlib import Path

import click
from click.testing import CliRunner

from dedup.cli import COMMANDS, cli
from tests.conftest import ROOT, sample


def run(*args: str) -> tuple[int, str, str]:
    result = CliRunner().invoke(cli, list(args))
    return result.exit_code, result.stdout, result.stderr


def test_split_text_lists_articles() -> None:
    code, out, err = run("split", str(sample("000")))
    assert code == 0 and err == ""
    lines = out.splitlines()
    assert lines[0].endswith("(utf-8, 7 articles)")
    assert "高擎红色旗帜 筑牢坚强堡垒  [continued on page 二]" in lines[1]
    assert re.search(r"#1 +story +lines 5-48 +18 paragraphs", lines[1])


def test_split_json_gives_spans(tmp_path: Path) -> None:
    code, out, _ = run("split", "--format", "json", str(sample("001")))
    assert code == 0
    (doc,) = json.loads(out)["documents"]
    text = sample("001").read_text(encoding="utf-8")
    first = doc["articles"][0]
    assert first["id"].endswith("#1") and first["title"] == "高擎红色旗帜 筑牢坚强堡垒"
    for p in first["paragraphs"]:
        assert text[p["start"]:p["end"]].strip() == text[p["start"]:p["end"]]


def test_bad_file_is_one_error_line_and_the_batch_goes_on(tmp_path: Path) -> None:
    bad = tmp_path / "bad.txt"
    bad.write_bytes(b"abc\x00def")
    code, out, err = run("split", str(bad), str(sample("004")))
    assert code == 1
    assert err == f"Error: {bad.as_posix()}: binary file (NUL byte at offset 3)\n"
    assert "长春：党建引领促振兴" in out


def test_empty_file_warns_and_succeeds(tmp_path: Path) -> None:
    empty = tmp_path / "empty.txt"
    empty.write_bytes(b"")
    code, out, err = run("split", str(empty))
    assert code == 0
    assert err == f"Warning: {empty.as_posix()}: empty file, no articles\n"
    assert out == f"{empty.as_posix()} (utf-8, 0 articles)\n"


def test_missing_file_and_bad_encoding(tmp_path: Path) -> None:
    code, _, err = run("split", str(tmp_path / "none.txt"))
    assert (code, err) == (1, f"Error: {(tmp_path / 'none.txt').as_posix()}: no such file\n")
    code, _, err = run("split", "--encoding", "klingon", str(sample("000")))
    assert code == 1 and err.endswith(": unknown encoding 'klingon'\n")


def test_usage_errors_exit_2() -> None:
    code, _, err = run("split")
    assert code == 2 and "Missing argument 'PATHS...'" in err
    code, _, err = run("split", "--format", "xml", str(sample("000")))
    assert code == 2 and "Invalid value for '--format'" in err


def test_every_command_has_help_and_is_in_the_readme() -> None:
    readme = (ROOT / "README.md").read_text(encoding="utf-8")
    ctx = click.Context(cli)
    names = cli.list_commands(ctx)
    assert names == sorted(COMMANDS) == ["archive", "compare", "report", "scan", "split"]
    for name in names:
        command = cli.get_command(ctx, name)
        assert command is not None and command.name == name
        code, out, _ = run(name, "--help")
        assert code == 0 and "Usage:" in out
        assert command.help
        assert f"dedup {name}" in readme, f"command {name} missing from README"
