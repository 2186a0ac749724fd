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
from collections.abc import Sequence
from dataclasses import replace

import dedup.lexicon as lexicon
from dedup.classify import FUNCTION_WORDS, letters
from dedup.model import Edit
from dedup.sortedlines import package_data
from dedup.text import is_cjk

__all__ = ["noise", "profile", "retype"]

# Profile keys and the values used when the data file lacks them.
_DEFAULTS = {"pair_rate": 8.0, "short_max": 4.0}
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


def noise(text: str) -> float:
    """Share of the hanzi of ``text`` that no dictionary word covers, or that are rare.

    >>> noise("基层党建工作") < noise("基伯党建收衍")
    True
    """
    if len(text) > _NOISE_MAX:
        return 0.0
    covered = [False] * len(text)
    for i in range(len(text)):
        for n in range(lexicon.MAX_WORD, lexicon.MIN_WORD - 1, -1):
            if i + n <= len(text) and lexicon.is_word(text[i : i + n]):
                for k in range(i, i + n):
                    covered[k] = True
                break
    hanzi = [i for i, c in enumerate(text) if is_cjk(c)]
    if not hanzi:
        return 0.0
    bad = sum(1 for i in hanzi if not covered[i] or _rare(text[i]))
    return bad / len(hanzi)


def _rare(c: str) -> bool:
    try:
        c.encode("gb2312")
    except UnicodeEncodeError:
        return True
    return False


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
        known_ocr: whether each side is known to be OCR output (word confidences).
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
        suspect = "A" if na > nb else "B"
    subs_at = sorted(e.a[0] for e in edits if e.type in ("ocr", "wording") and _short(e, limit))
    out: list[Edit] = []
    for e in edits:
        burst = _both_words(e) and _same_length(e) and _near(subs_at, e.a[0])
        if burst:
            e = _narrow(e)
        if e.type == "wording" and (
            (_short(e, limit) and not _both_words(e)) or _one_glyph(e) or burst
        ):
            la, lb = letters(e.a_text) or "nothing", letters(e.b_text) or "nothing"
            read, has = (lb, la) if suspect == "B" else (la, lb)
            other = "A" if suspect == "B" else "B"
            why = (
                f"{suspect} reads {read} where {other} has {has}: likely misread in {suspect} "
                f"(pair of {rate:.0f} short substitutions per 1000 characters)"
            )
            e = replace(e, type="ocr", reason=why)
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


def _one_glyph(e: Edit) -> bool:
    """Whether an edit adds or drops a single hanzi that is no function word."""
    la, lb = letters(e.a_text), letters(e.b_text)
    one = la or lb
    return not (la and lb) and len(one) == 1 and is_cjk(one) and one not in FUNCTION_WORDS


def _both_words(e: Edit) -> bool:
    """Whether both sides of a replacement are dictionary words (an editor's word swap)."""
    la, lb = letters(e.a_text), letters(e.b_text)
    return lexicon.is_word(la) and lexicon.is_word(lb)
