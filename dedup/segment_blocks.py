"""A page cut into blocks: runs of non-blank lines, or the lines of a run that are paragraphs.

Each block carries its span, line numbers, the blank lines around it and
three text forms: the raw text, a display form (Markdown markers removed,
lines joined) and the *key* form that ``dedup.segment_rules`` reads:
traditional characters folded to simplified and the dash pairs OCR makes of
``——`` read as ``——``, every offset kept.
"""

from __future__ import annotations

import re
from collections.abc import Iterator
from dataclasses import dataclass
from functools import lru_cache
from itertools import pairwise

from dedup.text import CharTable

MD_HEADING = re.compile(r"^[ \t\u3000]*(#{1,6})[ \t\u3000]+")
_MARKERS = re.compile(r"\*\*|__|^[ \t\u3000]*#{1,6}[ \t\u3000]+", re.MULTILINE)
_OCR_DASH = re.compile(
    r"(?<=[^\s\d])\s?(?:-一|一-|--|-—|—-|一—|—一)(?=\s?\S|$)|(?<=[\u4e00-\u9fff]{4})一(?=\s[\u4e00-\u9fff])"
)
# frequent characters that exist only in traditional writing: a page holding
# none of them needs no folding
_TRADITIONAL = re.compile("[們這個為會國時說對發經區過來與開關當報記訊華轉編輯攝圖構築體務鄉長]")
WIDE_GAP = 2  # blank lines that set off a caption or a new story


@dataclass
class Block:
    """A run of non-blank lines: its span, lines, text forms, heading level and role."""

    start: int
    end: int
    first_line: int
    last_line: int
    raw: str
    clean: str  # display form
    key: str  # the form the rules read (folded, dashes mended)
    level: int  # Markdown heading level, 0 when none
    gap_before: int = 0  # blank lines before, up to WIDE_GAP (the page's edges count none)
    gap_after: int = 0
    role: str = "body"


def clean_text(raw: str) -> str:
    """Display form of a block: Markdown markers removed, lines and spaces joined."""
    text = _MARKERS.sub("", raw)
    lines = [line.strip(" \t\u3000") for line in text.splitlines()]
    return " ".join(line for line in lines if line)


@lru_cache(maxsize=4096)
def _fold_simplified(ch: str) -> str:
    from dedup.normalize import _t2s

    conv = _t2s()
    out = conv.convert(ch) if conv is not None else ch  # type: ignore[attr-defined]
    return out if len(out) == 1 else ch


# each character > U+2E80 to its simplified form, the others kept (one character each)
_SIMPLIFIED = CharTable(lambda c: _fold_simplified(c) if ord(c) > 0x2E80 else c)


def rule_text(text: str) -> str:
    """The page as the rules read it: traditional folded to simplified, offsets kept."""
    if not _TRADITIONAL.search(text):
        return text
    return text.translate(_SIMPLIFIED)


def blocks(text: str, ruled: str) -> list[Block]:
    """Runs of non-blank lines with their spans, 1-based line numbers and gaps."""
    out = list(_runs(text, ruled))
    for prev, nxt in pairwise(out):
        prev.gap_after = nxt.gap_before
    return out


def _runs(text: str, ruled: str) -> Iterator[Block]:
    """Runs of non-blank lines, each cut where its lines are paragraphs of their own."""
    lines: list[tuple[int, int, int]] = []  # (start, end, line number) of each non-blank line
    blank = 0
    pos = 0
    for lineno, line in enumerate(text.splitlines(keepends=True), start=1):
        line_start = pos
        pos += len(line)
        if line.strip():
            lines.append((line_start + len(line) - len(line.lstrip()), line_start + len(line.rstrip()), lineno))
            continue
        if lines:
            yield from _cut_run(text, ruled, lines, blank)
            lines, blank = [], 1
        elif blank < WIDE_GAP:
            blank += 1
    if lines:
        yield from _cut_run(text, ruled, lines, blank)


# line ends that close a sentence
_CLOSED = "。！？!?…”」』."
# a line this share of a run's widest line or wider, ending mid-sentence, is wrapped
_FULL_WIDTH = 0.75
# a line ending so goes on in the next one (a kicker's dash, a clause, a lead-in)
_JOINS = "—-－：:，,、；;"


def _width(line: str) -> int:
    return sum(2 if ord(c) > 0x2E80 else 1 for c in line.strip())


def line_breaks(lines: list[str]) -> list[int]:
    """Where a run of non-blank lines is cut into blocks: the indices of the lines that start one.

    A page may separate paragraphs by single line breaks instead of blank
    lines. A paragraph wrapped at a column's width fills its lines and breaks
    them anywhere in a sentence; headlines, bylines and one-line paragraphs
    are short or end a sentence. So a run whose inner lines are mostly not
    wrapped is cut at every line; any other run only around Markdown heading
    lines.
    """
    inner = lines[:-1]
    full = _FULL_WIDTH * max(_width(line) for line in lines)
    ends = [line.rstrip()[-1:] for line in inner]
    wrapped = sum(1 for end, line in zip(ends, inner, strict=True) if end in _JOINS or (end not in _CLOSED and _width(line) >= full))
    if inner and 2 * wrapped < len(inner):
        return list(range(1, len(lines)))
    heads = [k for k, line in enumerate(lines) if MD_HEADING.match(line)]
    return sorted({k for h in heads for k in (h, h + 1) if 0 < k < len(lines)})


def _cut_run(text: str, ruled: str, lines: list[tuple[int, int, int]], gap: int) -> Iterator[Block]:
    cuts = [0, *line_breaks([text[s:e] for s, e, _ in lines]), len(lines)] if len(lines) > 1 else [0, 1]
    for a, b in pairwise(cuts):
        first, last = lines[a], lines[b - 1]
        yield make_block(text, ruled, first[0], last[1], first[2], last[2], gap if a == 0 else 0)


def make_block(text: str, ruled: str, start: int, end: int, first: int, last: int, gap: int) -> Block:
    raw = text[start:end]
    m = MD_HEADING.match(raw)
    clean = clean_text(raw)
    key = clean if ruled is text else clean_text(ruled[start:end])
    if "-" in key or "一" in key or "—" in key:
        key = _OCR_DASH.sub("——", key)
    key = key.lstrip("，,、 ")
    level = len(m.group(1)) if m else 0
    return Block(start, end, first, last, raw, clean, key, level, min(gap, WIDE_GAP))
