"""Diff the characters of two aligned texts and say what kind of difference each edit is.

How: both texts are folded (``normalize.fold``) and diff-match-patch diffs the
folded texts (``Diff_Timeout = 0``, so the diff is optimal and the same on every
machine; then ``diff_cleanupSemantic``; a delete next to an insert becomes one
replacement, and a delete and an insert of the same text around a short common
run become one swap). Each such change maps back to the original texts through
the fold's offset map. The stretches the folded diff calls equal are then
walked character by character in the *original* texts, so that every
difference folding hid (，/, “/" spaces, line breaks, ``##``/``#``) is still
reported, as its own low-importance edit. Together the edits cover every
difference: applying them to A gives B exactly (see ``apply``).

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
  ``STRONG_THRESHOLD``, else it is wording.
* ``inversion``: swapped neighbours (实务/务实), or a clause moved within the block.
* ``wording``: an editorial change: words added, removed or replaced.
* ``missing`` / ``extra``: a long run (or whole paragraphs) only in A / only in B.
* ``truncation``: one version stops where the other goes on.

Note that every offset in an Edit indexes the original text of its document.
"""

from __future__ import annotations

import bisect
import re
import unicodedata
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, replace
from typing import Literal, get_args

from diff_match_patch import diff_match_patch
from rapidfuzz.distance import Indel

from dedup import lexicon
from dedup.confusables import STRONG_THRESHOLD, WEAK_THRESHOLD
from dedup.confusables import is_lookalike as _is_lookalike
from dedup.confusables import shared_part as _shared_part
from dedup.confusables import similarity as _glyph_similarity
from dedup.normalize import Folded, fold, fold_char
from dedup.readers import lowest_confidence
from dedup.text import is_cjk

EditType = Literal[
    "whitespace",
    "markup",
    "punctuation",
    "variant",
    "ocr",
    "inversion",
    "wording",
    "missing",
    "extra",
    "truncation",
]

#: Every edit type, from least to most important (the order reports use).
EDIT_TYPES: tuple[EditType, ...] = get_args(EditType)

# Types that only normalisation differences get: shown, but of low importance.
MINOR_TYPES: frozenset[str] = frozenset({"whitespace", "markup", "punctuation", "variant"})

Role = Literal["text", "normal", "block", "truncation"]

# A one-sided run of at least this many letters is missing/extra text, not wording.
LONG_RUN = 16
# A deleted and an inserted run this similar (and this long) are one moved clause.
MOVE_SIMILARITY = 0.75
MOVE_MIN = 6
# Longest edit (in folded characters per side) checked against the confusables table.
LOOKALIKE_MAX = 3

# Function words and measure words: adding or dropping one is an editor's choice,
# not a recognition error.
FUNCTION_WORDS = frozenset(
    "的了着地得之也都又就还而且并和与及或在于对把被将从向以为是有这那其该此各每"
    "个些位名项条次部件种张份所们吗呢吧啊"
)


@dataclass(frozen=True)
class Change:
    """One difference between two texts, before it is given a type.

    ``a``/``b`` are original-text spans, ``a_fold``/``b_fold`` the folded
    texts they hold. ``role`` says how it was found: ``text`` (the folded texts
    differ), ``normal`` (only folding hides it), ``block`` (a one-sided block),
    ``truncation`` (where one version stops). ``partner`` is the similarity
    to another change of the block holding the same clause (a move), else 0.
    ``context_a``/``context_b`` are the folded texts just before and after
    the change on each side (up to ``lexicon.MAX_WORD - 1`` characters), for
    telling whether a substitution breaks a word.
    """

    a: tuple[int, int]
    b: tuple[int, int]
    a_text: str
    b_text: str
    a_fold: str = ""
    b_fold: str = ""
    role: Role = "text"
    partner: float = 0.0
    context_a: tuple[str, str] = ("", "")
    context_b: tuple[str, str] = ("", "")

    def swapped(self) -> Change:
        """The same change seen from B's side."""
        return Change(
            self.b,
            self.a,
            self.b_text,
            self.a_text,
            self.b_fold,
            self.a_fold,
            self.role,
            self.partner,
            self.context_b,
            self.context_a,
        )

    def shifted(self, offset_a: int, offset_b: int) -> Change:
        """The change with its spans moved by the given offsets."""
        return replace(
            self,
            a=(self.a[0] + offset_a, self.a[1] + offset_a),
            b=(self.b[0] + offset_b, self.b[1] + offset_b),
        )


@dataclass(frozen=True)
class Edit:
    """One typed difference: where it is in A and in B, what it is, and why.

    ``a`` and ``b`` are ``(start, end)`` offsets into the original texts of the
    two documents; ``a_text``/``b_text`` are those slices. ``block`` is the index
    of the alignment block the edit belongs to (-1 when there is none).
    """

    type: EditType
    reason: str
    a: tuple[int, int]
    b: tuple[int, int]
    a_text: str
    b_text: str
    block: int = -1

    def __post_init__(self) -> None:
        if self.type not in EDIT_TYPES:
            raise ValueError(f"unknown edit type {self.type!r}")
        for (start, end), text in ((self.a, self.a_text), (self.b, self.b_text)):
            if not 0 <= start <= end or end - start != len(text):
                raise ValueError(f"bad edit span {start}..{end} for {text!r}")
        if self.a_text == self.b_text:
            raise ValueError("an edit must change something")


# ------------------------------------------------------------------ diffing


def _dmp() -> diff_match_patch:
    dmp = diff_match_patch()
    dmp.Diff_Timeout = 0  # optimal and deterministic, never cut short by the clock
    return dmp


def _runs(x: str, y: str) -> list[list[int]]:
    """Diff runs ``[op, len_a, len_b]``: op 0 = equal, 1 = change (delete and/or insert)."""
    dmp = _dmp()
    diffs = dmp.diff_main(x, y, False)
    dmp.diff_cleanupSemantic(diffs)
    runs: list[list[int]] = []
    for op, s in diffs:
        if op == 0:
            runs.append([0, len(s), len(s)])
            continue
        if not runs or runs[-1][0] == 0:
            runs.append([1, 0, 0])
        runs[-1][1 if op == -1 else 2] += len(s)
    return _join_swaps(runs, x, y)


def _join_swaps(runs: list[list[int]], x: str, y: str) -> list[list[int]]:
    """Make ``-X =Y +X`` (and ``+X =Y -X``) with a short Y one change: a swap of neighbours."""
    out: list[list[int]] = []
    pa = pb = 0
    k = 0
    while k < len(runs):
        r = runs[k]
        if (
            k + 2 < len(runs)
            and r[0] == 1
            and runs[k + 1][0] == 0
            and runs[k + 1][1] <= 3
            and runs[k + 2][0] == 1
        ):
            eq = runs[k + 1][1]
            r2 = runs[k + 2]
            qa, qb = pa + r[1] + eq, pb + r[2] + eq
            moved_a = x[pa : pa + r[1]] if r[2] == 0 and r2[1] == 0 else None
            moved_b = y[qb : qb + r2[2]] if moved_a is not None else None
            back_b = y[pb : pb + r[2]] if r[1] == 0 and r2[2] == 0 else None
            back_a = x[qa : qa + r2[1]] if back_b is not None else None
            if (moved_a and moved_a == moved_b) or (back_b and back_b == back_a):
                la, lb = r[1] + eq + r2[1], r[2] + eq + r2[2]
                sa, sb = x[pa : pa + la], y[pb : pb + lb]
                head = 0  # -实 =务实 +实 is the rotation 实务实/务实实: keep only 实务/务实
                while head < min(la, lb) - 1 and sa[head] == sb[head]:
                    head += 1
                tail = 0
                while tail < min(la, lb) - head - 1 and sa[la - 1 - tail] == sb[lb - 1 - tail]:
                    tail += 1
                if head:
                    out.append([0, head, head])
                out.append([1, la - head - tail, lb - head - tail])
                if tail:
                    out.append([0, tail, tail])
                pa, pb, k = pa + la, pb + lb, k + 3
                continue
        out.append(list(r))
        pa, pb, k = pa + r[1], pb + r[2], k + 1
    return out


def _mid(f: Folded, k: int) -> bool:
    """True when folded position ``k`` falls inside one original character's expansion."""
    return 0 < k < len(f.text) and f.index[k] == f.index[k - 1]


def _snap(runs: list[list[int]], fa: Folded, fb: Folded) -> list[list[int]]:
    """Widen changes so that none starts or ends inside one character's expansion (… → ...)."""
    runs = [list(r) for r in runs]
    k = 0
    ka = kb = 0
    while k < len(runs):
        r = runs[k]
        if r[0] == 0:
            ka, kb, k = ka + r[1], kb + r[2], k + 1
            continue
        while (_mid(fa, ka) or _mid(fb, kb)) and k > 0 and runs[k - 1][1] > 0:
            runs[k - 1][1] -= 1
            runs[k - 1][2] -= 1
            r[1] += 1
            r[2] += 1
            ka, kb = ka - 1, kb - 1
        if k > 0 and runs[k - 1][1] == 0:  # the equal run before is used up: merge
            del runs[k - 1]
            k -= 1
            if k > 0 and runs[k - 1][0] == 1:
                prev = runs.pop(k - 1)
                k -= 1
                ka, kb = ka - prev[1], kb - prev[2]
                r[1] += prev[1]
                r[2] += prev[2]
            continue
        while (_mid(fa, ka + r[1]) or _mid(fb, kb + r[2])) and k + 1 < len(runs):
            nxt = runs[k + 1]
            if nxt[0] == 1:
                r[1] += nxt[1]
                r[2] += nxt[2]
                del runs[k + 1]
                continue
            nxt[1] -= 1
            nxt[2] -= 1
            r[1] += 1
            r[2] += 1
            if nxt[1] == 0:
                del runs[k + 1]
        ka, kb, k = ka + r[1], kb + r[2], k + 1
    return runs


class _Walker:
    """Walks the diff runs over the original texts and collects the changes."""

    def __init__(self, ta: str, tb: str, fa: Folded, fb: Folded) -> None:
        self.ta, self.tb, self.fa, self.fb = ta, tb, fa, fb
        self.pa = self.pb = 0  # original offsets covered so far
        self.ka = self.kb = 0  # folded offsets covered so far
        self.out: list[Change] = []
        self.pending: list[int] | None = None  # normal change being extended [a0, a1, b0, b1]
        self.blank = False  # whether the pending change is whitespace only
        self.dmp = _dmp()

    def flush(self) -> None:
        if self.pending is not None:
            a0, a1, b0, b1 = self.pending
            self.out.append(Change((a0, a1), (b0, b1), self.ta[a0:a1], self.tb[b0:b1], role="normal"))
            self.pending = None

    def piece(self, a0: int, a1: int, b0: int, b1: int) -> None:
        """Compare one original piece of each side; record it if the pieces differ."""
        x, y = self.ta[a0:a1], self.tb[b0:b1]
        if x == y:
            return
        blank = not (x + y).strip()
        p = self.pending
        # a run of differences is one edit, but a break never joins a punctuation mark
        if p is not None and p[1] == a0 and p[3] == b0 and self.blank == blank:
            p[1], p[3] = a1, b1
            return
        self.flush()
        self.pending = [a0, a1, b0, b1]
        self.blank = blank

    def equal(self, length: int) -> None:
        """Walk an equal folded run, reporting what folding hid in it."""
        fa, fb, ta, tb = self.fa, self.fb, self.ta, self.tb
        end_a, end_b = self.ka + length, self.kb + length
        while self.ka < end_a:
            ra, rb = fa.ends[end_a - 1], fb.ends[end_b - 1]
            if ta[self.pa : ra] == tb[self.pb : rb]:
                self.pa, self.pb, self.ka, self.kb = ra, rb, end_a, end_b
                return
            c = self.dmp.diff_commonPrefix(ta[self.pa : ra], tb[self.pb : rb])
            if c:
                na = bisect.bisect_right(fa.ends, self.pa + c, self.ka, end_a) - self.ka
                nb = bisect.bisect_right(fb.ends, self.pb + c, self.kb, end_b) - self.kb
                t = min(na, nb)
                while t and fa.ends[self.ka + t - 1] - self.pa != fb.ends[self.kb + t - 1] - self.pb:
                    t -= 1
                if t:
                    self.pa = fa.ends[self.ka + t - 1]
                    self.pb = fb.ends[self.kb + t - 1]
                    self.ka, self.kb = self.ka + t, self.kb + t
                    continue
            g = self._group(end_a, end_b)
            ua0, ua1 = fa.index[self.ka], fa.ends[self.ka + g - 1]
            ub0, ub1 = fb.index[self.kb], fb.ends[self.kb + g - 1]
            self.piece(self.pa, ua0, self.pb, ub0)  # what folding dropped before the unit
            self.piece(ua0, ua1, ub0, ub1)  # the unit itself
            self.pa, self.pb = ua1, ub1
            self.ka, self.kb = self.ka + g, self.kb + g

    def _group(self, end_a: int, end_b: int) -> int:
        """Folded characters to take together so that both sides cover whole originals."""

        def grow(f: Folded, k: int, g: int, end: int) -> int:
            while k + g < end and f.index[k + g] == f.index[k + g - 1]:
                g += 1
            return g

        ga = grow(self.fa, self.ka, 1, end_a)
        gb = grow(self.fb, self.kb, 1, end_b)
        while ga != gb:
            g = max(ga, gb)
            ga = grow(self.fa, self.ka, g, end_a)
            gb = grow(self.fb, self.kb, g, end_b)
        return ga

    def change(self, la: int, lb: int) -> None:
        """Record one change of the folded diff with its original spans."""
        fa, fb = self.fa, self.fb
        a0, a1 = (fa.index[self.ka], fa.ends[self.ka + la - 1]) if la else (self.pa, self.pa)
        b0, b1 = (fb.index[self.kb], fb.ends[self.kb + lb - 1]) if lb else (self.pb, self.pb)
        self.piece(self.pa, a0, self.pb, b0)
        self.flush()
        self.out.append(
            Change(
                (a0, a1),
                (b0, b1),
                self.ta[a0:a1],
                self.tb[b0:b1],
                fa.text[self.ka : self.ka + la],
                fb.text[self.kb : self.kb + lb],
                context_a=_context(fa.text, self.ka, self.ka + la),
                context_b=_context(fb.text, self.kb, self.kb + lb),
            )
        )
        self.pa, self.pb = a1, b1
        self.ka, self.kb = self.ka + la, self.kb + lb

    def finish(self) -> list[Change]:
        self.piece(self.pa, len(self.ta), self.pb, len(self.tb))
        self.flush()
        return self.out


def _context(text: str, start: int, end: int) -> tuple[str, str]:
    """The folded text just before ``start`` and just after ``end`` (enough for a word)."""
    width = lexicon.MAX_WORD - 1
    return text[max(0, start - width) : start], text[end : end + width]


def changes(
    text_a: str,
    text_b: str,
    *,
    offset_a: int = 0,
    offset_b: int = 0,
    folded_a: Folded | None = None,
    folded_b: Folded | None = None,
    traditional: bool = False,
) -> list[Change]:
    """Every difference between two aligned texts, in order, not yet typed.

    Args:
        text_a: original text of A's block (one or more paragraphs with what lies between).
        text_b: the same for B.
        offset_a: where ``text_a`` starts in its document; added to every A span.
        offset_b: the same for B.
        folded_a: ``fold(text_a)`` when the caller has it already.
        folded_b: the same for B.
        traditional: fold traditional characters to simplified before diffing.

    Note that the changes tile both texts: the text between two changes is
    identical on both sides.
    """
    fa = folded_a if folded_a is not None else fold(text_a, traditional=traditional)
    fb = folded_b if folded_b is not None else fold(text_b, traditional=traditional)
    walker = _Walker(text_a, text_b, fa, fb)
    for op, la, lb in _snap(_runs(fa.text, fb.text), fa, fb):
        if op == 0:
            walker.equal(la)
        else:
            walker.change(la, lb)
    found = _pair_moves(walker.finish())
    if offset_a or offset_b:
        found = [c.shifted(offset_a, offset_b) for c in found]
    return found


def _pair_moves(found: list[Change]) -> list[Change]:
    """Mark a long deletion and a long insertion holding the same clause as a move."""
    dels = [k for k, c in enumerate(found) if c.role == "text" and _is_run(c.a_fold, c.b_fold)]
    ins = [k for k, c in enumerate(found) if c.role == "text" and _is_run(c.b_fold, c.a_fold)]
    if not dels or not ins:
        return found
    scored = sorted(
        (-_similar(found[d].a_fold, found[i].b_fold), d, i) for d in dels for i in ins
    )
    used: set[int] = set()
    out = list(found)
    for neg, d, i in scored:
        if -neg < MOVE_SIMILARITY or d in used or i in used:
            continue
        used.update((d, i))
        out[d] = replace(out[d], partner=round(-neg, 4))
        out[i] = replace(out[i], partner=round(-neg, 4))
    return out


def _is_run(long: str, short: str) -> bool:
    return len(letters(long)) >= MOVE_MIN and len(letters(short)) <= 2


def _similar(x: str, y: str) -> float:
    return float(Indel.normalized_similarity(letters(x), letters(y)))


# ------------------------------------------------------------ classification


def _is_punct(c: str) -> bool:
    return unicodedata.category(c).startswith("P")


def letters(s: str) -> str:
    """Letters, digits and symbols only: whitespace and punctuation removed.

    The classifier's notion of "text": a change whose two sides have the same
    letters differs in punctuation or spacing only.
    """
    return "".join(c for c in s if not c.isspace() and not _is_punct(c) and c != "\u200b")


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


def _one_char_reason(c: str, added: bool) -> tuple[EditType, str]:
    """Type of one character present on one side only."""
    if c in FUNCTION_WORDS:
        return "wording", f"function word {c} {'added' if added else 'dropped'}"
    kind = "stray" if added else "dropped"
    return "ocr", f"{kind} character {c}"


def classify(change: Change, *, traditional: bool = False) -> tuple[EditType, str]:
    """Type and reason of one change (A is the first version, B the second).

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
    score = lookalike(ba, bb)
    if score is not None:
        rivals = _rival_words(change, ba, bb) if score < STRONG_THRESHOLD else None
        if rivals is None:
            return "ocr", f"look-alike glyphs {ba}/{bb} (score {score:.2f})"
        return "wording", (
            f"replaced {ba} → {bb}: {rivals[0]} and {rivals[1]} are both words "
            f"(look-alike score {score:.2f})"
        )
    misread = _broken_lookalike(change, ba, bb)
    if misread is not None:
        return "ocr", misread
    if not ba and len(bb) == 1:
        return _one_char_reason(bb, added=True)
    if not bb and len(ba) == 1:
        return _one_char_reason(ba, added=False)
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


def diff(
    text_a: str,
    text_b: str,
    *,
    offset_a: int = 0,
    offset_b: int = 0,
    block: int = -1,
    traditional: bool = False,
) -> list[Edit]:
    """Typed edits that turn ``text_a`` into ``text_b``.

    >>> [(e.type, e.a_text, e.b_text) for e in diff("这趟车，实务实训", "这辆车,务实实训")]
    [('wording', '趟', '辆'), ('punctuation', '，', ','), ('inversion', '实务', '务实')]
    """
    found = changes(text_a, text_b, offset_a=offset_a, offset_b=offset_b, traditional=traditional)
    return to_edits(found, block=block, traditional=traditional)


def apply(text_a: str, edits: Sequence[Edit], *, offset_a: int = 0) -> str:
    """Apply edits to A's text (which starts at ``offset_a`` in its document) and return B's.

    Raises:
        ValueError: two edits overlap or an edit lies outside the text.
    """
    out: list[str] = []
    pos = 0
    for e in sorted(edits, key=lambda e: (e.a, e.b)):
        start, end = e.a[0] - offset_a, e.a[1] - offset_a
        if start < pos or end > len(text_a):
            raise ValueError(f"edit {e.a} overlaps another or lies outside the text")
        if text_a[start:end] != e.a_text:
            raise ValueError(f"edit {e.a} does not match the text")
        out.append(text_a[pos:start])
        out.append(e.b_text)
        pos = end
    out.append(text_a[pos:])
    return "".join(out)
