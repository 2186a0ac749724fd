"""Every record the stages pass to each other, one type per concept.

``page``: documents as read, their articles and paragraphs, where their text
came from; ``matching``: profiles, matched pairs and clusters; ``comparison``:
alignment blocks, changes, typed edits, metrics and whole comparisons;
``scan``: what a scan gives. Note that every ``start``/``end`` offset in these
records indexes the *original* decoded text of the document (read without
newline translation), never a normalised copy.
"""

from __future__ import annotations

from dedup.model.comparison import (
    BLOCK_KINDS,
    EDIT_TYPES,
    MINOR_TYPES,
    Block,
    BlockKind,
    Change,
    Comparison,
    Edit,
    EditType,
    ExplainedPair,
    Metrics,
    PageComparison,
    Role,
)
from dedup.model.matching import Cluster, Match, Profile, Relation, StorySplit
from dedup.model.page import (
    Article,
    ArticleKind,
    ArticleRef,
    ArticleSummary,
    ArticleText,
    Document,
    DocumentSummary,
    Paragraph,
    ParagraphKind,
    ParagraphSpan,
    SourceSpan,
    id_order,
)
from dedup.options import FORMATS, Format, Options

__all__ = [
    "BLOCK_KINDS",
    "EDIT_TYPES",
    "FORMATS",
    "MINOR_TYPES",
    "Article",
    "ArticleKind",
    "ArticleRef",
    "ArticleSummary",
    "ArticleText",
    "Block",
    "BlockKind",
    "Change",
    "Cluster",
    "Comparison",
    "Document",
    "DocumentSummary",
    "Edit",
    "EditType",
    "ExplainedPair",
    "Format",
    "Match",
    "Metrics",
    "Options",
    "PageComparison",
    "Paragraph",
    "ParagraphKind",
    "ParagraphSpan",
    "Profile",
    "Relation",
    "Role",
    "SourceSpan",
    "StorySplit",
    "id_order",
]
