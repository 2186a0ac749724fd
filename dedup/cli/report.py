"""``dedup report``: write a scan's reports again from its ``scan.json`` alone.

Why: a large scan is not run again to change or restore its output; the
reports are the same bytes the scan wrote (``scan.json`` records everything
they render, see ``dedup.report.json``).
"""

from __future__ import annotations

import json
from pathlib import Path

import click

_OUT = "Folder for index.html and pairs/ (and pairs.csv, unmatched.csv with --format csv)."
_FORMATS = click.Choice(["html", "csv"])


@click.command(name="report")
@click.argument("scan_file", type=click.Path(exists=True, dir_okay=False, path_type=str))
@click.option("--out", "out_dir", required=True, type=click.Path(file_okay=False), help=_OUT)
@click.option("--format", "formats", type=_FORMATS, multiple=True, help="html (default), csv.")
def report_command(scan_file: str, out_dir: str, formats: tuple[str, ...]) -> None:
    """Write the reports of the scan recorded in SCAN_FILE (a scan.json) into --out."""
    from dedup.report.json_read import scan_from_json
    from dedup.scan import write_outputs

    try:
        result = scan_from_json(json.loads(Path(scan_file).read_text(encoding="utf-8")))
    except (ValueError, KeyError, TypeError) as exc:
        raise click.ClickException(
            f"{scan_file}: not a scan.json this version reads ({exc})"
        ) from None
    written = write_outputs(result, out_dir, set(formats or ("html",)))
    reports = sum(1 for name in written if name.startswith("pairs/"))
    click.echo(
        f"wrote {len(written) - reports} files and {reports} pair reports into {out_dir}", err=True
    )
