"""Find the pages under the paths a command is given, without recursion limits.

Folders are walked with an explicit stack, so a tree of any depth is walked
(a recursive walk stops at Python's recursion limit, about 1,000 levels).
Symbolic links are followed, to files and to folders alike, because a folder
of pages linked into a corpus is meant to be read; a folder reached a second
time (a symbolic link loop, or a second link to the same folder) is skipped
with a warning, so the walk always ends and never reads a folder twice.

Nothing is skipped silently: a broken link, a special file (FIFO, socket,
device) with a page suffix and a folder reached twice each give a warning; a
folder that cannot be listed is a failure, reported like a file that cannot
be read. Files whose suffix is not a page suffix are not pages and are left
out without a word (images, PDFs, ``scan.json`` beside the pages...).

Names are made printable here: a file name with bytes that are not UTF-8
(decoded by Python with ``surrogateescape``) is recorded with those bytes as
``\\xNN`` escapes, so every output that names the file is valid UTF-8.
"""

from __future__ import annotations

import os
import stat
from collections.abc import Iterable, Iterator
from pathlib import Path
from typing import NamedTuple

TEXT_SUFFIXES = frozenset({".txt", ".md", ".markdown", ".text"})
# Web pages and OCR output (dedup.readers); the format is detected from the content.
MARKUP_SUFFIXES = frozenset({".html", ".htm", ".xhtml", ".xml", ".hocr"})
PAGE_SUFFIXES = TEXT_SUFFIXES | MARKUP_SUFFIXES


class Skipped(NamedTuple):
    """A path the walk did not read: a failure (``error``) or a warning."""

    name: str
    problem: str
    error: bool


def display_name(name: str) -> str:
    """``name`` with the bytes Python could not decode (lone surrogates) as ``\\xNN`` escapes.

    >>> display_name("caf\\udce9.txt")
    'caf\\\\xe9.txt'
    """
    if name.isascii():
        return name
    try:
        name.encode("utf-8")
    except UnicodeEncodeError:
        return os.fsencode(name).decode("utf-8", "backslashreplace")
    return name


def discover(
    paths: Iterable[str | os.PathLike[str]], skipped: list[Skipped] | None = None
) -> Iterator[tuple[Path, str]]:
    """Yield ``(file, name)`` for every page under ``paths``, in sorted order.

    Folders are walked (see the module) for files with a page suffix
    (``PAGE_SUFFIXES``); a path named directly is always yielded, even when
    missing (reading it then fails). ``name`` is the path relative to the
    folder given (posix slashes), or the path as given, made printable
    (``display_name``). What the walk skips is appended to ``skipped``.
    """
    for given in paths:
        root = Path(given)
        if root.is_dir():
            yield from _walk(root, skipped if skipped is not None else [])
        else:
            yield root, display_name(root.as_posix())


def _walk(root: Path, skipped: list[Skipped]) -> Iterator[tuple[Path, str]]:
    """Depth first, entries by name: the order of sorting every file's path."""
    seen: dict[tuple[int, int], str] = {}
    # (path, name relative to root, is a page file)
    stack: list[tuple[Path, str, bool]] = [(root, "", False)]
    while stack:
        path, rel, is_file = stack.pop()
        if is_file:
            yield path, display_name(rel)
            continue
        shown = display_name(rel or root.as_posix())
        try:
            st = path.stat()
            entries = sorted(os.scandir(path), key=lambda e: e.name)
        except OSError as exc:
            skipped.append(Skipped(shown, f"cannot read folder: {exc.strerror or exc}", True))
            continue
        ident = (st.st_dev, st.st_ino)
        if ident in seen:
            problem = f"folder already read as {display_name(seen[ident]) or '.'} (symbolic link), skipped"
            skipped.append(Skipped(shown, problem, False))
            continue
        seen[ident] = rel
        stack.extend(reversed(list(_children(entries, rel, skipped))))


def _children(
    entries: list[os.DirEntry[str]], rel: str, skipped: list[Skipped]
) -> Iterator[tuple[Path, str, bool]]:
    """The sub-folders and page files of a folder, in order; the rest noted in ``skipped``."""
    for entry in entries:
        name = f"{rel}/{entry.name}" if rel else entry.name
        kind = _kind(entry)
        if kind == "dir":
            yield Path(entry.path), name, False
        elif kind == "broken":
            skipped.append(Skipped(display_name(name), "broken symbolic link, skipped", False))
        elif Path(entry.name).suffix.lower() in PAGE_SUFFIXES:
            if kind == "file":
                yield Path(entry.path), name, True
            else:
                skipped.append(Skipped(display_name(name), "not a regular file, skipped", False))


def _kind(entry: os.DirEntry[str]) -> str:
    """``dir``, ``file``, ``broken`` (a link to nothing) or ``other``, links followed."""
    try:
        mode = entry.stat(follow_symlinks=True).st_mode
    except OSError:
        return "broken" if entry.is_symlink() else "other"
    if stat.S_ISDIR(mode):
        return "dir"
    return "file" if stat.S_ISREG(mode) else "other"
