"""Plain data shared by every stage: documents, articles, matches, clusters, options.

Note that every ``start``/``end`` offset in these records indexes the *original*
decoded text of the document (read without newline translation), never a
normalised copy.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Literal

ParagraphKind = Literal[
    "title",  # the headline
    "kicker",  # a line above the headline (引题, column label)
    "deck",  # a line below the headline (副题, ——subtitle, column tag)
    "body",  # running text
    "subhead",  # a heading inside a story
    "byline",  # 本报记者 …, By …, trailing reporter credit
    "dateline",  # （新华社北京11月25日电）
    "jump",  # （下转第二版）, （上接第一版）, Continued on page 2
    "caption",  # photo caption or photo credit (… 摄)
    "editor",  # 本版编辑 …
    "furniture",  # 导读, ▶▶ 第三版, column labels
]

ArticleKind = Literal["story", "continuation", "furniture"]


@dataclass(frozen=True)
class Paragraph:
    """One paragraph (or paragraph-like block) of an article.

    Note that ``text`` is the original slice ``document.text[start:end]``.
    """

    start: int
    end: int
    text: str
    kind: ParagraphKind = "body"

    def __post_init__(self) -> None:
        if not 0 <= self.start <= self.end:
            raise ValueError(f"bad paragraph span {self.start}..{self.end}")
        if len(self.text) != self.end - self.start:
            raise ValueError("paragraph text does not match its span")


@dataclass(frozen=True)
class SourceSpan:
    """Where a stretch of a document's text comes from in its file (HTML, ALTO, hOCR, PAGE).

    ``start``/``end`` index ``Document.text`` (the extracted text); ``xpath``
    selects the source element (by its id when it has one, e.g.
    ``//*[@ID='string_12']``), ``line`` is that element's 1-based line in the
    file (0 when unknown). OCR formats add ``page`` (the page's id or number)
    and ``bbox`` (``x0, y0, x1, y1`` in the file's own units, pixels for hOCR).
    """

    start: int
    end: int
    xpath: str
    line: int = 0
    page: str = ""
    bbox: tuple[int, int, int, int] | None = None

    def __post_init__(self) -> None:
        if not 0 <= self.start <= self.end:
            raise ValueError(f"bad source span {self.start}..{self.end}")


Format = Literal["text", "html", "alto", "hocr", "page"]
FORMATS: tuple[Format, ...] = ("text", "html", "alto", "hocr", "page")


@dataclass(frozen=True)
class Document:
    """A page as read from disk: its decoded text and how it was decoded.

    ``format`` is one of ``FORMATS``. For every format but ``text``, ``text``
    is the *extracted* plain text (headline, byline and paragraphs separated
    by blank lines; HTML headings keep Markdown ``#`` markers), offsets index
    it, and ``source`` maps its stretches back to the file's elements
    (characters no span covers, such as ``#`` markers and the breaks between
    paragraphs, were added by the reader). ``confidence`` holds OCR
    confidences as sorted, non-overlapping ``(start, end, confidence 0..1)``
    spans of ``text``. Both are None for plain text.
    """

    path: str
    text: str
    encoding: str
    format: str = "text"
    source: tuple[SourceSpan, ...] | None = None
    confidence: tuple[tuple[int, int, float], ...] | None = None


@dataclass(frozen=True)
class Article:
    """One story (or a piece of page furniture) cut out of a document.

    ``index`` is 1-based within the document; ``id`` is ``path#index``.
    ``paragraphs`` holds every block of the article in page order, header
    blocks included (kinds title/kicker/deck/byline); ``title``, ``kicker``,
    ``deck`` and ``byline`` repeat them as display strings with Markdown
    markers stripped. ``jump`` names the page a story continues on (下转第二版),
    ``continued_from`` the page a continuation piece comes from (上接第一版).
    """

    path: str
    index: int
    start: int
    end: int
    title: str
    paragraphs: tuple[Paragraph, ...]
    kind: ArticleKind = "story"
    kicker: str = ""
    deck: str = ""
    byline: str = ""
    title_level: int = 0
    jump: str = ""
    continued_from: str = ""
    first_line: int = 1
    last_line: int = 1

    def __post_init__(self) -> None:
        if self.index < 1:
            raise ValueError("article index is 1-based")
        if not 0 <= self.start <= self.end:
            raise ValueError(f"bad article span {self.start}..{self.end}")

    @property
    def id(self) -> str:
        """Stable identifier ``relative/path#n``."""
        return f"{self.path}#{self.index}"

    @property
    def body(self) -> tuple[Paragraph, ...]:
        """Paragraphs that carry the story's text (body and sub-heads)."""
        return tuple(p for p in self.paragraphs if p.kind in ("body", "subhead"))


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
class Options:
    """Every tunable of the pipeline, passed by keyword to each stage.

    Thresholds are shares in 0..1. ``shingle`` is the character n-gram size for
    CJK text (words are used for Latin text); ``num_perm`` and ``bands`` shape
    the MinHash/LSH index. ``compare_pairs`` makes a scan explain every pair
    it finds (alignment and typed edits), not only list it. ``input_format``
    is ``auto`` (detect each file's format from its content) or one of
    ``FORMATS`` to read every input as that format.
    """

    encoding: str | None = None
    traditional: bool = False
    shingle: int = 4
    word_shingle: int = 3
    num_perm: int = 96
    bands: int = 32
    candidate_threshold: float = 0.1
    similarity_threshold: float = 0.6
    containment_threshold: float = 0.6
    min_chars: int = 80
    jobs: int = 1
    seed: int = 1
    compare_pairs: bool = True
    input_format: str = "auto"

    def __post_init__(self) -> None:
        for name in (
            "candidate_threshold",
            "similarity_threshold",
            "containment_threshold",
        ):
            value = getattr(self, name)
            if not 0.0 <= value <= 1.0:
                raise ValueError(f"{name} must be in 0..1, got {value}")
        if not 2 <= self.shingle <= 12:
            raise ValueError(f"shingle must be in 2..12, got {self.shingle}")
        if not 1 <= self.word_shingle <= 8:
            raise ValueError(f"word_shingle must be in 1..8, got {self.word_shingle}")
        if self.num_perm < 16 or self.num_perm % self.bands:
            raise ValueError(
                f"num_perm must be >= 16 and a multiple of bands, got {self.num_perm}/{self.bands}"
            )
        if self.jobs < 1:
            raise ValueError(f"jobs must be >= 1, got {self.jobs}")
        if self.input_format != "auto" and self.input_format not in FORMATS:
            raise ValueError(
                f"input_format must be auto or one of {', '.join(FORMATS)}, got {self.input_format!r}"
            )
