"""Readable terminal summaries of compared pairs and pages (``dedup compare --format text``).

The JSON output (``dedup.comparison``) lists every edit; a person reading a
terminal wants the metrics, the blocks and the edits that matter, so the
low-importance types are counted here, not listed.
"""

from __future__ import annotations

from dedup.model import MINOR_TYPES, Comparison, PageComparison

__all__ = ["comparison_text", "pages_text"]


def _clip(s: str, limit: int = 30) -> str:
    s = s.replace("\r\n", "⏎").replace("\n", "⏎").replace("\r", "⏎")
    return s if len(s) <= limit else s[: limit - 1] + "…"


def comparison_text(c: Comparison) -> str:
    """A readable summary of one compared pair: metrics, blocks and the important edits.

    Low-importance edits (whitespace, markup, punctuation, variant) are counted,
    not listed; the JSON output lists every edit.
    """
    m = c.metrics
    lines = [
        f"{c.a}  <->  {c.b}  {c.title}",
        f"  similarity {m.similarity:.4f}  cer {m.cer:.4f}  "
        f"coverage a {m.coverage_a:.3f} b {m.coverage_b:.3f}",
    ]
    kinds: dict[str, int] = {}
    for blk in c.alignment:
        kinds[blk.kind] = kinds.get(blk.kind, 0) + 1
    lines.append("  blocks: " + ", ".join(f"{n} {k}" for k, n in kinds.items()))
    minor = [f"{t} {n}" for t, n in m.counts if t in MINOR_TYPES and n]
    major = [f"{t} {n}" for t, n in m.counts if t not in MINOR_TYPES and n]
    lines.append("  edits: " + (", ".join(major + minor) or "none"))
    a_paras = {blk.a[0]: blk for blk in c.alignment if blk.kind == "moved"}
    for blk in a_paras.values():
        lines.append(f"  moved       paragraph {blk.a[0]} of A is paragraph {blk.b[0]} of B")
    for e in c.edits:
        if e.type in MINOR_TYPES:
            continue
        lines.append(
            f"  {e.type:<11} a {e.a[0]}-{e.a[1]}  b {e.b[0]}-{e.b[1]}  "
            f"「{_clip(e.a_text)}」→「{_clip(e.b_text)}」  {e.reason}"
        )
    return "\n".join(lines) + "\n"


def pages_text(p: PageComparison) -> str:
    """A readable summary of two compared pages (one section per article pair)."""
    head = f"{p.a} vs {p.b}: {len(p.pairs)} article pairs"
    parts = [head + "\n"]
    if p.page_cer is not None and p.page_wer is not None:
        parts.append(f"page CER {p.page_cer:.4f}, WER {p.page_wer:.4f} (whole pages, A as reference)\n")
    for c in p.pairs:
        parts.append("\n" + comparison_text(c))
    if p.unpaired_a or p.unpaired_b:
        parts.append("\nunpaired: " + ", ".join(p.unpaired_a + p.unpaired_b) + "\n")
    return "".join(parts)
