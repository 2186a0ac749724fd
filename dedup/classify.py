"""Say what kind of difference each change is, and why: the edit types and their reasons.

``dedup.diff`` finds the changes between two aligned texts; this module types
each one (``classify``) and makes it an ``Edit`` (``to_edits``). The types are
kept apart from the diff because they rest on evidence the diff does not need:
the look-alike glyph table (``confusables``), the word list (``lexicon``) and
the OCR engine's word confidences (``dedup.evidence``).

Edit types, from least to most important:

* ``whitespace``: spaces, line and paragraph breaks, invisible format characters.
* ``markup``: Markdown markers (heading level, bold, quote marks).
* ``punctuation``: width (，/, ９/9) or punctuation only (、/, “/", a dropped comma).
* ``variant``: traditional/simplified forms (only when folding them).
* ``ocr``: a likely recognition error: look-alike glyphs (``confusables``),
  a stray or dropped single character, or a short replacement touching a
  word the OCR engine was unsure of (``dedup.evidence.low_confidence``); also a weaker
  likeness (a score from ``WEAK_THRESHOLD`` up, or a shared part) when the
  substitution turns a dictionary word into a non-word (``lexicon``). A
  one-hanzi look-alike that leaves a word on both sides (讲话/说话) needs
  ``STRONG_THRESHOLD``, else it is wording; a same-length substitution that
  breaks a word on one side only (``_broken_word``; see ``dedup.evidence``).
* ``inversion``: swapped neighbours (实务/务实), or a clause moved within the block.
* ``wording``: an editorial change: words added, removed or replaced (距→距离).
* ``missing`` / ``extra``: a long run (or whole paragraphs) only in A / only in B.
* ``truncation``: one version stops where the other goes on.

Note that every offset in an Edit indexes the original text of its document.
"""

from __future__ import annotations

from collections.abc import Iterable
from typing import TYPE_CHECKING

import dedup.lexicon as lexicon
from dedup.confusables import STRONG_THRESHOLD, WEAK_THRESHOLD
from dedup.confusables import is_lookalike as _is_lookalike
from dedup.confusables import shared_part as _shared_part
from dedup.confusables import similarity as _glyph_similarity
from dedup.minor import classify_minor, is_punct, show
from dedup.model import EDIT_TYPES, MINOR_TYPES, Change, Edit, EditType
from dedup.ocrsigns import symbol_read
from dedup.text import LETTERS_ONLY, is_cjk
from dedup.wordswap import editor_swap

if TYPE_CHECKING:  # the diff imports this module; a change is only read here
    from dedup.model import Change

__all__ = [
    "EDIT_TYPES",
    "LONG_RUN",
    "MINOR_TYPES",
    "Edit",
    "EditType",
    "classify",
    "is_rare",
    "letters",
    "lookalike",
    "show",
    "to_edits",
    "weak_likeness",
]


# A one-sided run of at least this many letters is missing/extra text, not wording.
LONG_RUN = 16
# Longest edit (in folded characters per side) checked against the confusables table.
LOOKALIKE_MAX = 3

# Function words and measure words: adding or dropping one is an editor's choice,
# not a recognition error.
FUNCTION_WORDS = frozenset(
    "的了着地得之也都又就还而且并和与及或在于对把被将从向以为是有这那其该此各每"
    "个些位名项条次部件种张份所们吗呢吧啊"
)


# Measure words: one swapped for another (这趟车/这辆车) is an editor's choice.
MEASURE_WORDS = frozenset("个只条张件本台辆趟架艘部匹头把支根座栋间家所次回遍场批项份种类位名")


def letters(s: str) -> str:
    """Letters, digits and symbols only: whitespace and punctuation removed.

    The classifier's notion of "text": a change whose two sides have the same
    letters differs in punctuation or spacing only.
    """
    return s.translate(LETTERS_ONLY)


def _count(s: str) -> int:
    return len(letters(s))


def lookalike(a: str, b: str) -> float | None:
    """Look-alike score (0..1) of two short texts, or None when they do not look alike.

    Equal-length texts are compared character by character (every differing
    pair must be look-alikes; the score is the lowest); others as wholes, so
    that ``rn``/``m`` counts too.
    """
    if not a or not b or len(a) > LOOKALIKE_MAX or len(b) > LOOKALIKE_MAX:
        return None
    if len(a) == len(b):
        pairs = [(x, y) for x, y in zip(a, b, strict=True) if x != y]
        if not pairs or not all(_is_lookalike(x, y) for x, y in pairs):
            return None
        return min(_glyph_similarity(x, y) for x, y in pairs)
    if _is_lookalike(a, b):
        return _glyph_similarity(a, b)
    return None


def weak_likeness(a: str, b: str) -> str | None:
    """How two hanzi weakly resemble each other, or None when they do not.

    A table score from ``WEAK_THRESHOLD`` (but below the look-alike
    threshold) or a part drawn the same way in both (讠 of 论/训) counts; each
    alone passes for about 1% of random pairs, so it is evidence only
    together with another sign (see ``classify``).
    """
    score = _glyph_similarity(a, b)
    if score >= WEAK_THRESHOLD:
        return f"shape {score:.2f}"
    part = _shared_part(a, b)
    if part is not None:
        return f"same {part} part"
    return None


def _weakly_alike(a: str, b: str) -> bool:
    """Whether two equal-length texts differ only in weakly look-alike glyphs."""
    return len(a) == len(b) and all(
        weak_likeness(x, y) is not None for x, y in zip(a, b, strict=True) if x != y
    )


def _strongly_alike(a: str, b: str) -> bool:
    """Whether two hanzi look alike enough to be misread for each other whatever the words."""
    return _glyph_similarity(a, b) >= STRONG_THRESHOLD


def _single_hanzi(change: Change, ba: str, bb: str) -> bool:
    """Whether the change replaces exactly one hanzi by another, nothing else."""
    return (
        len(ba) == len(bb) == 1
        and change.a_fold == ba
        and change.b_fold == bb
        and is_cjk(ba)
        and is_cjk(bb)
    )


def _rival_words(change: Change, ba: str, bb: str) -> tuple[str, str] | None:
    """Both sides' words when a one-hanzi substitution leaves a word on each side (讲话/说话)."""
    if not _single_hanzi(change, ba, bb):
        return None
    return lexicon.rival_words(change.context_a, ba, change.context_b, bb)


def _broken_lookalike(change: Change, ba: str, bb: str) -> str | None:
    """Reason to call a one-hanzi substitution a misreading: weak likeness and a broken word.

    An editor swaps a word for another word (民意/民声); a misreading mostly
    leaves a non-word (论道/训道). So a weak resemblance counts when exactly
    one side forms a dictionary word through the character (``lexicon``).
    """
    if not _single_hanzi(change, ba, bb):
        return None
    likeness = weak_likeness(ba, bb)
    if likeness is None:
        return None
    broken = lexicon.broken_word(change.context_a, ba, change.context_b, bb)
    if broken is None:
        return None
    word, non_word, _ = broken
    return f"look-alike glyphs {ba}/{bb} ({likeness}); {non_word} is no dictionary word, {word} is"


def _broken_word(change: Change, ba: str, bb: str) -> str | None:
    """Reason to call an equal-length hanzi substitution a misreading: it breaks a word.

    OCR replaces glyph for glyph, mostly by unlike ones (珲/再), leaving a
    non-word; an editor writes another word (民意/民声) or changes the length.
    """
    if not (
        ba
        and len(ba) == len(bb) <= LOOKALIKE_MAX + 1
        and change.a_fold == ba
        and change.b_fold == bb
        and all(is_cjk(c) for c in ba + bb)
    ):
        return None
    if ba in MEASURE_WORDS and bb in MEASURE_WORDS:
        return None
    broken = lexicon.broken_word(change.context_a, ba, change.context_b, bb)
    if broken is None:
        return None
    word, non_word, side = broken
    if len(word) == len(ba) + 1 and (word[0] in FUNCTION_WORDS or word[-1] in FUNCTION_WORDS):
        return None  # 这辆/这趟: a demonstrative and a measure word prove nothing
    suspect, other = ("B", "A") if side == "a" else ("A", "B")
    read, has = (bb, ba) if suspect == "B" else (ba, bb)
    return (
        f"{suspect} reads {read} where {other} has {has}: likely misread in {suspect} "
        f"({word} is a dictionary word, {non_word} is none)"
    )


# Spaces in a row that stand for characters the OCR engine could not read.
BLANKS = 2


def _blanked(change: Change, ba: str, bb: str) -> str | None:
    """Reason to call text lost where the other side has a run of spaces a misreading.

    Tesseract leaves blanks where it reads nothing (the end of a line of a
    column, a smudge): 创新“三长 against six spaces, “三定” against four and 机.
    An editor who drops words closes the gap, and never leaves spaces between
    hanzi.
    """
    for lost, blank, side in ((ba, change.b_text, "B"), (bb, change.a_text, "A")):
        if len(lost) > len(letters(blank)) and "\n" not in blank and " " * BLANKS in blank:
            other = "A" if side == "B" else "B"
            return (
                f"{side} has blanks where {other} has {show(lost)}: "
                f"characters lost in {side}'s recognition"
            )
    return None


def is_rare(c: str) -> bool:
    """Whether a hanzi lies outside GB2312: a name's character (嫄) more than a misreading."""
    try:
        c.encode("gb2312")
    except UnicodeEncodeError:
        return True
    return False


def _unworded_glyph(change: Change, ba: str, bb: str) -> bool:
    """Whether one common hanzi replaces another with no dictionary word on either side.

    An editor who changes one character writes another word (民意/民声) or a
    function or measure word (这趟/这辆); a name's character is often rare
    (嫄/楠). A glyph for glyph swap that leaves no word on either side is what
    a misreading of a word looks like (脏乱/肚乱).
    """
    return (
        _single_hanzi(change, ba, bb)
        and not lexicon.rival_words(change.context_a, ba, change.context_b, bb)
        and not {ba, bb} & (FUNCTION_WORDS | MEASURE_WORDS)
        and not (is_rare(ba) or is_rare(bb))
    )


def _split_word(context: tuple[str, str]) -> str | None:
    """The dictionary word that the gap between ``context``'s two halves falls inside, if any.

    None when the gap is a boundary between two words (中国|人民): there a
    word may well have been put in.
    """
    before, after = context
    if not before or not after:
        return None
    ends_word = any(lexicon.is_word(before[-n:]) for n in range(2, len(before) + 1))
    starts_word = any(lexicon.is_word(after[:n]) for n in range(2, len(after) + 1))
    if ends_word and starts_word:
        return None
    for n in range(lexicon.MAX_WORD, lexicon.MIN_WORD - 1, -1):
        for k in range(1, n):
            if k <= len(before) and n - k <= len(after):
                word = before[len(before) - k :] + after[: n - k]
                if lexicon.is_word(word):
                    return word
    return None


def _one_char_reason(c: str, added: bool, context: tuple[str, str]) -> tuple[EditType, str]:
    """Type of one character present on one side only.

    A function word, or a hanzi that makes a dictionary word with its
    neighbours (距→距离, 长春→长春市), is an editor's; any other is a stray
    or dropped glyph. So is any character that splits a word of the other
    side (人民/人和民): an editor adds a word between words, not inside one.
    """
    inside = _split_word(context)
    if inside is not None:
        side = "B" if added else "A"
        return "ocr", f"stray {c} in {side} inside the word {inside}"
    if c in FUNCTION_WORDS:
        return "wording", f"function word {c} {'added' if added else 'dropped'}"
    if is_cjk(c):
        found = lexicon.words_through(context[0], c, context[1])
        if found:
            return "wording", f"{'added' if added else 'dropped'} {c}: {found[0][1]} is a word"
    kind = "stray" if added else "dropped"
    return "ocr", f"{kind} character {c}"


def classify(change: Change, *, traditional: bool = False) -> tuple[EditType, str]:
    """Type and reason of one change (A is the first version, B the second).

    >>> from dedup.diff import Change
    >>> classify(Change((0, 0), (0, 1), "", "征", "", "征"))
    ('ocr', 'stray character 征')
    >>> classify(Change((0, 1), (0, 1), "，", ",", role="normal"))
    ('punctuation', 'full-width/half-width punctuation ，/,')
    """
    a, b, fa, fb = change.a_text, change.b_text, change.a_fold, change.b_fold
    if change.role == "truncation":
        short, long_side = ("A", "B") if _count(a) <= _count(b) else ("B", "A")
        stop = show(a if short == "A" else b)
        more = _count(b if short == "A" else a)
        where = f"at {stop}" if stop else "here"
        return "truncation", f"{short} stops {where}; {long_side} goes on for {more} characters"
    if change.role == "block":
        if a and not b:
            return "missing", f"only in A: {_count(a)} characters ({show(a, 16)})"
        return "extra", f"only in B: {_count(b)} characters ({show(b, 16)})"
    if change.role == "normal":
        return classify_minor(a, b, traditional)
    ba, bb = letters(fa), letters(fb)
    if ba == bb:
        if any(is_punct(c) for c in fa + fb):
            return "punctuation", f"punctuation {show(fa) or 'none'} → {show(fb) or 'none'}"
        return "whitespace", "spacing changed"
    if change.partner:
        return "inversion", f"clause moved within the paragraph (similarity {change.partner:.2f})"
    if len(fa) == len(fb) >= 2 and sorted(fa) == sorted(fb):
        return "inversion", f"swapped {fa} → {fb}"
    blanked = _blanked(change, ba, bb)
    if blanked is not None:
        return "ocr", blanked
    if not bb and len(ba) >= LONG_RUN:
        return "missing", f"only in A: {len(ba)} characters"
    if not ba and len(bb) >= LONG_RUN:
        return "extra", f"only in B: {len(bb)} characters"
    swap = editor_swap(change, ba, bb, FUNCTION_WORDS - MEASURE_WORDS, _strongly_alike)
    if swap is not None:
        score = lookalike(ba, bb)
        return "wording", swap + (f" (look-alike score {score:.2f})" if score is not None else "")
    if (
        len(ba) >= 2
        and len(bb) >= 2
        and lexicon.is_word(ba)
        and lexicon.is_word(bb)
        and not _weakly_alike(ba, bb)
    ):
        return "wording", f"replaced {ba} → {bb}: both are words"
    score = lookalike(ba, bb)
    if score is not None:
        rivals = _rival_words(change, ba, bb) if score < STRONG_THRESHOLD else None
        if rivals is None:
            return "ocr", f"look-alike glyphs {ba}/{bb} (score {score:.2f})"
        return "wording", (
            f"replaced {ba} → {bb}: {rivals[0]} and {rivals[1]} are both words "
            f"(look-alike score {score:.2f})"
        )
    misread = _broken_lookalike(change, ba, bb) or _broken_word(change, ba, bb)
    if misread is not None:
        return "ocr", misread
    symbol = symbol_read(a, b, ba, bb)
    if symbol is not None:
        return "ocr", symbol
    if not ba and len(bb) == 1:
        return _one_char_reason(bb, added=True, context=change.context_b)
    if not bb and len(ba) == 1:
        return _one_char_reason(ba, added=False, context=change.context_a)
    if not ba:
        return "wording", f"added {show(fb)}"
    if not bb:
        return "wording", f"removed {show(fa)}"
    if len(ba) == len(bb) == 1 and not (is_cjk(ba) and is_cjk(bb)):
        return "ocr", f"character {ba} → {bb}"
    if _unworded_glyph(change, ba, bb):
        return "ocr", f"glyph {ba} read as {bb}: no dictionary word on either side"
    return "wording", f"replaced {show(fa)} → {show(fb)}"


def to_edits(found: Iterable[Change], *, block: int = -1, traditional: bool = False) -> list[Edit]:
    """Type every change and make it an Edit of the given block."""
    out = []
    for c in found:
        kind, reason = classify(c, traditional=traditional)
        out.append(Edit(kind, reason, c.a, c.b, c.a_text, c.b_text, block))
    return out
