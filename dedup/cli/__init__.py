"""The ``dedup`` command: thin wrappers that parse options and call the library.

One module per command (``split``, ``scan``, ``compare``, ``report``, ``archive``);
``common`` holds the options every reading command shares, the one-line error
report and progress. A command's module is imported only when that command
runs (or ``--help`` lists them all), so ``dedup compare`` does not pay for the
scan's engines or the archive.
Exit codes (``docs/errors.md``): 0 all good, 1 some inputs failed (or the
outputs could not be written), 2 usage, 3 internal error, 130 interrupted.
"""

from __future__ import annotations

import importlib
import os
import sys
from collections.abc import Sequence
from typing import Any

import click

from dedup import interrupt
from dedup.errors import DedupError

#: Each command's name and where it is defined (module, attribute).
COMMANDS = {
    "split": ("dedup.cli.split", "split_command"),
    "scan": ("dedup.cli.scan", "scan_command"),
    "compare": ("dedup.cli.compare", "compare_command"),
    "report": ("dedup.cli.report", "report_command"),
    "archive": ("dedup.cli.archive", "archive_command"),
}

EXIT_OK, EXIT_FAILED, EXIT_USAGE, EXIT_INTERNAL = 0, 1, 2, 3
EXIT_INTERRUPTED = interrupt.EXIT_INTERRUPTED

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

Exit codes: 0 all good; 1 some inputs failed (each named on one Error: line)
or the outputs could not be written (the previous ones are kept); 2 usage
error (also a bad --out, found before any work); 3 internal error (--debug
shows the traceback); 130 interrupted. See docs/errors.md.
"""


class DedupGroup(click.Group):
    """The command group, turning every way a run can end into its exit code and one line.

    Commands are loaded from :data:`COMMANDS` on first use.
    """

    def list_commands(self, ctx: click.Context) -> list[str]:
        """Every command's name, sorted (as click lists them)."""
        return sorted({*super().list_commands(ctx), *COMMANDS})

    def get_command(self, ctx: click.Context, cmd_name: str) -> click.Command | None:
        """The command of that name, importing its module the first time it is asked for."""
        if cmd_name in COMMANDS and cmd_name not in self.commands:
            module, attr = COMMANDS[cmd_name]
            self.add_command(getattr(importlib.import_module(module), attr), cmd_name)
        return super().get_command(ctx, cmd_name)

    def main(  # type: ignore[override]
        self, args: Sequence[str] | None = None, prog_name: str | None = None, **extra: Any
    ) -> None:
        """Run a command; exit 0/1 as it says, 2 usage, 3 internal error, 130 interrupted."""
        argv = list(sys.argv[1:] if args is None else args)
        debug = "--debug" in argv or bool(os.environ.get("DEDUP_DEBUG"))
        command_line = interrupt.guarded()  # the dedup process itself, not a caller in-process
        try:
            if command_line:  # the try is in force: Ctrl-C may now unwind (and clean up)
                interrupt.raise_from_now()
            code = super().main(argv, prog_name, standalone_mode=False, **extra)
        except (click.exceptions.Abort, KeyboardInterrupt):
            if command_line:  # no second KeyboardInterrupt during cleanup and exit
                interrupt.ignore_from_now()
            from dedup.outputs import discard_open

            discard_open()
            click.echo(interrupt.MESSAGE, err=True)
            interrupt.forget_interrupt()  # else the exit may be by SIGINT, not 130
            sys.exit(EXIT_INTERRUPTED)
        except click.ClickException as exc:
            exc.show()
            sys.exit(exc.exit_code)
        except DedupError as exc:
            from dedup.cli.common import escape

            click.echo(f"Error: {escape(str(exc))}", err=True)
            sys.exit(EXIT_FAILED)
        except Exception as exc:  # a bug: one line, the traceback only when asked
            if debug:
                import traceback  # only here: the module costs start-up time of every command

                traceback.print_exc()
            from dedup.cli.common import escape

            hint = "" if debug else " (--debug shows the traceback)"
            click.echo(f"Internal error: {escape(type(exc).__name__)}: {escape(str(exc))}{hint}", err=True)
            sys.exit(EXIT_INTERNAL)
        sys.exit(code if isinstance(code, int) else EXIT_OK)


@click.group(
    cls=DedupGroup,
    context_settings={"help_option_names": ["-h", "--help"]},
    epilog=EPILOG,
)
@click.version_option(package_name="dedup", prog_name="dedup")
@click.option("--debug", is_flag=True, help="Show the traceback of an internal error.")
def cli(debug: bool) -> None:
    """Find near-duplicate printings of news stories and explain their differences."""


__all__ = ["cli"]
