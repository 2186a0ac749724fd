"""Types of the differences folding hides: whitespace, markup, punctuation, variant forms.

A change whose folded texts are equal can only be one of these minor types
(never wording); ``dedup.classify`` asks this module for them, and for the two
helpers every reason uses (``is_punct``, ``show``).
"""

from __future__ import annotations

import re
import unicodedata

from dedup.model import EditType
from dedup.normalize import fold_char

__all__ = ["classify_minor", "is_punct", "show"]


def is_punct(c: str) -> bool:
    """Whether a character is punctuation (Unicode category P*)."""
    return unicodedata.category(c).startswith("P")


def show(s: str, limit: int = 24) -> str:
    """A short display form of a text for a reason string."""
    s = " ".join(s.split())
    return s if len(s) <= limit else s[: limit - 1] + "…"


_MD = re.compile(r"[#*_>]")


def _classify_normal(a: str, b: str, traditional: bool) -> tuple[EditType, str]:
    """Type of a difference that folding hides, before any break it holds is named."""

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
        return "markup", f"Markdown markers {show(va) or 'none'} → {show(vb) or 'none'}"
    if unicodedata.normalize("NFKC", ma) == unicodedata.normalize("NFKC", mb):
        if all(is_punct(c) or not c.isalnum() for c in ma + mb):
            return "punctuation", f"full-width/half-width punctuation {show(ma)}/{show(mb)}"
        return "punctuation", f"full-width/half-width characters {show(ma)}/{show(mb)}"
    plain_a = "".join(fold_char(c) for c in ma)
    plain_b = "".join(fold_char(c) for c in mb)
    if plain_a == plain_b:
        return "punctuation", f"punctuation style {show(ma)}/{show(mb)}"
    if traditional or "".join(fold_char(c, True) for c in ma) == "".join(
        fold_char(c, True) for c in mb
    ):
        return "variant", f"traditional/simplified form {show(ma)}/{show(mb)}"
    return "punctuation", f"punctuation style {show(ma)}/{show(mb)}"


def classify_minor(a: str, b: str, traditional: bool = False) -> tuple[EditType, str]:
    """Type and reason of a difference that folding hides.

    A punctuation change that takes in a line or paragraph break (，\\n\\n/,)
    says so in its reason.

    >>> classify_minor("，\\n\\n", ",")
    ('punctuation', 'full-width/half-width punctuation ，/,; paragraph break removed')
    """
    kind, reason = _classify_normal(a, b, traditional)
    na, nb = a.count("\n"), b.count("\n")
    if kind != "whitespace" and na != nb:
        what = "paragraph" if max(na, nb) >= 2 else "line"
        reason += f"; {what} break {'removed' if na > nb else 'added'}"
    return kind, reason
