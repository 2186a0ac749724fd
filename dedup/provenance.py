"""Where a scan's inputs came from: each file's size, modification time and SHA-256, and links to it.

Why: a report is evidence; a reader must be able to tell which bytes it was
made from and open them. Each input file is digested once more by the driver
after the scan (one extra read per file), so the engines need not carry it.

Time. Outputs must be byte-identical for the same inputs, so by default a
scan records no time at all: the SHA-256 and size of each input say which
bytes it read. A scan's own time differs from run to run, and a file's
modification time differs between two copies of the same bytes (a fresh
checkout, an unpacked archive), so both are recorded only when asked for
(``dedup scan --timestamp``: ``scanned_at`` and each input's ``mtime``).

Links. ``href`` opens the file from a report in the output folder when that
folder sits next to the inputs: in the folder that the paths given are
relative to (``dedup scan print web --out out``: ``../print/p1.txt``). An
absolute path gives a ``file:`` URI, which opens the file from anywhere on the
machine. Either way the link depends only on the paths given, never on where
the output is written, so the same inputs still give the same bytes; the
reports also show the path itself, for when the link does not reach the file.
"""

from __future__ import annotations

import hashlib
import os
from dataclasses import replace
from datetime import UTC, datetime
from pathlib import Path
from urllib.parse import quote

from dedup.discover import display_name
from dedup.model.scan import InputFile, ScanResult

_CHUNK = 1 << 20


def _iso(seconds: float) -> str:
    return datetime.fromtimestamp(int(seconds), tz=UTC).strftime("%Y-%m-%dT%H:%M:%SZ")


def input_file(name: str, file: str, side: str = "") -> InputFile:
    """The provenance of one file; a file that cannot be read (or a URL) gets no digest."""
    if "://" in file:
        return InputFile(name, file, side, href=file)
    digest = hashlib.sha256()
    try:
        with open(file, "rb") as f:
            while chunk := f.read(_CHUNK):
                digest.update(chunk)
        size = os.stat(file).st_size
    except OSError:
        return InputFile(name, _shown(file), side, href=href(file))
    return InputFile(name, _shown(file), side, size, "", digest.hexdigest(), href(file))


def _shown(file: str) -> str:
    """The path as outputs show it: posix slashes, undecodable bytes as ``\\xNN``."""
    return display_name(Path(file).as_posix())


def input_files(files: list[tuple[str, str, str]]) -> list[InputFile]:
    """The provenance of ``(name, file, side)`` triples, in their order."""
    return [input_file(name, file, side) for name, file, side in files]


def now() -> str:
    """This moment as ``scanned_at`` records it (ISO 8601, UTC, whole seconds)."""
    return _iso(datetime.now(tz=UTC).timestamp())


def stamped(result: ScanResult) -> ScanResult:
    """The result with this moment as ``scanned_at`` and each input's modification time."""
    inputs = []
    for i in result.inputs:
        try:
            inputs.append(replace(i, mtime=_iso(os.stat(i.file).st_mtime)))
        except OSError:
            inputs.append(i)
    return replace(result, scanned_at=now(), inputs=inputs)


def href(file: str) -> str:
    """A link to ``file`` from the output folder (see the module docstring)."""
    if "://" in file:
        return file
    path = Path(file)
    if path.is_absolute():
        return path.as_uri()
    return "../" + quote(os.fsencode(path.as_posix()))
