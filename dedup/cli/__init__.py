"""The ``dedup`` command: thin wrappers that parse options and call the library.

One module per command (``split``, ``scan``, ``compare``, ``report``); ``common`` holds the
options every reading command shares, the one-line error report and progress.
"""

from __future__ import annotations

import click

from dedup.cli.compare import compare_command
from dedup.cli.report import report_command
from dedup.cli.scan import scan_command
from dedup.cli.split import split_command


@click.group(context_settings={"help_option_names": ["-h", "--help"]})
@click.version_option(package_name="dedup", prog_name="dedup")
def cli() -> None:
    """Find near-duplicate printings of news stories and explain their differences."""



cli.add_command(split_command)
cli.add_command(scan_command)
cli.add_command(compare_command)
cli.add_command(report_command)

__all__ = ["cli"]
