"""What a scan reads: the pages under its paths, and the records of JSON Lines corpora.

Why a module of its own: discovery (folders, sides' page names, what is
skipped and why) and the reading of each source are the same for every
executor; ``dedup.pipeline`` decides what happens to them.
"""

from __future__ import annotations

import json
import os
from collections.abc import Sequence
from pathlib import Path
from typing import NamedTuple

from dedup.ingest import Skipped
from dedup.model import Options
from dedup.pages import FanOut, FileResult, process_file, process_text
from dedup.sides import discover_named, prefixes

JSONL_SUFFIXES = (".jsonl", ".jsonl.gz")


MISSING = "no such file"


class Source(NamedTuple):
    """One page to read: a file, the text of a JSON Lines record, or a problem."""

    arg: int
    name: str
    file: str | None
    text: str | None
    problem: str | None


class Corpus(NamedTuple):
    """A JSON Lines corpus (one ``{"path", "text"}`` object per line) for the executor to read."""

    arg: int
    path: str


def discover_sources(
    paths: Sequence[str | os.PathLike[str]],
    jsonl: bool,
    warnings: list[tuple[str, str]] | None = None,
) -> tuple[list[Source], list[Corpus]]:
    """The pages under ``paths``, argument by argument, and the JSON Lines corpora among them.

    With ``jsonl`` a path ending in ``.jsonl`` or ``.jsonl.gz`` is a corpus (a
    local one that is missing is a failure); otherwise it is a page. Pages are
    named as ``dedup.sides`` says, so names stay apart across the paths. A
    folder that cannot be listed is a source with its problem; what else
    discovery skips is appended to ``warnings`` (``dedup.discover``).
    """
    sources: list[Source] = []
    corpora: list[Corpus] = []
    heads = prefixes(paths)
    for arg, path in enumerate(paths):
        given = os.fspath(path)
        if jsonl and given.lower().endswith(JSONL_SUFFIXES):
            if "://" not in given and not Path(given).exists():
                sources.append(Source(arg, Path(given).as_posix(), None, None, MISSING))
            else:
                corpora.append(Corpus(arg, given))
            continue
        skipped: list[Skipped] = []
        found = discover_named(path, heads[arg], skipped)
        sources.extend(Source(arg, name, str(file), None, None) for file, name in found)
        sources.extend(Source(arg, k.name, None, None, k.problem) for k in skipped if k.error)
        if warnings is not None:
            warnings.extend((k.name, k.problem) for k in skipped if not k.error)
    return sources, corpora


def jsonl_source(arg: int, corpus: str, line: str) -> Source:
    """One JSON Lines record ``{"path": ..., "text": ...}`` as a page to fingerprint."""
    try:
        record = json.loads(line)
    except ValueError as exc:
        return Source(arg, corpus, None, None, f"bad JSON Lines record: {exc}")
    if (
        not isinstance(record, dict)
        or not isinstance(record.get("path"), str)
        or not isinstance(record.get("text"), str)
    ):
        problem = 'bad JSON Lines record: needs string "path" and "text"'
        return Source(arg, corpus, None, None, problem)
    return Source(arg, record["path"], None, record["text"], None)


def process_source(source: Source, options: Options, fan_out: FanOut | None = None) -> FileResult:
    """Read (or decode), split and fingerprint one page; a problem becomes ``error``.

    ``fan_out`` spreads the stories of a large page over an executor's processes
    (``dedup.pages.fingerprint_document``).
    """
    if source.problem is not None:
        return FileResult(source.name, source.problem, None, (), ())
    if source.file is not None:
        return process_file(source.file, source.name, options, fan_out)
    assert source.text is not None
    return process_text(source.text, source.name, options, fan_out)
