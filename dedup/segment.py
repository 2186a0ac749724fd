"""Split a page into its articles, deciding block by block from every cue.

A page holds stories and furniture (editor lines, teasers, captions, column
labels). Cues (``dedup.segment_rules``): Markdown headings, headline shape,
bylines and 本报讯 ledes, datelines, jump markers ((下转第二版), (上接第一版),
Continued on page 2), credits, and the wide gaps around captions and stories.
A Markdown story and a plain one may share a page: each is read on its own.
A page whose only captions are known by their shape is read again without
them when it would otherwise hold no story. ``dedup.segment_build`` makes the
articles of what this walk gathers.
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Sequence

from dedup.model import Article, Document, ParagraphKind
from dedup.recut import apply_cuts
from dedup.segment_blocks import WIDE_GAP, Block, blocks, clean_text, rule_text
from dedup.segment_build import HEADERISH as _HEADERISH
from dedup.segment_build import Builder, assemble
from dedup.segment_rules import (
    JUMP_IN,
    JUMP_OUT,
    LEAD_CREDIT,
    LEDE,
    caption_shape,
    classify,
    echoed,
    ends_sentence,
    head_cut,
    photo_credit,
    run_on_byline,
    split_tail,
    style,
    subhead_shape,
)

__all__ = ["clean_text", "split"]

# a story's body is longer than this before a plain headline line with no
# byline, lede or wide gap can end it: a shorter one is a deck or a lead-in
# sentence, and the line a column-broken piece of its next sentence (a
# continuation's body began on another page)
_SHORTEST_BODY = 80


class _Segmenter:
    """Walk a page's blocks once, opening, filling and closing articles."""

    def __init__(self, doc: Document, shape_captions: bool = True) -> None:
        self.doc = doc
        self.text = doc.text
        self.ruled = rule_text(doc.text)
        self.blocks = blocks(doc.text, self.ruled)
        for b in self.blocks:
            b.role = classify(b, shape_captions)
        if shape_captions:
            self._mark_neighbours()
        self.builders: list[Builder] = []
        self.cur: Builder | None = None
        self.side: Builder | None = None  # furniture met inside ``side_of``
        self.side_of: Builder | None = None

    def _mark_neighbours(self) -> None:
        """Roles read from neighbours: a column label (新闻走廊) is a short plain line
        right above a headline; a short sentence between a closing byline and a
        wide gap is a photo's caption, and so are short sentences under a story
        cut off at 下转…; so is a 图为… text right above a photo's credit line,
        and the two are furniture wherever they stand."""
        seq: list[Block | None] = [None, *self.blocks, None]
        under_jump = False
        for k, b in enumerate(self.blocks, start=1):
            prev, nxt = seq[k - 1], seq[k + 1]
            if b.role == "caption" and photo_credit(b.key) and prev is not None and "图为" in prev.key:
                prev.role, prev.gap_after, b.gap_before = "caption", WIDE_GAP, WIDE_GAP
                continue
            after_header = prev is not None and prev.role in _HEADERISH
            if b.role == "headline" and not b.level and len(b.key) <= 6 and "——" not in b.key:
                if nxt is not None and nxt.role in _HEADERISH and not after_header:
                    b.role = "furniture"
            elif b.role == "body" and prev is not None and prev.role == "byline" and nxt is not None:
                below = caption_shape(b, b.gap_after >= WIDE_GAP) and nxt.role != "body"
                b.role = "caption" if below else b.role
            elif b.role == "body" and under_jump and caption_shape(b, True):
                below = nxt is None or nxt.role != "body" or caption_shape(nxt, True)
                b.role = "caption" if below else b.role  # a short sentence under a story cut off at 下转…
            under_jump = self._closes(b) or (under_jump and b.role == "caption")

    def _closes(self, b: Block) -> bool:
        """Does block ``b`` end a story with a jump marker or a dateline?"""
        if b.role in ("jump_out", "dateline"):
            return True
        return b.role == "body" and split_tail(b, self.ruled)[-1][2] in ("jump", "dateline")

    # -- decisions -------------------------------------------------------
    def _run_has_byline(self, i: int) -> bool:
        """Does the header run starting at block ``i`` carry a byline, a 本报讯 lede or a
        first paragraph opening with the reporter credit?"""
        if self.blocks[i].role == "run_on":
            return True
        j = i
        while j < len(self.blocks) and self.blocks[j].role in _HEADERISH and j - i < 4:
            if run_on_byline(self.blocks[j].key):
                return True
            j += 1
        if j >= len(self.blocks):
            return False
        nxt = self.blocks[j]
        return nxt.role == "byline" or (nxt.role == "body" and bool(LEDE.match(nxt.key) or LEAD_CREDIT.match(nxt.key)))

    def _mid_sentence(self, i: int) -> bool:
        """Block ``i`` goes on with a sentence the block before it left open (a column break).

        Not so when a byline or lede follows, or when the next block restates
        it: then it is a headline under a story that was cut short.
        """
        if i == 0 or self.blocks[i].gap_before >= WIDE_GAP:
            return False
        prev = self.blocks[i - 1]
        if prev.role != "body" or ends_sentence(prev.key) or self._run_has_byline(i):
            return False
        nxt = self.blocks[i + 1] if i + 1 < len(self.blocks) else None
        return nxt is None or not echoed(self.blocks[i].key, nxt.key)  # a headline its text restates

    def _evidence(self, i: int) -> bool:
        """Strong evidence that block ``i`` heads a new story: a byline or lede, or a wide gap."""
        return self.blocks[i].gap_before >= WIDE_GAP or self._run_has_byline(i)

    def _is_strong(self, i: int) -> bool:
        b = self.blocks[i]
        if b.role in ("jump_out", "jump_in", "dateline", "editor", "furniture", "run_on"):
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
        if not continuation and cur.body_chars() < _SHORTEST_BODY:  # a deck or a lead-in
            return False
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

    def _story_goes_on(self, i: int) -> bool:
        """Does body text follow the captions from block ``i`` on?"""
        j = i + 1
        while j < len(self.blocks) and self.blocks[j].role == "caption":
            j += 1
        return j < len(self.blocks) and self.blocks[j].role == "body"

    # -- building --------------------------------------------------------
    def _start(self, kind: str = "story") -> Builder:
        self.cur = Builder(kind=kind)
        self.builders.append(self.cur)
        return self.cur

    def _open(self) -> Builder | None:
        """The story being filled, or None when the last one is closed or furniture."""
        cur = self.cur
        return cur if cur is not None and not cur.closed and cur.kind != "furniture" else None

    def _furniture(self, b: Block, kind: ParagraphKind) -> None:
        cur = self.cur
        if cur is None or cur.kind != "furniture":
            cur = self._start("furniture")
        cur.paras.append((b.start, b.end, kind))
        cur.blocks.append(b)

    def run(self) -> list[Builder]:
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
                self._caption(i, b)
            elif role == "run_on":
                self._run_on(i, b)
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

    def _run_on(self, i: int, b: Block) -> None:
        """A headline, its credit and the story's first text read by OCR as one block."""
        parts = head_cut(self.text, self.ruled, b)
        if parts is None:
            self._body(b)
            return
        head, credit, rest = parts
        self._header(i, head, "headline")
        self._byline(credit)
        self._body(rest)

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

    def _caption(self, i: int, b: Block) -> None:
        """A caption set off by a wide gap, or ending a story, is furniture: the story stays open.

        A titleless story keeps it (the text of a photo), and so does a story
        that goes on right below it (a photo set inside the text)."""
        cur = self._open()
        if cur is None:
            self._furniture(b, "caption")
            return
        set_off = b.gap_before >= WIDE_GAP or b.gap_after >= WIDE_GAP
        if (cur.kind == "story" and not cur.header) or (not set_off and self._story_goes_on(i)):
            cur.add(b, "caption")
            cur.has_body = True
            return
        if not cur.has_body and cur.header and cur.header[-1][1] != "byline" and not b.key.endswith("摄"):
            self._body(b)  # the summary sentence right under a headline
            return
        if self.side_of is not cur or self.side is None:
            self.side, self.side_of = Builder(kind="furniture"), cur
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
    articles = assemble(doc, _Segmenter(doc).run())
    if all(a.kind == "furniture" for a in articles):
        # captions known by their shape alone (a short sentence after a wide
        # gap) are no captions on a page that holds nothing else: its text is a story
        retry = assemble(doc, _Segmenter(doc, shape_captions=False).run())
        articles = retry if any(a.kind != "furniture" for a in retry) else articles
    return apply_cuts(doc.text, articles, cuts) if cuts else articles


