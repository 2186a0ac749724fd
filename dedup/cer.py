"""Page-level character and word error rates, as OCR evaluators count them.

An OCR evaluator (dinglehopper, ocrevalUAtion, the ISRI tools) compares the
whole text of a page, in reading order, with its ground truth: the error
rate is the edit distance (insertions, deletions, substitutions, each 1)
divided by the length of the *reference* (the ground truth). It can exceed 1
when the hypothesis is much longer than the reference. This module gives
those figures as pure functions over two texts; the texts are a page as
``dedup.ingest.read`` extracted it (``Document.text``), so reading order,
dehyphenation and paragraph layout are the readers' (see ``docs/reading.md``).

How the texts are counted:

* Unicode normalisation: NFC.
* Folded, on both sides alike (dinglehopper's default ``NFC_SBB`` rules, so
  the figures compare with its own): typographic ligatures are unjoined
  (``ﬁ`` → ``fi``, ``ﬀ`` → ``ff``, ``ﬆ`` → ``st``, ``ĳ`` → ``ij``, and the
  MUFI private-use ligatures ch, ck, ct, ll, tz, ſi, ſt, ſſ, ſſi), MUFI's
  a, o, u with e above are ä, ö, ü, the
  double oblique hyphen ``⸗`` is ``-``, ``’`` is ``'``, the em dash and ``==``
  are the en dash, and a superscript e over a, o, u (``aͤ``) is the umlaut.
  Any run of white space (spaces, line and paragraph breaks) is one space,
  and the ends are trimmed, so a layout difference (a paragraph break
  against a line break) costs at most one edit. Markdown heading markers
  that the readers add (``# ``) are removed. Nothing else is folded: case,
  punctuation, ``ſ`` against ``s`` and full-width forms all count.
* Unit: the grapheme cluster, as dinglehopper counts (a letter and its
  combining marks are one character, so ``ü`` counts once whether it is
  written precomposed or as ``u`` + U+0308). Clusters are cut by a small
  segmentation (``graphemes``): a cluster is a base character followed by
  combining marks (general category M), variation selectors, zero-width
  joiners and the character a joiner links; CR LF is one cluster; two
  regional indicators are one flag. Its limit against the full UAX #29
  rules: Hangul jamo sequences that NFC does not compose, prepended
  concatenation marks and Indic conjuncts are not joined; none occurs in
  the Chinese, Latin and Fraktur text this tool reads.
* Words (for WER): maximal runs of letters, digits, marks and connecting
  hyphens or apostrophes inside a word; every CJK ideograph, kana or hangul
  syllable is a word of its own (as UAX #29 word boundaries make them);
  punctuation and white space are not words.

With an empty reference the rate is 0.0 for an empty hypothesis and 1.0
otherwise (dinglehopper returns infinity, which JSON cannot hold).
"""

from __future__ import annotations

import re
import unicodedata
from dataclasses import dataclass

from rapidfuzz.distance import Levenshtein

from dedup.text import is_wide

# dinglehopper's NFC_SBB equivalences (after NFC): MUFI private-use letters
# and ligatures that transcribers of early print use, and Unicode ligatures.
_FOLDS: tuple[tuple[str, str], ...] = (
    ("\ue42c", "\u00e4"),  # MUFI a with e above
    ("\ue644", "\u00f6"),  # MUFI o with e above
    ("\ue72b", "\u00fc"),  # MUFI u with e above
    ("\ueba6", "\u017f\u017f"),  # MUFI ligature long s long s
    ("\ueba7", "\u017f\u017fi"),  # MUFI ligature long s long s i
    ("\ueba2", "\u017fi"),  # MUFI ligature long s i
    ("\ueada", "\u017ft"),  # MUFI ligature long s t
    ("\uf502", "ch"),  # MUFI ligature ch
    ("\ueec4", "ck"),  # MUFI ligature ck
    ("\uf4f9", "ll"),  # MUFI ligature ll
    ("\ueec5", "ct"),  # MUFI ligature ct
    ("\ueedc", "tz"),  # MUFI ligature tz
    ("\ufb00", "ff"),
    ("\ufb01", "fi"),
    ("\ufb02", "fl"),
    ("\ufb03", "ffi"),
    ("\ufb04", "ffl"),
    ("\ufb05", "\u017ft"),
    ("\ufb06", "st"),
    ("\u0133", "ij"),
    ("\u0132", "IJ"),
    ("==", "\u2013"),
    ("\u2014", "\u2013"),
    ("\u2019", "'"),
    ("\u2e17", "-"),
    ("a\u0364", "\u00e4"),
    ("o\u0364", "\u00f6"),
    ("u\u0364", "\u00fc"),
)
_HEADING = re.compile(r"(?m)^#{1,6} ")
_SPACE = re.compile(r"\s+")
_ZWJ = "\u200d"
_WORD_JOIN = "-'\u2019\u00ad"


@dataclass(frozen=True)
class ErrorRate:
    """Edits between a reference and a hypothesis, over the reference's length."""

    errors: int
    length: int

    @property
    def rate(self) -> float:
        """``errors / length``; for an empty reference 0.0 (no errors) or 1.0."""
        if self.length:
            return self.errors / self.length
        return 0.0 if self.errors == 0 else 1.0


def normalise(text: str) -> str:
    """The text as it is counted: NFC, folded and with white space collapsed (see above)."""
    text = _HEADING.sub("", unicodedata.normalize("NFC", text))
    for old, new in _FOLDS:
        text = text.replace(old, new)
    return _SPACE.sub(" ", text).strip()


def _extends(c: str) -> bool:
    """Whether ``c`` belongs to the cluster before it (mark, variation selector, joiner)."""
    return unicodedata.category(c)[0] == "M" or c == _ZWJ or "\ufe00" <= c <= "\ufe0f"


def _regional(c: str) -> bool:
    return "\U0001f1e6" <= c <= "\U0001f1ff"


def graphemes(text: str) -> list[str]:
    """The grapheme clusters of ``text`` (a simplified UAX #29; see the module docstring).

    Each distinct character is classified once: a page has some thousand
    distinct characters against tens of thousands in all, and a text with
    nothing that joins (most Chinese and Latin pages) is cut in one step.
    """
    distinct = set(text)
    extending = frozenset(c for c in distinct if _extends(c))
    if not extending and "\r\n" not in text and not any(_regional(c) for c in distinct):
        return list(text)
    out: list[str] = []
    for c in text:
        if out and (
            c in extending
            or out[-1].endswith(_ZWJ)
            or (out[-1] == "\r" and c == "\n")
            or (_regional(c) and len(out[-1]) == 1 and _regional(out[-1]))
        ):
            out[-1] += c
        else:
            out.append(c)
    return out


def words(text: str) -> list[str]:
    """The words of ``text``: letter/digit runs, and each CJK character alone (see above)."""
    out: list[str] = []
    cur = ""
    clusters = graphemes(text)
    # each distinct first character classified once: a CJK word, a letter or digit, other
    kinds = {c: 2 if c.isalnum() and is_wide(c) else int(c.isalnum()) for c in {k[0] for k in clusters}}
    for cluster in clusters:
        base = cluster[0]
        kind = kinds[base]
        if kind == 2:
            if cur:
                out.append(cur)
            out.append(cluster)
            cur = ""
        elif kind == 1 or (cur and base in _WORD_JOIN):
            cur += cluster
        else:
            if cur:
                out.append(cur.rstrip(_WORD_JOIN))
            cur = ""
    if cur:
        out.append(cur.rstrip(_WORD_JOIN))
    return [w for w in out if w]


def character_errors(reference: str, hypothesis: str) -> ErrorRate:
    """Grapheme-cluster edits from ``reference`` to ``hypothesis``, over the reference's length."""
    ref = graphemes(normalise(reference))
    hyp = graphemes(normalise(hypothesis))
    return ErrorRate(Levenshtein.distance(ref, hyp), len(ref))


def word_errors(reference: str, hypothesis: str) -> ErrorRate:
    """Word edits from ``reference`` to ``hypothesis``, over the reference's word count."""
    ref = words(normalise(reference))
    hyp = words(normalise(hypothesis))
    return ErrorRate(Levenshtein.distance(ref, hyp), len(ref))


def cer(reference: str, hypothesis: str) -> float:
    """The page character error rate (edits / reference clusters), as OCR evaluators count it."""
    return character_errors(reference, hypothesis).rate


def wer(reference: str, hypothesis: str) -> float:
    """The page word error rate (word edits / reference words)."""
    return word_errors(reference, hypothesis).rate
