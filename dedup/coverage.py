"""What each side of a scan has on the other: per file and per side, and the articles it lacks.

Why: comparing a print edition with its website, the first question is which
stories of one are on the other, and which are missing. With sides
(``dedup.sides``), every article (furniture left out) of a side is

* ``matched``: it has a counterpart on another side that prints the same text
  (relation ``duplicate``);
* ``partial``: its counterparts print only part of it, or it only continues one
  (relations ``partial``, ``continuation``);
* ``missing``: it has no counterpart; these are the side's ``unmatched`` articles.

``covered`` estimates the characters of an article found on the other side:
its length times its best coverage (the comparison's ``coverage_a`` or
``coverage_b``; without a comparison 1 for a duplicate, the containment for a
partial pair, 0 for a continuation). ``characters`` is an article's length in
its document's text.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from typing import Any

from dedup.model import ArticleSummary, Match
from dedup.model.scan import ScanResult

STATUSES = ("matched", "partial", "missing")


@dataclass(frozen=True)
class Unmatched:
    """An article with no counterpart on another side."""

    id: str
    title: str
    file: str
    first_line: int
    last_line: int
    characters: int


@dataclass(frozen=True)
class FileCoverage:
    """One file of a side: its articles by status, its characters and how many are covered."""

    path: str
    articles: int
    matched: int
    partial: int
    missing: int
    characters: int
    covered: int

    @property
    def share(self) -> float | None:
        """The share of the characters covered (None when there are none)."""
        return self.covered / self.characters if self.characters else None


@dataclass(frozen=True)
class SideCoverage:
    """One side: its files, their totals, and its unmatched articles in page order."""

    side: str
    files: tuple[FileCoverage, ...]
    unmatched: tuple[Unmatched, ...]

    @property
    def total(self) -> FileCoverage:
        """The side's files summed (path: the side's name)."""
        fields = ("articles", "matched", "partial", "missing", "characters", "covered")
        sums = {f: sum(getattr(x, f) for x in self.files) for f in fields}
        return FileCoverage(self.side, **sums)


def _share(m: Match, first: bool, result: ScanResult) -> float:
    explained = result.comparisons.get((m.a, m.b))
    if explained is not None:
        metrics = explained.comparison.metrics
        return metrics.coverage_a if first else metrics.coverage_b
    return {"duplicate": 1.0, "partial": m.containment}.get(m.relation, 0.0)


def _best(result: ScanResult) -> tuple[dict[str, str], dict[str, float]]:
    """Each paired article's status (matched beats partial) and its best coverage."""
    status: dict[str, str] = {}
    share: dict[str, float] = {}
    for m in result.pairs:
        for art, first in ((m.a, True), (m.b, False)):
            if m.relation == "duplicate" or status.get(art) != "matched":
                status[art] = "matched" if m.relation == "duplicate" else "partial"
            share[art] = max(share.get(art, 0.0), _share(m, first, result))
    return status, share


def _file(
    path: str, arts: list[ArticleSummary], status: Mapping[str, str], share: Mapping[str, float]
) -> FileCoverage:
    counts = {s: sum(1 for a in arts if status.get(a.id, "missing") == s) for s in STATUSES}
    return FileCoverage(
        path,
        len(arts),
        characters=sum(a.end - a.start for a in arts),
        covered=sum(round((a.end - a.start) * share.get(a.id, 0.0)) for a in arts),
        **counts,
    )


def coverage(result: ScanResult) -> list[SideCoverage]:
    """Every side's coverage, sides in their order (empty without sides)."""
    if not result.side_order:
        return []
    status, share = _best(result)
    out = []
    for side in result.side_order:
        files: list[FileCoverage] = []
        unmatched: list[Unmatched] = []
        for doc in sorted(result.documents, key=lambda d: d.path):
            if result.sides.get(doc.path) != side:
                continue
            arts = [a for a in doc.articles if a.kind != "furniture"]
            files.append(_file(doc.path, arts, status, share))
            unmatched += [
                Unmatched(a.id, a.title, doc.path, a.first_line, a.last_line, a.end - a.start)
                for a in arts
                if a.id not in status
            ]
        out.append(SideCoverage(side, tuple(files), tuple(unmatched)))
    return out


def _counts(f: FileCoverage, name: str) -> dict[str, Any]:
    return {
        name: f.path,
        "articles": f.articles,
        "matched": f.matched,
        "partial": f.partial,
        "missing": f.missing,
        "characters": f.characters,
        "covered": f.covered,
    }


def coverage_json(sides: list[SideCoverage]) -> dict[str, Any]:
    """``scan.json``'s ``coverage`` (per side: totals and files) and ``unmatched`` (per side)."""
    return {
        "coverage": {
            s.side: {**_counts(s.total, "side"), "files": [_counts(f, "path") for f in s.files]}
            for s in sides
        },
        "unmatched": {
            s.side: [
                {
                    "id": u.id,
                    "title": u.title,
                    "file": u.file,
                    "first_line": u.first_line,
                    "last_line": u.last_line,
                    "characters": u.characters,
                }
                for u in s.unmatched
            ]
            for s in sides
        },
    }
