"""Every command's --help shows worked examples; the top level documents shell completion."""

from __future__ import annotations

import pytest
from click.testing import CliRunner

from dedup.cli import cli


@pytest.mark.parametrize("command", ["split", "scan", "compare"])
def test_help_has_examples_and_exit_status(command: str) -> None:
    result = CliRunner().invoke(cli, [command, "--help"])
    assert result.exit_code == 0
    assert "Examples:" in result.output and f"  dedup {command} " in result.output
    assert "Exit status:" in result.output


def test_top_level_help_documents_completion() -> None:
    result = CliRunner().invoke(cli, ["--help"])
    assert "_DEDUP_COMPLETE=bash_source dedup" in result.output
    done = CliRunner().invoke(cli, [], env={"_DEDUP_COMPLETE": "bash_source"}, prog_name="dedup")
    assert "_dedup_completion" in done.output
