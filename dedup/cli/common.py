"""What every command shares: the reading options, the one-line error report, progress."""

from __future__ import annotations

import functools
import sys
import time
import unicodedata
from collections.abc import Callable, Iterable
from typing import Any, TextIO, TypeVar, cast

import click

from dedup.batch import Report
from dedup.errors import OutputError
from dedup.model import FORMATS
from dedup.options import DECODE_ERRORS, PAGE_LEVELS
from dedup.outputs import OutputSet

F = TypeVar("F", bound=Callable[..., Any])


READING = ("encoding", "traditional", "format_in", "page_level", "decode_errors")


def input_options(func: F) -> F:
    """Options every command that reads pages shares, passed on as one ``reading`` dict.

    ``reading`` holds the ``Options`` fields they set (encoding, traditional,
    input_format, page_level, decode_errors), ready for ``Options(**reading, ...)``.
    """

    inner = func

    @functools.wraps(inner)
    def command(*args: Any, **kwargs: Any) -> Any:
        given = {name: kwargs.pop(name) for name in READING}
        given["input_format"] = given.pop("format_in")
        return inner(*args, reading=given, **kwargs)

    func = cast(F, command)
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
    choices = (
        ("--format-in", ["auto", *FORMATS], "Read every input as this format; auto detects each "
         "file's from its content (plain text, HTML web page, ALTO, hOCR or PAGE XML OCR output)."),
        ("--page-level", list(PAGE_LEVELS),
         "PAGE XML: the text level to read; auto takes region text, else line text, else words."),
        ("--decode-errors", list(DECODE_ERRORS), "A byte the encoding cannot decode: strict fails "
         "the file; replace reads each such byte as U+FFFD (offsets stay exact) and warns with their count."),
    )
    for flag, values, text in choices:
        dest = flag[2:].replace("-", "_")
        func = click.option(
            flag, dest, type=click.Choice(values), default=values[0], show_default=True, help=text
        )(func)
    return func


def escape(text: str) -> str:
    """``text`` on one line: control and format characters, line and paragraph separators
    and lone surrogates escaped as ``repr`` escapes them (``\\n``, ``\\x1b``,
    ``\\udcff``), the rest (CJK, spaces of every width) as it is.

    >>> escape("a\\nb\\udcff.txt")
    'a\\\\nb\\\\udcff.txt'
    """
    if text.isprintable():
        return text
    return "".join(repr(ch)[1:-1] if unicodedata.category(ch) in _ESCAPED else ch for ch in text)


_ESCAPED = frozenset({"Cc", "Cf", "Cs", "Zl", "Zp"})


def open_outputs(out_dir: str, inputs: Iterable[str]) -> OutputSet:
    """The output set of a run into ``out_dir``, checked and its staging folder made
    (so that an unwritable place fails now, not after the scan; ``dedup.outputs``).

    Raises:
        click.UsageError: ``out_dir`` cannot be used (exit code 2).
    """
    try:
        output = OutputSet(out_dir, inputs)
        output.open()
        return output
    except OutputError as exc:
        raise click.UsageError(f"--out {escape(str(exc))}") from None


def echo_report(report: Report) -> None:
    """Print one line per failed file and per warning on stderr (names escaped: ``escape``)."""
    for path, problem in report.warnings:
        click.echo(f"Warning: {escape(path)}: {escape(problem)}", err=True)
    for path, problem in report.failures:
        click.echo(f"Error: {escape(path)}: {escape(problem)}", err=True)



def _clock(seconds: float) -> str:
    """``m:ss`` (or ``h:mm:ss``) for a duration."""
    whole = int(seconds)
    h, rest = divmod(whole, 3600)
    m, sec = divmod(rest, 60)
    return f"{h}:{m:02d}:{sec:02d}" if h else f"{m}:{sec:02d}"


class Progress:
    """One line per stage of a scan on stderr: count, rate, elapsed time and ETA.

    Why our own: the stages (reading, candidates, verifying, clustering,
    comparing, writing) come as ``(stage, done, total)`` calls from worker
    callbacks; each stage gets one line, redrawn in place at most ten times a
    second (erased to its end, so no stale characters stay) and left on the
    screen, finished, when the next stage starts. That is some forty lines;
    tqdm or rich would add a dependency for the same. The live line is drawn
    only when stderr is a terminal; ``verbose`` also prints each finished
    stage's line when it is not (logs, CI), and ``enabled`` false (``--quiet``)
    prints nothing.
    """

    def __init__(
        self,
        enabled: bool,
        verbose: bool = False,
        stream: TextIO | None = None,
        clock: Callable[[], float] = time.monotonic,
    ) -> None:
        self.stream = stream or sys.stderr
        self.live = enabled and self.stream.isatty()
        self.log = enabled and verbose and not self.live
        self.clock = clock
        self.stage = ""
        self.started = 0.0
        self.drawn = -1.0
        self.state = (0, 0)

    def __call__(self, stage: str, done: int, total: int) -> None:
        """Record that ``done`` of ``total`` items of ``stage`` are done (total 0: unknown)."""
        if not (self.live or self.log):
            return
        now = self.clock()
        if stage != self.stage:
            self._finish()
            self.stage, self.started, self.drawn = stage, now, -1.0
        self.state = (done, total)
        if self.live and (now - self.drawn >= 0.1 or (total and done >= total)):
            self._write("\r" + self._line(now) + "\x1b[K")
            self.drawn = now

    def _line(self, now: float) -> str:
        """The stage's line: name, bar, count, rate, elapsed and, while running, ETA."""
        done, total = self.state
        elapsed = now - self.started
        rate = done / elapsed if elapsed > 0 else 0.0
        if total:
            filled = 20 * min(done, total) // total
            bar = f"[{'#' * filled}{'.' * (20 - filled)}] {done}/{total}"
        else:
            bar = f"{done}" if done else "…"
        eta = ""
        if total and done < total and rate > 0:
            eta = f"  ETA {_clock((total - done) / rate)}"
        speed = f"  {rate:,.0f}/s" if done and elapsed > 0 else ""
        return f"{self.stage:<10} {bar}{speed}  {_clock(elapsed)}{eta}"

    def _finish(self) -> None:
        """End the current stage's line, finished (a log line when not a terminal)."""
        if not self.stage:
            return
        line = self._line(self.clock())
        self._write(("\r" + line + "\x1b[K\n") if self.live else line + "\n")
        self.stage = ""

    def _write(self, text: str) -> None:
        self.stream.write(text)
        self.stream.flush()

    def close(self) -> None:
        """Finish the last stage's line."""
        if self.live or self.log:
            self._finish()
