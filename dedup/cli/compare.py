"""``dedup compare``: pair the articles of two pages and explain every difference."""

from __future__ import annotations

from typing import Any

import click

from dedup.batch import Report
from dedup.cli.common import echo_report, input_options
from dedup.model import Options


@click.command(name="compare")
@click.argument("path_a", metavar="A", type=click.Path(path_type=str))
@click.argument("path_b", metavar="B", type=click.Path(path_type=str))
@click.option(
    "--format",
    "fmt",
    type=click.Choice(["text", "json", "html"]),
    default="text",
    show_default=True,
    help="text: a summary per article pair; json: every block and edit; "
    "html: one self-contained page with every pair side by side.",
)
@click.option(
    "--out",
    "out",
    type=click.Path(dir_okay=False, path_type=str),
    default=None,
    help="Write the result to this file instead of standard output.",
)
@input_options
def compare_command(
    path_a: str,
    path_b: str,
    fmt: str,
    out: str | None,
    reading: dict[str, Any],
) -> None:
    """Pair the articles of pages A and B and explain every difference of each pair."""
    from pathlib import Path

    from dedup.compare import compare_files
    from dedup.errors import ReadError

    options = Options(**reading)
    try:
        result = compare_files(path_a, path_b, options)
    except ReadError as exc:
        echo_report(Report(failures=[(exc.path, exc.problem)]))
        raise SystemExit(1) from None
    empty = Report(warnings=[(path, "reads as empty: nothing to compare") for path in result.empty])
    if fmt == "html":
        from dedup.report.build import compare_report

        page = compare_report(result)
        if out is None:
            click.echo(page.decode("utf-8"), nl=False)
        else:
            Path(out).write_bytes(page)
        _end_compare(empty)
        return
    if fmt == "json":
        from dedup.report.json import dumps, pages_json

        rendered = dumps(pages_json(result))
    else:
        from dedup.report.text import pages_text

        rendered = pages_text(result)
    if out is None:
        click.echo(rendered, nl=False)
    else:
        Path(out).write_text(rendered, encoding="utf-8", newline="")
    _end_compare(empty)


def _end_compare(empty: Report) -> None:
    """A page that reads as empty is a warning and exit status 1: the comparison is void."""
    if empty.warnings:
        echo_report(empty)
        raise SystemExit(1)
