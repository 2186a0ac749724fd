"""Split a page into its articles, deciding block by block from every cue.

A page holds stories and furniture (editor lines, teasers, captions, column
labels). Cues (``dedup.segment_rules``): Markdown headings, headline shape,
bylines and 本报讯 ledes, datelines, jump markers ((下转第二版), (上接第一版),
Continued on page 2), credits, and the wide gaps around captions and stories.
A Markdown story and a plain one may share a page: each is read on its own.
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Sequence
from dataclasses import dataclass, field

from dedup.model import Article, Document, Paragraph, ParagraphKind
from dedup.recut import apply_cuts
from dedup.segment_rules import (
    JUMP_IN,
    JUMP_OUT,
    LEDE,
    MD_HEADING,
    WIDE_GAP,
    Block,
    blocks,
    caption_shape,
    classify,
    clean_text,
    ends_sentence,
    header_paragraphs,
    rule_text,
    run_on_byline,
    split_tail,
    style,
    subhead_shape,
)
from dedup.text import line_of

__all__ = ["clean_text", "split"]

_HEADERISH = ("heading", "headline", "kicker")


@dataclass
class _Builder:
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

    @property
    def has_title(self) -> bool:
        return any(role in _HEADERISH for _, role in self.header)


class _Segmenter:
    """Walk a page's blocks once, opening, filling and closing articles."""

    def __init__(self, doc: Document) -> None:
        self.doc = doc
        self.text = doc.text
        self.ruled = rule_text(doc.text)
        self.blocks = blocks(doc.text, self.ruled)
        for b in self.blocks:
            b.role = classify(b)
        self._mark_neighbours()
        self.builders: list[_Builder] = []
        self.cur: _Builder | None = None
        self.side: _Builder | None = None  # furniture met inside ``side_of``
        self.side_of: _Builder | None = None

    def _mark_neighbours(self) -> None:
        """Roles read from neighbours: a column label (新闻走廊) is a short plain line
        right above a headline; a short sentence between a closing byline and a
        wide gap is a photo's caption."""
        seq: list[Block | None] = [None, *self.blocks, None]
        for k, b in enumerate(self.blocks, start=1):
            prev, nxt = seq[k - 1], seq[k + 1]
            after_header = prev is not None and prev.role in _HEADERISH
            if b.role == "headline" and not b.level and len(b.key) <= 6 and "——" not in b.key:
                if nxt is not None and nxt.role in _HEADERISH and not after_header:
                    b.role = "furniture"
            elif b.role == "body" and prev is not None and prev.role == "byline" and nxt is not None:
                below = caption_shape(b, b.gap_after >= WIDE_GAP) and nxt.role != "body"
                b.role = "caption" if below else b.role

    # -- decisions -------------------------------------------------------
    def _run_has_byline(self, i: int) -> bool:
        """Does the header run starting at block ``i`` carry a byline or a 本报讯 lede?"""
        j = i
        while j < len(self.blocks) and self.blocks[j].role in _HEADERISH and j - i < 4:
            if run_on_byline(self.blocks[j].key):
                return True
            j += 1
        if j >= len(self.blocks):
            return False
        nxt = self.blocks[j]
        return nxt.role == "byline" or (nxt.role == "body" and bool(LEDE.match(nxt.key)))

    def _mid_sentence(self, i: int) -> bool:
        """Block ``i`` goes on with a sentence the block before it left open (a column break)."""
        if i == 0 or self.blocks[i].gap_before >= WIDE_GAP:
            return False
        prev = self.blocks[i - 1]
        return prev.role == "body" and not ends_sentence(prev.key) and not self._run_has_byline(i)

    def _evidence(self, i: int) -> bool:
        """Strong evidence that block ``i`` heads a new story: a byline or lede, or a wide gap."""
        return self.blocks[i].gap_before >= WIDE_GAP or self._run_has_byline(i)

    def _is_strong(self, i: int) -> bool:
        b = self.blocks[i]
        if b.role in ("jump_out", "jump_in", "dateline", "editor", "furniture"):
            return True
        if b.role in _HEADERISH and (b.level or self._run_has_byline(i)):
            return True
        return b.role == "body" and split_tail(b, self.ruled)[-1][2] != "body"

    def _new_story_at(self, i: int) -> bool:
        """Decide whether a headline-like block inside a story starts a new one."""
        cur = self.cur
        assert cur is not None
        b = self.blocks[i]
        if self._evidence(i) or b.role == "kicker":
            return True
        continuation = cur.kind == "continuation" and not cur.has_title
        if not cur.has_title and not continuation:
            return True
        if b.level and cur.title_level:
            return b.level <= cur.title_level
        if continuation and subhead_shape(b):  # a continuation keeps its inner sub-heads
            return False
        if b.level:
            return True
        if len(b.key) <= 6:  # 记者手记, a column label: stays inside
            return False
        # Plain page: sub-heads of one story share a shape (all "X，Y", all
        # "X Y"); a headline-like line whose shape no other candidate in this
        # stretch of the page shares is the headline of the next story.
        styles = Counter(style(blk.key) for blk in self._candidates(i))
        return styles[style(b.key)] <= 1

    def _candidates(self, i: int) -> list[Block]:
        assert self.cur is not None
        out = [blk for blk in self.cur.subheads if not blk.level]
        if self.cur.kind == "continuation":  # its "title" is the sub-head it resumes under
            out += [blk for blk, role in self.cur.header if role == "headline"]
        j = i
        prev_body = True
        while j < len(self.blocks):
            blk = self.blocks[j]
            if j > i and self._is_strong(j):
                break
            if blk.role == "headline" and not blk.level and prev_body:
                out.append(blk)
            prev_body = blk.role == "body"
            j += 1
        return out

    # -- building --------------------------------------------------------
    def _start(self, kind: str = "story") -> _Builder:
        self.cur = _Builder(kind=kind)
        self.builders.append(self.cur)
        return self.cur

    def _open(self) -> _Builder | None:
        """The story being filled, or None when the last one is closed or furniture."""
        cur = self.cur
        return cur if cur is not None and not cur.closed and cur.kind != "furniture" else None

    def _furniture(self, b: Block, kind: ParagraphKind) -> None:
        cur = self.cur
        if cur is None or cur.kind != "furniture":
            cur = self._start("furniture")
        cur.paras.append((b.start, b.end, kind))
        cur.blocks.append(b)

    def run(self) -> list[_Builder]:
        """Give every block to the article it belongs to; the builders in page order."""
        for i, b in enumerate(self.blocks):
            role = b.role
            cur = self._open()
            markdown_story = cur is not None and cur.has_body and cur.title_level
            if role == "headline" and markdown_story and not self._evidence(i):
                role = "body"  # a Markdown story is sectioned by '#' lines only
            if role == "headline" and self._mid_sentence(i):
                role = "body"
            if role in _HEADERISH:
                self._header(i, b, role)
            elif role == "byline":
                self._byline(b)
            elif role == "jump_in":
                cur = self._start("continuation")
                m = JUMP_IN.match(b.key)
                cur.continued_from = (m.group(1) or m.group(2) or "") if m else ""
                cur.add(b, "jump")
            elif role in ("jump_out", "dateline"):
                self._close(b, role)
            elif role in ("editor", "furniture"):
                self._editor(b, role)
            elif role == "caption":
                self._caption(b)
            else:
                self._body(b)
        return self.builders

    def _header(self, i: int, b: Block, role: str) -> None:
        cur = self._open()
        if cur is None or (cur.has_body and self._new_story_at(i)):
            cur = self._start()
        if cur.has_body:
            cur.add(b, "subhead")
            cur.subheads.append(b)
        else:
            cur.header.append((b, role))
            cur.blocks.append(b)
            cur.byline = cur.byline or run_on_byline(b.key)

    def _byline(self, b: Block) -> None:
        cur = self._open()
        if cur is not None and cur.has_body:
            cur.add(b, "byline")
            cur.byline = cur.byline or b.clean
            cur.closed = True
            return
        if cur is None:
            cur = self._start()
        cur.header.append((b, "byline"))
        cur.blocks.append(b)

    def _close(self, b: Block, role: str) -> None:
        cur = self._open()
        if cur is None:
            self._furniture(b, "furniture")
            return
        cur.add(b, "jump" if role == "jump_out" else "dateline")
        cur.closed = True
        if role == "jump_out":
            m = JUMP_OUT.search(b.key)
            cur.jump = (m.group(1) or m.group(2) or "") if m else ""

    def _editor(self, b: Block, role: str) -> None:
        cur = self._open()
        kind: ParagraphKind = "furniture" if role == "furniture" else "editor"
        if cur is not None and not cur.has_body:
            cur.kind = "furniture"
            cur.add(b, kind)
            return
        if cur is not None:
            cur.closed = True
        self._furniture(b, kind)

    def _caption(self, b: Block) -> None:
        """A caption set off by a wide gap is furniture, even inside a story: the story stays open."""
        cur = self._open()
        if cur is None:
            self._furniture(b, "caption")
            return
        set_off = b.gap_before >= WIDE_GAP or b.gap_after >= WIDE_GAP
        if not set_off or (cur.kind == "story" and not cur.header):  # run in, or a photo's text
            cur.add(b, "caption")
            cur.has_body = True
            return
        if not cur.has_body and cur.header and cur.header[-1][1] != "byline" and not b.key.endswith("摄"):
            self._body(b)  # the summary sentence right under a headline
            return
        if self.side_of is not cur or self.side is None:
            self.side, self.side_of = _Builder(kind="furniture"), cur
            self.builders.append(self.side)
        self.side.add(b, "caption")

    def _body(self, b: Block) -> None:
        cur = self._open()
        if cur is None:
            cur = self._start()
        pieces = split_tail(b, self.ruled)
        for start, end, kind in pieces:
            cur.paras.append((start, end, kind))
        if not cur.has_body and pieces and pieces[0][2] == "body":
            m = LEDE.match(b.key)
            if m and not cur.byline:
                cur.byline = b.clean[m.start(1) : m.end(1)].strip()
        cur.blocks.append(b)
        cur.has_body = True
        last = pieces[-1][2] if pieces else "body"
        if last in ("jump", "dateline", "byline"):
            if last == "byline":
                cur.byline = cur.byline or self.text[pieces[-1][0] : pieces[-1][1]].strip()
            if last == "jump":
                m = JUMP_OUT.search(self.ruled, b.start, b.end)
                cur.jump = (m.group(1) or m.group(2) or "") if m else ""
            cur.closed = True


def split(doc: Document, cuts: Sequence[int] = ()) -> list[Article]:
    """Split a document into its articles, furniture included (kind ``furniture``).

    Articles are numbered from 1 in page order. A page with no cue at all is
    one article. ``cuts`` are page offsets where a story is to be cut in two
    (``dedup.recut``: the evidence of other printings).

    >>> from dedup.model import Document
    >>> page = "# Title one\\n\\nBy Ann Lee\\n\\nText of one.\\n\\n# Title two\\n\\nText of two.\\n"
    >>> [a.title for a in split(Document("p.md", page, "utf-8"))]
    ['Title one', 'Title two']
    """
    builders = _Segmenter(doc).run()
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
    return apply_cuts(doc.text, articles, cuts) if cuts else articles


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
