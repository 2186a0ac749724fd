"""The figures of a comparison: similarity, CER, coverage and counts, defined once.

``dedup.compare`` computes them for every comparison; the scan, the reports
and the text output all show these values.
"""

from __future__ import annotations

from collections.abc import Sequence

from rapidfuzz.distance import LCSseq, Levenshtein

from dedup.anchors import matched_runs
from dedup.match import relation, verify
from dedup.model import EDIT_TYPES, Article, Block, Edit, Metrics, Options
from dedup.normalize import fold, key_text

__all__ = ["metrics", "pair_similarity", "pair_verdict"]

# Above this product of the two match keys' lengths (some 20,000 characters
# each, as ``dedup.pairing`` pairs on shingles above it) the common subsequence
# is counted along the anchored runs of ``dedup.anchors`` (near-linear, exact
# between anchors) instead of by the exact LCS, whose time grows with the
# product: on a 1 MB pair that LCS alone took ten times the rest of the comparison.
_EXACT_LCS = 4e8


def _anchored_lcs(a: str, b: str) -> int:
    """Characters of the anchored common runs of two texts (the exact LCS on small stretches)."""
    return sum(run[2] for run in matched_runs(a, b))


def _verify(key_a: str, key_b: str) -> tuple[float, float]:
    """``match.verify``, exact up to ``_EXACT_LCS``, along anchors above it."""
    long_pair = len(key_a) * len(key_b) > _EXACT_LCS
    return verify(key_a, key_b, _anchored_lcs if long_pair else None)


def pair_similarity(a: Article, b: Article, *, traditional: bool = False) -> float:
    """The similarity of two articles, the one figure every output shows for a pair.

    It is the scan's ``Match.similarity`` (``dedup.match.verify``): ``2·LCS /
    (|A| + |B|)`` of the two body texts' match keys (letters and digits only,
    ``normalize.key_text``), so that scan.json, pairs.csv, the index, the pair
    report and ``dedup compare`` agree to the last digit.
    """
    key_a = key_text("\n".join(p.text for p in a.body), traditional=traditional)
    key_b = key_text("\n".join(p.text for p in b.body), traditional=traditional)
    return _verify(key_a, key_b)[0]


def pair_verdict(a: Article, b: Article, options: Options) -> tuple[float, str, float]:
    """Similarity, relation and containment of two articles, from one ``verify``.

    The same figures as ``pair_similarity`` and ``pairing.verdict``, computed
    once: on long articles the verification's LCS is the dearest step.
    """
    from dedup.pages import profile  # the page stages import the compare core

    key_a = key_text("\n".join(p.text for p in a.body), traditional=options.traditional)
    key_b = key_text("\n".join(p.text for p in b.body), traditional=options.traditional)
    similarity, containment = _verify(key_a, key_b)
    rel = relation(similarity, containment, profile(a, key_a), profile(b, key_b), options)
    return similarity, rel or "", containment


def metrics(
    folds_a: Sequence[str],
    folds_b: Sequence[str],
    blocks: Sequence[Block],
    edits: Sequence[Edit],
    *,
    similarity: float | None = None,
) -> Metrics:
    """Similarity, CER, coverage and counts of one comparison (folded paragraph texts per side).

    ``similarity`` is the pair's figure (``pair_similarity``) when given;
    else ``2·matched / (|A| + |B|)`` over the folded texts. ``matched`` counts
    the characters the aligned blocks share (LCS), the run after a cut
    excluded; the coverages and the CER rest on it.
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
        similarity=similarity
        if similarity is not None
        else 2.0 * matched / (total_a + total_b)
        if total_a + total_b
        else 1.0,
        cer=dist / ref if ref else 0.0,
        coverage_a=matched / total_a if total_a else 1.0,
        coverage_b=matched / total_b if total_b else 1.0,
        counts=tuple(counts.items()),
    )


def _drop_tail(folded: str, original_run: str) -> str:
    run = fold(original_run).text
    return folded[: len(folded) - len(run)] if run and folded.endswith(run) else folded
