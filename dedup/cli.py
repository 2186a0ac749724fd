"""The ``dedup`` command: thin wrappers that parse options and call the library."""

from __future__ import annotations

import os
import sys
from collections.abc import Callable
from typing import Any, TypeVar

import click

from dedup.batch import Report, read_all
from dedup.model import FORMATS, Options
from dedup.options import PAGE_LEVELS
from dedup.report import json as report_json
from dedup.scan import scan_paths, write_outputs
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
    func = click.option(
        "--format-in",
        "format_in",
        type=click.Choice(["auto", *FORMATS]),
        default="auto",
        show_default=True,
        help="Read every input as this format; auto detects each file's from its content "
        "(plain text, HTML web page, ALTO, hOCR or PAGE XML OCR output).",
    )(func)
    func = click.option(
        "--page-level",
        "page_level",
        type=click.Choice(list(PAGE_LEVELS)),
        default="auto",
        show_default=True,
        help="PAGE XML: the text level to read; auto takes region text, else line text, else words.",
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
def split_command(
    paths: tuple[str, ...],
    fmt: str,
    encoding: str | None,
    traditional: bool,
    format_in: str,
    page_level: str,
) -> None:
    """List the articles of each page (FILE or folder): title, lines, paragraphs, jumps."""
    options = Options(
        encoding=encoding, traditional=traditional, input_format=format_in, page_level=page_level
    )
    report = Report()
    documents = []
    for doc in read_all(paths, options, report):
        articles = split(doc)
        if fmt == "json":
            documents.append(
                {
                    "path": doc.path,
                    "encoding": doc.encoding,
                    "articles": [report_json.article_json(a) for a in articles],
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
        click.echo(report_json.dumps({"documents": documents}), nl=False)
    echo_report(report)
    raise SystemExit(report.return_code)


class _Progress:
    """A one-line progress display on stderr, only when stderr is a terminal."""

    def __init__(self, enabled: bool) -> None:
        self.enabled = enabled and sys.stderr.isatty()
        self.last = ""

    def __call__(self, stage: str, done: int, total: int) -> None:
        if not self.enabled:
            return
        width = 30
        filled = width * done // total if total else width
        line = f"\r{stage:<10} [{'#' * filled}{'.' * (width - filled)}] {done}/{total}"
        if line != self.last:
            click.echo(line, err=True, nl=False)
            self.last = line

    def close(self) -> None:
        if self.enabled and self.last:
            click.echo("", err=True)


@cli.command(name="scan")
@click.argument("paths", nargs=-1, required=True, type=click.Path(path_type=str))
@click.option(
    "--out",
    "out_dir",
    required=True,
    type=click.Path(file_okay=False, path_type=str),
    help="Folder for scan.json, pairs.csv and the reports.",
)
@click.option(
    "--format",
    "formats",
    type=click.Choice(["json", "csv", "html", "parquet"]),
    multiple=True,
    help="Outputs to write (repeatable); default: json, csv and html. "
    "parquet (spark engine): documents, pairs and clusters as Parquet datasets.",
)
@click.option(
    "--threshold",
    type=click.FloatRange(0.0, 1.0),
    default=Options.containment_threshold,
    show_default=True,
    help="Share of the shorter version that must lie inside the longer one.",
)
@click.option(
    "--similarity",
    type=click.FloatRange(0.0, 1.0),
    default=Options.similarity_threshold,
    show_default=True,
    help="Similarity above which two versions pair even if neither contains the other.",
)
@click.option(
    "--jobs",
    "-j",
    type=click.IntRange(1, 256),
    default=min(os.cpu_count() or 1, 8),
    show_default="CPU count (max 8)",
    help="Worker processes.",
)
@click.option(
    "--compare/--no-compare",
    default=True,
    show_default=True,
    help="Explain every pair found (alignment and typed differences).",
)
@click.option(
    "--engine",
    type=click.Choice(["local", "spark"]),
    default="local",
    show_default=True,
    help="Where the scan runs: processes on this machine, or Apache Spark.",
)
@click.option(
    "--master",
    metavar="URL",
    default=None,
    help="Spark master (spark engine): local[N], spark://HOST:PORT, yarn… "
    "[default: local[2], or spark-submit's]",
)
@click.option("--quiet", "-q", is_flag=True, help="No progress display.")
@input_options
def scan_command(
    paths: tuple[str, ...],
    out_dir: str,
    formats: tuple[str, ...],
    threshold: float,
    similarity: float,
    jobs: int,
    compare: bool,
    engine: str,
    master: str | None,
    quiet: bool,
    encoding: str | None,
    traditional: bool,
    format_in: str,
    page_level: str,
) -> None:
    """Find the articles under PATHS that print the same story, and cluster them."""
    from dedup.engines.base import EngineUnavailable

    wanted = set(formats or ("json", "csv", "html"))
    if engine != "spark" and master is not None:
        raise click.UsageError("--master needs --engine spark")
    if engine != "spark" and "parquet" in wanted:
        raise click.UsageError("--format parquet needs --engine spark")
    parquet = out_dir if "parquet" in wanted else None
    # on spark, documents stay on the executors unless scan.json or a report needs them
    documents = engine != "spark" or bool(wanted & {"json", "html"})
    options = Options(
        encoding=encoding,
        traditional=traditional,
        input_format=format_in,
        page_level=page_level,
        containment_threshold=threshold,
        similarity_threshold=similarity,
        jobs=jobs,
        compare_pairs=compare,
    )
    progress = _Progress(not quiet)
    try:
        result = scan_paths(
            paths, options, progress, engine=engine, master=master, parquet=parquet, documents=documents
        )
    except EngineUnavailable as exc:
        raise click.ClickException(str(exc)) from None
    progress.close()
    written = write_outputs(result, out_dir, wanted - {"parquet"})
    if "parquet" in wanted:
        written += ["documents.parquet", "pairs.parquet", "clusters.parquet"]
    reports = sum(1 for name in written if name.startswith("pairs/"))
    written = [name for name in written if not name.startswith("pairs/")]
    if reports:
        written.append(f"{reports} pair reports in pairs/")
    if not quiet:
        click.echo(
            f"{result.articles} articles"
            f"{f' in {len(result.documents)} files' if documents else ''}: "
            f"{len(result.pairs)} pairs in {len(result.clusters)} clusters "
            f"({result.candidates} candidates checked); wrote {', '.join(written)}",
            err=True,
        )
    echo_report(Report(failures=result.failures, warnings=result.warnings))
    raise SystemExit(result.return_code)


@cli.command(name="compare")
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
    encoding: str | None,
    traditional: bool,
    format_in: str,
    page_level: str,
) -> None:
    """Pair the articles of pages A and B and explain every difference of each pair."""
    from pathlib import Path

    from dedup.compare import compare_files
    from dedup.errors import ReadError

    options = Options(
        encoding=encoding, traditional=traditional, input_format=format_in, page_level=page_level
    )
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
