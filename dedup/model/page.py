"""Pages and their articles: what reading and splitting produce.

Note that every ``start``/``end`` offset in these records indexes the *original*
decoded text of the document (read without newline translation), never a
normalised copy.
"""

from __future__ import annotations

from collections.abc import Sequence
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
    spans of ``text``. Both are None for plain text. ``replaced`` counts the
    bytes read as U+FFFD because the codec could not decode them (only with
    ``--decode-errors replace``).
    """

    path: str
    text: str
    encoding: str
    format: str = "text"
    source: tuple[SourceSpan, ...] | None = None
    confidence: tuple[tuple[int, int, float], ...] | None = None
    replaced: int = 0


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


@dataclass(frozen=True, order=True)
class ArticleRef:
    """Which article: its document's name and its 1-based index there.

    Its text form ``path#n`` is the article id of every output; ``parse``
    reads it back (the path may itself hold ``#``: the index follows the last).
    Refs order by path, then by index as a number (``#2`` before ``#10``).
    """

    path: str
    index: int

    def __str__(self) -> str:
        return f"{self.path}#{self.index}"

    @classmethod
    def parse(cls, article_id: str) -> ArticleRef:
        """The ref of an id ``path#n``.

        Raises:
            ValueError: the id has no ``#n`` suffix with a positive whole number.
        """
        path, sep, n = article_id.rpartition("#")
        if not sep or not n.isdigit() or int(n) < 1:
            raise ValueError(f"not an article id (path#n): {article_id!r}")
        return cls(path, int(n))

    @classmethod
    def of(cls, article: Article) -> ArticleRef:
        """The ref of an article."""
        return cls(article.path, article.index)


@dataclass(frozen=True)
class ArticleText:
    """An article with the stretch of its document's text that it spans.

    Why: a report shows an article's original characters long after its file
    was read; carrying the span's text (not the whole page, not a path to read
    again) keeps reports true to what was compared, in bounded memory.
    ``text`` is ``document.text[article.start:article.end]``; ``source`` holds
    the document's source spans that overlap the article (HTML and OCR input).
    """

    article: Article
    text: str
    source: tuple[SourceSpan, ...] = ()

    def __post_init__(self) -> None:
        if len(self.text) != self.article.end - self.article.start:
            raise ValueError("article text does not match its span")

    @classmethod
    def cut(cls, article: Article, document: Document) -> ArticleText:
        """The article's stretch of ``document``, with its overlapping source spans."""
        spans = tuple(
            s for s in document.source or () if s.end > article.start and s.start < article.end
        )
        return cls(article, document.text[article.start : article.end], spans)

    def slice(self, start: int, end: int) -> str:
        """The document's text ``[start, end)`` (offsets into the whole document)."""
        base = self.article.start
        return self.text[max(start - base, 0) : max(end - base, 0)]


@dataclass(frozen=True, slots=True)
class ParagraphSpan:
    """Where a paragraph lies and what it is, without its text."""

    kind: ParagraphKind
    start: int
    end: int


@dataclass(frozen=True, slots=True)
class ArticleSummary:
    """What a scan keeps of an article: everything but its text.

    Why: a scan of 100k articles holds every article until it writes its
    outputs; their texts would double its memory, and only the compared pairs
    need them (as ``ArticleText``). Fields mean what they mean on ``Article``.
    """

    path: str
    index: int
    kind: ArticleKind
    title: str
    kicker: str
    deck: str
    byline: str
    start: int
    end: int
    first_line: int
    last_line: int
    jump: str
    continued_from: str
    paragraphs: tuple[ParagraphSpan, ...]

    @property
    def id(self) -> str:
        """Stable identifier ``relative/path#n``."""
        return f"{self.path}#{self.index}"

    @classmethod
    def of(cls, a: Article) -> ArticleSummary:
        """The summary of an article."""
        return cls(
            a.path, a.index, a.kind, a.title, a.kicker, a.deck, a.byline, a.start, a.end,
            a.first_line, a.last_line, a.jump, a.continued_from,
            tuple(ParagraphSpan(p.kind, p.start, p.end) for p in a.paragraphs),
        )


@dataclass(frozen=True, slots=True)
class DocumentSummary:
    """What a scan keeps of a page: how it was read, its articles, where its text came from."""

    path: str
    encoding: str
    format: str
    articles: tuple[ArticleSummary, ...]
    source: tuple[SourceSpan, ...] = ()

    @classmethod
    def of(cls, document: Document, articles: Sequence[Article]) -> DocumentSummary:
        """The summary of a document split into ``articles``."""
        return cls(
            document.path,
            document.encoding,
            document.format,
            tuple(ArticleSummary.of(a) for a in articles),
            document.source or (),
        )


def id_order(article_id: str) -> tuple[str, int]:
    """Sort key for ``path#n`` ids: path, then article number as a number.

    >>> sorted(["p.txt#10", "p.txt#2"], key=id_order)
    ['p.txt#2', 'p.txt#10']
    """
    path, _, n = article_id.rpartition("#")  # tolerant: an id without a number sorts first
    return path, int(n) if n.isdigit() else 0
