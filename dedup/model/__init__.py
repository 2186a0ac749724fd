"""Every record the stages pass to each other, one type per concept.

Note that every ``start``/``end`` offset in these records indexes the *original*
decoded text of the document (read without newline translation), never a
normalised copy.
"""

from __future__ import annotations

from dedup.model.matching import Cluster, Match, Relation
from dedup.model.page import (
    Article,
    ArticleKind,
    Document,
    Paragraph,
    ParagraphKind,
    SourceSpan,
)
from dedup.options import FORMATS, Format, Options

__all__ = [
    "FORMATS",
    "Article",
    "ArticleKind",
    "Cluster",
    "Document",
    "Format",
    "Match",
    "Options",
    "Paragraph",
    "ParagraphKind",
    "Relation",
    "SourceSpan",
]
