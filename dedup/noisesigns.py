"""Signs that a change in a noisy pair is the OCR side's misreading, not an editor's.

``dedup.evidence.retype`` asks these once a pair reads as OCR (its error
rate, or a side known to be OCR) and it knows the suspect side: tesseract's
stray glyphs (``dedup.misreads``), glyphs lost at a line break, specks read as
figures, a column rule read as a bar, and word swaps that a misreading
leaves (a common word turned rare, or a word the suspect prints elsewhere).
"""

from __future__ import annotations

import dedup.lexicon as lexicon
import dedup.misreads as misreads
from dedup.classify import letters
from dedup.model import Edit
from dedup.ocrsigns import DASHES
from dedup.text import is_cjk

__all__ = ["lost_at_break", "one_common", "ruled", "specks", "stray", "word_misread"]


def word_misread(e: Edit, near: bool, suspect: str, text_a: str, text_b: str) -> bool:
    """Whether a swap of two dictionary words looks like a misreading of the suspect side.

    It does in a burst of other substitutions (``near``), when it turns a common word
    into a rare one (``one_common``), or when the suspect side prints the
    other side's word elsewhere (党建 throughout, 营建 once): a misreading is
    a slip in one place, an editor's new word is meant.
    """
    if near or one_common(e):
        return True
    own = {"A": (text_a, letters(e.b_text)), "B": (text_b, letters(e.a_text))}
    return any(theirs in text for text, theirs in (own[s] for s in _sides(suspect)))


def _sides(suspect: str) -> tuple[str, ...]:
    """The side to look at: the suspect, or either when the evidence names none."""
    return (suspect,) if suspect else ("A", "B")


def one_common(e: Edit) -> bool:
    """Whether one side of a word swap is a common word and the other a rare one (干部/二部).

    A misreading that leaves a word mostly turns a common word into a rare
    one; an editor trades like for like (推进/推动, 民意/民声).
    """
    return lexicon.is_common(letters(e.a_text)) != lexicon.is_common(letters(e.b_text))


def stray(e: Edit, suspect: str) -> bool:
    """Whether the suspect side alone has one hanzi that tesseract often puts in from nothing.

    On renders of our own text tesseract reads a speck or a rule as 和 (and
    人, 了) far more often than as anything else (``dedup.misreads``); an
    editor's added 和 is on the edited side, not on the OCR side.
    """
    return any(_stray_in(e, side) for side in _sides(suspect))


def _stray_in(e: Edit, side: str) -> bool:
    la, lb = letters(e.a_text), letters(e.b_text)
    one, other = (la, e.b_text) if side == "A" else (lb, e.a_text)
    if DASHES & set(other):
        one = one.replace("一", "")  # the other side's dash, read as 一 (——“ / 一“和)
        la, lb = (one, lb) if side == "A" else (la, one)
    return not (la and lb) and len(one) == 1 and misreads.is_stray(one)


def lost_at_break(e: Edit, suspect: str) -> bool:
    """Whether the suspect side lacks one hanzi that the other has next to a line break.

    Tesseract drops the first or last glyph of a line with the break around
    it (a paragraph break and 以 against .); an editor who adds a word leaves the break alone.
    """
    la, lb = letters(e.a_text), letters(e.b_text)
    for side in _sides(suspect):
        run, text = (lb, e.b_text) if side == "A" else (la, e.a_text)
        mine = la if side == "A" else lb
        if not mine and len(run) == 1 and is_cjk(run) and "\n" in text:
            return True
    return False


# Longest run of Latin letters or figures on one side only that reads as specks.
_SPECKS = 3


def specks(e: Edit) -> bool:
    """Whether one side alone has a few Latin letters or figures and nothing else (61, Il).

    Tesseract reads specks, rules and smudges as short runs of figures or
    Latin letters; an editor changes a figure (2022/2023) rather than adding
    one on its own between hanzi.
    """
    la, lb = letters(e.a_text), letters(e.b_text)
    one = la or lb
    return not (la and lb) and 0 < len(one) <= _SPECKS and one.isascii() and one.isalnum()


def ruled(e: Edit, suspect: str) -> bool:
    """Whether the suspect side's text holds a vertical bar: a column rule read as ``|``."""
    return any("|" in (e.a_text if side == "A" else e.b_text) for side in _sides(suspect))
