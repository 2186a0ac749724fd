"""The index's sections on collections and provenance: what each side lacks, and where it all came from.

Why a module of its own: the index lists pairs; comparing two editions also
needs what has *no* pair (per side, per file, and each unmatched article with a
link to its lines), and a report that is evidence needs its provenance (tool
version, options, roots, time, and every input file with its digest and a
link). Links are relative to the output folder (``dedup.provenance``); the
path is shown beside them, for when the folder has moved away from its inputs.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from typing import Any

from lxml import etree

from dedup.coverage import FileCoverage, SideCoverage
from dedup.model.scan import InputFile
from dedup.report.html.chrome import Child, h, lang, pct


@dataclass(frozen=True)
class PairSources:
    """Both sources of one pair: each side's article id, link, file shown and lines."""

    a: str
    b: str
    a_source: tuple[str, str, str]  # href, path shown, "lines x–y"
    b_source: tuple[str, str, str]


@dataclass(frozen=True)
class Collections:
    """What these sections show (``build.py`` gathers it from a scan)."""

    tool: str
    options: Mapping[str, Any]
    roots: Sequence[str]
    inputs: Sequence[InputFile]
    sides: Sequence[SideCoverage] = ()
    pairs: Sequence[PairSources] = ()
    scanned_at: str = ""
    hrefs: Mapping[str, tuple[str, str]] = field(default_factory=dict)  # page name -> href, shown


def file_link(href: str, shown: str, label: str = "") -> Child:
    """A link to a source file, with its path shown (the link may not work once moved)."""
    if not href:
        return h("code", label or shown)
    return [
        h("a", {"href": href, "class": "src"}, h("code", label or shown)),
        " ",
        h("span", {"class": "muted"}, shown) if label and label != shown else None,
    ]


def _head(*labels: str) -> etree._Element:
    return h("thead", h("tr", [h("th", x) for x in labels]))


# Rows a table of these sections shows at most: the index must stay small
# (about 2 MB) however large the scan; the full lists are in scan.json
# (``inputs``, ``unmatched``) and unmatched.csv, and every pair report links
# its two sources.
MAX_ROWS = 500


def _capped(rows: list[Child], total: int, where: str) -> list[Child]:
    """The first ``MAX_ROWS`` rows, and a note naming where the rest are."""
    if total <= MAX_ROWS:
        return rows
    note = h("tr", {"class": "more"}, h("td", {"colspan": "5"}, f"… {total - MAX_ROWS} more: {where}"))
    return [*rows[:MAX_ROWS], note]


_COUNTS = ("articles", "matched", "partial", "missing", "characters", "covered")


def _count_cells(f: FileCoverage) -> list[etree._Element]:
    share = "–" if f.share is None else pct(f.share)
    cells = [h("td", {"class": "num"}, str(getattr(f, c))) for c in _COUNTS]
    return [*cells, h("td", {"class": "num"}, share)]


def _side_table(s: SideCoverage, hrefs: Mapping[str, tuple[str, str]]) -> etree._Element:
    """A side's files with their counts, the side's totals last."""
    rows = [
        h("tr", h("td", file_link(*hrefs.get(f.path, ("", f.path)), label=f.path)), _count_cells(f))
        for f in s.files
    ]
    total = h("tr", {"class": "total"}, h("td", h("b", f"all of {s.side}")), _count_cells(s.total))
    return h(
        "table",
        {"class": "coverage", "data-side": s.side},
        _head("file", *_COUNTS, "share"),
        h("tbody", rows, total),
    )


def _unmatched(
    s: SideCoverage, others: str, hrefs: Mapping[str, tuple[str, str]]
) -> etree._Element:
    """The side's articles without a counterpart: title, file (linked), lines, size."""
    if not s.unmatched:
        return h(
            "p", {"class": "muted"}, f"Every article of {s.side} has a counterpart in {others}."
        )
    rows: list[Child] = [
        h(
            "tr",
            {"id": f"unmatched-{u.id}"},
            h("td", h("code", u.id)),
            h("td", {"lang": lang(u.title)}, u.title or "(untitled)"),
            h("td", file_link(*hrefs.get(u.file, ("", u.file)), label=u.file)),
            h("td", {"class": "nowrap"}, f"{u.first_line}–{u.last_line}"),
            h("td", {"class": "num"}, str(u.characters)),
        )
        for u in s.unmatched[:MAX_ROWS]
    ]
    return h(
        "table",
        {"class": "unmatched", "data-side": s.side},
        _head("article", "title", "file", "lines", "characters"),
        h("tbody", _capped(rows, len(s.unmatched), "unmatched.csv and scan.json (unmatched)")),
    )


def _sides_section(info: Collections) -> etree._Element | None:
    """Per side: its files' coverage, then the articles only it has."""
    if not info.sides:
        return None
    names = [s.side for s in info.sides]
    parts: list[Child] = [
        h(
            "p",
            {"class": "hint"},
            f"Pairs are made only across sides; {names[0]} is A (left) in every pair. "
            "matched: printed whole on another side; partial: only in part; missing: not at all. "
            "covered: characters estimated found on the other side.",
        )
    ]
    for s in info.sides:
        others = ", ".join(n for n in names if n != s.side)
        parts += [
            h(
                "h3",
                f"{s.side}: {len(s.unmatched)} of {s.total.articles} articles only in {s.side}",
            ),
            _side_table(s, info.hrefs),
            _unmatched(s, others, info.hrefs),
        ]
    return h("section", {"id": "coverage"}, h("h2", "Coverage by side"), parts)


def _pair_sources(info: Collections) -> etree._Element | None:
    """Each pair's two source files, linked, with the articles' lines."""
    if not info.pairs:
        return None

    def cell(article: str, src: tuple[str, str, str]) -> etree._Element:
        return h("td", h("code", article), h("br"), file_link(src[0], src[1]), f"  {src[2]}")

    rows: list[Child] = [
        h("tr", h("td", {"class": "num"}, str(n)), cell(p.a, p.a_source), cell(p.b, p.b_source))
        for n, p in enumerate(info.pairs[:MAX_ROWS], 1)
    ]
    rows = _capped(rows, len(info.pairs), "each pair report links its two sources")
    return h(
        "section",
        {"id": "pair-sources"},
        h("h2", "Sources of each pair"),
        h("table", {"class": "pair-sources"}, _head("#", "A", "B"), h("tbody", rows)),
    )


def _provenance_section(info: Collections) -> etree._Element:
    """Tool, time, roots, options, and every input with its size, time and SHA-256."""
    facts: list[Child] = [
        h("dt", "tool"),
        h("dd", info.tool),
        h("dt", "scanned at"),
        h("dd", info.scanned_at or "not recorded (dedup scan --timestamp records it)"),
        h("dt", "roots"),
        h("dd", [[h("code", r), " "] for r in info.roots]),
        h("dt", "options"),
        h("dd", h("code", ", ".join(f"{k}={v}" for k, v in sorted(info.options.items())))),
    ]
    rows: list[Child] = [
        h(
            "tr",
            h("td", i.side or "–"),
            h("td", file_link(i.href, i.file, label=i.name)),
            h("td", {"class": "num"}, str(i.size)),
            h("td", {"class": "nowrap"}, i.mtime or "–"),
            h("td", h("code", {"class": "sha"}, i.sha256 or "–")),
        )
        for i in info.inputs[:MAX_ROWS]
    ]
    table = h(
        "table",
        {"class": "inputs"},
        _head("side", "file", "bytes", "modified (UTC)", "SHA-256"),
        h("tbody", _capped(rows, len(info.inputs), "scan.json (inputs)")),
    )
    return h(
        "section",
        {"id": "provenance"},
        h("h2", "Provenance"),
        h("dl", {"class": "facts"}, facts),
        table,
    )


def collection_sections(info: Collections | None) -> list[etree._Element]:
    """The index's sections after its own: coverage by side, sources of each pair, provenance."""
    if info is None:
        return []
    found = [_sides_section(info), _pair_sources(info), _provenance_section(info)]
    return [x for x in found if x is not None]
