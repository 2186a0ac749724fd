"""``dedup compare``: pair the articles of two pages and explain every difference."""

from __future__ import annotations

import os
import sys
from typing import Any

import click

from dedup.batch import Report
from dedup.cli.common import echo_report, input_options
from dedup.model import EDIT_TYPES, Options

EXAMPLES = """
\b
Examples:
  dedup compare print.txt web.html              # summary: every edit at file:line:column
  dedup compare a.txt b.txt --types all         # list the minor edits too
  dedup compare a.txt b.txt --types wording,ocr # only these types
  dedup compare a.txt b.txt --format html --out report.html
  dedup compare a.txt b.txt --format csv --out edits.csv
  dedup compare a.txt b.txt --exit-code -q || echo "the wording differs"

\b
Exit status: 0 done; 1 a file could not be read or reads as empty, or, with
--exit-code, the printings differ in wording (a wording, missing, extra or
truncation edit, or a story only one page prints); 2 (with --exit-code) a file
could not be read; 2 also for a usage error.
"""


def _types(value: str | None) -> frozenset[str] | None:
    """The edit types to list: ``all``, or a comma list of type names; None: the default, all but minor.

    The default is resolved where the text is rendered, so that the other
    formats do not load the text report.
    """
    if value is None:
        return None
    if value.strip() == "all":
        return frozenset(EDIT_TYPES)
    wanted = frozenset(t.strip() for t in value.split(",") if t.strip())
    unknown = sorted(wanted - set(EDIT_TYPES))
    if unknown:
        raise click.BadParameter(
            f"unknown type {', '.join(unknown)}; choose from {', '.join(EDIT_TYPES)} or all",
            param_hint="--types",
        )
    return wanted


def _colour(choice: str | None) -> bool:
    """Colour when asked, or by default when stdout is a terminal and ``NO_COLOR`` is unset."""
    if choice is not None:
        return choice == "always"
    return sys.stdout.isatty() and not os.environ.get("NO_COLOR")


@click.command(name="compare", epilog=EXAMPLES)
@click.argument("path_a", metavar="A", type=click.Path(path_type=str))
@click.argument("path_b", metavar="B", type=click.Path(path_type=str))
@click.option(
    "--format",
    "fmt",
    type=click.Choice(["text", "json", "html", "csv", "jsonl"]),
    default="text",
    show_default=True,
    help="text: a summary per article pair; json: every block and edit; "
    "html: one self-contained page with every pair side by side; "
    "csv/jsonl: one row per edit (the columns of edits.csv).",
)
@click.option(
    "--out",
    "out",
    type=click.Path(dir_okay=False, path_type=str),
    default=None,
    help="Write the result to this file instead of standard output.",
)
@click.option(
    "--types",
    "types",
    metavar="LIST",
    default=None,
    help="text: the edit types to list, comma-separated, or 'all' "
    "[default: all but whitespace, markup, punctuation, variant].",
)
@click.option(
    "--color",
    "colour",
    type=click.Choice(["auto", "always", "never"]),
    default="auto",
    show_default=True,
    help="text: colour the types and changed characters; auto: on a terminal unless NO_COLOR is set.",
)
@click.option(
    "--exit-code",
    "exit_code",
    is_flag=True,
    help="Exit 1 when the printings differ in wording, 0 when they do not, 2 on trouble (like diff).",
)
@click.option("--quiet", "-q", is_flag=True, help="Print nothing (with --exit-code: only the status).")
@input_options
def compare_command(
    path_a: str,
    path_b: str,
    fmt: str,
    out: str | None,
    types: str | None,
    colour: str,
    exit_code: bool,
    quiet: bool,
    reading: dict[str, Any],
) -> None:
    """Pair the articles of pages A and B and explain every difference of each pair."""
    from dedup.compare import compare_files
    from dedup.errors import ReadError

    shown = _types(types)
    options = Options(**reading)
    try:
        result = compare_files(path_a, path_b, options)
    except ReadError as exc:
        echo_report(Report(failures=[(exc.path, exc.problem)]))
        raise SystemExit(2 if exit_code else 1) from None
    if not quiet or out is not None:
        _emit(result, fmt, out, shown, _colour(None if colour == "auto" else colour) and out is None)
    empty = Report(warnings=[(path, "reads as empty: nothing to compare") for path in result.empty])
    if empty.warnings:  # the comparison is void
        echo_report(empty)
        raise SystemExit(2 if exit_code else 1)
    if exit_code:
        from dedup.report.text import differs_in_wording

        raise SystemExit(1 if differs_in_wording(result) else 0)


def _emit(result: Any, fmt: str, out: str | None, types: frozenset[str] | None, colour: bool) -> None:
    """Render the comparison in ``fmt`` to ``out`` or standard output."""
    from pathlib import Path

    if fmt == "html":
        from dedup.report.build import compare_report

        page = compare_report(result)
        if out is None:
            click.echo(page.decode("utf-8"), nl=False)
        else:
            Path(out).write_bytes(page)
        return
    if fmt == "json":
        from dedup.report.json import dumps, pages_json

        rendered = dumps(pages_json(result))
    elif fmt in ("csv", "jsonl"):
        from dedup.report.edits import edits_csv, edits_jsonl

        rows = [(e, "") for e in result.explained]
        rendered = edits_csv(rows) if fmt == "csv" else edits_jsonl(rows)
    else:
        from dedup.report.text import DEFAULT_TYPES, TextStyle, pages_text

        rendered = pages_text(result, TextStyle(DEFAULT_TYPES if types is None else types, colour))
    if out is None:
        click.echo(rendered, nl=False, color=colour or None)
    else:
        Path(out).write_text(rendered, encoding="utf-8", newline="")
