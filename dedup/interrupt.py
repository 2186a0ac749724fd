"""Ctrl-C on the command line: always one line on stderr and exit code 130, never a traceback.

Python turns SIGINT into ``KeyboardInterrupt`` wherever the program happens
to be: in the middle of the imports before the command has started (a
traceback), or, after the command has caught it, again while it cleans up
and exits (a second Ctrl-C, or one the kernel delivered late, killing the
process by SIGINT: exit -2). So the command line handles SIGINT in three
phases:

* start-up (``guard_startup``, from the first line of ``dedup/__init__.py``
  when the process is the ``dedup`` command): nothing has been written yet,
  so SIGINT prints the line and exits 130 at once;
* the run (``raise_from_now``, once the command's ``try`` is in force): SIGINT
  raises ``KeyboardInterrupt`` as usual, so the output set is discarded on
  the way out (``dedup.outputs``);
* after the interrupt (``ignore_from_now``): SIGINT is ignored until the
  process has exited, so cleanup and finalisation cannot be cut short; and
  ``forget_interrupt`` clears CPython's mark of an unhandled interrupt, which
  would otherwise turn the exit code 130 into death by SIGINT (-2).

That mark is why an interrupted scan sometimes ended by SIGINT although it
had printed its line: CPython runs a string given to ``exec``/``eval`` (as
``dataclasses`` does for every generated ``__init__``, on each lazy import)
through the same code as a ``-m`` module, which notes "KeyboardInterrupt
left the code" and, at exit, kills the process with SIGINT when the note is
set, even if the exception was caught further up. A SIGINT landing in such a
string (compiled while the signal arrived, raised at its first instruction)
sets the note; the next string run to its end clears it.

A process that merely imports ``dedup`` (a library user, the tests) keeps its
own SIGINT handling: the phases apply only where ``guard_startup`` installed
its handler.
"""

from __future__ import annotations

import contextlib
import os
import signal
import sys
from itertools import pairwise
from types import FrameType

MESSAGE = "Interrupted; no output was changed unless the run had finished."
EXIT_INTERRUPTED = 130


def is_command_line() -> bool:
    """Whether this process is the ``dedup`` command (``python -m dedup`` or the console script)."""
    argv0 = sys.argv[0] if sys.argv else ""
    if argv0 == "-m":  # runpy is importing the package of the module to run
        orig = list(getattr(sys, "orig_argv", []))
        return any(a == "-m" and b.split(".")[0] == "dedup" for a, b in pairwise(orig))
    return os.path.basename(argv0) in ("dedup", "dedup.exe", "dedup-script.py")


def _quit(signum: int, frame: FrameType | None) -> None:
    """Start-up SIGINT: nothing is written yet, so the line and exit 130, without unwinding."""
    os.write(2, f"{MESSAGE}\n".encode())
    os._exit(EXIT_INTERRUPTED)


def guard_startup() -> None:
    """Handle SIGINT as :func:`_quit` until the command runs (only in the command-line process)."""
    if is_command_line() and signal.getsignal(signal.SIGINT) is signal.default_int_handler:
        with contextlib.suppress(ValueError):  # not the main thread: leave it alone
            signal.signal(signal.SIGINT, _quit)


def guarded() -> bool:
    """Whether the start-up guard is in force (this is the command-line process)."""
    return signal.getsignal(signal.SIGINT) is _quit


def raise_from_now() -> None:
    """The run has its ``try``: SIGINT raises ``KeyboardInterrupt`` again, so cleanup happens."""
    signal.signal(signal.SIGINT, signal.default_int_handler)


def forget_interrupt() -> None:
    """Clear the interpreter's "unhandled KeyboardInterrupt" note, so that the exit code stands.

    A string run by ``exec`` resets the note on entry and sets it only when
    a ``KeyboardInterrupt`` leaves it: an empty one, run to its end, clears it.
    """
    exec("")  # the empty string is the point (see the module)


def ignore_from_now() -> None:
    """After the interrupt: ignore SIGINT until exit (an ignored signal stays so during finalisation)."""
    signal.signal(signal.SIGINT, signal.SIG_IGN)
