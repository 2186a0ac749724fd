"""What every command shares: the reading options, the one-line error report, progress."""

from __future__ import annotations

import functools
import sys
import unicodedata
from collections.abc import Callable, Iterable
from typing import Any, TypeVar, cast

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



class Progress:
    """A one-line progress display on stderr, only when stderr is a terminal."""

    def __init__(self, enabled: bool) -> None:
        self.enabled = enabled and sys.stderr.isatty()
        self.last = ""

    def __call__(self, stage: str, done: int, total: int) -> None:
        if not self.enabled:
            return
        width = 30
        filled = width * done // total if total else width
        line = f"\r{stage:<10} [{'#' * filled}{'.' * (width - filled)}] {done}/{total}"
        if line != self.last:
            click.echo(line, err=True, nl=False)
            self.last = line

    def close(self) -> None:
        if self.enabled and self.last:
            click.echo("", err=True)


