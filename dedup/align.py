"""Align the paragraphs of two printings of the same story.

Two printings rarely break their text the same way: a column break splits a
sentence into two paragraphs in one version (「…联系点组」 + 「织召开的…」) and
not in the other, a byline sits on top in one and at the end in the other, and
a front-page version stops at （下转第二版） where the other goes on. The
alignment pairs paragraphs so that the character diff only ever compares text
that belongs together.

How: a dynamic programme over the two paragraph lists maximises the matched
text. A block of ``k`` paragraphs of A against ``l`` of B earns
``(|a| + |b|) - 2·indel(a, b)`` on the folded texts (rapidfuzz Indel), which is
positive exactly when their similarity is above one half, so weak matches are
left one-sided rather than forced. Blocks of 1:1, 1:2, 1:3, 2:1 and 3:1
paragraphs are tried. After the programme, one-sided paragraphs that match a
one-sided paragraph elsewhere become ``moved`` blocks, and a one-sided tail
after the last matched block (with the other side ending at a jump marker or
simply earlier) becomes one ``truncation`` block.

On long articles the programme runs inside a band around a chain of anchors
found from rare character 6-grams the two sides share (``dedup.anchors``), so
the work grows about linearly with the number of paragraphs.

Note that every index in a Block is an index into ``Article.paragraphs``.
"""

from __future__ import annotations

from collections.abc import Sequence

from rapidfuzz.distance import Indel

from dedup.anchors import band
from dedup.model import Block
from dedup.model.comparison import kind_of

# Paragraph shapes one DP step may pair: (paragraphs of A, paragraphs of B).
_SHAPES: tuple[tuple[int, int], ...] = ((1, 1), (1, 2), (2, 1), (1, 3), (3, 1))
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
    path = _dp(a, b)
    return _finish(path, a, b, ka, kb)


# --------------------------------------------------------------------------- DP


def _cat(texts: Sequence[str], k: int) -> list[str]:
    """``out[i]`` = texts[i-k:i] joined (empty where i < k)."""
    return ["".join(texts[i - k : i]) if i >= k else "" for i in range(len(texts) + 1)]


def _dp(a: Sequence[str], b: Sequence[str]) -> list[Block]:
    """The best monotone path of matched and one-sided blocks."""
    n, m = len(a), len(b)
    lo, hi = band(a, b)
    cat_a = {k: _cat(a, k) for k in (1, 2, 3)}
    cat_b = {k: _cat(b, k) for k in (1, 2, 3)}
    neg = -1
    score: list[list[int]] = []
    back: list[list[tuple[int, int, int]]] = []  # (k, l, gain) of the step into the cell
    for i in range(n + 1):
        width = hi[i] - lo[i] + 1
        row = [neg] * width
        brow: list[tuple[int, int, int]] = [(0, 0, 0)] * width
        for j in range(lo[i], hi[i] + 1):
            if i == 0 and j == 0:
                row[0] = 0
                continue
            best = neg
            step = (0, 0, 0)
            # one-sided steps first so that a tie keeps the simpler reading
            if j - 1 >= lo[i] and row[j - 1 - lo[i]] > best:
                best, step = row[j - 1 - lo[i]], (0, 1, 0)
            if i >= 1 and lo[i - 1] <= j <= hi[i - 1]:
                prev = score[i - 1][j - lo[i - 1]]
                if prev > best:
                    best, step = prev, (1, 0, 0)
            for k, kb in _SHAPES:
                pi, pj = i - k, j - kb
                if pi < 0 or pj < 0 or not lo[pi] <= pj <= hi[pi]:
                    continue
                prev = score[pi][pj - lo[pi]]
                if prev < 0:
                    continue
                g = gain(cat_a[k][i], cat_b[kb][j])
                if g > 0 and prev + g > best:
                    best, step = prev + g, (k, kb, g)
            row[j - lo[i]] = best
            brow[j - lo[i]] = step
        score.append(row)
        back.append(brow)
    blocks: list[Block] = []
    i, j = n, m
    while i > 0 or j > 0:
        k, kb, _g = back[i][j - lo[i]]
        if k == 0 and kb == 0:  # unreachable cell: cannot happen with a connected band
            raise AssertionError("alignment band is not connected")
        ia, ib = tuple(range(i - k, i)), tuple(range(j - kb, j))
        if k and kb:
            blocks.append(Block(ia, ib, kind_of(k, kb), similarity(cat_a[k][i], cat_b[kb][j])))
        else:
            blocks.append(Block(ia, ib, kind_of(k, kb)))
        i, j = i - k, j - kb
    blocks.reverse()
    return _group_one_sided(blocks)


def _group_one_sided(blocks: list[Block]) -> list[Block]:
    """Join runs of consecutive one-sided blocks of the same side into one block."""
    out: list[Block] = []
    for blk in blocks:
        if out and blk.kind in ("a-only", "b-only") and out[-1].kind == blk.kind:
            prev = out.pop()
            out.append(Block(prev.a + blk.a, prev.b + blk.b, blk.kind))
        else:
            out.append(blk)
    return out


# ------------------------------------------------------------ moved, truncation


def _finish(
    path: list[Block], a: Sequence[str], b: Sequence[str], ka: list[str], kb: list[str]
) -> tuple[Block, ...]:
    """Turn one-sided leftovers into moved blocks and a truncation block."""
    matched = [blk for blk in path if blk.matched]
    left_a = [i for blk in path if blk.kind == "a-only" for i in blk.a]
    left_b = [j for blk in path if blk.kind == "b-only" for j in blk.b]
    moved = _moved(left_a, left_b, a, b)
    truncation: Block | None = None
    if matched:
        last_a = max(i for blk in matched for i in blk.a)
        last_b = max(j for blk in matched for j in blk.b)
        tail_a = _trim([i for i in left_a if i > last_a], {i for i, _ in moved})
        tail_b = _trim([j for j in left_b if j > last_b], {j for _, j in moved})
        truncation = _truncation(tail_a, tail_b, ka, kb)
        if truncation is not None:  # a paragraph moved out of the tail's middle stays in it
            moved = [(i, j) for i, j in moved if i not in truncation.a and j not in truncation.b]
    gone_a = {i for i, _ in moved} | set(truncation.a if truncation else ())
    gone_b = {j for _, j in moved} | set(truncation.b if truncation else ())
    out: list[Block] = []
    for blk in path:
        if blk.matched:
            out.append(blk)
            continue
        rest_a = tuple(i for i in blk.a if i not in gone_a)
        rest_b = tuple(j for j in blk.b if j not in gone_b)
        for run in _runs(rest_a):
            out.append(Block(run, (), "a-only"))
        for run in _runs(rest_b):
            out.append(Block((), run, "b-only"))
    if truncation is not None:
        out.append(truncation)
    for i, j in sorted(moved):
        out.append(Block((i,), (j,), "moved", similarity(a[i], b[j])))
    return tuple(out)


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


def _truncation(tail_a: list[int], tail_b: list[int], ka: list[str], kb: list[str]) -> Block | None:
    """One truncation block when one side goes on after the other stops, else None.

    The side that stops may keep only jump markers (and other minor blocks)
    after its last matched paragraph. The other side's tail must hold story
    text: at least two paragraphs of it, or one when the stopping side ends at
    a jump marker.
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
        if story >= 2 or (story >= 1 and jumped):
            if a_is_short:
                return Block(tuple(short_tail), tuple(long_tail), "truncation")
            return Block(tuple(long_tail), tuple(short_tail), "truncation")
    return None
