"""Diff the characters of two aligned texts: every difference, exact in original offsets.

How: both texts are folded (``normalize.fold``) and diff-match-patch diffs the
folded texts (``dedup.diffruns``: optimal and deterministic; a delete next to
an insert becomes one replacement, and a delete and an insert of the same
text around a short common run become one swap). Each such change maps back
to the original texts through the fold's offset map. The stretches the folded
diff calls equal are then walked character by character in the *original*
texts, so that every difference folding hid (，/, “/" spaces, line breaks,
``##``/``#``) is still reported, as its own low-importance change. Together
the changes cover every difference: applying them to A gives B exactly (see
``apply``).

``changes`` returns the untyped ``Change`` records; ``dedup.classify`` says
what kind of difference each one is. ``diff`` does both.

Note that every offset in a Change or an Edit indexes the original text of
its document.
"""

from __future__ import annotations

import bisect
from collections.abc import Sequence
from dataclasses import replace

from rapidfuzz.distance import Indel

import dedup.lexicon as lexicon
from dedup.classify import letters, to_edits, weak_likeness
from dedup.diffruns import folded_runs, new_dmp, snap
from dedup.evidence import low_confidence
from dedup.model import EDIT_TYPES, MINOR_TYPES, Change, Edit, Role
from dedup.normalize import Folded, fold
from dedup.text import is_cjk

# EDIT_TYPES, MINOR_TYPES and Edit live in dedup.classify, low_confidence in dedup.evidence;
# they are also named here for the modules that still import them from dedup.diff.
__all__ = [
    "EDIT_TYPES",
    "MINOR_TYPES",
    "Change",
    "Edit",
    "Role",
    "apply",
    "changes",
    "diff",
    "low_confidence",
]


# A deleted and an inserted run this similar (and this long) are one moved clause.
MOVE_SIMILARITY = 0.75
MOVE_MIN = 6


class _Walker:
    """Walks the diff runs over the original texts and collects the changes."""

    def __init__(self, ta: str, tb: str, fa: Folded, fb: Folded) -> None:
        self.ta, self.tb, self.fa, self.fb = ta, tb, fa, fb
        self.pa = self.pb = 0  # original offsets covered so far
        self.ka = self.kb = 0  # folded offsets covered so far
        self.out: list[Change] = []
        self.pending: list[int] | None = None  # normal change being extended [a0, a1, b0, b1]
        self.dmp = new_dmp()

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
        p = self.pending
        # a run of differences is one edit: a space or break next to a punctuation mark too
        if p is not None and p[1] == a0 and p[3] == b0:
            p[1], p[3] = a1, b1
            return
        self.flush()
        self.pending = [a0, a1, b0, b1]

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
    for op, la, lb in snap(folded_runs(fa.text, fb.text), fa, fb):
        if op == 0:
            walker.equal(la)
        else:
            walker.change(la, lb)
    found = _join_touching(_whole_words(_pair_moves(walker.finish()), text_a, text_b))
    if offset_a or offset_b:
        found = [c.shifted(offset_a, offset_b) for c in found]
    return found


# Longest stretch of equal text a replacement may take in on each end to cover whole words.
WORD_REACH = 2


def _whole_words(found: list[Change], ta: str, tb: str) -> list[Change]:
    """Widen short hanzi replacements over the equal text around them to whole words.

    本→吉林日 in 本报记者/吉林日报记者 is the change 本报→吉林日报, and 通→经 in
    通过/经过 is 通过→经过: a replacement that cuts a dictionary word takes in
    the rest of it. Only when the widened sides are both words or differ in
    length: a glyph-for-glyph misreading (珲春/再春) keeps its one character.
    """
    out = list(found)
    for k, c in enumerate(out):
        if c.role != "text" or not _short_hanzi(c.a_fold) or not _short_hanzi(c.b_fold):
            continue
        lo_a = out[k - 1].a[1] if k else 0
        lo_b = out[k - 1].b[1] if k else 0
        hi_a = out[k + 1].a[0] if k + 1 < len(out) else len(ta)
        hi_b = out[k + 1].b[0] if k + 1 < len(out) else len(tb)
        left = _reach(ta[lo_a : c.a[0]][::-1], tb[lo_b : c.b[0]][::-1])
        right = _reach(ta[c.a[1] : hi_a], tb[c.b[1] : hi_b])
        best: tuple[int, int] | None = None
        for tries in sorted(
            ((i, j) for i in range(len(left) + 1) for j in range(len(right) + 1) if i or j),
            key=lambda ij: (ij[0] + ij[1], ij),
        ):
            x = left[len(left) - tries[0] :][::-1] if tries[0] else ""
            y = right[: tries[1]]
            wa, wb = x + c.a_fold + y, x + c.b_fold + y
            both = lexicon.is_word(wa) and lexicon.is_word(wb) and not _alike(c.a_fold, c.b_fold)
            if both or (len(wa) != len(wb) and (lexicon.is_word(wa) or lexicon.is_word(wb)
                                                  or _crosses(c.a_fold, x, y))):
                best = tries
                break
        if best is None:
            continue
        i, j = best
        a0, a1, b0, b1 = c.a[0] - i, c.a[1] + j, c.b[0] - i, c.b[1] + j
        x, y = ta[a0 : c.a[0]], ta[c.a[1] : a1]
        out[k] = replace(
            c,
            a=(a0, a1),
            b=(b0, b1),
            a_text=ta[a0:a1],
            b_text=tb[b0:b1],
            a_fold=x + c.a_fold + y,
            b_fold=x + c.b_fold + y,
            context_a=(c.context_a[0][: len(c.context_a[0]) - i], c.context_a[1][j:]),
            context_b=(c.context_b[0][: len(c.context_b[0]) - i], c.context_b[1][j:]),
        )
    return out


def _join_touching(found: list[Change]) -> list[Change]:
    """Make a change and the spaces or breaks touching it on both sides one change.

    Folding hides whitespace, so the folded diff and the walk over the original
    texts report 式 against a paragraph break, or a dropped run against the
    blanks an OCR engine left for it, as two changes side by side; a reader
    sees one. Punctuation next to a replacement stays apart here (能当家，/来当管家,
    is a word change and a comma); ``dedup.classify.to_edits`` joins it to a
    misreading once the types are known. Moves keep their own changes.
    """
    out: list[Change] = []
    for c in found:
        prev = out[-1] if out else None
        if (
            prev is None
            or prev.a[1] != c.a[0]
            or prev.b[1] != c.b[0]
            or prev.partner
            or c.partner
            or not (_blank(prev) or _blank(c))
        ):
            out.append(c)
            continue
        text = [x for x in (prev, c) if x.role == "text"]
        out[-1] = Change(
            (prev.a[0], c.a[1]),
            (prev.b[0], c.b[1]),
            prev.a_text + c.a_text,
            prev.b_text + c.b_text,
            "".join(x.a_fold for x in text),
            "".join(x.b_fold for x in text),
            role="text" if text else "normal",
            context_a=(text[0].context_a[0], text[-1].context_a[1]) if text else ("", ""),
            context_b=(text[0].context_b[0], text[-1].context_b[1]) if text else ("", ""),
        )
    return out


def _blank(c: Change) -> bool:
    """Whether a change differs in whitespace only (folding hid it)."""
    return c.role == "normal" and not (c.a_text + c.b_text).strip()


def _alike(a: str, b: str) -> bool:
    """Whether two equal-length texts differ only in weakly look-alike glyphs (丰/不, 贷/货)."""
    return len(a) == len(b) and all(
        weak_likeness(x, y) is not None for x, y in zip(a, b, strict=True) if x != y
    )


def _short_hanzi(s: str) -> bool:
    return 0 < len(s) <= lexicon.MAX_WORD and all(is_cjk(ch) for ch in s)


def _reach(x: str, y: str) -> str:
    """The common hanzi prefix of two texts, at most ``WORD_REACH`` long."""
    n = 0
    while n < min(len(x), len(y), WORD_REACH) and x[n] == y[n] and is_cjk(x[n]):
        n += 1
    return x[:n]


def _crosses(a: str, x: str, y: str) -> bool:
    """Whether a dictionary word runs from inside ``a`` into the taken-in text ``x``/``y``."""
    return any(lexicon.is_word(a[-n:] + y) for n in range(1, len(a) + 1) if y) or any(
        lexicon.is_word(x + a[:n]) for n in range(1, len(a) + 1) if x
    )


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
