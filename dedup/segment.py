"""Split a page into its articles.

A newspaper page holds several stories and some furniture (editor lines,
teasers, photo captions). The cues are typographic and editorial: Markdown
headings (whose levels differ between printings of the same story), short
unpunctuated headline lines, bylines (本报记者…, 本报讯(记者…), By …),
datelines ((新华社北京11月25日电)), jump markers ((下转第二版), (上接第一版),
Continued on page 2) and trailing reporter credits. Pages without any Markdown
must split too, so every rule also works on plain lines.
"""

from __future__ import annotations

import array
import bisect
import functools
import re
from collections import Counter
from collections.abc import Iterator
from dataclasses import dataclass, field

from dedup.model import Article, Document, Paragraph, ParagraphKind
from dedup.text import hanzi_count

_NUM = r"[0-9０-９一二三四五六七八九十百A-Za-z]+"
_JUMP_OUT = re.compile(
    rf"[（(]\s*(?:下转|转)(?:第|至第)?\s*({_NUM})\s*版[^）)]{{0,10}}[）)]\s*$"
    r"|\(?\s*continued\s+on\s+(?:page\s+)?([A-Z]?\d+[A-Z]?)\s*\)?\.?\s*$",
    re.IGNORECASE,
)
_JUMP_IN = re.compile(
    rf"^\s*[（(]\s*(?:上接|接)(?:第)?\s*({_NUM})\s*版[^）)]{{0,10}}[）)]"
    r"|^\s*\(?\s*continued\s+from\s+(?:page\s+)?([A-Z]?\d+[A-Z]?)\s*\)?\.?",
    re.IGNORECASE,
)
_DATELINE_END = re.compile(r"[（(](?:新华社|中新社|本报|人民日报)[^（）()\n]{0,30}电[）)]\s*$")
_CREDIT_END = re.compile(
    r"(?<=[。！？!?”」』）)])\s*("
    r"[\u4e00-\u9fff]{0,12}(?:记者|通讯员)\s*[\u4e00-\u9fff]{2,4}"
    r"(?:[ \u3000、][\u4e00-\u9fff]{2,4})*)\s*$"
)
_LEDE = re.compile(
    r"^\s*((?:本报(?:\d{1,2}月\d{1,2}日)?讯|(?:新华社|中新社)[^，,。\n]{0,20}电)"
    r"\s*(?:[（(][^）)\n]{0,40}[）)])?)"
)
_BYLINE = re.compile(
    r"^(?:本报|新华社|中新社|特约|实习)?记者|^本报通讯员|^通讯员|记者\s*[\u4e00-\u9fff]{2,4}$"
    r"|^[Bb][Yy]\s+[A-Z]",
)
_CAPTION = re.compile(
    r"(?:摄|摄影)[）)]?\s*$|(?:剧照|资料图片|资料照片|供图|图片为资料图片)[。）)]?\s*$|^[（(]?图为"
)
_EDITOR = re.compile(
    r"^(?:本版编辑|责任编辑|编辑|美编|校对|版式设计|本版统筹|Editor|Edited by)[:：\s\u3000]"
)
_FURNITURE = re.compile(
    rf"^(?:导读|今日导读|本期导读|目录|▶.*|第{_NUM}版|{_NUM}版)$"
)
_TERMINAL = "。！？!?；;…，,、"
_MD_HEADING = re.compile(r"^[ \t\u3000]*(#{1,6})[ \t\u3000]+")
_MARKERS = re.compile(r"\*\*|__|^[ \t\u3000]*#{1,6}[ \t\u3000]+", re.MULTILINE)
_TAIL_WINDOW = 64


@dataclass
class _Block:
    start: int
    end: int
    first_line: int
    last_line: int
    raw: str
    clean: str
    level: int  # Markdown heading level, 0 when none
    role: str = "body"


def clean_text(raw: str) -> str:
    """Display form of a block: Markdown markers removed, lines and spaces joined."""
    text = _MARKERS.sub("", raw)
    lines = [line.strip(" \t\u3000") for line in text.splitlines()]
    return " ".join(line for line in lines if line)


def _blocks(text: str) -> Iterator[_Block]:
    """Yield runs of non-blank lines with their spans and 1-based line numbers."""
    start = end = -1
    first = last = 0
    pos = 0
    for lineno, line in enumerate(text.splitlines(keepends=True), start=1):
        line_start = pos
        pos += len(line)
        if line.strip():
            stripped = line.lstrip()
            if start < 0:
                start, first = line_start + len(line) - len(stripped), lineno
            end = line_start + len(line.rstrip())
            last = lineno
        elif start >= 0:
            yield _make_block(text, start, end, first, last)
            start = -1
    if start >= 0:
        yield _make_block(text, start, end, first, last)


def _make_block(text: str, start: int, end: int, first: int, last: int) -> _Block:
    raw = text[start:end]
    m = _MD_HEADING.match(raw)
    return _Block(start, end, first, last, raw, clean_text(raw), len(m.group(1)) if m else 0)


_PAIRS: tuple[tuple[str, str], ...] = (
    ("“", "”"), ("（", "）"), ("《", "》"), ("(", ")"), ("「", "」"), ("‘", "’"),
)


def _balanced(text: str) -> bool:
    return all(text.count(a) == text.count(b) for a, b in _PAIRS)


def _headline_like(clean: str) -> bool:
    """Could this line be a headline or sub-head (short, unpunctuated, whole)?

    Column breaks cut sentences into short pieces, so a piece with an open
    quote or bracket, or a long clause before its first comma, is no headline.
    """
    if not clean or "。" in clean or not _balanced(clean):
        return False
    if hanzi_count(clean) >= 2:
        if len(clean) > 48 or clean[-1] in _TERMINAL:
            return False
        if len(re.split("[，,]", clean)[0]) > 12 < len(clean) and re.search("[，,]", clean):
            return False
        return not (clean[-1] in ":：" and len(clean) > 10)
    words = clean.split()
    return 0 < len(words) <= 15 and len(clean) <= 100 and clean[-1] not in ".,;:!?"


def _kicker_like(block: _Block) -> bool:
    lines = [line.strip() for line in block.clean.split(" ")]
    if len(block.clean) > 100 or "。" in block.clean:
        return False
    return any(line.rstrip().endswith("——") for line in block.raw.splitlines()) or bool(
        lines and block.clean.startswith("——")
    )


def _classify(block: _Block) -> str:
    c = block.clean
    if _JUMP_IN.match(c) and len(c) <= 30:
        return "jump_in"
    if _JUMP_OUT.match(c) and len(c) <= 30:
        return "jump_out"
    if _DATELINE_END.match(c) and len(c) <= 32:
        return "dateline"
    if _EDITOR.match(c) and len(c) <= 40:
        return "editor"
    if _FURNITURE.match(c):
        return "furniture"
    if _CAPTION.search(c) and (len(c) <= 40 or c.endswith("摄")):
        return "caption"
    if block.level:
        return "kicker" if c.endswith("——") else "heading"
    if len(c) <= 40 and "。" not in c and _BYLINE.search(c) and c[-1] not in ":：":
        return "byline"
    if _kicker_like(block):
        return "kicker"
    if _headline_like(c):
        return "headline"
    return "body"


def _style(text: str) -> str:
    if "——" in text:
        return "dash"
    if re.search("[：:]", text):
        return "colon"
    if re.search("[，,]", text):
        return "comma"
    if re.search(r"\s", text.strip()):
        return "space"
    return "plain"


_HEADERISH = ("heading", "headline", "kicker")


@dataclass
class _Builder:
    kind: str = "story"
    header: list[tuple[_Block, str]] = field(default_factory=list)
    paras: list[tuple[int, int, str]] = field(default_factory=list)
    blocks: list[_Block] = field(default_factory=list)
    byline: str = ""
    jump: str = ""
    continued_from: str = ""
    closed: bool = False
    has_body: bool = False
    subheads: list[_Block] = field(default_factory=list)

    @property
    def title_level(self) -> int:
        levels = [b.level for b, role in self.header if b.level and role != "kicker"]
        return min(levels) if levels else 0

    @property
    def has_title(self) -> bool:
        return any(role in _HEADERISH for _, role in self.header)


def _split_tail(block: _Block, text: str) -> list[tuple[int, int, str]]:
    """Cut a body block into body + trailing jump marker / dateline / credit."""
    start, end = block.start, block.end
    tail: list[tuple[int, int, str]] = []
    for pattern, kind in ((_JUMP_OUT, "jump"), (_DATELINE_END, "dateline"), (_CREDIT_END, "byline")):
        # every tail pattern is anchored at the end and short: look only there
        m = pattern.search(text, max(start, end - _TAIL_WINDOW), end)
        if m and m.end() == end and m.start() > start:
            cut = m.start(1) if kind == "byline" else m.start()
            tail.insert(0, (cut, end, kind))
            end = cut
            while end > start and text[end - 1].isspace():
                end -= 1
    return [(start, end, "body"), *tail] if end > start else tail


class _Segmenter:
    def __init__(self, doc: Document) -> None:
        self.doc = doc
        self.text = doc.text
        self.blocks = list(_blocks(doc.text))
        for b in self.blocks:
            b.role = _classify(b)
        self.marked = any(b.level for b in self.blocks)
        self.builders: list[_Builder] = []
        self.cur: _Builder | None = None

    # -- decisions -------------------------------------------------------
    def _run_has_byline(self, i: int) -> bool:
        """Does the header run starting at block ``i`` carry a byline or a 本报讯 lede?"""
        j = i
        while j < len(self.blocks) and self.blocks[j].role in _HEADERISH and j - i < 4:
            j += 1
        if j >= len(self.blocks):
            return False
        nxt = self.blocks[j]
        return nxt.role == "byline" or (nxt.role == "body" and bool(_LEDE.match(nxt.clean)))

    def _is_strong(self, i: int) -> bool:
        b = self.blocks[i]
        if b.role in ("jump_out", "jump_in", "dateline", "editor", "furniture"):
            return True
        if b.role in _HEADERISH and (b.level or self._run_has_byline(i)):
            return True
        return b.role == "body" and _split_tail(b, self.text)[-1][2] != "body"

    def _new_story_at(self, i: int) -> bool:
        """Decide whether a headline-like block inside a story starts a new one."""
        cur = self.cur
        assert cur is not None
        b = self.blocks[i]
        if not cur.has_title or self._run_has_byline(i) or b.role == "kicker":
            return True
        if b.level:
            level = cur.title_level
            return not level or b.level <= level
        if len(b.clean) <= 6:  # 记者手记, a column label: stays inside
            return False
        # Plain page: sub-heads of one story share a shape (all "X，Y", all
        # "X Y"); a headline-like line whose shape no other candidate in this
        # stretch of the page shares is the headline of the next story.
        styles = Counter(_style(blk.clean) for blk in self._candidates(i))
        return styles[_style(b.clean)] <= 1

    def _candidates(self, i: int) -> list[_Block]:
        assert self.cur is not None
        out = [blk for blk in self.cur.subheads if not blk.level]
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

    def _furniture(self, b: _Block, kind: ParagraphKind) -> None:
        cur = self.cur
        if cur is None or cur.kind != "furniture":
            cur = self._start("furniture")
        cur.paras.append((b.start, b.end, kind))
        cur.blocks.append(b)

    def run(self) -> list[_Builder]:
        for i, b in enumerate(self.blocks):
            cur = self.cur
            role = b.role
            open_story = cur is not None and not cur.closed and cur.kind != "furniture"
            if role == "headline" and self.marked and open_story and cur is not None and cur.has_body:
                role = "body"  # on a Markdown page only '#' lines head sections
            if role in _HEADERISH:
                if not open_story or (cur is not None and cur.has_body and self._new_story_at(i)):
                    cur = self._start()
                assert cur is not None
                if cur.has_body:
                    cur.paras.append((b.start, b.end, "subhead"))
                    cur.blocks.append(b)
                    cur.subheads.append(b)
                else:
                    cur.header.append((b, role))
                    cur.blocks.append(b)
            elif role == "byline":
                if open_story and cur is not None and not cur.has_body:
                    cur.header.append((b, "byline"))
                    cur.blocks.append(b)
                elif open_story and cur is not None:
                    cur.paras.append((b.start, b.end, "byline"))
                    cur.blocks.append(b)
                    cur.byline = cur.byline or b.clean
                    cur.closed = True
                else:
                    cur = self._start()
                    cur.header.append((b, "byline"))
                    cur.blocks.append(b)
            elif role == "jump_in":
                cur = self._start("continuation")
                m = _JUMP_IN.match(b.clean)
                cur.continued_from = (m.group(1) or m.group(2) or "") if m else ""
                cur.paras.append((b.start, b.end, "jump"))
                cur.blocks.append(b)
            elif role in ("jump_out", "dateline"):
                if open_story and cur is not None:
                    cur.paras.append((b.start, b.end, "jump" if role == "jump_out" else "dateline"))
                    cur.blocks.append(b)
                    cur.closed = True
                    if role == "jump_out":
                        m = _JUMP_OUT.search(b.clean)
                        cur.jump = (m.group(1) or m.group(2) or "") if m else ""
                else:
                    self._furniture(b, "furniture")
            elif role in ("editor", "furniture"):
                if open_story and cur is not None and cur.has_body:
                    cur.closed = True
                if open_story and cur is not None and not cur.has_body:
                    cur.kind = "furniture"
                    cur.paras.append((b.start, b.end, "furniture" if role == "furniture" else "editor"))
                    cur.blocks.append(b)
                else:
                    self._furniture(b, "editor" if role == "editor" else "furniture")
            elif role == "caption":
                if open_story and cur is not None:
                    cur.paras.append((b.start, b.end, "caption"))
                    cur.blocks.append(b)
                    cur.has_body = True
                else:
                    cur = self._start("photo")
                    cur.paras.append((b.start, b.end, "caption"))
                    cur.blocks.append(b)
            else:  # body
                if not open_story or cur is None:
                    cur = self._start("photo" if cur is None or cur.closed else "story")
                    cur.kind = "story"
                pieces = _split_tail(b, self.text)
                for start, end, kind in pieces:
                    cur.paras.append((start, end, kind))
                if not cur.has_body and pieces and pieces[0][2] == "body":
                    m = _LEDE.match(b.clean)
                    if m and not cur.byline:
                        cur.byline = m.group(1).strip()
                cur.blocks.append(b)
                cur.has_body = True
                last = pieces[-1][2] if pieces else "body"
                if last in ("jump", "dateline", "byline"):
                    if last == "byline":
                        cur.byline = cur.byline or self.text[pieces[-1][0]:pieces[-1][1]].strip()
                    if last == "jump":
                        m = _JUMP_OUT.search(self.text, b.start, b.end)
                        cur.jump = (m.group(1) or m.group(2) or "") if m else ""
                    cur.closed = True
        return self.builders


def _header_paragraphs(builder: _Builder) -> tuple[list[tuple[int, int, ParagraphKind]], dict[str, str]]:
    """Name the header blocks: kicker(s), title, deck(s), byline(s)."""
    header = builder.header
    roles = [role for _, role in header]
    title_at = -1
    md = [(b.level, k) for k, (b, role) in enumerate(header) if b.level and role == "heading"]
    if md:
        title_at = min(md)[1]
    else:
        for k, (b, role) in enumerate(header):
            if role == "headline" and not b.clean.startswith("——"):
                title_at = k
                if k + 1 < len(header) and header[k + 1][1] != "headline":
                    break
    out: list[tuple[int, int, ParagraphKind]] = []
    names: dict[str, list[str]] = {"title": [], "kicker": [], "deck": [], "byline": []}
    for k, (b, role) in enumerate(header):
        kind: ParagraphKind
        if role == "byline":
            kind = "byline"
        elif k == title_at or (title_at < 0 and roles[k] == "kicker" and k == len(header) - 1):
            kind = "title"
        elif k < title_at or (title_at < 0 and roles[k] == "kicker"):
            kind = "kicker"
        else:
            kind = "deck"
        out.append((b.start, b.end, kind))
        names[kind].append(b.clean)
    return out, {key: " ".join(v) for key, v in names.items()}


def split(doc: Document) -> list[Article]:
    """Split a document into its articles, furniture included (kind ``furniture``).

    Articles are numbered from 1 in page order. A page with no cue at all is
    one article.

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
        head, names = _header_paragraphs(builder)
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
            m = _MD_HEADING.match(p.text)
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
            first_line=_line_of(text, start),
            last_line=_line_of(text, end),
        )
    )


def _line_of(text: str, offset: int) -> int:
    """1-based line number of ``offset`` (CRLF, CR and LF all end a line).

    The line breaks of ``text`` are found once (``_line_breaks``, cached for
    the page being split) and searched by bisection, so numbering every
    article of a page costs time linear in its size, not quadratic.
    """
    return bisect.bisect_left(_line_breaks(text), offset) + 1


@functools.lru_cache(maxsize=1)
def _line_breaks(text: str) -> array.array[int]:
    """Offsets of the line breaks of ``text``: each CR, and each LF not after a CR."""
    return array.array("q", (m.start() for m in _LINE_BREAK.finditer(text)))


_LINE_BREAK = re.compile(r"\r\n?|\n")
