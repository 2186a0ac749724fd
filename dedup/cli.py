"""The ``dedup`` command: thin wrappers that parse options and call the library."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any, TypeVar

import click

from dedup import jsonio
from dedup.batch import Report, read_all
from dedup.model import Options
from dedup.segment import split

F = TypeVar("F", bound=Callable[..., Any])


def input_options(func: F) -> F:
    """Options every command that reads pages shares."""
    func = click.option(
        "--encoding",
        default=None,
        metavar="CODEC",
        help="Decode every input with this codec instead of detecting it.",
    )(func)
    func = click.option(
        "--traditional/--no-traditional",
        default=False,
        help="Fold traditional characters to simplified before matching.",
    )(func)
    return func


def echo_report(report: Report) -> None:
    """Print one line per failed file and per warning on stderr."""
    for path, problem in report.warnings:
        click.echo(f"Warning: {path}: {problem}", err=True)
    for path, problem in report.failures:
        click.echo(f"Error: {path}: {problem}", err=True)


@click.group(context_settings={"help_option_names": ["-h", "--help"]})
@click.version_option(package_name="dedup", prog_name="dedup")
def cli() -> None:
    """Find near-duplicate printings of news stories and explain their differences."""


@cli.command(name="split")
@click.argument("paths", nargs=-1, required=True, type=click.Path(path_type=str))
@click.option(
    "--format",
    "fmt",
    type=click.Choice(["text", "json"]),
    default="text",
    show_default=True,
    help="text: a line per article; json: articles with paragraph spans.",
)
@input_options
def split_command(paths: tuple[str, ...], fmt: str, encoding: str | None, traditional: bool) -> None:
    """List the articles of each page (FILE or folder): title, lines, paragraphs, jumps."""
    options = Options(encoding=encoding, traditional=traditional)
    report = Report()
    documents = []
    for doc in read_all(paths, options, report):
        articles = split(doc)
        if fmt == "json":
            documents.append(
                {
                    "path": doc.path,
                    "encoding": doc.encoding,
                    "articles": [jsonio.article_json(a) for a in articles],
                }
            )
            continue
        click.echo(f"{doc.path} ({doc.encoding}, {len(articles)} articles)")
        for a in articles:
            body = sum(1 for p in a.paragraphs if p.kind in ("body", "subhead"))
            marks = ""
            if a.continued_from:
                marks += f"  [from page {a.continued_from}]"
            if a.jump:
                marks += f"  [continued on page {a.jump}]"
            title = a.title or ("(furniture)" if a.kind == "furniture" else "(untitled)")
            click.echo(
                f"  #{a.index:<3} {a.kind:<12} lines {a.first_line}-{a.last_line:<6} "
                f"{body:>3} paragraphs  {title}{marks}"
            )
    if fmt == "json":
        click.echo(jsonio.dumps({"documents": documents}), nl=False)
    echo_report(report)
    raise SystemExit(report.return_code)
