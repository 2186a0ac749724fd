"""Align the paragraphs of two printings of the same story.

Two printings rarely break their text the same way: a column break splits a
sentence into two paragraphs in one version (「…联系点组」 + 「织召开的…」) and
not in the other, a byline sits on top in one and at the end in the other, and
a front-page version stops at （下转第二版） where the other goes on. The
alignment pairs paragraphs so that the character diff only ever compares text
that belongs together.

How: the two articles' folded texts are aligned character by character as
wholes (``dedup.anchors``: exact LCS, cut by unique n-gram anchors when long,
so near-linear). Two paragraphs belong together when they share enough of
the aligned characters; the groups are the connected components of those
pairs, widened to consecutive paragraphs, so any shape comes out (1:1, one
paragraph against dozens of OCR fragments, 2:2, 3:2, ...). Paragraphs left
out are one-sided. Then one-sided paragraphs that match a one-sided
paragraph elsewhere become ``moved`` blocks, a one-sided tail after the last
matched block (the other side ending at a jump marker or simply earlier)
becomes a ``truncation`` block, and so does a one-sided head before the first
when the other side opens with a jump marker (a continuation).

Note that every index in a Block is an index into ``Article.paragraphs``.
"""

from __future__ import annotations

import bisect
import itertools
from collections.abc import Sequence

from rapidfuzz.distance import Indel

from dedup.anchors import Run, matched_runs
from dedup.model import Block
from dedup.model.comparison import kind_of
from dedup.text import use_numpy

# Two paragraphs sharing this many aligned characters belong to one group.
_EDGE_CHARS = 12
# ... or an unbroken run of this many characters.
_EDGE_RUN = 5
# At most this many one-sided pairs are scored when looking for moved paragraphs.
_MOVED_PAIRS = 40_000
# Paragraph kinds that do not count as story text when deciding on a truncation.
_MINOR_KINDS = frozenset({"jump", "byline", "editor", "caption", "furniture", "dateline"})


def gain(a: str, b: str) -> int:
    """DP gain of pairing two folded texts: ``|a| + |b| - 2·indel``; > 0 iff similarity > 0.5.

    >>> gain("高擎红色旗帜", "高擎红色旗帜")
    12
    >>> gain("高擎红色旗帜", "筑牢坚强堡垒")
    0
    """
    total = len(a) + len(b)
    if total == 0:
        return 0
    cutoff = (total - 1) // 2
    dist = Indel.distance(a, b, score_cutoff=cutoff)
    return max(0, total - 2 * dist)


def similarity(a: str, b: str) -> float:
    """Indel similarity ``2·LCS / (|a| + |b|)`` of two texts (1.0 for two empty texts)."""
    return float(Indel.normalized_similarity(a, b))


def align(
    a: Sequence[str],
    b: Sequence[str],
    *,
    kinds_a: Sequence[str] | None = None,
    kinds_b: Sequence[str] | None = None,
) -> tuple[Block, ...]:
    """Align two lists of folded paragraph texts.

    Args:
        a: folded text of each paragraph of A, in page order.
        b: the same for B.
        kinds_a: each paragraph's kind (``Paragraph.kind``); ``jump``
            paragraphs mark where a version is cut short. Default: all body.
        kinds_b: the same for B.

    Returns:
        Blocks in reading order: the DP path (1:1, 1:n, n:1, a-only, b-only),
        then the truncation block if any, then moved blocks by A index.

    >>> [blk.kind for blk in align(["甲乙丙丁", "戊己庚辛"], ["甲乙丙丁戊己庚辛"])]
    ['n:1']
    """
    ka = list(kinds_a) if kinds_a is not None else ["body"] * len(a)
    kb = list(kinds_b) if kinds_b is not None else ["body"] * len(b)
    if len(ka) != len(a) or len(kb) != len(b):
        raise ValueError("kinds must give one kind per paragraph")
    return _finish(_path(a, b), a, b, ka, kb)


# ---------------------------------------------------------------- grouping


Edges = dict[tuple[int, int], tuple[int, int]]


def _edges(a: Sequence[str], b: Sequence[str]) -> Edges:
    """Per pair of paragraphs: the characters they share in the whole-article alignment,
    and the longest unbroken run of them (pairs in order of A's, then B's index)."""
    runs = matched_runs("".join(a), "".join(b))
    if not runs:
        return {}
    if use_numpy(sum(r[2] for r in runs)):
        return _edges_numpy(a, b, runs)
    return _edges_python(a, b, runs)


def _edges_python(a: Sequence[str], b: Sequence[str], runs: list[Run]) -> Edges:
    """``_edges`` by walking each run from one paragraph end to the next (no numpy)."""
    ends_a = list(itertools.accumulate(map(len, a)))
    ends_b = list(itertools.accumulate(map(len, b)))
    found: dict[tuple[int, int], list[int]] = {}
    for i, j, n in runs:
        # the paragraphs holding a[i] and b[j] (empty ones hold nothing)
        pa, pb = bisect.bisect_right(ends_a, i), bisect.bisect_right(ends_b, j)
        while n > 0:
            step = min(n, ends_a[pa] - i, ends_b[pb] - j)
            seen = found.setdefault((pa, pb), [0, 0])
            seen[0] += step
            seen[1] = max(seen[1], step)
            i, j, n = i + step, j + step, n - step
            while pa < len(ends_a) and ends_a[pa] <= i:
                pa += 1
            while pb < len(ends_b) and ends_b[pb] <= j:
                pb += 1
    return {pair: (total, longest) for pair, (total, longest) in sorted(found.items())}


def _edges_numpy(a: Sequence[str], b: Sequence[str], runs: list[Run]) -> Edges:
    """``_edges`` on arrays, one element per aligned character (long articles, or numpy loaded)."""
    import numpy as np

    owner_a = np.repeat(np.arange(len(a), dtype=np.int64), [len(t) for t in a])
    owner_b = np.repeat(np.arange(len(b), dtype=np.int64), [len(t) for t in b])
    starts_a = np.array([r[0] for r in runs], dtype=np.int64)
    starts_b = np.array([r[1] for r in runs], dtype=np.int64)
    sizes = np.array([r[2] for r in runs], dtype=np.int64)
    within = np.arange(int(sizes.sum()), dtype=np.int64) - np.repeat(np.cumsum(sizes) - sizes, sizes)
    run_id = np.repeat(np.arange(len(runs), dtype=np.int64), sizes)
    width = np.int64(len(b) + 1)
    key = owner_a[np.repeat(starts_a, sizes) + within] * width + owner_b[np.repeat(starts_b, sizes) + within]
    # pieces: stretches of one run inside one pair of paragraphs
    cut = np.flatnonzero((key[1:] != key[:-1]) | (run_id[1:] != run_id[:-1])) + 1
    bounds = np.r_[0, cut, len(key)]
    piece_key, piece_len = key[bounds[:-1]], np.diff(bounds)
    keys, inverse = np.unique(piece_key, return_inverse=True)
    total = np.zeros(len(keys), dtype=np.int64)
    longest = np.zeros(len(keys), dtype=np.int64)
    np.add.at(total, inverse, piece_len)
    np.maximum.at(longest, inverse, piece_len)
    return {
        (int(k // width), int(k % width)): (int(t), int(m))
        for k, t, m in zip(keys, total, longest, strict=True)
    }


def _groups(a: Sequence[str], b: Sequence[str]) -> list[tuple[range, range]]:
    """Paragraph groups: connected components of the paragraph pairs that share enough text.

    A pair counts when it shares at least half of the shorter paragraph's
    characters, ``_EDGE_CHARS`` characters, or an unbroken run of
    ``_EDGE_RUN`` (a sentence broken across the paragraphs). Each component is widened to
    consecutive paragraphs on both sides, and components whose ranges overlap
    are joined, so that groups follow each other in reading order.
    """
    parent = list(range(len(a) + len(b)))

    def find(x: int) -> int:
        while parent[x] != x:
            parent[x] = parent[parent[x]]
            x = parent[x]
        return x

    for (i, j), (c, run) in _edges(a, b).items():
        if c >= _EDGE_CHARS or run >= _EDGE_RUN or 2 * c >= min(len(a[i]), len(b[j])):
            parent[find(i)] = find(len(a) + j)
    comps: dict[int, list[list[int]]] = {}
    for x in range(len(a) + len(b)):
        sides = comps.setdefault(find(x), [[], []])
        sides[x >= len(a)].append(x if x < len(a) else x - len(a))
    spans = sorted(
        (min(sa), max(sa), min(sb), max(sb)) for sa, sb in comps.values() if sa and sb
    )
    out: list[list[int]] = []
    for a0, a1, b0, b1 in spans:
        if out and (a0 <= out[-1][1] or b0 <= out[-1][3]):
            last = out[-1]
            last[1], last[2], last[3] = max(last[1], a1), min(last[2], b0), max(last[3], b1)
            while len(out) > 1 and out[-1][2] <= out[-2][3]:  # a join can reach back
                top = out.pop()
                out[-1][1], out[-1][2] = max(out[-1][1], top[1]), min(out[-1][2], top[2])
                out[-1][3] = max(out[-1][3], top[3])
        else:
            out.append([a0, a1, b0, b1])
    return [(range(a0, a1 + 1), range(b0, b1 + 1)) for a0, a1, b0, b1 in out]


def _path(a: Sequence[str], b: Sequence[str]) -> list[Block]:
    """Matched groups in reading order with the one-sided runs between them."""
    blocks: list[Block] = []
    pa = pb = 0
    for ra, rb in _groups(a, b):
        if ra.start > pa:
            blocks.append(Block(tuple(range(pa, ra.start)), (), "a-only"))
        if rb.start > pb:
            blocks.append(Block((), tuple(range(pb, rb.start)), "b-only"))
        x = "".join(a[i] for i in ra)
        y = "".join(b[j] for j in rb)
        blocks.append(Block(tuple(ra), tuple(rb), kind_of(len(ra), len(rb)), similarity(x, y)))
        pa, pb = ra.stop, rb.stop
    if pa < len(a):
        blocks.append(Block(tuple(range(pa, len(a))), (), "a-only"))
    if pb < len(b):
        blocks.append(Block((), tuple(range(pb, len(b))), "b-only"))
    return blocks


# ------------------------------------------------------------ moved, truncation


def _finish(
    path: list[Block], a: Sequence[str], b: Sequence[str], ka: list[str], kb: list[str]
) -> tuple[Block, ...]:
    """Turn one-sided leftovers into moved blocks and truncation blocks (tail and head).

    A truncation block holds only the long side's run; the short side's jump
    marker, if any, is a one-sided block just before it, so that the marker is
    not linked with every paragraph of the missing run. A head's cut comes
    first, a tail's after the path.
    """
    matched = [blk for blk in path if blk.matched]
    left_a = [i for blk in path if blk.kind == "a-only" for i in blk.a]
    left_b = [j for blk in path if blk.kind == "b-only" for j in blk.b]
    moved = _moved(left_a, left_b, a, b)
    head: list[Block] = []
    tail: list[Block] = []
    if matched:
        lo_a, hi_a = min(blk.a[0] for blk in matched), max(blk.a[-1] for blk in matched)
        lo_b, hi_b = min(blk.b[0] for blk in matched), max(blk.b[-1] for blk in matched)
        skip_a, skip_b = {i for i, _ in moved}, {j for _, j in moved}
        for where, pick_a, pick_b in (
            (tail, [i for i in left_a if i > hi_a], [j for j in left_b if j > hi_b]),
            (head, [i for i in left_a if i < lo_a], [j for j in left_b if j < lo_b]),
        ):
            cut = _truncation(
                _trim(pick_a, skip_a), _trim(pick_b, skip_b), ka, kb, need_jump=where is head
            )
            if cut is not None:
                where.extend(x for x in (cut[1], cut[0]) if x is not None)
    gone_a = {i for blk in head + tail for i in blk.a}
    gone_b = {j for blk in head + tail for j in blk.b}
    moved = [(i, j) for i, j in moved if i not in gone_a and j not in gone_b]
    gone_a |= {i for i, _ in moved}
    gone_b |= {j for _, j in moved}
    out: list[Block] = list(head)
    for blk in path:
        if blk.matched:
            out.append(blk)
            continue
        for run in _runs(tuple(i for i in blk.a if i not in gone_a)):
            out.append(Block(run, (), "a-only"))
        for run in _runs(tuple(j for j in blk.b if j not in gone_b)):
            out.append(Block((), run, "b-only"))
    out.extend(tail)
    for i, j in sorted(moved):
        out.append(Block((i,), (j,), "moved", similarity(a[i], b[j])))
    return tuple(out)


def is_marker(blk: Block, trunc: Block) -> bool:
    """Whether a one-sided block is the jump marker of the truncation block that follows it."""
    if trunc.kind != "truncation":
        return False
    return (blk.kind == "a-only" and not trunc.a) or (blk.kind == "b-only" and not trunc.b)


def _trim(tail: list[int], moved: set[int]) -> list[int]:
    """Drop moved paragraphs from both ends of a tail (those in its middle stay)."""
    start, end = 0, len(tail)
    while start < end and tail[start] in moved:
        start += 1
    while end > start and tail[end - 1] in moved:
        end -= 1
    return tail[start:end]


def _runs(indices: tuple[int, ...]) -> list[tuple[int, ...]]:
    """Split ascending indices into runs of consecutive numbers."""
    runs: list[list[int]] = []
    for i in indices:
        if runs and runs[-1][-1] == i - 1:
            runs[-1].append(i)
        else:
            runs.append([i])
    return [tuple(r) for r in runs]


def _moved(
    left_a: list[int], left_b: list[int], a: Sequence[str], b: Sequence[str]
) -> list[tuple[int, int]]:
    """Pairs of one-sided paragraphs that match each other (best gain first)."""
    cand_a = [i for i in left_a if len(a[i]) >= 2]
    cand_b = [j for j in left_b if len(b[j]) >= 2]
    if not cand_a or not cand_b:
        return []
    if len(cand_a) * len(cand_b) > _MOVED_PAIRS:  # keep long one-sided runs cheap
        cand_a = sorted(cand_a, key=lambda i: (-len(a[i]), i))[: _MOVED_PAIRS // 200]
        cand_b = sorted(cand_b, key=lambda j: (-len(b[j]), j))[:200]
    scored = []
    for i in cand_a:
        for j in cand_b:
            g = gain(a[i], b[j])
            if g > 0:
                scored.append((-g, i, j))
    scored.sort()
    used_a: set[int] = set()
    used_b: set[int] = set()
    pairs: list[tuple[int, int]] = []
    for _g, i, j in scored:
        if i not in used_a and j not in used_b:
            used_a.add(i)
            used_b.add(j)
            pairs.append((i, j))
    return pairs


def _truncation(
    tail_a: list[int], tail_b: list[int], ka: list[str], kb: list[str], *, need_jump: bool
) -> tuple[Block, Block | None] | None:
    """A truncation block and the short side's marker block, when one side goes on alone.

    The side that stops may keep only jump markers (and other minor
    paragraphs) beyond its matched text. The other side's run must hold story
    text: at least two paragraphs of it, or one when the stopping side has a
    jump marker. Used for the tail (one version stops early) and, with
    ``need_jump``, for the head (a continuation, marked （上接第一版）, lacks
    the story's start).
    """
    for short_tail, long_tail, short_kinds, long_kinds, a_is_short in (
        (tail_a, tail_b, ka, kb, True),
        (tail_b, tail_a, kb, ka, False),
    ):
        if not long_tail:
            continue
        if any(short_kinds[i] not in _MINOR_KINDS for i in short_tail):
            continue
        story = sum(1 for j in long_tail if long_kinds[j] not in _MINOR_KINDS)
        jumped = any(short_kinds[i] == "jump" for i in short_tail)
        if (story >= 2 and not need_jump) or (story >= 1 and jumped):
            short = tuple(short_tail)
            if a_is_short:
                mark = Block(short, (), "a-only") if short else None
                return Block((), tuple(long_tail), "truncation"), mark
            mark = Block((), short, "b-only") if short else None
            return Block(tuple(long_tail), (), "truncation"), mark
    return None
