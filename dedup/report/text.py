"""Readable terminal summaries of compared pages (``dedup compare --format text``).

A person reading a terminal wants the metrics, the blocks and the edits that
matter, each where it is (``file:line:column`` on both sides) with a short
context, so that they can open the file at that place. The low-importance
types (whitespace, markup, punctuation, variant) are counted, and listed only
when asked for (``types``). Colour (ANSI) marks the type and the changed
characters when the caller says the output is a terminal.
"""

from __future__ import annotations

from collections.abc import Collection
from dataclasses import dataclass

from dedup.model import EDIT_TYPES, MINOR_TYPES, Comparison, ExplainedPair, PageComparison
from dedup.report.edits import position

__all__ = ["DEFAULT_TYPES", "WORDING_TYPES", "TextStyle", "comparison_text", "differs_in_wording", "pages_text"]

#: The types listed when no ``types`` are given: all but the minor ones.
DEFAULT_TYPES: frozenset[str] = frozenset(EDIT_TYPES) - MINOR_TYPES
#: The types that make two printings differ in their words (``--exit-code``).
WORDING_TYPES: frozenset[str] = frozenset({"wording", "missing", "extra", "truncation"})
_CONTEXT = 8

_COLOURS = {
    "ocr": "33", "inversion": "34", "wording": "35", "missing": "31", "extra": "32",
    "truncation": "90", "whitespace": "90", "markup": "90", "punctuation": "36", "variant": "36",
}  # fmt: skip


@dataclass(frozen=True)
class TextStyle:
    """What the summary lists and how: the edit types shown, and ANSI colour or none."""

    types: Collection[str] = DEFAULT_TYPES
    colour: bool = False

    def paint(self, code: str, s: str) -> str:
        """``s`` in ANSI colour ``code`` (unchanged without colour)."""
        return f"\x1b[{code}m{s}\x1b[0m" if self.colour and s else s


def _one_line(s: str) -> str:
    return s.replace("\r\n", "⏎").replace("\n", "⏎").replace("\r", "⏎")


def _clip(s: str, limit: int = 30) -> str:
    s = _one_line(s)
    return s if len(s) <= limit else s[: limit - 1] + "…"


def _where(pair: ExplainedPair, side: str, span: tuple[int, int]) -> str:
    """``file:line:column`` of an edit's start on one side."""
    text = pair.a if side == "a" else pair.b
    line, col = position(text, span[0])
    return f"{text.article.path}:{line}:{col}"


def _context(pair: ExplainedPair, side: str, span: tuple[int, int], style: TextStyle) -> str:
    """A few characters either side of the edit, the edit itself coloured."""
    text = pair.a if side == "a" else pair.b
    start, end = span[0] - text.article.start, span[1] - text.article.start
    body = text.text
    mark = _clip(body[start:end], 30) or "⁁"
    code = "31" if side == "a" else "32"
    before = _one_line(body[max(0, start - _CONTEXT) : start])
    after = _one_line(body[end : end + _CONTEXT])
    return f"…{before}{style.paint(code + ';1', mark)}{after}…"


def _edit_lines(pair: ExplainedPair, style: TextStyle) -> list[str]:
    """Two lines per shown edit: type, both places, texts and reason; then both contexts."""
    lines = []
    for e in pair.comparison.edits:
        if e.type not in style.types:
            continue
        kind = style.paint(_COLOURS.get(e.type, "0"), f"{e.type:<11}")
        lines.append(
            f"  {kind} A {_where(pair, 'a', e.a)}  B {_where(pair, 'b', e.b)}  "
            f"「{_clip(e.a_text)}」→「{_clip(e.b_text)}」  {e.reason}"
        )
        lines.append(
            f"  {'':<11} A {_context(pair, 'a', e.a, style)}   B {_context(pair, 'b', e.b, style)}"
        )
    return lines


def comparison_text(c: Comparison, pair: ExplainedPair | None = None, style: TextStyle = TextStyle()) -> str:
    """A readable summary of one compared pair: metrics, blocks and the edits of ``style.types``.

    Without ``pair`` (the texts), edits are located by character offsets only.
    """
    m = c.metrics
    lines = [
        f"{c.a}  <->  {c.b}  {c.title}",
        f"  similarity {m.similarity:.3f}  cer {m.cer:.4f}  "
        f"coverage a {m.coverage_a:.3f} b {m.coverage_b:.3f}",
    ]
    kinds: dict[str, int] = {}
    for blk in c.alignment:
        kinds[blk.kind] = kinds.get(blk.kind, 0) + 1
    lines.append("  blocks: " + ", ".join(f"{n} {k}" for k, n in kinds.items()))
    minor = [f"{t} {n}" for t, n in m.counts if t in MINOR_TYPES and n]
    major = [f"{t} {n}" for t, n in m.counts if t not in MINOR_TYPES and n]
    lines.append("  edits: " + (", ".join(major + minor) or "none"))
    for blk in {blk.a[0]: blk for blk in c.alignment if blk.kind == "moved"}.values():
        lines.append(f"  moved       paragraph {blk.a[0]} of A is paragraph {blk.b[0]} of B")
    if pair is not None:
        lines += _edit_lines(pair, style)
    else:
        lines += [
            f"  {e.type:<11} a {e.a[0]}-{e.a[1]}  b {e.b[0]}-{e.b[1]}  "
            f"「{_clip(e.a_text)}」→「{_clip(e.b_text)}」  {e.reason}"
            for e in c.edits
            if e.type in style.types
        ]
    return "\n".join(lines) + "\n"


def _unpaired(p: PageComparison, side: str, ids: tuple[str, ...]) -> list[str]:
    """One line per article of one page left without a partner, with its title."""
    return [f"  only in {side}  {x}  {p.title(x) or '(untitled)'}\n" for x in ids]


def pages_text(p: PageComparison, style: TextStyle = TextStyle()) -> str:
    """A readable summary of two compared pages (one section per article pair, then the unpaired)."""
    head = f"{p.a} vs {p.b}: {len(p.pairs)} article pairs"
    parts = [head + "\n"]
    if p.page_cer is not None and p.page_wer is not None:
        parts.append(f"page CER {p.page_cer:.4f}, WER {p.page_wer:.4f} (whole pages, A as reference)\n")
    explained = list(p.explained) if len(p.explained) == len(p.pairs) else [None] * len(p.pairs)
    for c, pair in zip(p.pairs, explained, strict=True):
        parts.append("\n" + comparison_text(c, pair, style))
    if p.unpaired_a or p.unpaired_b:
        parts.append("\nunpaired:\n")
        parts += _unpaired(p, "A", p.unpaired_a) + _unpaired(p, "B", p.unpaired_b)
    return "".join(parts)


def differs_in_wording(p: PageComparison) -> bool:
    """Whether the two pages differ in their words: a ``WORDING_TYPES`` edit, or an unpaired story."""
    if p.unpaired_a or p.unpaired_b:
        return True
    return any(e.type in WORDING_TYPES for c in p.pairs for e in c.edits)
