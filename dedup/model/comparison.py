"""What comparing two printings gives: alignment blocks, changes, typed edits, metrics.

``dedup.align`` produces ``Block``s, ``dedup.diff`` ``Change``s, ``dedup.classify``
gives each change a type (an ``Edit``), and ``dedup.compare`` gathers them into a
``Comparison`` (two articles) or a ``PageComparison`` (two pages). Their JSON
forms are in ``dedup.report.json``.
"""

from __future__ import annotations

from dataclasses import dataclass, replace
from typing import Literal, get_args

from dedup.model.page import ArticleText

BlockKind = Literal["1:1", "1:n", "n:1", "n:m", "a-only", "b-only", "moved", "truncation"]
BLOCK_KINDS: tuple[BlockKind, ...] = (
    "1:1", "1:n", "n:1", "n:m", "a-only", "b-only", "moved", "truncation",
)


MIRROR: dict[BlockKind, BlockKind] = {
    "1:n": "n:1", "n:1": "1:n", "a-only": "b-only", "b-only": "a-only",
}


def kind_of(na: int, nb: int) -> BlockKind:
    """The kind of a block of ``na`` paragraphs of A and ``nb`` of B."""
    if na == 0:
        return "b-only"
    if nb == 0:
        return "a-only"
    if na == 1 and nb == 1:
        return "1:1"
    if na == 1:
        return "1:n"
    if nb == 1:
        return "n:1"
    return "n:m"



@dataclass(frozen=True)
class Block:
    """Paragraphs of A and of B that belong together (or that only one side has).

    ``a`` and ``b`` are ascending indices into the articles' ``paragraphs``;
    ``kind`` says how they relate. ``score`` is the similarity (0..1) of the
    folded texts of the block, 0 for one-sided and truncation blocks.
    """

    a: tuple[int, ...]
    b: tuple[int, ...]
    kind: BlockKind
    score: float = 0.0

    def __post_init__(self) -> None:
        if self.kind not in BLOCK_KINDS:
            raise ValueError(f"unknown block kind {self.kind!r}")
        for side in (self.a, self.b):
            if any(i < 0 for i in side) or list(side) != sorted(set(side)):
                raise ValueError(f"block indices must be ascending and distinct: {side}")
        expected = kind_of(len(self.a), len(self.b))
        if self.kind in ("moved",) and (len(self.a), len(self.b)) != (1, 1):
            raise ValueError("a moved block pairs one paragraph with one")
        if self.kind == "truncation" and not (self.a or self.b):
            raise ValueError("a truncation block needs paragraphs")
        if self.kind not in ("moved", "truncation") and self.kind != expected:
            raise ValueError(f"block of {len(self.a)}:{len(self.b)} paragraphs is not {self.kind}")
        if not 0.0 <= self.score <= 1.0:
            raise ValueError(f"block score must be in 0..1, got {self.score}")

    @property
    def matched(self) -> bool:
        """True when both sides hold text that was compared (not one-sided, not cut)."""
        return self.kind not in ("a-only", "b-only", "truncation")

    def mirrored(self) -> Block:
        """The same block seen from B's side."""
        return Block(self.b, self.a, MIRROR.get(self.kind, self.kind), self.score)



Role = Literal["text", "normal", "block", "truncation"]


@dataclass(frozen=True)
class Change:
    """One difference between two texts, before it is given a type.

    ``a``/``b`` are original-text spans, ``a_fold``/``b_fold`` the folded
    texts they hold. ``role`` says how it was found: ``text`` (the folded texts
    differ), ``normal`` (only folding hides it), ``block`` (a one-sided block),
    ``truncation`` (where one version stops). ``partner`` is the similarity
    to another change of the block holding the same clause (a move), else 0.
    ``context_a``/``context_b`` are the folded texts just before and after
    the change on each side (up to ``lexicon.MAX_WORD - 1`` characters), for
    telling whether a substitution breaks a word.
    """

    a: tuple[int, int]
    b: tuple[int, int]
    a_text: str
    b_text: str
    a_fold: str = ""
    b_fold: str = ""
    role: Role = "text"
    partner: float = 0.0
    context_a: tuple[str, str] = ("", "")
    context_b: tuple[str, str] = ("", "")

    def swapped(self) -> Change:
        """The same change seen from B's side."""
        return Change(
            self.b,
            self.a,
            self.b_text,
            self.a_text,
            self.b_fold,
            self.a_fold,
            self.role,
            self.partner,
            self.context_b,
            self.context_a,
        )

    def shifted(self, offset_a: int, offset_b: int) -> Change:
        """The change with its spans moved by the given offsets."""
        return replace(
            self,
            a=(self.a[0] + offset_a, self.a[1] + offset_a),
            b=(self.b[0] + offset_b, self.b[1] + offset_b),
        )



EditType = Literal[
    "whitespace",
    "markup",
    "punctuation",
    "variant",
    "ocr",
    "inversion",
    "wording",
    "missing",
    "extra",
    "truncation",
]


#: Every edit type, from least to most important (the order reports use).
EDIT_TYPES: tuple[EditType, ...] = get_args(EditType)


# Types that only normalisation differences get: shown, but of low importance.
MINOR_TYPES: frozenset[str] = frozenset({"whitespace", "markup", "punctuation", "variant"})


@dataclass(frozen=True)
class Edit:
    """One typed difference: where it is in A and in B, what it is, and why.

    ``a`` and ``b`` are ``(start, end)`` offsets into the original texts of the
    two documents; ``a_text``/``b_text`` are those slices. ``block`` is the index
    of the alignment block the edit belongs to (-1 when there is none).
    """

    type: EditType
    reason: str
    a: tuple[int, int]
    b: tuple[int, int]
    a_text: str
    b_text: str
    block: int = -1

    def __post_init__(self) -> None:
        if self.type not in EDIT_TYPES:
            raise ValueError(f"unknown edit type {self.type!r}")
        for (start, end), text in ((self.a, self.a_text), (self.b, self.b_text)):
            if not 0 <= start <= end or end - start != len(text):
                raise ValueError(f"bad edit span {start}..{end} for {text!r}")
        if self.a_text == self.b_text:
            raise ValueError("an edit must change something")



@dataclass(frozen=True)
class Metrics:
    """How alike two articles are (all shares 0..1, on folded text).

    ``similarity`` is ``2·matched / (|A| + |B|)``, ``cer`` the character error
    rate of B against A over the matched blocks, ``coverage_a``/``coverage_b``
    the shares of A and of B that are matched. ``counts`` gives the number of
    edits of every type, in ``EDIT_TYPES`` order.
    """

    similarity: float
    cer: float
    coverage_a: float
    coverage_b: float
    counts: tuple[tuple[str, int], ...]

    def count(self, kind: str) -> int:
        """Number of edits of one type."""
        return dict(self.counts).get(kind, 0)


@dataclass(frozen=True)
class Comparison:
    """Two articles compared: their paragraph alignment, typed edits and metrics."""

    a: str
    b: str
    title: str
    alignment: tuple[Block, ...]
    edits: tuple[Edit, ...]
    metrics: Metrics


@dataclass(frozen=True)
class PageComparison:
    """Two pages compared: the article pairs found and the articles left unpaired.

    ``pairs`` are the comparisons (what the JSON lists); ``explained`` holds
    the same comparisons with both articles' texts and verdicts, in the same
    order, so that every rendering (JSON, HTML, text) shows one computation.
    ``titles`` maps every article id of both pages to its title; ``empty``
    names the pages that read as empty. ``page_cer``/``page_wer`` are the
    OCR evaluators' error rates of B against A as reference, over the whole
    pages in reading order (``dedup.cer``).
    """

    a: str
    b: str
    pairs: tuple[Comparison, ...]
    unpaired_a: tuple[str, ...]
    unpaired_b: tuple[str, ...]
    explained: tuple[ExplainedPair, ...] = ()
    titles: tuple[tuple[str, str], ...] = ()
    empty: tuple[str, ...] = ()
    page_cer: float | None = None
    page_wer: float | None = None

    def title(self, article_id: str) -> str:
        """The title of one of the pages' articles ("" when unknown)."""
        return dict(self.titles).get(article_id, "")


@dataclass(frozen=True)
class ExplainedPair:
    """A compared pair with everything a report shows: the comparison and both articles' texts.

    ``relation`` and ``containment`` are the pair's verdict (a scan's ``Match``,
    or the same test made by ``compare``).
    """

    comparison: Comparison
    a: ArticleText
    b: ArticleText
    relation: str = ""
    containment: float = 0.0
