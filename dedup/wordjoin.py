"""One word rewritten around a glyph it keeps (日前 → 近日, 加强 → 强化): one change, not two.

The character diff keeps the glyph both words share and reports a dropped
glyph on one side of it and an added one on the other: ``+近`` 日 ``-前``.
A reader, and the type, want the one word change. Two such one-glyph changes
in opposite directions around a single equal hanzi become one replacement
when both resulting sides are dictionary words: an OCR engine that loses a
glyph and invents another around one it kept seldom leaves two words.
"""

from __future__ import annotations

import dedup.lexicon as lexicon
from dedup.model import Change
from dedup.text import is_cjk

__all__ = ["join_rewrites"]


def _one_sided(c: Change) -> str | None:
    """``"a"``/``"b"`` when the change holds one hanzi on that side only, else None."""
    if c.role != "text":
        return None
    if len(c.a_fold) == 1 and not c.b_fold and is_cjk(c.a_fold) and c.a_text == c.a_fold:
        return "a"
    if len(c.b_fold) == 1 and not c.a_fold and is_cjk(c.b_fold) and c.b_text == c.b_fold:
        return "b"
    return None


def _rewrite(first: Change, second: Change, ta: str, tb: str) -> Change | None:
    """The two changes as one word replacement, when they are a rewrite around one glyph."""
    sides = (_one_sided(first), _one_sided(second))
    if None in sides or sides[0] == sides[1]:
        return None
    kept_a, kept_b = ta[first.a[1] : second.a[0]], tb[first.b[1] : second.b[0]]
    if len(kept_a) != 1 or kept_a != kept_b or not is_cjk(kept_a):
        return None
    a0, a1, b0, b1 = first.a[0], second.a[1], first.b[0], second.b[1]
    wa, wb = ta[a0:a1], tb[b0:b1]
    if not (lexicon.is_word(wa) and lexicon.is_word(wb)):
        return None
    return Change(
        (a0, a1),
        (b0, b1),
        wa,
        wb,
        wa,
        wb,
        context_a=(first.context_a[0], second.context_a[1]),
        context_b=(first.context_b[0], second.context_b[1]),
    )


def join_rewrites(found: list[Change], ta: str, tb: str) -> list[Change]:
    """Join each pair of neighbouring one-glyph changes that rewrite one word (see the module)."""
    out: list[Change] = []
    for c in found:
        joined = _rewrite(out[-1], c, ta, tb) if out else None
        if joined is not None:
            out[-1] = joined
        else:
            out.append(c)
    return out
