"""``dedup archive``: an archive that grows, in a SQLite file (``dedup.archive``)."""

from __future__ import annotations

import json
import os
import sys
from collections.abc import Callable
from typing import Any, TypeVar

import click

from dedup.cli.common import input_options
from dedup.model import Options

F = TypeVar("F", bound=Callable[..., Any])
ARCHIVE = click.argument("archive", type=click.Path(dir_okay=False, path_type=str))


def _safe(run: Callable[[], Any]) -> Any:
    """Run an archive operation; an unusable archive is a one-line ``Error:``."""
    from dedup.archive import ArchiveError

    try:
        return run()
    except ArchiveError as exc:
        raise click.ClickException(str(exc)) from None


@click.group(name="archive")
def archive_command() -> None:
    """Keep pages in a SQLite archive and find the earlier printings of new ones."""


@archive_command.command(name="add")
@ARCHIVE
@click.argument("paths", nargs=-1, required=True, type=click.Path(exists=True, path_type=str))
@click.option("--base", type=click.Path(file_okay=False, path_type=str), default=None,
              help="Name files relative to this folder (as a scan of it names them).")
@click.option("--threshold", type=click.FloatRange(0.0, 1.0), default=Options.containment_threshold,
              show_default=True, help="Share of the shorter version that must lie inside the longer one.")
@click.option("--similarity", type=click.FloatRange(0.0, 1.0), default=Options.similarity_threshold,
              show_default=True, help="Similarity above which two versions pair.")
@click.option("--compare/--no-compare", default=True, show_default=True, help="Explain every pair found.")
@click.option("--jobs", "-j", type=click.IntRange(1, 256), default=min(os.cpu_count() or 1, 8),
              show_default="CPU count (max 8)", help="Worker processes for reading new files.")
@click.option("--quiet", "-q", is_flag=True, help="No summary line.")
@input_options
def add_command(archive: str, paths: tuple[str, ...], base: str | None, threshold: float,
                similarity: float, compare: bool, jobs: int, quiet: bool, reading: dict[str, Any]) -> None:
    """Add the pages under PATHS to ARCHIVE (created if missing); unchanged files are skipped."""
    from dedup.archive import add

    options = Options(**reading, containment_threshold=threshold, similarity_threshold=similarity,
                      compare_pairs=compare, jobs=jobs)
    done = _safe(lambda: add(archive, paths, options, base=base))
    for path, error in done.failures:
        click.echo(f"{path}: {error}", err=True)
    if not quiet:
        click.echo(f"{done.added} added, {done.changed} changed, {done.unchanged} unchanged, "
                   f"{done.failed} failed: {done.articles} articles, {done.pairs} new pairs", err=True)


@archive_command.command(name="query")
@ARCHIVE
@click.argument("files", nargs=-1, required=True, type=click.Path(exists=True, dir_okay=False, path_type=str))
def query_command(archive: str, files: tuple[str, ...]) -> None:
    """Print, as JSON Lines, which stored articles each page's articles reprint."""
    from dedup.archive import query

    def one(file: str) -> dict[str, Any]:
        return query(archive, file)

    for file in files:
        found = _safe(lambda: one(file))  # noqa: B023 (called at once)
        click.echo(json.dumps(found, ensure_ascii=False, sort_keys=True))


@archive_command.command(name="remove")
@ARCHIVE
@click.argument("names", nargs=-1, required=True)
def remove_command(archive: str, names: tuple[str, ...]) -> None:
    """Remove documents (by their path in the archive) with their pairs."""
    from dedup.archive import remove

    n = _safe(lambda: remove(archive, names))
    click.echo(f"{n} removed", err=True)


@archive_command.command(name="stats")
@ARCHIVE
def stats_command(archive: str) -> None:
    """Print the archive's counts and size as JSON."""
    from dedup.archive import stats

    click.echo(json.dumps(_safe(lambda: stats(archive)), sort_keys=True, indent=2))


@archive_command.command(name="report")
@ARCHIVE
@click.option("--out", "out_dir", required=True, type=click.Path(file_okay=False, path_type=str),
              help="Folder for scan.json, pairs.csv and the reports.")
def report_command(archive: str, out_dir: str) -> None:
    """Write the scan.json, pairs.csv and HTML a scan of the archive's files writes."""
    from dedup.archive import result
    from dedup.scan import write_outputs

    write_outputs(_safe(lambda: result(archive)), out_dir, {"json", "csv", "html"})


@archive_command.command(name="export")
@ARCHIVE
def export_command(archive: str) -> None:
    """Print documents, pairs and clusters as JSON Lines (for Spark: spark.read.json)."""
    from dedup.archive import export_lines

    for line in _safe(lambda: list(export_lines(archive))):
        sys.stdout.write(line + "\n")


@archive_command.command(name="check")
@ARCHIVE
def check_command(archive: str) -> None:
    """Check SQLite integrity and the archive's own invariants; exit 1 on a problem."""
    from dedup.archive import check

    problems = _safe(lambda: check(archive))
    for p in problems:
        click.echo(p, err=True)
    raise SystemExit(1 if problems else 0)
