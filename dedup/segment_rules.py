"""The cues that ``dedup.segment`` reads: each block of a page (``dedup.segment_blocks``) given a role.

A block is a run of non-blank lines, or one line of a run whose lines are
paragraphs of their own (a page that breaks paragraphs by single line
breaks; ``line_breaks``). Its role (heading, headline, kicker,
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

from dedup.model import ParagraphKind
from dedup.segment_blocks import WIDE_GAP, Block, make_block
from dedup.text import hanzi_count

_NUM = r"[0-9０-９一二三四五六七八九十百A-Za-z]+"
# jump markers: OCR reads the full-width bracket （ as 〈 or < about as often as not
JUMP_OUT = re.compile(
    rf"[（(〈<]\s*(?:下转|转)(?:第|至第)?\s*({_NUM})\s*版[^）)〉>]{{0,10}}[）)〉>]\s*$"
    r"|\(?\s*continued\s+on\s+(?:page\s+)?([A-Z]?\d+[A-Z]?)\s*\)?\.?\s*$",
    re.IGNORECASE,
)
JUMP_IN = re.compile(
    rf"^\s*[（(〈<]\s*(?:上接|接)(?:第)?\s*({_NUM})\s*版[^）)〉>]{{0,10}}[）)〉>]"
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
# a paragraph opening with the reporter credit, read by OCR as one block with
# the first sentence: "本报记者 李华 王明基层强则国家强…"
LEAD_CREDIT = re.compile(
    r"^\s*(?:本报|新华社|中新社|全媒体)(?:特约|见习|实习)?记者[ \u3000]?[\u4e00-\u9fff]{2,3}"
    r"(?:[ \u3000、][\u4e00-\u9fff]{2,3})*"
)
_BYLINE = re.compile(
    r"^(?:本报|新华社|中新社|特约|实习)?记者|^本报通讯员|^通讯员|记者\s*[\u4e00-\u9fff]{2,4}$"
    r"|^[Bb][Yy]\s+[A-Z]",
)
# a header read as one run-on line by OCR ends with the reporter credit
_RUN_ON_BYLINE = re.compile(
    r"((?:本报|全媒体|日报|新华社|中新社)记者)(?:[ \u3000]?[\u4e00-\u9fff]{2,3}"
    r"(?:[ \u3000、][\u4e00-\u9fff]{2,3})*)?"  # the names may be misread
    r"|本报(?:\d{1,2}月\d{1,2}日)?讯\s*[（(][^）)\n]{0,30}[）)]"
)
# a sentence opening with its date ("2023年7月10日，…") is no headline
_DATED_SENTENCE = re.compile(r"^(?:\d{4}年)?\d{1,2}月\d{1,2}日[，,]")
_CAPTION = re.compile(
    r"(?:摄|摄影)[）)]?\s*$|(?:剧照|资料图片|资料照片|供图|图片为资料图片)[。）)]?\s*$|^[（(]?图为"
)
# a line that is only a photo's credit: "本报记者 张野 摄"
_PHOTO_CREDIT = re.compile(
    r"^(?:(?:本报|新华社|中新社|人民日报)?(?:特约|实习)?(?:记者|通讯员)[ \u3000]?)?"
    r"[\u4e00-\u9fff]{2,4}(?:[ \u3000、][\u4e00-\u9fff]{2,4})*[ \u3000]?摄(?:影)?$"
)
_EDITOR = re.compile(
    r"^(?:本版编辑|责任编辑|编辑|美编|校对|版式设计|本版统筹|Editor|Edited by)[:：\s\u3000]"
)
_FURNITURE = re.compile(
    rf"^(?:导读|今日导读|本期导读|目录|▶.*|第{_NUM}版|{_NUM}版)$"
)
_TERMINAL = "。！？!?；;…，,、"
_PUNCT = re.compile(r"[。！？!?；;…，,、：:（()）“”\"]")


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
    bracket, or a long clause before its first comma, is no headline. A
    longer line with no punctuation at all, made of a few spaced parts, is a
    headline and its deck read as one line.
    """
    if not clean or "。" in clean or not _balanced(clean) or _DATED_SENTENCE.match(clean):
        return False
    if hanzi_count(clean) >= 2:
        if len(clean) > 48:
            parts = clean.split()
            return len(clean) <= 100 and 2 <= len(parts) <= 3 and not _PUNCT.search(clean) and max(map(len, parts)) <= 48
        if clean[-1] in _TERMINAL or clean[0] in _TERMINAL:
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
    a caption as one block; the credit (a reporter's, or a 本报讯（记者…）
    lede), with a headline-like text before it and no full stop, marks the
    block as the head of a story.
    """
    m = _RUN_ON_BYLINE.search(key, 0, 90)
    if not m or m.start() < 4 or any(c in key[: m.start()] for c in "。，,"):
        return ""  # a credit inside a sentence ("近日，…记者从长春市了解到") heads nothing
    return m.group() if headline_like(key[: m.start()].strip()[:48]) else ""


# share of a headline's character pairs (or words) that its story's opening repeats
_ECHO = 0.6


def echoed(head: str, text: str) -> bool:
    """Does the opening of ``text`` restate the line ``head``?

    A story's first sentence, or the summary under its headline, mostly
    repeats the headline's words; a piece of a sentence broken off by a
    column end is not repeated by the text that goes on with it.
    """
    grams = {head[k : k + 2] for k in range(len(head) - 1) if hanzi_count(head[k : k + 2]) == 2}
    opening = text[: 2 * len(head) + 40]
    if len(grams) < 4:
        grams = {w for w in re.findall(r"[a-z]{4,}", head.lower())}
        opening = opening.lower()
    return len(grams) >= 3 and sum(g in opening for g in grams) >= _ECHO * len(grams)


# a run-on header with text after its credit goes on into the story
_RUN_ON_REST = 20


def head_cut(text: str, ruled: str, block: Block) -> tuple[Block, Block, Block] | None:
    """A run-on header block (``run_on``) cut into headline, credit and the story's first text.

    None when the credit is not found in the page as the rules read it
    (a credit broken over two lines).
    """
    credit = run_on_byline(block.key)
    at = ruled.find(credit, block.start, block.end) if credit else -1
    if at <= block.start:
        return None
    end = at + len(credit)
    rest = end + len(text[end : block.end]) - len(text[end : block.end].lstrip())
    if rest >= block.end:
        return None

    def part(start: int, stop: int) -> Block:
        first = block.first_line + text.count("\n", block.start, start)
        last = first + text.count("\n", start, stop)
        b = make_block(text, ruled, start, stop, first, last, block.gap_before if start == block.start else 0)
        b.gap_after = block.gap_after if stop == block.end else 0
        return b

    head_end = len(text[block.start : at].rstrip()) + block.start
    return part(block.start, head_end), part(at, end), part(rest, block.end)


def _kicker_like(block: Block) -> bool:
    """A line ending in a dash (read from the key, where OCR's ``-一`` is mended) leads a headline."""
    key = block.key
    if len(key) > 100 or "。" in key:
        return False
    raw_end = any(line.rstrip().endswith("——") for line in block.raw.splitlines())
    return raw_end or key.startswith("——") or key.rstrip().endswith("——")


def _wide(block: Block) -> bool:
    return block.gap_before >= WIDE_GAP or block.gap_after >= WIDE_GAP


def photo_credit(key: str) -> bool:
    """Is the line only the credit of a photo ("本报记者 张野 摄")? Its caption is the block above."""
    return len(key) <= 24 and bool(_PHOTO_CREDIT.match(key))


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


def classify(block: Block, shape_captions: bool = True) -> str:
    """The role of one block, from its own text and the gaps around it.

    ``shape_captions`` off, a short sentence set off by a wide gap is body,
    not a caption: on a page that would otherwise hold no story at all.
    """
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
    if headline_like(c):
        return "headline"
    credit = run_on_byline(c)
    if credit:
        return "run_on" if len(c) - c.find(credit) - len(credit) > _RUN_ON_REST else "headline"
    if shape_captions and caption_shape(block, block.gap_before >= WIDE_GAP):
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
