"""Former home of the per-page and per-pair stage functions, now in ``dedup.pages``.

Kept so that code importing them from here goes on working while it moves.
"""

from dedup.pages import (
    FileResult,
    article_text,
    compare_pair,
    document_json,
    fingerprint_document,
    process_file,
    profile,
    rare_share,
)

__all__ = [
    "FileResult",
    "article_text",
    "compare_pair",
    "document_json",
    "fingerprint_document",
    "process_file",
    "profile",
    "rare_share",
]
