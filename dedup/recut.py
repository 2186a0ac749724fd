"""Cut an article that holds two stories where the matches of other printings show the seam.

``dedup.stories`` finds an article whose partners matched disjoint regions
of it (``StorySplit``). This module turns such a finding into a cut (the
start of the paragraph nearest the seam between two regions) and applies cuts
when a page is split again, so that each story becomes an article of its own.
Cuts are page offsets, carried by ``Options.cuts`` as ``(path, offset)``.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import replace
from itertools import pairwise

from dedup.model import Article, DocumentSummary, Options, StorySplit
from dedup.text import line_of

_HEADS = ("title", "subhead", "kicker")


def cuts_for(documents: Sequence[DocumentSummary], splits: Sequence[StorySplit]) -> tuple[tuple[str, int], ...]:
    """The page offsets at which to cut each split article, in path and offset order.

    Regions are in folded characters, paragraphs in page characters: the seam
    is placed by its share of the article, then moved to the nearest paragraph
    start (a headline or sub-head is preferred when nearly as near).
    """
    by_id = {a.id: a for d in documents for a in d.articles}
    out: set[tuple[str, int]] = set()
    for split in splits:
        article = by_id.get(split.article)
        if article is None or len(article.paragraphs) < 2:
            continue
        spans = sorted(span for span, _ in split.parts)
        total = max(end for _, end in spans) or 1
        paras = article.paragraphs
        length = sum(p.end - p.start for p in paras) or 1
        before = [sum(p.end - p.start for p in paras[:j]) / length for j in range(len(paras))]
        for (_, end), (start, _) in pairwise(spans):
            seam = (end + start) / 2 / total
            best = min(
                range(1, len(paras)),
                key=lambda j: (abs(before[j] - seam) - (0.05 if paras[j].kind in _HEADS else 0.0), j),
            )
            out.add((article.path, paras[best].start))
    return tuple(sorted(out))


def page_cuts(options: Options, path: str) -> tuple[int, ...]:
    """The cuts ``options`` holds for the page at ``path``."""
    return tuple(offset for p, offset in options.cuts if p == path)


def apply_cuts(text: str, articles: Sequence[Article], cuts: Sequence[int]) -> list[Article]:
    """The articles with a new one started at each cut, numbered again from 1 in page order."""
    out: list[Article] = []
    for a in articles:
        inside = sorted(c for c in cuts if a.kind != "furniture" and a.paragraphs[0].start < c <= a.paragraphs[-1].start)
        pieces: list[list[int]] = [[]]
        for k, p in enumerate(a.paragraphs):
            if inside and p.start >= inside[0] and pieces[-1]:
                pieces.append([])
                inside = [c for c in inside if c > p.start]
            pieces[-1].append(k)
        for n, piece in enumerate(pieces):
            paras = tuple(a.paragraphs[k] for k in piece)
            if n:
                head = paras[0]
                title = " ".join(head.text.lstrip("# \t\u3000").split()) if head.kind in _HEADS else ""
                if title:
                    paras = (replace(head, kind="title"), *paras[1:])
                part = replace(a, title=title, kicker="", deck="", byline="", title_level=0, kind="story", continued_from="")
            else:
                part = a
            jump = a.jump if n == len(pieces) - 1 else ""
            start, end = paras[0].start, paras[-1].end
            out.append(replace(part, paragraphs=paras, start=start, end=end, jump=jump,
                               first_line=line_of(text, start), last_line=line_of(text, end)))
    return [replace(a, index=k) for k, a in enumerate(out, start=1)]
