"""Keep one article that holds two stories from chaining their printings into one cluster.

Clusters are the connected components of the verified pairs, so one article
that swallowed two stories (a page split imperfectly) would link the
printings of both. Every pair records the region of each article that matched
(``Match.a_span``, ``Match.b_span``); when an article's partners matched
disjoint regions of it, and nothing but this article links them, the
article holds two stories: it stays in the cluster of the part with the most
evidence, and the partners of its other parts are clustered without it. The
finding is reported (``StorySplit``, ``scan.json``'s ``split``).
"""

from __future__ import annotations

from collections import deque
from collections.abc import Sequence

from dedup.model import Match, StorySplit, id_order

Span = tuple[int, int]
# regions of one article that overlap by this share of the shorter are one part
_SAME_PART = 0.5


def _parts(regions: list[tuple[Span, str]]) -> list[tuple[Span, list[str]]]:
    """Group an article's matched regions into parts: runs of regions that overlap."""
    parts: list[tuple[Span, list[str]]] = []
    for (start, end), partner in sorted(regions, key=lambda r: (r[0], id_order(r[1]))):
        if parts:
            (gs, ge), members = parts[-1]
            overlap = min(end, ge) - max(start, gs)
            if overlap >= _SAME_PART * max(1, min(end - start, ge - gs)):
                parts[-1] = ((gs, max(ge, end)), [*members, partner])
                continue
        parts.append(((start, end), [partner]))
    return parts


def part_count(spans: Sequence[Span]) -> int:
    """How many parts an article's matched regions form (``separate_stories``' grouping)."""
    return len(_parts([(span, "") for span in spans]))


def _reach(graph: dict[str, set[str]], start: list[str], avoid: str) -> set[str]:
    """The articles linked to ``start`` by paths that do not pass through ``avoid``."""
    seen = set(start)
    todo = deque(start)
    while todo:
        for nxt in graph.get(todo.popleft(), ()):
            if nxt != avoid and nxt not in seen:
                seen.add(nxt)
                todo.append(nxt)
    return seen


def _neighbours(a: str, b: str) -> bool:
    """Two articles of one page with at most one article between them: pieces of one printing."""
    pa, _, na = a.rpartition("#")
    pb, _, nb = b.rpartition("#")
    return pa == pb and na.isdigit() and nb.isdigit() and abs(int(na) - int(nb)) <= 2


def _one_story(kept: list[str], part: list[str], others: list[str], pieces: frozenset[str]) -> bool:
    """Do two parts print pieces of one story (a jumped story, a page split in two), not two?

    So they do when either part is made only of pieces (heads cut at 下转…,
    continuations) or when a partner of the part sits right by a partner of
    another part on one page.
    """
    if all(p in pieces for p in kept) or all(p in pieces for p in part):
        return True
    return any(_neighbours(p, q) for p in part for q in others)


def separate_stories(
    matches: Sequence[Match], pieces: frozenset[str] = frozenset()
) -> tuple[list[Match], list[StorySplit]]:
    """The pairs to cluster on, and the articles found to hold two stories.

    ``pieces`` are the ids of heads and continuation pieces: parts matched by
    pieces only are the pieces of one jumped story.

    Pairs stay listed in ``scan.json`` as verified; only the clustering
    leaves out the pairs that would chain two stories through one article.
    Articles are examined in ``id_order``, each on the pairs the ones before
    it left, so the result does not depend on the order of ``matches``.
    """
    regions: dict[str, list[tuple[Span, str]]] = {}
    for m in matches:
        if m.relation != "continuation" and m.a_span[1] > m.a_span[0] and m.b_span[1] > m.b_span[0]:
            regions.setdefault(m.a, []).append((m.a_span, m.b))
            regions.setdefault(m.b, []).append((m.b_span, m.a))
    graph: dict[str, set[str]] = {}
    for m in matches:
        graph.setdefault(m.a, set()).add(m.b)
        graph.setdefault(m.b, set()).add(m.a)
    dropped: set[tuple[str, str]] = set()
    splits: list[StorySplit] = []
    for article in sorted(regions, key=id_order):
        parts = _parts([r for r in regions[article] if r[1] in graph[article]])
        if len(parts) < 2:
            continue
        # the part with the most partners, then the longest region, is kept
        parts.sort(key=lambda p: (-len(p[1]), -(p[0][1] - p[0][0]), p[0]))
        kept = _reach(graph, parts[0][1], article)
        everyone = [x for _, ps in parts for x in ps]
        apart = [
            p
            for p in parts[1:]
            if not kept & set(p[1])
            and not _one_story(parts[0][1], p[1], [x for x in everyone if x not in p[1]], pieces)
        ]
        if not apart:
            continue
        for _, partners in apart:
            for partner in partners:
                graph[article].discard(partner)
                graph[partner].discard(article)
                dropped.add(tuple(sorted((article, partner), key=id_order)))  # type: ignore[arg-type]
        shown = [parts[0], *apart]
        splits.append(
            StorySplit(article, tuple((span, tuple(sorted(ps, key=id_order))) for span, ps in shown))
        )
    return [m for m in matches if (m.a, m.b) not in dropped], splits
