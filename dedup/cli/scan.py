"""``dedup scan``: find the printings of the same story under some paths, write the outputs."""

from __future__ import annotations

import os
from typing import Any

import click

from dedup.batch import Report
from dedup.cli.common import Progress, echo_report, escape, input_options, open_outputs
from dedup.model import Options
from dedup.model.scan import ScanResult
from dedup.scan import nothing_read, scan_paths, write_outputs

EXAMPLES = """
\b
Examples:
  dedup scan samples --out out                 # scan.json, pairs.csv, edits.csv, index.html
  dedup scan archive/ --out out -j 4 --format html
  dedup scan pages/ --out out --no-compare     # pairs only, no differences explained
  dedup scan pages/ --out out --threshold 0.6 --similarity 0.8
  dedup scan big.jsonl --out out --engine spark --master local[4]
  dedup scan --side print=print/ --side web=web/ --out out --match-files name

\b
Exit status: 0 done; 1 some file could not be read (the rest was scanned);
2 a usage error.
"""


@click.command(name="scan", epilog=EXAMPLES)
@click.argument("paths", nargs=-1, type=click.Path(path_type=str))
@click.option(
    "--side",
    "sides",
    metavar="NAME=PATH",
    multiple=True,
    help="A collection to compare with the others (repeatable; repeat a NAME to add paths): "
    "pairs are made only across sides, the first side is A. Instead of PATHS.",
)
@click.option(
    "--match-files",
    metavar="name|REGEX",
    default="",
    help="With --side: pair only pages of the same name, or whose REGEX groups agree "
    r"(e.g. '(\d{8}).*p(\d+)' for date and page).",
)
@click.option(
    "--timestamp", is_flag=True, help="Record the scan's time and the inputs' modification times."
)
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
@click.option("--quiet", "-q", is_flag=True, help="No progress display and no summary line.")
@click.option(
    "--verbose", "-v", is_flag=True, help="Also print each stage's line when stderr is not a terminal."
)
@input_options
def scan_command(
    paths: tuple[str, ...],
    sides: tuple[str, ...],
    match_files: str,
    timestamp: bool,
    out_dir: str,
    formats: tuple[str, ...],
    threshold: float,
    similarity: float,
    jobs: int,
    compare: bool,
    engine: str,
    master: str | None,
    quiet: bool,
    verbose: bool,
    reading: dict[str, Any],
) -> None:
    """Find the articles under PATHS that print the same story, and cluster them."""
    from dedup.engines.base import EngineUnavailable
    from dedup.provenance import stamped
    from dedup.sides import scan_roots

    try:
        roots = scan_roots(paths, sides, match_files)
    except ValueError as exc:
        raise click.UsageError(str(exc)) from None

    wanted = _wanted(formats, engine, master)
    # --out checked (not inside any input), its staging folder made: before any work
    output = open_outputs(out_dir, [os.fspath(r) for r in roots])
    parquet = str(output.open()) if "parquet" in wanted else None
    # on spark, documents stay on the executors unless scan.json or a report needs them
    documents = engine != "spark" or bool(wanted & {"json", "html"})
    options = Options(
        **reading,
        containment_threshold=threshold,
        similarity_threshold=similarity,
        jobs=jobs,
        compare_pairs=compare,
        match_files=match_files,
    )
    progress = Progress(not quiet, verbose)
    try:
        result = scan_paths(
            roots, options, progress, engine=engine, master=master, parquet=parquet, documents=documents
        )
    except EngineUnavailable as exc:
        output.discard()
        raise click.ClickException(str(exc)) from None
    except BaseException:
        output.discard()
        raise
    if nothing_read(result):
        progress.close()
        output.discard()
        echo_report(Report(failures=result.failures, warnings=result.warnings))
        click.echo(f"Error: no page could be read; {escape(out_dir)} left as it was", err=True)
        raise SystemExit(1)
    result = stamped(result) if timestamp else result
    progress("writing", 0, 0)
    written = write_outputs(result, out_dir, wanted - {"parquet"}, output)
    progress("writing", len(written), len(written))
    progress.close()
    if "parquet" in wanted:
        written += ["documents.parquet", "pairs.parquet", "clusters.parquet"]
    if not quiet:
        click.echo(_summary(result, written, documents), err=True)
    echo_report(Report(failures=result.failures, warnings=result.warnings))
    raise SystemExit(result.return_code)


def _wanted(formats: tuple[str, ...], engine: str, master: str | None) -> set[str]:
    """The outputs asked for (default json, csv, html), after the engine's usage checks."""
    wanted = set(formats or ("json", "csv", "html"))
    if engine != "spark" and master is not None:
        raise click.UsageError("--master needs --engine spark")
    if engine != "spark" and "parquet" in wanted:
        raise click.UsageError("--format parquet needs --engine spark")
    return wanted


def _summary(result: ScanResult, written: list[str], documents: bool) -> str:
    """The closing line: what was found and which files were written."""
    reports = sum(1 for name in written if name.startswith("pairs/"))
    # the index's data files are part of index.html, the pair reports are counted
    shown = [name for name in written if not name.startswith(("pairs/", "index-data-"))]
    if reports:
        shown.append(f"{reports} pair reports in pairs/")
    return (
        f"{result.articles} articles"
        f"{f' in {len(result.documents)} files' if documents else ''}: "
        f"{len(result.pairs)} pairs in {len(result.clusters)} clusters "
        f"({result.candidates} candidates checked); wrote {', '.join(shown)}"
    )


