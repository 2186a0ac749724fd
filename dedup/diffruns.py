"""Diff runs of two folded texts: diff-match-patch, swaps joined, snapped to whole characters.

The first step of ``dedup.diff``: diff-match-patch diffs the folded texts
(``Diff_Timeout = 0``, so the diff is optimal and the same on every machine;
then ``diff_cleanupSemantic``). A delete next to an insert becomes one change
run, and a delete and an insert of the same text around a short common run
become one swap (实务/务实). Runs are then widened so that none starts or ends
inside the expansion of one original character (… folds to ...), because a
change must map back to whole characters of the original text.

A run is ``[op, len_a, len_b]`` in folded characters: op 0 = equal, 1 =
change (a delete and/or an insert).
"""

from __future__ import annotations

from diff_match_patch import diff_match_patch

from dedup.normalize import Folded

__all__ = ["folded_runs", "new_dmp", "snap"]


def new_dmp() -> diff_match_patch:
    """A diff-match-patch instance that never cuts a diff short (optimal and deterministic)."""
    dmp = diff_match_patch()
    dmp.Diff_Timeout = 0  # optimal and deterministic, never cut short by the clock
    return dmp


def folded_runs(x: str, y: str) -> list[list[int]]:
    """Diff runs ``[op, len_a, len_b]``: op 0 = equal, 1 = change (delete and/or insert)."""
    dmp = new_dmp()
    diffs = dmp.diff_main(x, y, False)
    dmp.diff_cleanupSemantic(diffs)
    runs = _glyph_splits(_runs(diffs), x, y, dmp)
    return _join_swaps(runs, x, y)


def _runs(diffs: list[tuple[int, str]]) -> list[list[int]]:
    """diff-match-patch's diffs as runs, a delete and an insert side by side made one change."""
    runs: list[list[int]] = []
    for op, s in diffs:
        if op == 0:
            runs.append([0, len(s), len(s)])
            continue
        if not runs or runs[-1][0] == 0:
            runs.append([1, 0, 0])
        runs[-1][1 if op == -1 else 2] += len(s)
    return runs


# Longest piece (folded characters per side) of a glyph-for-glyph change that stays apart.
GLYPH_PIECE = 4


def _glyph_splits(runs: list[list[int]], x: str, y: str, dmp: diff_match_patch) -> list[list[int]]:
    """Split a change back into its pieces when each piece replaces glyph for glyph.

    Semantic cleanup swallows a one-character equality between two changes, so
    tesseract's 跨境电商产品 → 路培电黄产曲 (three misreadings around 电 and 产)
    becomes one long replacement that no look-alike test can judge. Where the
    plain diff of the change holds only short pieces that each replace as many
    letters as they take (punctuation aside), those independent pieces are kept.
    An editor's rewrite changes lengths (能当家 → 来当管家) and stays whole.
    """
    out: list[list[int]] = []
    pa = pb = 0
    for r in runs:
        sa, sb = x[pa : pa + r[1]], y[pb : pb + r[2]]
        pa, pb = pa + r[1], pb + r[2]
        if r[0] == 0 or not sa or not sb:
            out.append(r)
            continue
        pieces = _runs(dmp.diff_main(sa, sb, False))
        qa = qb = 0
        glyphs = len(pieces) > 1
        for p in pieces:
            if p[0] == 1 and (
                max(p[1], p[2]) > GLYPH_PIECE
                or _letters(sa[qa : qa + p[1]]) != _letters(sb[qb : qb + p[2]])
                or not (p[1] and p[2])
            ):
                glyphs = False
            qa, qb = qa + p[1], qb + p[2]
        out.extend(pieces if glyphs else [r])
    return out


def _letters(s: str) -> int:
    """How many characters of ``s`` are letters or digits (not spaces or punctuation)."""
    return sum(1 for c in s if c.isalnum())


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


def snap(runs: list[list[int]], fa: Folded, fb: Folded) -> list[list[int]]:
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
