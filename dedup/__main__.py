"""Run the command line as ``python -m dedup``.

SIGINT is handled from the package's first line (``dedup.interrupt``): a
Ctrl-C before the command has started prints the one line and exits 130 too.
"""

from dedup.interrupt import guard_startup

guard_startup()  # already in force when the package was imported by ``-m``; a no-op then

from dedup.cli import cli  # noqa: E402

cli(prog_name="dedup")
