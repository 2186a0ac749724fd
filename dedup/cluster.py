"""Group verified pairs into stories and choose each story's canonical version.

Verification (``dedup.match``) decides whether two articles print the same
story; this module turns those pairwise decisions into groups. Transitivity is
taken as given: when A matches B and B matches C, all three are one story even
if A and C were never compared (LSH need not propose every pair of a group).
A head cut at 下转… and its continuation piece share no text, so they are
linked here by rule rather than by verification.

Every order in this module is ``id_order`` (path, then article number as a
number), so the cluster names, member lists and canonical choices are the same
whatever order the pairs arrive in.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from typing import TYPE_CHECKING

from dedup.model import Cluster, Match, id_order

if TYPE_CHECKING:  # match imports this module; the profile type is only a hint here
    from dedup.model import Profile


def link_continuations(profiles: Sequence[Profile], matches: Iterable[Match]) -> list[Match]:
    """Link continuation pieces (上接…) to their head (…下转) when both are present.

    A head and its continuation share no text, so verification never pairs
    them. They belong together when a full printing contains both, or when
    the continuation repeats the head's title.
    """
    by_id = {p.id: p for p in profiles}
    partners: dict[str, set[str]] = {}
    for m in matches:
        partners.setdefault(m.a, set()).add(m.b)
        partners.setdefault(m.b, set()).add(m.a)
    heads = [p for p in profiles if p.jump and not p.continuation]
    tails = [p for p in profiles if p.continuation]
    links: list[Match] = []
    for head in heads:
        for tail in tails:
            shared = partners.get(head.id, set()) & partners.get(tail.id, set())
            same_title = bool(head.title) and head.title == tail.title
            if shared or same_title:
                a, b = sorted((head.id, tail.id), key=id_order)
                links.append(Match(a, b, 0.0, 0.0, "continuation"))
    return [m for m in links if m.a in by_id and m.b in by_id]


def components(matches: Iterable[Match]) -> list[tuple[str, ...]]:
    """Connected components of the match graph (union-find), each in ``id_order``.

    Each root is the smallest id of its component, and the components come in
    the order of their smallest member, so the result does not depend on the
    order of ``matches``.
    """
    parent: dict[str, str] = {}

    def find(x: str) -> str:
        """The root of ``x``'s component."""
        root = x
        while parent.get(root, root) != root:
            root = parent[root]
        while parent.get(x, x) != root:  # path compression
            parent[x], x = root, parent[x]
        return root

    matches = list(matches)
    for m in matches:
        parent.setdefault(m.a, m.a)
        parent.setdefault(m.b, m.b)
    for m in matches:
        ra, rb = find(m.a), find(m.b)
        if ra != rb:
            low, high = sorted((ra, rb), key=id_order)
            parent[high] = low
    groups: dict[str, list[str]] = {}
    for x in parent:
        groups.setdefault(find(x), []).append(x)
    ordered = [tuple(sorted(g, key=id_order)) for g in groups.values()]
    return sorted(ordered, key=lambda g: id_order(g[0]))


def cluster(profiles: Sequence[Profile], matches: Iterable[Match]) -> list[Cluster]:
    """Group matched articles and choose each group's canonical version.

    Clusters are named ``c1``, ``c2``, … in the order of their smallest
    member. When an id is repeated in ``profiles`` the last one wins.
    """
    by_id = {p.id: p for p in profiles}
    clusters: list[Cluster] = []
    for members in components(matches):
        canonical, reason = choose_canonical([by_id[x] for x in members])
        clusters.append(Cluster(f"c{len(clusters) + 1}", members, canonical, reason))
    return clusters


def choose_canonical(members: Sequence[Profile]) -> tuple[str, str]:
    """The most complete, least noisy version of a story, and why it was chosen.

    Versions cut short or continued elsewhere are passed over while a whole
    one exists; among whole versions within 2 % of the longest, the one with
    the fewest rare characters (OCR garbage is often rare) wins, then the
    longer, then the first in ``id_order``.
    """
    whole = [p for p in members if not p.cut] or list(members)
    longest = max(len(p.key) for p in whole)
    # versions within 2 % of the longest count as complete; the least noisy wins
    complete = [p for p in whole if len(p.key) >= 0.98 * longest]
    best = min(complete, key=lambda p: (p.rare, -len(p.key), id_order(p.id)))
    parts = [f"longest complete text ({len(best.key)} characters)"]
    if len(whole) < len(members):
        parts.append("the others are cut short or continued")
    if len(complete) > 1:
        parts.append(f"fewest rare characters among {len(complete)} near-equal versions")
    return best.id, "; ".join(parts)
