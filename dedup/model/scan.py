"""What a scan gives: its documents, pairs, clusters, comparisons, and what went wrong."""

from __future__ import annotations

from dataclasses import dataclass, field

from dedup.model.comparison import ExplainedPair
from dedup.model.matching import Cluster, Match, StorySplit
from dedup.model.page import DocumentSummary
from dedup.options import Options


@dataclass
class ScanResult:
    """Documents with their articles, verified pairs, clusters, and failed files.

    ``comparisons`` maps a pair's ``(a, b)`` ids to its explanation, with the
    texts of both articles, for every compared pair (reports render from it).
    ``failures`` and ``warnings`` are ``(path, problem)``. ``options`` and
    ``roots`` (the paths the scan was given) are recorded in ``scan.json``.
    """

    documents: list[DocumentSummary]
    pairs: list[Match]
    clusters: list[Cluster]
    failures: list[tuple[str, str]] = field(default_factory=list)
    warnings: list[tuple[str, str]] = field(default_factory=list)
    candidates: int = 0
    articles: int = 0
    comparisons: dict[tuple[str, str], ExplainedPair] = field(default_factory=dict)
    options: Options = field(default_factory=Options)
    roots: list[str] = field(default_factory=list)
    splits: list[StorySplit] = field(default_factory=list)  # articles holding two stories

    @property
    def return_code(self) -> int:
        """1 when any file failed, else 0."""
        return 1 if self.failures else 0
