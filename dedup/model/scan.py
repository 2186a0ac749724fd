"""What a scan gives: its documents, pairs, clusters, comparisons, and what went wrong."""

from __future__ import annotations

from dataclasses import dataclass, field

from dedup.model.comparison import ExplainedPair
from dedup.model.matching import Cluster, Match, StorySplit
from dedup.model.page import DocumentSummary
from dedup.options import Options


@dataclass(frozen=True)
class InputFile:
    """One file a scan read, as provenance: its page name, where it was, its size and digest.

    ``file`` is the path the scan read (as found under the paths given),
    ``side`` its collection ("" without sides), ``mtime`` its modification time
    (ISO 8601, UTC, whole seconds) and ``sha256`` the digest of its bytes ("" when
    it could not be read). ``href`` is a link to it from the output folder
    (relative when the file was reachable from it, set when outputs are written).
    """

    name: str
    file: str
    side: str = ""
    size: int = 0
    mtime: str = ""
    sha256: str = ""
    href: str = ""


@dataclass
class ScanResult:
    """Documents with their articles, verified pairs, clusters, and failed files.

    ``comparisons`` maps a pair's ``(a, b)`` ids to its explanation, with the
    texts of both articles, for every compared pair (reports render from it).
    ``failures`` and ``warnings`` are ``(path, problem)``. ``options`` and
    ``roots`` (the paths the scan was given) are recorded in ``scan.json``.
    With sides (``dedup.sides``), ``sides`` maps each document to its side and
    ``side_order`` lists the sides (the first is A of every pair). ``inputs``
    is the provenance of every file read; ``scanned_at`` is the scan's time
    (ISO 8601), recorded only when asked for, since it makes outputs differ.
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
    sides: dict[str, str] = field(default_factory=dict)
    side_order: list[str] = field(default_factory=list)
    inputs: list[InputFile] = field(default_factory=list)
    scanned_at: str = ""
    splits: list[StorySplit] = field(default_factory=list)  # articles holding two stories

    @property
    def return_code(self) -> int:
        """1 when any file failed, else 0."""
        return 1 if self.failures else 0
