"""What every command shares: the reading options, the one-line error report, progress."""

from __future__ import annotations

import functools
import sys
from collections.abc import Callable
from typing import Any, TypeVar, cast

import click

from dedup.batch import Report
from dedup.model import FORMATS
from dedup.options import PAGE_LEVELS

F = TypeVar("F", bound=Callable[..., Any])


READING = ("encoding", "traditional", "format_in", "page_level")


def input_options(func: F) -> F:
    """Options every command that reads pages shares, passed on as one ``reading`` dict.

    ``reading`` holds the ``Options`` fields they set (encoding, traditional,
    input_format, page_level), ready for ``Options(**reading, ...)``.
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
    func = click.option(
        "--format-in",
        "format_in",
        type=click.Choice(["auto", *FORMATS]),
        default="auto",
        show_default=True,
        help="Read every input as this format; auto detects each file's from its content "
        "(plain text, HTML web page, ALTO, hOCR or PAGE XML OCR output).",
    )(func)
    func = click.option(
        "--page-level",
        "page_level",
        type=click.Choice(list(PAGE_LEVELS)),
        default="auto",
        show_default=True,
        help="PAGE XML: the text level to read; auto takes region text, else line text, else words.",
    )(func)
    return func


def echo_report(report: Report) -> None:
    """Print one line per failed file and per warning on stderr."""
    for path, problem in report.warnings:
        click.echo(f"Warning: {path}: {problem}", err=True)
    for path, problem in report.failures:
        click.echo(f"Error: {path}: {problem}", err=True)



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


