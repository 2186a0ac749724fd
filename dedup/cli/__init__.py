"""The ``dedup`` command: thin wrappers that parse options and call the library.

One module per command (``split``, ``scan``, ``compare``, ``report``); ``common`` holds the
options every reading command shares, the one-line error report and progress.
"""

from __future__ import annotations

import click

from dedup.cli.archive import archive_command
from dedup.cli.compare import compare_command
from dedup.cli.report import report_command
from dedup.cli.scan import scan_command
from dedup.cli.split import split_command

EPILOG = """
\b
Examples:
  dedup split samples
  dedup scan samples --out out && xdg-open out/index.html
  dedup compare print.txt web.html --types all
Run 'dedup COMMAND --help' for a command's options and examples.

\b
Shell completion (click's), e.g. for bash, in ~/.bashrc:
  eval "$(_DEDUP_COMPLETE=bash_source dedup)"
zsh: _DEDUP_COMPLETE=zsh_source; fish: _DEDUP_COMPLETE=fish_source dedup | source
"""


@click.group(context_settings={"help_option_names": ["-h", "--help"]}, epilog=EPILOG)
@click.version_option(package_name="dedup", prog_name="dedup")
def cli() -> None:
    """Find near-duplicate printings of news stories and explain their differences."""



cli.add_command(split_command)
cli.add_command(scan_command)
cli.add_command(compare_command)
cli.add_command(report_command)
cli.add_command(archive_command)

__all__ = ["cli"]
