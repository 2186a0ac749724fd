"""Articles made of the segmenter's builders: header blocks named, furniture gathered.

``dedup.segment`` walks a page's blocks and fills one ``Builder`` per
article; this module turns the builders into ``Article`` records, numbered
from 1 in page order, with runs of furniture gathered into one article.
"""

from __future__ import annotations

from dataclasses import dataclass, field

from dedup.model import Article, Document, Paragraph, ParagraphKind
from dedup.segment_blocks import MD_HEADING, Block
from dedup.segment_rules import header_paragraphs
from dedup.text import line_of

HEADERISH = ("heading", "headline", "kicker")


@dataclass
class Builder:
    """One article being built: its header blocks, paragraphs and what closed it."""

    kind: str = "story"
    header: list[tuple[Block, str]] = field(default_factory=list)
    paras: list[tuple[int, int, str]] = field(default_factory=list)
    blocks: list[Block] = field(default_factory=list)
    byline: str = ""
    jump: str = ""
    continued_from: str = ""
    closed: bool = False
    has_body: bool = False
    subheads: list[Block] = field(default_factory=list)

    def add(self, b: Block, kind: str) -> None:
        """Append a block as one paragraph of ``kind``."""
        self.paras.append((b.start, b.end, kind))
        self.blocks.append(b)

    @property
    def title_level(self) -> int:
        levels = [b.level for b, role in self.header if b.level and role != "kicker"]
        return min(levels) if levels else 0

    def body_chars(self) -> int:
        """Characters of body text so far."""
        return sum(end - start for start, end, kind in self.paras if kind == "body")

    @property
    def has_title(self) -> bool:
        return any(role in HEADERISH for _, role in self.header)



def assemble(doc: Document, builders: list[Builder]) -> list[Article]:
    """The builders made articles: furniture gathered, headers named, numbered in page order."""
    articles: list[Article] = []
    pending_furniture: list[tuple[int, int, ParagraphKind]] = []

    def flush_furniture() -> None:
        if pending_furniture:
            _append(articles, doc, pending_furniture, {}, "furniture", "", "")
            pending_furniture.clear()

    for builder in builders:
        head, names = header_paragraphs(builder.header)
        paras: list[tuple[int, int, ParagraphKind]] = head + [
            (s, e, k) for s, e, k in builder.paras  # type: ignore[misc]
        ]
        paras.sort()
        body_chars = sum(e - s for s, e, k in paras if k in ("body", "subhead"))
        is_furniture = builder.kind in ("furniture", "photo") or body_chars == 0
        if builder.kind == "story" and not names["title"] and any(k == "caption" for _, _, k in paras):
            is_furniture = body_chars < 400
        if is_furniture:
            pending_furniture.extend(
                (s, e, k if k in ("caption", "editor", "furniture") else "furniture") for s, e, k in paras
            )
            continue
        flush_furniture()
        if not names["byline"] and builder.byline:
            names["byline"] = builder.byline
        kind = "continuation" if builder.kind == "continuation" else "story"
        _append(articles, doc, paras, names, kind, builder.jump, builder.continued_from)
    flush_furniture()
    return articles


def _append(
    articles: list[Article],
    doc: Document,
    paras: list[tuple[int, int, ParagraphKind]],
    names: dict[str, str],
    kind: str,
    jump: str,
    continued_from: str,
) -> None:
    text = doc.text
    paragraphs = tuple(Paragraph(s, e, text[s:e], k) for s, e, k in sorted(paras))
    start, end = paragraphs[0].start, paragraphs[-1].end
    title = names.get("title", "")
    level = 0
    for p in paragraphs:
        if p.kind == "title":
            m = MD_HEADING.match(p.text)
            level = len(m.group(1)) if m else 0
            break
    articles.append(
        Article(
            path=doc.path,
            index=len(articles) + 1,
            start=start,
            end=end,
            title=title,
            paragraphs=paragraphs,
            kind=kind,  # type: ignore[arg-type]
            kicker=names.get("kicker", ""),
            deck=names.get("deck", ""),
            byline=names.get("byline", ""),
            title_level=level,
            jump=jump,
            continued_from=continued_from,
            first_line=line_of(text, start),
            last_line=line_of(text, end),
        )
    )
