"""The cues that ``dedup.segment`` reads: one page cut into blocks, each block given a role.

A block is a run of non-blank lines. Its role (heading, headline, kicker,
byline, caption, jump marker, dateline, editor line, furniture or body) is
decided from the block alone plus the blank space around it: pages set wide
gaps (two or more blank lines) around photo captions and between stories, one
blank line between paragraphs.

The rules read a *key* form of every block: traditional characters folded to
simplified (so that a page printed in traditional characters splits as its
simplified printing does) and the dash pairs OCR makes of ``——`` (``-一``,
``一-``, ``--``) read as ``——``. The fold keeps every offset, so spans found in
the key form are spans of the page.
"""

from __future__ import annotations

import re
from collections.abc import Iterator
from dataclasses import dataclass
from functools import lru_cache
from itertools import pairwise

from dedup.model import ParagraphKind
from dedup.text import hanzi_count

_NUM = r"[0-9０-９一二三四五六七八九十百A-Za-z]+"
JUMP_OUT = re.compile(
    rf"[（(]\s*(?:下转|转)(?:第|至第)?\s*({_NUM})\s*版[^）)]{{0,10}}[）)]\s*$"
    r"|\(?\s*continued\s+on\s+(?:page\s+)?([A-Z]?\d+[A-Z]?)\s*\)?\.?\s*$",
    re.IGNORECASE,
)
JUMP_IN = re.compile(
    rf"^\s*[（(]\s*(?:上接|接)(?:第)?\s*({_NUM})\s*版[^）)]{{0,10}}[）)]"
    r"|^\s*\(?\s*continued\s+from\s+(?:page\s+)?([A-Z]?\d+[A-Z]?)\s*\)?\.?",
    re.IGNORECASE,
)
DATELINE_END = re.compile(r"[（(](?:新华社|中新社|本报|人民日报)[^（）()\n]{0,30}电[）)]\s*$")
CREDIT_END = re.compile(
    r"(?<=[。！？!?”」』）)])\s*("
    r"[\u4e00-\u9fff]{0,12}(?:记者|通讯员)\s*[\u4e00-\u9fff]{2,4}"
    r"(?:[ \u3000、][\u4e00-\u9fff]{2,4})*)\s*$"
)
LEDE = re.compile(
    r"^\s*((?:本报(?:\d{1,2}月\d{1,2}日)?讯|(?:新华社|中新社)[^，,。\n]{0,20}电)"
    r"\s*(?:[（(][^）)\n]{0,40}[）)])?)"
)
_BYLINE = re.compile(
    r"^(?:本报|新华社|中新社|特约|实习)?记者|^本报通讯员|^通讯员|记者\s*[\u4e00-\u9fff]{2,4}$"
    r"|^[Bb][Yy]\s+[A-Z]",
)
# a header read as one run-on line by OCR ends with the reporter credit
_RUN_ON_BYLINE = re.compile(
    r"((?:本报|全媒体|日报|新华社|中新社)记者)[ \u3000]?[\u4e00-\u9fff]{2,3}"
    r"(?:[ \u3000、][\u4e00-\u9fff]{2,3})*"
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
MD_HEADING = re.compile(r"^[ \t\u3000]*(#{1,6})[ \t\u3000]+")
_MARKERS = re.compile(r"\*\*|__|^[ \t\u3000]*#{1,6}[ \t\u3000]+", re.MULTILINE)
_OCR_DASH = re.compile(
    r"(?<=[^\s\d])\s?(?:-一|一-|--|-—|—-|一—|—一)(?=\s?\S|$)|(?<=[\u4e00-\u9fff]{4})一(?=\s[\u4e00-\u9fff])"
)
# frequent characters that exist only in traditional writing: a page holding
# none of them needs no folding
_TRADITIONAL = re.compile("[們這個為會國時說對發經區過來與開關當報記訊華轉編輯攝圖構築體務鄉長]")
WIDE_GAP = 2  # blank lines that set off a caption or a new story


@dataclass
class Block:
    """A run of non-blank lines: its span, lines, text forms, heading level and role."""

    start: int
    end: int
    first_line: int
    last_line: int
    raw: str
    clean: str  # display form
    key: str  # the form the rules read (folded, dashes mended)
    level: int  # Markdown heading level, 0 when none
    gap_before: int = 0  # blank lines before, up to WIDE_GAP (the page's edges count none)
    gap_after: int = 0
    role: str = "body"


def clean_text(raw: str) -> str:
    """Display form of a block: Markdown markers removed, lines and spaces joined."""
    text = _MARKERS.sub("", raw)
    lines = [line.strip(" \t\u3000") for line in text.splitlines()]
    return " ".join(line for line in lines if line)


@lru_cache(maxsize=4096)
def _fold_simplified(ch: str) -> str:
    from dedup.normalize import _t2s

    conv = _t2s()
    out = conv.convert(ch) if conv is not None else ch  # type: ignore[attr-defined]
    return out if len(out) == 1 else ch


def rule_text(text: str) -> str:
    """The page as the rules read it: traditional folded to simplified, offsets kept."""
    if not _TRADITIONAL.search(text):
        return text
    return "".join(_fold_simplified(c) if ord(c) > 0x2E80 else c for c in text)


def blocks(text: str, ruled: str) -> list[Block]:
    """Runs of non-blank lines with their spans, 1-based line numbers and gaps."""
    out = list(_runs(text, ruled))
    for prev, nxt in pairwise(out):
        prev.gap_after = nxt.gap_before
    return out


def _runs(text: str, ruled: str) -> Iterator[Block]:
    start = end = -1
    first = last = 0
    blank = 0
    pos = 0
    for lineno, line in enumerate(text.splitlines(keepends=True), start=1):
        line_start = pos
        pos += len(line)
        if line.strip():
            if start < 0:
                start, first = line_start + len(line) - len(line.lstrip()), lineno
            end = line_start + len(line.rstrip())
            last = lineno
        elif start >= 0:
            yield _make_block(text, ruled, start, end, first, last, blank)
            start, blank = -1, 1
        elif blank < WIDE_GAP:
            blank += 1
    if start >= 0:
        yield _make_block(text, ruled, start, end, first, last, blank)


def _make_block(text: str, ruled: str, start: int, end: int, first: int, last: int, gap: int) -> Block:
    raw = text[start:end]
    m = MD_HEADING.match(raw)
    clean = clean_text(raw)
    key = clean if ruled is text else clean_text(ruled[start:end])
    if "-" in key or "一" in key or "—" in key:
        key = _OCR_DASH.sub("——", key)
    key = key.lstrip("，,、 ")
    level = len(m.group(1)) if m else 0
    return Block(start, end, first, last, raw, clean, key, level, min(gap, WIDE_GAP))


_PAIRS: tuple[tuple[str, str], ...] = (
    ("“", "”"), ("（", "）"), ("《", "》"), ("(", ")"), ("「", "」"), ("‘", "’"),
)


def _balanced(text: str) -> bool:
    """Brackets balance; in a short line one quote mark lost or doubled by OCR is forgiven."""
    for a, b in _PAIRS:
        na, nb = text.count(a), text.count(b)
        if na != nb and not (abs(na - nb) == 1 and min(na, nb) and a in "“‘" and len(text) <= 40):
            return False
    return True


def headline_like(clean: str) -> bool:
    """Could this line be a headline or sub-head (short, unpunctuated, whole)?

    Column breaks cut sentences into short pieces, so a piece with an open
    bracket, or a long clause before its first comma, is no headline.
    """
    if not clean or "。" in clean or not _balanced(clean):
        return False
    if hanzi_count(clean) >= 2:
        if len(clean) > 48 or clean[-1] in _TERMINAL or clean[0] in _TERMINAL:
            return False
        if len(re.findall("[，,]", clean)) >= 2:
            return False
        if len(re.split("[，,]", clean)[0]) > 12 < len(clean) and re.search("[，,]", clean):
            return False
        return not (clean[-1] in ":：" and len(clean) > 10)
    # the length first: a page on one line would be split into all its words
    return len(clean) <= 100 and 0 < len(clean.split()) <= 15 and clean[-1] not in ".,;:!?"


def run_on_byline(key: str) -> str:
    """The reporter credit inside a header read as one line (headline, deck, byline…), or ''.

    OCR reads a headline, its deck, the byline and even the first sentence or
    a caption as one block; the credit, with a headline-like text before it
    and no full stop, marks the block as the head of a story.
    """
    m = _RUN_ON_BYLINE.search(key, 0, 90)
    if not m or m.start() < 4 or any(c in key[: m.start()] for c in "。，,"):
        return ""  # a credit inside a sentence ("近日，…记者从长春市了解到") heads nothing
    return m.group() if headline_like(key[: m.start()].strip()[:48]) else ""


def _kicker_like(block: Block) -> bool:
    if len(block.key) > 100 or "。" in block.key:
        return False
    return any(line.rstrip().endswith("——") for line in block.raw.splitlines()) or block.key.startswith("——")


def _wide(block: Block) -> bool:
    return block.gap_before >= WIDE_GAP or block.gap_after >= WIDE_GAP


def caption_shape(block: Block, wide: bool) -> bool:
    """A short sentence, ``wide``-ly set off: the caption of a photo.

    A story's last paragraph may be short and sit before a wide gap, so the
    gap that counts is the one above (a story goes on below its photo).
    """
    c = block.key
    if len(c) > 60 or hanzi_count(c) < 8 or not wide or LEDE.match(c):
        return False
    stops = sum(c.count(p) for p in "。！？")
    return stops <= 1 and (stops == 0 or c[-1] == "。")


def classify(block: Block) -> str:
    """The role of one block, from its own text and the gaps around it."""
    c = block.key
    if JUMP_IN.match(c) and len(c) <= 30:
        return "jump_in"
    if JUMP_OUT.match(c) and len(c) <= 30:
        return "jump_out"
    if DATELINE_END.match(c) and len(c) <= 32:
        return "dateline"
    if _EDITOR.match(c) and len(c) <= 40:
        return "editor"
    if _FURNITURE.match(c):
        return "furniture"
    if _CAPTION.search(c) and (len(c) <= 40 or c.endswith("摄") or (_wide(block) and len(c) <= 80)):
        return "caption"
    if block.level:
        return "kicker" if c.endswith("——") else "heading"
    if len(c) <= 40 and "。" not in c and _BYLINE.search(c) and c[-1] not in ":：":
        return "byline"
    if _kicker_like(block):
        return "kicker"
    if headline_like(c) or run_on_byline(c):
        return "headline"
    if caption_shape(block, block.gap_before >= WIDE_GAP):
        return "caption"
    return "body"


def ends_sentence(key: str) -> bool:
    """Does the text end a sentence? A column break leaves it open.

    OCR reads a full stop after Chinese text as ``-`` or ``.`` as often as
    not, so those count too there.
    """
    if not key:
        return False
    if key[-1] in "-·" and len(key) > 1:
        return hanzi_count(key[-2]) == 1
    return key[-1] in "。！？!?…”」』）)：:.;；"


def style(text: str) -> str:
    """The shape of a sub-head: sub-heads of one story share one."""
    if "——" in text:
        return "dash"
    if re.search("[：:]", text):
        return "colon"
    if re.search("[，,]", text):
        return "comma"
    if re.search(r"\s", text.strip()):
        return "space"
    return "plain"


def split_tail(block: Block, ruled: str) -> list[tuple[int, int, str]]:
    """Cut a body block into body + trailing jump marker / dateline / credit."""
    start, end = block.start, block.end
    tail: list[tuple[int, int, str]] = []
    for pattern, kind in ((JUMP_OUT, "jump"), (DATELINE_END, "dateline"), (CREDIT_END, "byline")):
        # every tail pattern is anchored at the end and short: look only there
        m = pattern.search(ruled, max(start, end - _TAIL_WINDOW), end)
        if m and m.end() == end and m.start() > start:
            cut = m.start(1) if kind == "byline" else m.start()
            tail.insert(0, (cut, end, kind))
            end = cut
            while end > start and ruled[end - 1].isspace():
                end -= 1
    return [(start, end, "body"), *tail] if end > start else tail


_TAIL_WINDOW = 64


def subhead_shape(b: Block) -> bool:
    """Shaped like a sub-head: a deep '###' heading, a 'X—— Y' or 'X：' line, or a short label."""
    key = b.key.rstrip()
    return b.level >= 3 or key.endswith((":", "：")) or "——" in key[1:-2] or len(key) <= 6


def header_paragraphs(header: list[tuple[Block, str]]) -> tuple[list[tuple[int, int, ParagraphKind]], dict[str, str]]:
    """Name the header blocks: kicker(s), title, deck(s), byline(s)."""
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
