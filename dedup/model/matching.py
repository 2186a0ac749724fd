"""What verification and clustering produce: matched pairs and clusters of printings."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Literal

Relation = Literal["duplicate", "partial", "continuation"]


@dataclass(frozen=True)
class Match:
    """Two articles found to print the same story.

    ``similarity`` compares the whole texts (0..1); ``containment`` is the share
    of the shorter text found inside the longer one (0..1). ``a_span`` and
    ``b_span`` are the regions of each article that matched, ``[start, end)``
    in characters of its folded text (the letters and digits fingerprints
    see); ``(0, 0)`` when no text was compared (a continuation link).
    Clustering reads them: two partners that matched disjoint regions of one
    article do not show that they print one story.
    """

    a: str
    b: str
    similarity: float
    containment: float
    relation: Relation
    a_span: tuple[int, int] = (0, 0)
    b_span: tuple[int, int] = (0, 0)


@dataclass(frozen=True)
class StorySplit:
    """An article whose matches show two stories: its regions and the partners of each.

    ``parts`` are ``(span, partners)`` in the article's folded characters,
    the part kept in the article's cluster first; the partners of the other
    parts are clustered without this article.
    """

    article: str
    parts: tuple[tuple[tuple[int, int], tuple[str, ...]], ...]


@dataclass(frozen=True)
class Cluster:
    """Articles that print the same story, with the version chosen as canonical."""

    id: str
    articles: tuple[str, ...]
    canonical: str
    reason: str


@dataclass(frozen=True)
class Profile:
    """What verification and canonical choice need to know of one article."""

    id: str
    key: str
    cut: bool  # ends at a jump marker (下转…) or is a continuation piece
    continuation: bool
    jump: str
    title: str
    rare: float  # share of characters outside the common CJK/ASCII set
