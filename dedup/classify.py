"""Say what kind of difference each change is, and why: the edit types and their reasons.

``dedup.diff`` finds the changes between two aligned texts; this module types
each one (``classify``) and makes it an ``Edit`` (``to_edits``). The types are
kept apart from the diff because they rest on evidence the diff does not need:
the look-alike glyph table (``confusables``), the word list (``lexicon``) and
the OCR engine's word confidences (``low_confidence``).

Edit types, from least to most important:

* ``whitespace``: spaces, line and paragraph breaks, invisible format characters.
* ``markup``: Markdown markers (heading level, bold, quote marks).
* ``punctuation``: width (，/, ９/9) or punctuation only (、/, “/", a dropped comma).
* ``variant``: traditional/simplified forms (only when folding them).
* ``ocr``: a likely recognition error: look-alike glyphs (``confusables``),
  a stray or dropped single character, or a short replacement touching a
  word the OCR engine was unsure of (``low_confidence``); also a weaker
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

import re
import unicodedata
from collections.abc import Iterable, Sequence
from dataclasses import replace
from typing import TYPE_CHECKING

import dedup.lexicon as lexicon
from dedup.confusables import STRONG_THRESHOLD, WEAK_THRESHOLD
from dedup.confusables import is_lookalike as _is_lookalike
from dedup.confusables import shared_part as _shared_part
from dedup.confusables import similarity as _glyph_similarity
from dedup.model import EDIT_TYPES, MINOR_TYPES, Change, Edit, EditType
from dedup.normalize import fold_char
from dedup.readers import lowest_confidence
from dedup.text import LETTERS_ONLY, is_cjk

if TYPE_CHECKING:  # the diff imports this module; a change is only read here
    from dedup.model import Change

__all__ = [
    "EDIT_TYPES",
    "LONG_RUN",
    "MINOR_TYPES",
    "Confidences",
    "Edit",
    "EditType",
    "classify",
    "letters",
    "lookalike",
    "low_confidence",
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


def _is_punct(c: str) -> bool:
    return unicodedata.category(c).startswith("P")


def letters(s: str) -> str:
    """Letters, digits and symbols only: whitespace and punctuation removed.

    The classifier's notion of "text": a change whose two sides have the same
    letters differs in punctuation or spacing only.
    """
    return s.translate(LETTERS_ONLY)


def _show(s: str, limit: int = 24) -> str:
    """A short display form of a text for a reason string."""
    s = " ".join(s.split())
    return s if len(s) <= limit else s[: limit - 1] + "…"


def _count(s: str) -> int:
    return len(letters(s))


_MD = re.compile(r"[#*_>]")


def _classify_normal(a: str, b: str, traditional: bool) -> tuple[EditType, str]:
    """Type of a difference that folding hides (so never wording)."""

    def visible(s: str) -> str:
        return "".join(c for c in s if not c.isspace() and unicodedata.category(c) != "Cf")

    va, vb = visible(a), visible(b)
    if va == vb:
        if any(unicodedata.category(c) == "Cf" for c in a + b) and "".join(a.split()) != "".join(
            b.split()
        ):
            return "whitespace", "invisible format character"
        breaks = max(a.count("\n"), b.count("\n"))
        what = "paragraph break" if breaks >= 2 else "line break" if breaks else "spacing"
        if not a.strip() and not b.strip():
            verb = "added" if not a else "removed" if not b else "changed"
            return "whitespace", f"{what} {verb}"
        return "whitespace", f"{what} changed"
    ma, mb = _MD.sub("", va), _MD.sub("", vb)
    if ma == mb:
        ha, hb = va.count("#"), vb.count("#")
        if ha != hb:
            return "markup", f"heading level {'#' * ha or 'none'} → {'#' * hb or 'none'}"
        return "markup", f"Markdown markers {_show(va) or 'none'} → {_show(vb) or 'none'}"
    if unicodedata.normalize("NFKC", ma) == unicodedata.normalize("NFKC", mb):
        if all(_is_punct(c) or not c.isalnum() for c in ma + mb):
            return "punctuation", f"full-width/half-width punctuation {_show(ma)}/{_show(mb)}"
        return "punctuation", f"full-width/half-width characters {_show(ma)}/{_show(mb)}"
    plain_a = "".join(fold_char(c) for c in ma)
    plain_b = "".join(fold_char(c) for c in mb)
    if plain_a == plain_b:
        return "punctuation", f"punctuation style {_show(ma)}/{_show(mb)}"
    if traditional or "".join(fold_char(c, True) for c in ma) == "".join(
        fold_char(c, True) for c in mb
    ):
        return "variant", f"traditional/simplified form {_show(ma)}/{_show(mb)}"
    return "punctuation", f"punctuation style {_show(ma)}/{_show(mb)}"


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


def _one_char_reason(c: str, added: bool, context: tuple[str, str]) -> tuple[EditType, str]:
    """Type of one character present on one side only.

    A function word, or a hanzi that makes a dictionary word with its
    neighbours (距→距离, 长春→长春市), is an editor's; any other is a stray
    or dropped glyph.
    """
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
        stop = _show(a if short == "A" else b)
        more = _count(b if short == "A" else a)
        where = f"at {stop}" if stop else "here"
        return "truncation", f"{short} stops {where}; {long_side} goes on for {more} characters"
    if change.role == "block":
        if a and not b:
            return "missing", f"only in A: {_count(a)} characters ({_show(a, 16)})"
        return "extra", f"only in B: {_count(b)} characters ({_show(b, 16)})"
    if change.role == "normal":
        return _classify_normal(a, b, traditional)
    ba, bb = letters(fa), letters(fb)
    if ba == bb:
        if any(_is_punct(c) for c in fa + fb):
            return "punctuation", f"punctuation {_show(fa) or 'none'} → {_show(fb) or 'none'}"
        return "whitespace", "spacing changed"
    if change.partner:
        return "inversion", f"clause moved within the paragraph (similarity {change.partner:.2f})"
    if len(fa) == len(fb) >= 2 and sorted(fa) == sorted(fb):
        return "inversion", f"swapped {fa} → {fb}"
    if not bb and len(ba) >= LONG_RUN:
        return "missing", f"only in A: {len(ba)} characters"
    if not ba and len(bb) >= LONG_RUN:
        return "extra", f"only in B: {len(bb)} characters"
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
    if not ba and len(bb) == 1:
        return _one_char_reason(bb, added=True, context=change.context_b)
    if not bb and len(ba) == 1:
        return _one_char_reason(ba, added=False, context=change.context_a)
    if not ba:
        return "wording", f"added {_show(fb)}"
    if not bb:
        return "wording", f"removed {_show(fa)}"
    if len(ba) == len(bb) == 1 and not (is_cjk(ba) and is_cjk(bb)):
        return "ocr", f"character {ba} → {bb}"
    return "wording", f"replaced {_show(fa)} → {_show(fb)}"


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


def to_edits(found: Iterable[Change], *, block: int = -1, traditional: bool = False) -> list[Edit]:
    """Type every change and make it an Edit of the given block."""
    out = []
    for c in found:
        kind, reason = classify(c, traditional=traditional)
        out.append(Edit(kind, reason, c.a, c.b, c.a_text, c.b_text, block))
    return out
