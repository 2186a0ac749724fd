"""The figures of a comparison: similarity, CER, coverage and counts, defined once.

``dedup.compare`` computes them for every comparison; the scan, the reports
and the text output all show these values.
"""

from __future__ import annotations

from collections.abc import Sequence

from rapidfuzz.distance import LCSseq, Levenshtein

from dedup.model import EDIT_TYPES, Block, Edit, Metrics
from dedup.normalize import fold

__all__ = ["metrics"]


def metrics(
    folds_a: Sequence[str], folds_b: Sequence[str], blocks: Sequence[Block], edits: Sequence[Edit]
) -> Metrics:
    """Similarity, CER, coverage and counts of one comparison (folded paragraph texts per side).

    ``similarity`` is ``2·matched / (|A| + |B|)`` over the folded texts, where
    matched counts the characters the aligned blocks share (LCS), the run
    after a cut excluded.
    """
    total_a = sum(len(t) for t in folds_a)
    total_b = sum(len(t) for t in folds_b)
    matched = dist = ref = 0
    cuts = {e.block: e for e in edits if e.type == "truncation"}
    for k, blk in enumerate(blocks):
        if not blk.matched:
            continue
        x = "".join(folds_a[i] for i in blk.a)
        y = "".join(folds_b[j] for j in blk.b)
        if k in cuts:  # the run after the cut is not matched text
            x = _drop_tail(x, cuts[k].a_text)
            y = _drop_tail(y, cuts[k].b_text)
        matched += LCSseq.similarity(x, y)
        dist += Levenshtein.distance(x, y)
        ref += len(x)
    counts = {t: 0 for t in EDIT_TYPES}
    for e in edits:
        counts[e.type] += 1
    return Metrics(
        similarity=2.0 * matched / (total_a + total_b) if total_a + total_b else 1.0,
        cer=dist / ref if ref else 0.0,
        coverage_a=matched / total_a if total_a else 1.0,
        coverage_b=matched / total_b if total_b else 1.0,
        counts=tuple(counts.items()),
    )


def _drop_tail(folded: str, original_run: str) -> str:
    run = fold(original_run).text
    return folded[: len(folded) - len(run)] if run and folded.endswith(run) else folded
