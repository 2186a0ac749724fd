"""What verification and clustering produce: matched pairs and clusters of printings."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Literal

Relation = Literal["duplicate", "partial", "continuation"]


@dataclass(frozen=True)
class Match:
    """Two articles found to print the same story.

    ``similarity`` compares the whole texts (0..1); ``containment`` is the share
    of the shorter text found inside the longer one (0..1).
    """

    a: str
    b: str
    similarity: float
    containment: float
    relation: Relation


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
