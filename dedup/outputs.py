"""A run's outputs, written so that a failed or interrupted run never loses the last good set.

Every output of a run (``scan.json``, ``pairs.csv``, the reports, Parquet)
goes into a staging folder beside ``--out`` (``.<name>.dedup-<pid>.new``),
each file through a temporary file renamed into place. Only when all of them
are written is the staging folder swapped with ``--out``: one atomic
exchange of the two folders (Linux ``renameat2(RENAME_EXCHANGE)``; elsewhere
two renames, with the previous set kept beside until the second one is
done), after which the previous set is deleted. So ``--out`` holds the
previous complete set or the new complete set, never a mixture, and files a
previous run wrote that this run does not (stale pair reports) are gone. Hidden files at
the top of ``--out`` (``.gitkeep``) are carried over: they are no outputs.

A run killed before the swap leaves its staging folder behind, never in
``--out``; the next run into the same folder removes it. An interrupted run
(Ctrl-C) removes it itself: the command line calls ``discard_open`` once
SIGINT is ignored (``dedup.interrupt``), so a second Ctrl-C cannot cut the
removal short.

``--out`` is checked before any work (``check_out``): it must be a folder or
creatable, its parent writable, it must not lie inside an input (the scan
would read its own reports as pages) nor hold one (the swap would delete
it), and an existing folder must be empty or hold a previous run's outputs
(``scan.json``, ``pairs.csv`` or ``index.html``), so that no unrelated folder
is ever replaced.

``DEDUP_WRITE_DELAY`` (seconds, default 0) makes the writer pause after each
file and before the swap: it exists only so that tests can interrupt a run
while it writes.
"""

from __future__ import annotations

import contextlib
import os
import time
from collections.abc import Iterable
from pathlib import Path

from dedup.errors import OutputError
from dedup.ingest import display_name

# a folder holding one of these is a previous run's output set, and may be replaced
OUTPUT_MARKERS = ("scan.json", "pairs.csv", "index.html")
_STAGING = ".dedup-"
_AT_FDCWD = -100
_RENAME_EXCHANGE = 2
# the sets whose staging folder exists (opened, neither committed nor discarded yet)
_open: list[OutputSet] = []


def check_out(out_dir: str | os.PathLike[str], inputs: Iterable[str | os.PathLike[str]] = ()) -> Path:
    """The output folder, made absolute, once it is known to be usable (see the module).

    Raises:
        OutputError: ``out_dir`` is a file, cannot be created or written, lies
            inside an input or holds one, or holds files that are no outputs.
    """
    out = Path(os.path.realpath(out_dir))
    shown = display_name(os.fspath(out_dir))
    if out.exists() and not out.is_dir():
        raise OutputError(shown, "exists and is not a folder")
    existing = out.parent
    while not existing.exists():
        existing = existing.parent
    if not existing.is_dir():
        raise OutputError(shown, f"cannot be created: {display_name(str(existing))} is not a folder")
    if not os.access(existing, os.W_OK | os.X_OK):
        raise OutputError(shown, f"cannot be written: {display_name(str(existing))} is not writable")
    for given in inputs:
        if "://" in os.fspath(given):
            continue
        real = Path(os.path.realpath(given))
        if out == real or (real.is_dir() and out.is_relative_to(real)):
            problem = f"is inside the input {display_name(os.fspath(given))} (the scan would read its own reports)"
            raise OutputError(shown, problem)
        if real.is_relative_to(out):
            raise OutputError(shown, f"holds the input {display_name(os.fspath(given))}")
    if out.is_dir():
        try:
            names = os.listdir(out)
        except OSError as exc:
            raise OutputError(shown, f"cannot be read: {exc.strerror or exc}") from None
        visible = [name for name in names if not name.startswith(".")]  # .gitkeep and the like
        if visible and not any(name in names for name in OUTPUT_MARKERS):
            raise OutputError(shown, "holds files that are not dedup outputs; choose a new or empty folder")
    return out


class OutputSet:
    """One run's output set: ``open`` a staging folder, ``write`` into it, ``commit`` or ``discard``."""

    def __init__(self, out_dir: str | os.PathLike[str], inputs: Iterable[str | os.PathLike[str]] = ()) -> None:
        self.shown = display_name(os.fspath(out_dir))
        self.out = check_out(out_dir, inputs)
        self.staging: Path | None = None
        self.delay = float(os.environ.get("DEDUP_WRITE_DELAY") or 0)

    def open(self) -> Path:
        """The staging folder (created on first call; stale ones of dead runs removed)."""
        if self.staging is None:
            parent = self.out.parent
            try:
                parent.mkdir(parents=True, exist_ok=True)
                _remove_stale(parent, self.out.name)
                staging = parent / f".{self.out.name}{_STAGING}{os.getpid()}.new"
                _remove_tree(staging)
                staging.mkdir()
            except OSError as exc:
                raise OutputError(self.shown, f"cannot be written: {exc.strerror or exc}") from None
            self.staging = staging
            _open.append(self)
        return self.staging

    def write(self, name: str, data: str | bytes) -> str:
        """Write the output ``name`` (relative, posix) through a temporary file; returns ``name``."""
        target = self.open() / name
        tmp = target.with_name(f".{target.name}.tmp")
        payload = data.encode("utf-8") if isinstance(data, str) else data
        try:
            target.parent.mkdir(parents=True, exist_ok=True)
            with open(tmp, "wb") as f:
                f.write(payload)
            os.replace(tmp, target)
        except OSError as exc:
            raise OutputError(self.shown, f"cannot write {name}: {exc.strerror or exc}") from None
        self._pause()
        return name

    def commit(self) -> None:
        """Put the staged set in place of ``--out`` as one unit, then delete the previous set."""
        staging = self.open()
        self._pause()
        try:
            _keep_hidden(self.out, staging)
            if self.out.exists():
                old = _swap(staging, self.out)
                _remove_tree(old)
            else:
                os.rename(staging, self.out)
        except OSError as exc:
            self.discard()
            raise OutputError(self.shown, f"cannot replace the outputs: {exc.strerror or exc}") from None
        self._close()

    def discard(self) -> None:
        """Delete what was staged; ``--out`` keeps the previous set."""
        if self.staging is not None:
            _remove_tree(self.staging)
            self._close()

    def _close(self) -> None:
        self.staging = None
        if self in _open:
            _open.remove(self)

    def _pause(self) -> None:
        if self.delay > 0:
            time.sleep(self.delay)


def discard_open() -> None:
    """Discard every set still staged (an interrupted run; after a swap, that is the previous set)."""
    for output in list(_open):
        output.discard()


def _keep_hidden(out: Path, staging: Path) -> None:
    """Carry the previous set's hidden files (``.gitkeep``) over: they are no outputs."""
    if not out.is_dir():
        return
    import shutil

    for entry in out.iterdir():
        if entry.name.startswith(".") and entry.is_file() and not (staging / entry.name).exists():
            shutil.copy2(entry, staging / entry.name)


def _swap(staging: Path, out: Path) -> Path:
    """Exchange the folders ``staging`` and ``out``; returns where the previous set now is."""
    import ctypes

    exchange = getattr(ctypes.CDLL(None, use_errno=True), "renameat2", None)
    if exchange is not None:
        rc = exchange(_AT_FDCWD, os.fsencode(staging), _AT_FDCWD, os.fsencode(out), _RENAME_EXCHANGE)
        if rc == 0:
            return staging
    # no atomic exchange here: the previous set waits beside ``out`` for the second rename
    old = staging.with_name(staging.name[: -len(".new")] + ".old")
    os.rename(out, old)
    os.rename(staging, out)
    return old


def _remove_stale(parent: Path, name: str) -> None:
    """Remove the staging folders runs into ``name`` left when killed (their process is gone)."""
    prefix = f".{name}{_STAGING}"
    for entry in parent.iterdir():
        if not entry.name.startswith(prefix) or not entry.name.endswith((".new", ".old")):
            continue
        pid = entry.name[len(prefix) :].rsplit(".", 1)[0]
        if pid.isdigit() and not _alive(int(pid)):
            if entry.name.endswith(".old") and not (parent / name).exists():
                with contextlib.suppress(OSError):
                    os.rename(entry, parent / name)  # killed between the two renames
                continue
            _remove_tree(entry)


def _remove_tree(path: Path) -> None:
    """Delete a folder and what it holds, as far as possible.

    ``shutil`` (and the compression modules it loads) is imported here, on
    first use: ``dedup compare`` writes no output set and does not need it.
    """
    import shutil

    shutil.rmtree(path, ignore_errors=True)


def _alive(pid: int) -> bool:
    if pid == os.getpid():
        return True
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return False
    except PermissionError:
        return True
    return True
