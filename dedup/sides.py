"""The paths of a scan as collections: which side each belongs to, and what each page is called.

Why: an archivist compares two editions (print against web), usually with
the same file names on both sides (``p1.txt``, ``p2.txt``, …). A page's name
is its document's identity in every output (article ids are ``name#n``), so
the names must stay apart across the paths given, and a pair must say which
edition is which.

Names. With one path, a page is named as before: its path relative to the
folder given, or the file's path as given. With several paths, a page under a
folder is named ``label/relative``, the label being the folder's own name
(``print``, ``web``; ``name~2``, ``name~3``… when two folders share a name);
a file named directly keeps its path as given. With sides, every page is
named ``side/…``: ``side/relative`` under the side's only folder,
``side/label/relative`` when the side has several folders, ``side/file`` for
a file named directly. JSON Lines records keep the paths their records give.

Sides. A ``Root`` is a path with the side it belongs to. When sides are
given, only articles of different sides are paired, the first side's article
is always A (the pipeline lists paths side by side, so argument order is side
order), and with ``match_files`` only pages with the same match key pair:
``name`` (the page's name within its side) or a regular expression whose
groups (or whole match) make the key (``(\\d{8}).*p(\\d+)`` for a date and a
page number); a page the expression does not match pairs with nothing.
"""

from __future__ import annotations

import os
import re
from collections.abc import Iterable, Iterator, Sequence
from dataclasses import dataclass
from pathlib import Path

from dedup.ingest import Skipped, discover, display_name
from dedup.model import ArticleRef


@dataclass(frozen=True)
class Root:
    """A path given to a scan, with the side (collection) it belongs to ("" for none)."""

    path: str
    side: str = ""

    def __fspath__(self) -> str:
        return self.path


def parse_side(spec: str) -> Root:
    """``NAME=PATH`` (the ``--side`` option) as a Root.

    Raises:
        ValueError: no ``=``, an empty name or path, or a name with ``/`` or ``#``.
    """
    name, sep, path = spec.partition("=")
    name = name.strip()
    if not sep or not name or not path:
        raise ValueError(f"a side is NAME=PATH, got {spec!r}")
    if any(c in name for c in "/#\\"):
        raise ValueError(f"a side's name cannot hold '/', '\\' or '#': {name!r}")
    return Root(path, name)


def grouped(roots: Iterable[Root]) -> list[Root]:
    """The roots side by side, sides in the order they first appear (paths in given order)."""
    roots = list(roots)
    order = {s: k for k, s in reversed(list(enumerate(r.side for r in roots)))}
    return sorted(roots, key=lambda r: order[r.side])


def side_names(paths: Sequence[str | os.PathLike[str]]) -> list[str]:
    """The side of every path ("" for a plain path); all "" unless sides are given."""
    return [p.side if isinstance(p, Root) else "" for p in paths]


def _folder_label(path: str) -> str:
    return Path(path).resolve().name or "root"


def prefixes(paths: Sequence[str | os.PathLike[str]]) -> list[str]:
    """What every page name under each path starts with (``side/``, ``label/`` or nothing).

    A file named directly gets ``side/`` with sides and nothing without
    (its name is then its path as given); see the module docstring.
    """
    sides = side_names(paths)
    given = [os.fspath(p) for p in paths]
    folders = [Path(g).is_dir() for g in given]
    if not any(sides) and len(given) == 1:
        return [""]
    out: list[str] = []
    used: dict[tuple[str, str], int] = {}
    for side, path, folder in zip(sides, given, folders, strict=True):
        head = f"{side}/" if side else ""
        several = sum(1 for s, f in zip(sides, folders, strict=True) if f and s == side) > 1
        if not folder or (side and not several):
            out.append(head)
            continue
        label = _folder_label(path)
        n = used[(side, label)] = used.get((side, label), 0) + 1
        out.append(f"{head}{label}{'' if n == 1 else f'~{n}'}/")
    return out


def discover_named(
    path: str | os.PathLike[str], prefix: str, skipped: list[Skipped] | None = None
) -> Iterator[tuple[Path, str]]:
    """``ingest.discover`` of one path, its page names starting with ``prefix``.

    With a side prefix, a file named directly is called by its file name. What
    discovery skips is appended to ``skipped``.
    """
    folder = Path(path).is_dir()
    for file, name in discover([path], skipped):
        if not prefix:
            yield file, name
        elif folder:
            yield file, prefix + name
        elif isinstance(path, Root) and path.side:
            yield file, prefix + display_name(file.name)
        else:
            yield file, name


@dataclass(frozen=True)
class PairRule:
    """Which candidate pairs a scan with sides may pair (see the module docstring).

    ``sides`` and ``prefixes`` are per path argument: the side's number and the
    prefix of its page names. ``match_files`` is "", ``name`` or a pattern.
    """

    sides: tuple[int, ...]
    prefixes: tuple[str, ...]
    match_files: str = ""

    @classmethod
    def of(cls, paths: Sequence[str | os.PathLike[str]], match_files: str = "") -> PairRule | None:
        """The rule of a scan's paths; None when no side is given (all against all)."""
        names = side_names(paths)
        if not any(names):
            return None
        order = list(dict.fromkeys(names))
        return cls(tuple(order.index(n) for n in names), tuple(prefixes(paths)), match_files)

    def key(self, arg: int, article_id: str) -> str | None:
        """The match key of an article's page (None: its page pairs with nothing)."""
        name = ArticleRef.parse(article_id).path
        prefix = self.prefixes[arg]
        side = name[len(prefix) :] if name.startswith(prefix) else name
        if self.match_files in ("", "name"):
            return side
        m = re.search(self.match_files, side)
        if m is None:
            return None
        return "\0".join(g or "" for g in m.groups()) if m.groups() else m.group(0)

    def allows(self, arg_a: int, id_a: str, arg_b: int, id_b: str) -> bool:
        """Whether two articles may pair: different sides and, if asked, matching files."""
        if self.sides[arg_a] == self.sides[arg_b]:
            return False
        if not self.match_files:
            return True
        key = self.key(arg_a, id_a)
        return key is not None and key == self.key(arg_b, id_b)


def check_pattern(match_files: str) -> str:
    """``--match-files`` checked: ``name`` or a valid regular expression.

    Raises:
        ValueError: a pattern that does not compile.
    """
    if match_files in ("", "name"):
        return match_files
    try:
        re.compile(match_files)
    except re.error as exc:
        raise ValueError(f"bad --match-files pattern {match_files!r}: {exc}") from None
    return match_files


def scan_roots(
    paths: Sequence[str], sides: Sequence[str], match_files: str = ""
) -> list[str | os.PathLike[str]]:
    """What a scan is given on the command line: plain ``paths``, or ``NAME=PATH`` sides.

    Raises:
        ValueError: both or neither given, a bad side, fewer than two sides,
            ``match_files`` without sides or not a valid pattern.
    """
    if paths and sides:
        raise ValueError("give either PATHS or --side NAME=PATH, not both")
    if not paths and not sides:
        raise ValueError("nothing to scan: give PATHS or --side NAME=PATH")
    check_pattern(match_files)
    if not sides:
        if match_files:
            raise ValueError("--match-files needs --side")
        return list(paths)
    roots = grouped(parse_side(s) for s in sides)
    if len({r.side for r in roots}) < 2:
        raise ValueError("--side needs at least two sides (NAME=PATH with two names)")
    return list(roots)
