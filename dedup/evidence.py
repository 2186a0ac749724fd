"""Evidence above the single change: is a side OCR output, and how noisy is the pair?

A look-alike table and a word test judge one change at a time; many real
recognition errors pass neither (tesseract reads 珲 as 再, 品 as 名: no
likeness at all). What gives them away is their company: OCR output is full of
short substitutions, an editor makes a handful. So a pair is *noisy* when its
short substitutions per 1000 letters reach the rate fitted on real OCR
(``dedup/data/ocr_profile.tsv``, built by ``tools/build_ocr_profile.py`` from
renders of text of our own run through tesseract, against the editorial
changes of a real second printing), or when a side is known to be OCR (it
carries word confidences). In a noisy pair a short replacement typed
``wording`` is retyped ``ocr``, unless both of its sides are dictionary words
(an editor's word swap reads as words; a misreading rarely does).

The suspect side is the one with the higher noise profile: the share of its
hanzi that no dictionary word covers, plus rare characters (outside GB2312).
"""

from __future__ import annotations

import bisect
import functools
import re
from collections import Counter
from collections.abc import Sequence
from dataclasses import replace

import dedup.lexicon as lexicon
from dedup.classify import FUNCTION_WORDS, LONG_RUN, is_rare, letters, show
from dedup.model import Edit
from dedup.noisesigns import lost_at_break, one_common, ruled, specks, stray, word_misread
from dedup.readers import lowest_confidence
from dedup.sortedlines import package_data
from dedup.text import is_cjk
from dedup.wordswap import EDITOR_CHOICE

__all__ = [
    "OCR_MARKS",
    "Confidences",
    "join_misreadings",
    "low_confidence",
    "noise",
    "ocr_marks",
    "profile",
    "reads_as_ocr",
    "retype",
]

# Profile keys and the values used when the data file lacks them.
_DEFAULTS = {"pair_rate": 8.0, "short_max": 4.0, "side_marks": 2.0}
# Longest text whose noise profile is computed (longer sides count as clean).
_NOISE_MAX = 60_000


@functools.cache
def profile() -> dict[str, float]:
    """The fitted figures of ``dedup/data/ocr_profile.tsv`` (``key<TAB>value`` lines)."""
    out = dict(_DEFAULTS)
    try:
        lines = package_data("ocr_profile.tsv").decode("utf-8").splitlines()
    except FileNotFoundError:  # no fitted figures: the defaults
        lines = []
    for line in lines:
        if line and not line.startswith("#"):
            key, value = line.split("\t")[:2]
            out[key] = float(value)
    return out


@functools.lru_cache(maxsize=64)
def noise(text: str) -> float:
    """Share of the hanzi of ``text`` that no dictionary word covers, or that are rare.

    Cached: in a scan one article is compared with each of its partners.

    >>> noise("基层党建工作") < noise("基伯党建收衍")
    True
    """
    if len(text) > _NOISE_MAX:
        return 0.0
    covered = bytearray(len(text))
    is_word, lengths = lexicon.is_word, range(lexicon.MAX_WORD, lexicon.MIN_WORD - 1, -1)
    for i, c in enumerate(text):
        if not (is_cjk(c) or c.isalnum()):  # no dictionary word starts with a mark or a space
            continue
        for n in lengths:
            if is_word(text[i : i + n]):
                covered[i : i + n] = b"\x01" * n
                break
    hanzi = [i for i, c in enumerate(text) if is_cjk(c)]
    if not hanzi:
        return 0.0
    bad = sum(1 for i in hanzi if not covered[i] or is_rare(text[i]))
    return bad / len(hanzi)


def _short(e: Edit, limit: int) -> bool:
    la, lb = letters(e.a_text), letters(e.b_text)
    return bool(la) and bool(lb) and max(len(la), len(lb)) <= limit


def retype(
    edits: Sequence[Edit],
    text_a: str,
    text_b: str,
    *,
    known_ocr: tuple[bool, bool] = (False, False),
) -> list[Edit]:
    """Retype the short wording replacements of a noisy pair as ``ocr``, naming the suspect side.

    Args:
        edits: the typed edits of one comparison.
        text_a: A's folded article text (for the error rate and its noise profile).
        text_b: the same for B.
        known_ocr: whether each side is known to be OCR output (word
            confidences, or the marks of ``ocr_marks``).
    """
    prof = profile()
    limit = int(prof["short_max"])
    subs = sum(1 for e in edits if e.type in ("ocr", "wording") and _short(e, limit))
    size = max(1, (len(letters(text_a)) + len(letters(text_b))) // 2)
    rate = 1000.0 * subs / size
    if rate < prof["pair_rate"] and not any(known_ocr):
        return list(edits)
    na, nb = noise(text_a), noise(text_b)
    if known_ocr[0] != known_ocr[1]:
        suspect = "A" if known_ocr[0] else "B"
    else:
        # equal profiles name no side: either may be the OCR'd one (and the
        # typing must not depend on which page was given first)
        suspect = "A" if na > nb else "B" if nb > na else ""
    subs_at = sorted(e.a[0] for e in edits if e.type in ("ocr", "wording") and _short(e, limit))
    if rate >= prof["pair_rate"]:
        evidence = f"pair of {rate:.0f} short substitutions per 1000 characters"
    else:
        evidence = f"{suspect or 'one side'} reads as OCR output"
    out: list[Edit] = []
    for e in edits:
        if EDITOR_CHOICE in e.reason:
            out.append(e)  # common words on both sides, glyphs neither alike nor confused
            continue
        burst = False
        near = _near(subs_at, e.a[0])
        if _both_words(e) and _same_length(e) and word_misread(e, near, suspect, text_a, text_b):
            narrow = _narrow(e)
            # one glyph within a word (营建/党建) is a misreading; a whole new word is an
            # edit, unless it turns a common word into a rare one (辐射/加映)
            burst = len(letters(narrow.a_text)) == 1 or one_common(e)
            e = narrow if burst else e
        if e.type == "wording" and (
            (_short(e, limit) and not _both_words(e) and not _word_for_glyph(e))
            or _one_glyph(e)
            or burst
            or stray(e, suspect)
            or lost_at_break(e, suspect)
            or ruled(e, suspect)
            or specks(e)
        ):
            e = replace(e, type="ocr", reason=f"{_misread(e, suspect)} ({evidence})")
        elif e.type == "wording" and (lacking := _lacking(e, suspect)):
            lost, other = show(letters(e.a_text) or letters(e.b_text)), _OTHER[lacking]
            why = f"{lacking} lacks {lost} that {other} has: likely lost in {lacking}'s recognition"
            e = replace(e, type="ocr", reason=f"{why} ({evidence})")
        out.append(e)
    return out


# Two short substitutions this close (characters) are one burst of OCR noise.
_BURST = 24


def _near(starts: list[int], at: int) -> bool:
    """Whether another short substitution starts within ``_BURST`` characters of ``at``."""
    k = bisect.bisect_left(starts, at - _BURST)
    return any(s != at for s in starts[k : bisect.bisect_right(starts, at + _BURST)])


def _same_length(e: Edit) -> bool:
    return len(letters(e.a_text)) == len(letters(e.b_text))


def _narrow(e: Edit) -> Edit:
    """The edit without the equal text it took in on either end (for a misreading)."""
    a, b = e.a_text, e.b_text
    p = 0
    while p < min(len(a), len(b)) - 1 and a[p] == b[p]:
        p += 1
    s = 0
    while s < min(len(a), len(b)) - p - 1 and a[len(a) - 1 - s] == b[len(b) - 1 - s]:
        s += 1
    return replace(
        e,
        a=(e.a[0] + p, e.a[1] - s),
        b=(e.b[0] + p, e.b[1] - s),
        a_text=a[p : len(a) - s],
        b_text=b[p : len(b) - s],
    )


_OTHER = {"A": "B", "B": "A"}


def _misread(e: Edit, suspect: str) -> str:
    """Why a substitution is a misreading, naming the suspect side when there is one."""
    la, lb = letters(e.a_text) or "nothing", letters(e.b_text) or "nothing"
    if not suspect:
        return f"A reads {la} where B reads {lb}: likely a misreading in one of them"
    read, has = (lb, la) if suspect == "B" else (la, lb)
    return f"{suspect} reads {read} where {_OTHER[suspect]} has {has}: likely misread in {suspect}"


def _lacking(e: Edit, suspect: str) -> str:
    """The side (the suspect, or either when none is) that lost a run in recognition (``_lost``)."""
    sides = (suspect,) if suspect else ("A", "B")
    return next((s for s in sides if _lost(e, s)), "")


def _lost(e: Edit, suspect: str) -> bool:
    """Whether the suspect side lacks a short run the other has that is no single word.

    OCR loses the end of a column line or a smudged stretch wherever it falls
    (长”队伍建, 最突); an editor drops words (切实, 进一步) or whole sentences,
    which are long enough to be ``missing``/``extra`` anyway.
    """
    la, lb = letters(e.a_text), letters(e.b_text)
    run = la if suspect == "B" else lb
    if (la and lb) or len(run) < 2 or len(run) >= LONG_RUN or not all(map(is_cjk, run)):
        return False
    return not lexicon.is_word(run) and not all(c in FUNCTION_WORDS for c in run)


# Half-width punctuation followed by a space inside Chinese text, as tesseract writes it.
_SPACED = re.compile(r"[\u4e00-\u9fff] ?[;:,] [\u4e00-\u9fff]")
# A run of blanks between hanzi or Chinese punctuation: characters the engine could not read.
_BLANKS = re.compile(r"[\u4e00-\u9fff，。、“”；：]  +[\u4e00-\u9fff，。、“”；：]")
# 一 against a hyphen: tesseract's reading of a dash.
_DASH_ONE = re.compile(r"-一|一-")
# A full-width bracket read as an angle bracket and closed half-width: 〈乡镇).
_ANGLE = re.compile(r"〈[^〉\n]{0,30}[)）]")
# Full-width and half-width forms of one mark after a hanzi.
_WIDTHS = (("，", ","), ("；", ";"), ("：", ":"))
# Any of those marks after a hanzi: one pattern, so one compile of the hanzi class.
_AFTER_HANZI = re.compile("[\u4e00-\u9fff]([" + re.escape("".join(c for pair in _WIDTHS for c in pair)) + "])")
# Marks from which a side reads as OCR output (see ``ocr_marks``), as fitted.
OCR_MARKS = int(_DEFAULTS["side_marks"])


def ocr_marks(text: str) -> int:
    """How many signs of OCR output a Chinese text carries.

    A printed or web text uses one width of comma and one kind of quote
    throughout; tesseract mixes them (the lesser count of each mixed pair
    counts), follows a half-width mark with a space, leaves blanks where it
    read nothing, reads a dash as 一 next to a hyphen and a bracket as 〈
    closed by ). Clean text carries none of these, so a side with
    ``OCR_MARKS`` of them is taken for OCR output.

    >>> ocr_marks("成果; 文化活动，保障资源,提高水平")
    2
    >>> ocr_marks("成果；文化活动，保障资源，提高水平")
    0
    """
    after = Counter(_AFTER_HANZI.findall(text))  # a match never overlaps the next: a mark is no hanzi
    mixed = sum(min(after[full], after[half]) for full, half in _WIDTHS)
    quotes = min(text.count("“") + text.count("”"), text.count('"'))
    found = sum(len(p.findall(text)) for p in (_SPACED, _BLANKS, _DASH_ONE, _ANGLE))
    return mixed + quotes + found


def reads_as_ocr(paragraphs: Sequence[str], confidence: Confidences | None) -> bool:
    """Whether a side is OCR output: it carries word confidences, or ``OCR_MARKS`` in its text."""
    need = int(profile()["side_marks"])
    return bool(confidence) or ocr_marks("\n".join(paragraphs)) >= need


def _word_for_glyph(e: Edit) -> bool:
    """Whether one hanzi stands against a longer common word (说/表示, 群/平台).

    Tesseract reads glyph for glyph; turning one hanzi into a whole different
    word of two or more is an editor's choice of word, and an editor writes
    common words. A rare word against one hanzi (珲春/恒, 碰硬/三) is what
    tesseract leaves when it reads two glyphs as one.
    """
    la, lb = letters(e.a_text), letters(e.b_text)
    short, long_ = sorted((la, lb), key=len)
    return len(short) == 1 and is_cjk(short) and len(long_) > 1 and lexicon.is_common(long_)


def _one_glyph(e: Edit) -> bool:
    """Whether an edit adds or drops a single hanzi that is no function word."""
    la, lb = letters(e.a_text), letters(e.b_text)
    one = la or lb
    return not (la and lb) and len(one) == 1 and is_cjk(one) and one not in FUNCTION_WORDS


def _both_words(e: Edit) -> bool:
    """Whether both sides of a replacement are dictionary words (an editor's word swap)."""
    la, lb = letters(e.a_text), letters(e.b_text)
    return lexicon.is_word(la) and lexicon.is_word(lb)


# OCR word confidence (0..1) below which a short replacement is taken for a recognition error.
LOW_CONFIDENCE = 0.6
# Longest replacement (letters per side) that a low confidence retypes.
SHORT_REPLACEMENT = 4

Confidences = tuple[tuple[int, int, float], ...]


def low_confidence(
    edits: Sequence[Edit],
    confidence_a: Confidences | None,
    confidence_b: Confidences | None,
    *,
    threshold: float = LOW_CONFIDENCE,
) -> list[Edit]:
    """Retype as ``ocr`` the short ``wording`` replacements that touch a low-confidence OCR word.

    ``confidence_a``/``confidence_b`` are ``Document.confidence`` of each side
    (sorted ``(start, end, confidence)`` spans of the original text; None for
    text without OCR confidences). A replacement of at most
    ``SHORT_REPLACEMENT`` letters per side whose span on either side overlaps
    a word recognised with confidence below ``threshold`` becomes ``ocr``; the
    reason gives the confidence and keeps the wording reason.

    >>> e = Edit("wording", "replaced 犹如 → 狐丸", (0, 2), (0, 2), "犹如", "狐丸")
    >>> low_confidence([e], None, ((0, 2, 0.2),))[0].reason
    'low OCR confidence 0.20 in B (replaced 犹如 → 狐丸)'
    """
    if not confidence_a and not confidence_b:
        return list(edits)
    out: list[Edit] = []
    for e in edits:
        la, lb = letters(e.a_text), letters(e.b_text)
        if e.type == "wording" and la and lb and max(len(la), len(lb)) <= SHORT_REPLACEMENT:
            found = [
                (c, side)
                for c, side in (
                    (lowest_confidence(confidence_a, *e.a), "A"),
                    (lowest_confidence(confidence_b, *e.b), "B"),
                )
                if c is not None and c < threshold
            ]
            if found:
                c, side = min(found)
                e = replace(e, type="ocr", reason=f"low OCR confidence {c:.2f} in {side} ({e.reason})")
        out.append(e)
    return out


def join_misreadings(edits: Sequence[Edit]) -> list[Edit]:
    """Make a misreading and the punctuation or spacing touching it one ``ocr`` edit.

    Tesseract reads ``；挖掘`` as ``; 控据``: one misread stretch, which the
    character diff reports as a punctuation change, a space and a replacement
    side by side. Once typed, those that touch a misreading on both sides (same
    block) become part of it; a word change keeps its comma apart.
    """
    out: list[Edit] = []
    for e in edits:
        prev = out[-1] if out else None
        if (
            prev is not None
            and prev.block == e.block
            and prev.a[1] == e.a[0]
            and prev.b[1] == e.b[0]
            and {prev.type, e.type} & {"ocr"}
            and {prev.type, e.type} <= _JOINABLE
        ):
            main = prev if prev.type == "ocr" else e
            out[-1] = replace(
                main,
                a=(prev.a[0], e.a[1]),
                b=(prev.b[0], e.b[1]),
                a_text=prev.a_text + e.a_text,
                b_text=prev.b_text + e.b_text,
            )
            continue
        out.append(e)
    return out


# Edit types a misreading takes in when they touch it.
_JOINABLE = frozenset({"ocr", "punctuation", "whitespace"})
