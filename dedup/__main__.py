"""Run the command line as ``python -m dedup``."""

from dedup.cli import cli

cli(prog_name="dedup")
