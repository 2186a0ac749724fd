"""Visual similarity between characters, for telling OCR errors from edits.

The similarities come from ``dedup/data/confusables.tsv``, a table derived from
rendered glyph shapes by ``tools/build_confusables.py`` (GB2312 hanzi,
full-width punctuation, printable ASCII, and Latin two-letter sequences such
as ``rn`` that OCR reads as ``m``).  Each line is ``a<TAB>b<TAB>score`` with
``a < b`` and a score in 0..1; pairs absent from the table score 0.  Comment
lines start with ``"# "`` (a data line may start with the token ``#`` followed
by a tab).  Each hanzi keeps its 24 nearest neighbours (other tokens 8).

Whole-glyph likeness misses characters whose only common ground is one
component in the same place (论/训 share 讠, their right parts are unrelated).
``dedup/data/parts.tsv``, derived by the same tool from binarised 64 px
renderings, lists groups of hanzi that share a part (left, right, top or
bottom) drawn the same way in both typefaces: one ``region<TAB>members`` line
per group.  :func:`shared_part` reads it.

:func:`similarity` answers from the parsed table when :func:`load` has been
called or ``_PARSE_AFTER`` pairs have been looked up, and otherwise by
bisection over the raw bytes of the sorted table (``dedup.sortedlines``): one
comparison asks a few dozen questions, and parsing the whole table costs
several times the comparison.  Sharing a part is weak evidence
(about 1.4% of all hanzi pairs share one, see ``build_confusables.py
--report``): ``dedup.diff`` uses it, like a score between
:data:`WEAK_THRESHOLD` and :data:`DEFAULT_THRESHOLD`, only together with other
evidence.

Example:
    >>> from dedup import confusables
    >>> confusables.is_lookalike("未", "末")
    True
    >>> confusables.similarity("rn", "m") > 0.9
    True
    >>> confusables.shared_part("论", "训")
    'left'
"""

from __future__ import annotations

import functools
from collections.abc import Mapping
from types import MappingProxyType

from dedup.sortedlines import SortedLines, package_data

__all__ = [
    "DEFAULT_THRESHOLD",
    "PART_REGIONS",
    "STRONG_THRESHOLD",
    "WEAK_THRESHOLD",
    "is_lookalike",
    "load",
    "load_parts",
    "parse",
    "parse_parts",
    "shared_part",
    "similarity",
]

#: Score at or above which two strings count as look-alikes on their own.
#: About 0.36% of all pairs of GB2312 hanzi score this much (0.73% score
#: >= 0.45, 1.8% >= 0.4; ``build_confusables.py --report``).
DEFAULT_THRESHOLD = 0.5

#: Score at or above which a resemblance is weak evidence, to be combined with
#: other evidence; the table keeps no pair below it.
WEAK_THRESHOLD = 0.45

#: Score at or above which two hanzi count as look-alikes even when both
#: readings are words (人口/入口); about 0.09% of all hanzi pairs score this much.
STRONG_THRESHOLD = 0.6

#: Regions of a glyph that :func:`shared_part` may report, in the order checked.
PART_REGIONS = ("left", "right", "top", "bottom")

_RESOURCE = "confusables.tsv"  # in dedup/data
_PARTS = "parts.tsv"


def parse(text: str) -> Mapping[str, Mapping[str, float]]:
    """Parse the text of a confusables table into a symmetric mapping.

    Args:
        text: Table text: comment lines (starting with ``"# "``, or just
            ``"#"``), blank lines, and ``a<TAB>b<TAB>score`` lines.

    Returns:
        Read-only mapping ``m`` with ``m[a][b] == m[b][a] == score`` for every
        stored pair.

    Raises:
        ValueError: If a line is malformed, a score is outside 0..1, a pair
            relates a string to itself, or a pair occurs twice.
    """
    table: dict[str, dict[str, float]] = {}
    for number, line in enumerate(text.splitlines(), start=1):
        if not line or line == "#" or line.startswith("# "):
            continue
        fields = line.split("\t")
        if len(fields) != 3 or not fields[0] or not fields[1]:
            raise ValueError(f"line {number}: expected a<TAB>b<TAB>score, got {line!r}")
        a, b, raw = fields
        try:
            score = float(raw)
        except ValueError:
            raise ValueError(f"line {number}: bad score {raw!r}") from None
        if not 0.0 <= score <= 1.0:
            raise ValueError(f"line {number}: score {score} outside 0..1")
        if a == b:
            raise ValueError(f"line {number}: pair of {a!r} with itself")
        if b in table.get(a, {}):
            raise ValueError(f"line {number}: duplicate pair {a!r}/{b!r}")
        table.setdefault(a, {})[b] = score
        table.setdefault(b, {})[a] = score
    return MappingProxyType({k: MappingProxyType(v) for k, v in table.items()})


def _read(name: str) -> str:
    return package_data(name).decode("utf-8")


@functools.cache
def load() -> Mapping[str, Mapping[str, float]]:
    """Load the packaged confusables table (read once, then cached).

    Returns:
        Read-only symmetric mapping from a string to its look-alikes and their
        scores in 0..1.
    """
    return parse(_read(_RESOURCE))


@functools.cache
def _sorted() -> SortedLines:
    """The raw table for bisection: its data lines are sorted and each pair has ``a < b``."""
    return SortedLines(package_data(_RESOURCE), is_header=(b"# ", b"#\n"))


# Pairs looked up by bisection (some 10 to 30 µs each) before the table is parsed.
_PARSE_AFTER = 5_000
_parsed: list[Mapping[str, Mapping[str, float]]] = []  # the table, once parsed: one lookup a question


@functools.lru_cache(maxsize=65_536)
def _lookup(a: str, b: str) -> float:
    """The stored score of a pair (0.0 if absent), found by bisection; ``a < b``."""
    key = f"{a}\t{b}\t".encode()
    line = _sorted().first_at_or_after(key)
    return float(line[len(key) :]) if line is not None and line.startswith(key) else 0.0


def parse_parts(text: str) -> Mapping[str, Mapping[str, int]]:
    """Parse the text of a shared-parts table.

    Args:
        text: Comment lines (``"# "``), blank lines, and
            ``region<TAB>members`` lines (two or more distinct characters).

    Returns:
        Read-only mapping ``m`` with ``m[char][region]`` the number of the
        group (its line among the data lines) holding ``char`` for that
        region; two characters share a part when the numbers are equal.

    Raises:
        ValueError: If a line is malformed, names an unknown region, has fewer
            than two members, or puts a character in two groups of one region.
    """
    table: dict[str, dict[str, int]] = {}
    group = 0
    for number, line in enumerate(text.splitlines(), start=1):
        if not line or line.startswith("# "):
            continue
        fields = line.split("\t")
        if len(fields) != 2 or fields[0] not in PART_REGIONS:
            raise ValueError(f"line {number}: expected region<TAB>members, got {line!r}")
        region, members = fields
        if len(members) < 2 or len(set(members)) != len(members):
            raise ValueError(f"line {number}: a group needs two or more distinct characters")
        for ch in members:
            regions = table.get(ch)
            if regions is None:
                table[ch] = {region: group}
            elif region in regions:
                raise ValueError(f"line {number}: {ch!r} is in two {region} groups")
            else:
                regions[region] = group
        group += 1
    return MappingProxyType({k: MappingProxyType(v) for k, v in table.items()})


@functools.cache
def load_parts() -> Mapping[str, Mapping[str, int]]:
    """Load the packaged shared-parts table (read once, then cached)."""
    return parse_parts(_read(_PARTS))


def shared_part(a: str, b: str) -> str | None:
    """The part (``"left"``, ``"right"``, ``"top"``, ``"bottom"``) two hanzi share, if any.

    Args:
        a: A character.
        b: Another one.

    Returns:
        The first region of :data:`PART_REGIONS` in which both characters fall
        in the same group of ``parts.tsv``; None if there is none or ``a == b``.
    """
    if a == b:
        return None
    table = load_parts()
    pa, pb = table.get(a, {}), table.get(b, {})
    return next((r for r in PART_REGIONS if r in pa and pa[r] == pb.get(r)), None)


def similarity(a: str, b: str) -> float:
    """Visual similarity of two characters or short Latin sequences.

    Args:
        a: A character (``"论"``, ``"0"``) or a short sequence (``"rn"``).
        b: Another one.

    Returns:
        1.0 if ``a == b``; the table's score if the pair is listed; else 0.0.
        The result is symmetric in ``a`` and ``b``.
    """
    if a == b:
        return 1.0
    if _parsed:
        return _parsed[0].get(a, {}).get(b, 0.0)
    if load.cache_info().currsize or _lookup.cache_info().misses >= _PARSE_AFTER:
        _parsed.append(load())
        return _parsed[0].get(a, {}).get(b, 0.0)
    if "\t" in a + b or "\n" in a + b:  # never a line of the file: bisection cannot ask for it
        return load().get(a, {}).get(b, 0.0)
    return _lookup(a, b) if a < b else _lookup(b, a)


def is_lookalike(a: str, b: str, threshold: float = DEFAULT_THRESHOLD) -> bool:
    """Whether two characters (or short Latin sequences) look alike.

    Args:
        a: A character or short sequence.
        b: Another one.
        threshold: Minimum similarity; see :data:`DEFAULT_THRESHOLD`.

    Returns:
        True if ``similarity(a, b) >= threshold`` (equal strings included).
    """
    return similarity(a, b) >= threshold
