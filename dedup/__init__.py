"""dedup: find and explain near-duplicate printings of news stories.

The public API reads pages, splits them into articles, finds the articles that
print the same story, and compares two printings difference by difference.
"""

from __future__ import annotations

from dedup.interrupt import guard_startup

guard_startup()  # before the imports below: Ctrl-C while the command starts is one line, exit 130

from typing import TYPE_CHECKING, Any  # noqa: E402

from dedup.compare import compare, compare_files, compare_texts  # noqa: E402
from dedup.errors import DedupError, FormatError, ReadError  # noqa: E402
from dedup.ingest import read  # noqa: E402
from dedup.model import Article, Cluster, Document, Match, Options, Paragraph  # noqa: E402
from dedup.segment import split  # noqa: E402

if TYPE_CHECKING:
    from dedup.scan import scan_paths as find_duplicates


def __getattr__(name: str) -> Any:
    """``find_duplicates`` on first use: the scan's engines are not needed to compare two pages."""
    if name == "find_duplicates":
        from dedup.scan import scan_paths

        return scan_paths
    raise AttributeError(f"module 'dedup' has no attribute {name!r}")


__all__ = [
    "Article",
    "Cluster",
    "DedupError",
    "Document",
    "FormatError",
    "Match",
    "Options",
    "Paragraph",
    "ReadError",
    "compare",
    "compare_files",
    "compare_texts",
    "find_duplicates",
    "read",
    "split",
]

__version__ = "0.1.0"
