"""An editor's choice of word, told from a misreading that happens to leave a word.

An editor who swaps a word mostly writes another *common* word for a common
word (推进/推动, 通过/经过, 提升/提高) and changes glyphs that neither look alike
nor are confused by the OCR engine. A misreading that leaves a word at all
mostly leaves a rare one (营建 for 党建, 曲牌 for 品牌). So a same-length hanzi
replacement is taken for an editor's when the words through it on both sides
are common (``dedup.lexicon.is_common``), no changed glyph pair looks alike
(``dedup.classify.weak_likeness``) and tesseract never confused the pair on renders of our
own text (``dedup.misreads``). Its reason says so, and ``dedup.evidence``
then leaves it ``wording`` even in a noisy OCR pair.
"""

from __future__ import annotations

from collections.abc import Callable

import dedup.lexicon as lexicon
from dedup.misreads import confused
from dedup.model import Change
from dedup.text import is_cjk

__all__ = ["EDITOR_CHOICE", "editor_swap"]

# Words of the reason of an editor's word swap (``dedup.evidence`` looks for them).
EDITOR_CHOICE = "like for like"
# Longest replacement (hanzi per side) judged as a word swap.
SWAP_MAX = 4


def _word_pair(change: Change, ba: str, bb: str) -> tuple[str, str] | None:
    """Common words through the replacement on both sides, in the same place, if any.

    The same place (same start and length around the change): an editor
    swaps the word in a slot (工作/工人); 以下 against 延伸 are two different
    words that only happen to pass through the changed glyph. Common: a rare
    word turns up through a misread glyph by chance (the dictionary holds
    330,000), a common one on both sides seldom does.
    """
    if lexicon.is_common(ba) and lexicon.is_common(bb):
        return ba, bb
    found_b = {
        (start, len(word)): word
        for start, word in lexicon.words_through(change.context_b[0], bb, change.context_b[1])
        if lexicon.is_common(word)
    }
    for start, word in lexicon.words_through(change.context_a[0], ba, change.context_a[1]):
        other = found_b.get((start, len(word)))
        if other is not None and other != word and lexicon.is_common(word):
            return word, other
    return None


def editor_swap(
    change: Change,
    ba: str,
    bb: str,
    minor: frozenset[str],
    alike: Callable[[str, str], bool],
) -> str | None:
    """Reason to call a same-length hanzi replacement an editor's choice of word, or None.

    Args:
        change: the change (its folded texts and contexts are read).
        ba: A's letters.
        bb: B's letters.
        minor: function words: one swapped for another (了/为) is a choice of word too.
        alike: whether two hanzi look even weakly alike (then it may be a misreading).
    """
    if not (
        ba
        and len(ba) == len(bb) <= SWAP_MAX
        and change.a_fold == ba
        and change.b_fold == bb
        and all(is_cjk(c) for c in ba + bb)
    ):
        return None
    pairs = [(x, y) for x, y in zip(ba, bb, strict=True) if x != y]
    if any(alike(x, y) or confused(x, y) for x, y in pairs):
        return None
    if len(ba) == 1 and ba in minor and bb in minor:
        return f"function word {ba} → {bb}: {EDITOR_CHOICE}"
    pair = _word_pair(change, ba, bb)
    if pair is None:
        return None
    wa, wb = pair
    return f"replaced {ba} → {bb}: {wa} and {wb} are both common words, {EDITOR_CHOICE}"
