"""Compare two printings of a story: align paragraphs, diff characters, type every difference.

Three entry points over one private core (as xmldiff's ``diff_files`` /
``diff_texts`` / ``diff_trees``):

* ``compare(article_a, article_b)``: two articles, one Comparison.
* ``compare_texts(text_a, text_b)``: two pages given as text; each is split
  into articles, the articles are paired across the pages and each pair is
  compared.
* ``compare_files(path_a, path_b, options)``: the same for two files.

Articles are paired by their body text (``dedup.pairing``), each at most once.

The comparison itself is computed in a canonical orientation (the pair sorted
by content), then turned to the order asked for, so that ``compare(b, a)`` is
exactly the mirror of ``compare(a, b)``: the same blocks and edits with the
sides swapped, ``missing`` and ``extra`` exchanged.

The result records are in ``dedup.model``, their JSON contract in
``dedup.report.json``, the terminal summaries in ``dedup.report.text``.
"""

from __future__ import annotations

import bisect
import itertools
import os
from collections.abc import Sequence
from dataclasses import dataclass, replace

from dedup.align import align, is_marker
from dedup.cer import cer, wer
from dedup.classify import LONG_RUN, letters, to_edits
from dedup.diff import changes
from dedup.evidence import (
    Confidences,
    join_misreadings,
    low_confidence,
    reads_as_ocr,
    retype,
)
from dedup.ingest import read_page
from dedup.metrics import metrics, pair_similarity, pair_verdict
from dedup.model import (
    Article,
    ArticleText,
    Block,
    Change,
    Comparison,
    Document,
    Edit,
    ExplainedPair,
    Options,
    PageComparison,
    Role,
)
from dedup.normalize import Folded, fold
from dedup.options import PAGE_CER_MAX_CHARS
from dedup.pairing import pair_articles
from dedup.segment import split

__all__ = ["compare", "compare_files", "compare_texts"]


# ------------------------------------------------------------------ entry points


def compare(
    article_a: Article,
    article_b: Article,
    *,
    options: Options | None = None,
    text_a: str | None = None,
    text_b: str | None = None,
    confidence_a: Confidences | None = None,
    confidence_b: Confidences | None = None,
    similarity: float | None = None,
) -> Comparison:
    """Compare two articles: align their paragraphs, diff and type every difference.

    Args:
        article_a: the first version (A); ``missing`` means text only A has.
        article_b: the second version (B); ``extra`` means text only B has.
        options: ``traditional`` folds traditional characters first.
        text_a: the original text of A's document. Only the characters
            between two paragraphs of one block come from it; without it they
            are taken to be line breaks (the segmenter separates paragraphs
            with blank lines), so offsets stay right but a break's exact
            characters may not.
        text_b: the same for B.
        confidence_a: OCR confidences of A's document (``Document.confidence``):
            a short replacement touching a low-confidence word is typed ``ocr``.
        confidence_b: the same for B.
        similarity: the pair's ``Match.similarity`` when a scan verified it (not verified again).

    Raises:
        ValueError: a given document text does not hold the article's paragraphs.
    """
    return _compare(article_a, text_a, article_b, text_b, options or Options(), (confidence_a, confidence_b), similarity)


def compare_texts(
    text_a: str,
    text_b: str,
    *,
    options: Options | None = None,
    names: tuple[str, str] = ("a", "b"),
) -> PageComparison:
    """Compare two pages given as text: split, pair the articles, compare each pair.

    ``names`` are the paths recorded in article ids (``name#n``).

    >>> page = "## 标题\\n\\n本报记者 张三\\n\\n第一段正文，内容很长很长。\\n"
    >>> result = compare_texts(page, page.replace("，", ","))
    >>> [e.type for e in result.pairs[0].edits]
    ['punctuation']
    """
    doc_a = Document(path=names[0], text=text_a, encoding="utf-8")
    doc_b = Document(path=names[1], text=text_b, encoding="utf-8")
    return _pages(doc_a, doc_b, options or Options())


def compare_files(
    path_a: str | os.PathLike[str],
    path_b: str | os.PathLike[str],
    options: Options | None = None,
) -> PageComparison:
    """Compare two page files: read, split, pair the articles, compare each pair.

    Raises:
        ReadError: a file is missing, unreadable, binary or undecodable.
    """
    opts = options or Options()
    doc_a, doc_b = read_page(path_a, opts), read_page(path_b, opts)
    return _pages(doc_a, doc_b, opts)


def _pages(doc_a: Document, doc_b: Document, options: Options) -> PageComparison:
    arts_a, arts_b = split(doc_a), split(doc_b)
    pairs = pair_articles(arts_a, arts_b, options)
    done_a = {x.id for x, _ in pairs}
    done_b = {y.id for _, y in pairs}
    explained = []
    for x, y in pairs:
        sim, rel, containment = pair_verdict(x, y, options)
        c = _compare(
            x, doc_a.text, y, doc_b.text, options, (doc_a.confidence, doc_b.confidence), sim
        )
        explained.append(
            ExplainedPair(c, ArticleText.cut(x, doc_a), ArticleText.cut(y, doc_b), rel, containment)
        )
    return PageComparison(
        a=doc_a.path,
        b=doc_b.path,
        pairs=tuple(e.comparison for e in explained),
        unpaired_a=tuple(x.id for x in arts_a if x.kind != "furniture" and x.id not in done_a),
        unpaired_b=tuple(y.id for y in arts_b if y.kind != "furniture" and y.id not in done_b),
        explained=tuple(explained),
        titles=tuple((art.id, art.title) for art in (*arts_a, *arts_b)),
        empty=tuple(d.path for d in (doc_a, doc_b) if not d.text.strip()),
        **_page_rates(doc_a.text, doc_b.text),
    )


def _page_rates(text_a: str, text_b: str) -> dict[str, float | None]:
    """Page CER and WER of B against A, for pages small enough to count them in passing."""
    if max(len(text_a), len(text_b)) > PAGE_CER_MAX_CHARS:
        return {"page_cer": None, "page_wer": None}
    return {"page_cer": cer(text_a, text_b), "page_wer": wer(text_a, text_b)}


# ------------------------------------------------------------------ the core


@dataclass(frozen=True)
class _Side:
    article: Article
    text: str | None
    folds: tuple[Folded, ...]
    whole: Folded | None  # the fold of the article's stretch of ``text``, from ``base``
    base: int

    def span(self, idx: Sequence[int]) -> tuple[int, int]:
        ps = self.article.paragraphs
        return ps[idx[0]].start, ps[idx[-1]].end

    def block_text(self, idx: Sequence[int]) -> str:
        """Original text of consecutive paragraphs, with what lies between them."""
        ps = [self.article.paragraphs[i] for i in idx]
        if self.text is not None:
            return self.text[ps[0].start : ps[-1].end]
        parts = [ps[0].text]
        for prev, p in itertools.pairwise(ps):
            parts.append("\n" * (p.start - prev.end))
            parts.append(p.text)
        return "".join(parts)

    def block_fold(self, idx: Sequence[int], traditional: bool) -> Folded:
        if len(idx) == 1:
            return self.folds[idx[0]]
        if self.whole is not None:
            start, end = self.span(idx)
            return _slice(self.whole, start - self.base, end - self.base)
        return fold(self.block_text(idx), traditional=traditional)

    def start(self) -> int:
        ps = self.article.paragraphs
        return ps[0].start if ps else self.article.start


def _slice(f: Folded, start: int, end: int) -> Folded:
    """The part of a fold that comes from ``[start, end)`` of its text, re-based to ``start``.

    Folding the whole article once and slicing it is much faster than folding
    every paragraph; the slices equal per-paragraph folds because paragraphs
    are separated by whitespace, which folds on its own.
    """
    n = len(f.text)
    k0 = bisect.bisect_left(f.index, start, 0, n)
    k1 = bisect.bisect_left(f.index, end, k0, n)
    while k1 > k0 and f.ends[k1 - 1] > end:
        k1 -= 1
    index = (*(i - start for i in f.index[k0:k1]), end - start)
    ends = tuple(e - start for e in f.ends[k0:k1])
    return Folded(f.text[k0:k1], index, ends)


def _side(article: Article, text: str | None, traditional: bool) -> _Side:
    ps = article.paragraphs
    if text is None or not ps:
        folds = tuple(fold(p.text, traditional=traditional) for p in ps)
        return _Side(article, text, folds, None, 0)
    for p in ps:
        if text[p.start : p.end] != p.text:
            raise ValueError(f"{article.id}: the document text does not hold its paragraphs")
    base = ps[0].start
    whole = fold(text[base : ps[-1].end], traditional=traditional)
    folds = tuple(_slice(whole, p.start - base, p.end - base) for p in ps)
    return _Side(article, text, folds, whole, base)


def _order_key(side: _Side) -> tuple[tuple[str, ...], tuple[str, ...], str]:
    return (
        tuple(f.text for f in side.folds),
        tuple(p.text for p in side.article.paragraphs),
        side.article.id,
    )


def _compare(
    article_a: Article,
    text_a: str | None,
    article_b: Article,
    text_b: str | None,
    options: Options,
    confidence: tuple[Confidences | None, Confidences | None] = (None, None),
    similarity: float | None = None,
) -> Comparison:
    trad = options.traditional
    sa, sb = _side(article_a, text_a, trad), _side(article_b, text_b, trad)
    if _order_key(sa) <= _order_key(sb):
        blocks, found = _core(sa, sb, trad)
    else:
        blocks_ba, found_ba = _core(sb, sa, trad)
        blocks = [blk.mirrored() for blk in blocks_ba]
        found = [[c.swapped() for c in cs] for cs in found_ba]
    edits: list[Edit] = []
    for k, cs in enumerate(found):
        edits.extend(to_edits(cs, block=k if k < len(blocks) else -1, traditional=trad))
    edits = low_confidence(edits, *confidence)
    edits = retype(
        edits,
        "".join(f.text for f in sa.folds),
        "".join(f.text for f in sb.folds),
        known_ocr=(
            reads_as_ocr([p.text for p in article_a.paragraphs], confidence[0]),
            reads_as_ocr([p.text for p in article_b.paragraphs], confidence[1]),
        ),
    )
    edits = join_misreadings(edits)
    return Comparison(
        a=article_a.id,
        b=article_b.id,
        title=article_a.title or article_b.title,
        alignment=tuple(blocks),
        edits=tuple(edits),
        metrics=metrics(
            [f.text for f in sa.folds],
            [f.text for f in sb.folds],
            blocks,
            edits,
            similarity=similarity
            if similarity is not None
            else pair_similarity(article_a, article_b, traditional=trad),
        ),
    )


def _core(sa: _Side, sb: _Side, trad: bool) -> tuple[list[Block], list[list[Change]]]:
    """Blocks and, per block, the changes that turn A's text into B's; last, the breaks between."""
    pa, pb = sa.article.paragraphs, sb.article.paragraphs
    blocks = list(
        align(
            [f.text for f in sa.folds],
            [f.text for f in sb.folds],
            kinds_a=[p.kind for p in pa],
            kinds_b=[p.kind for p in pb],
        )
    )
    found: list[list[Change]] = []
    cur_a, cur_b = sa.start(), sb.start()  # where a one-sided block's text would go
    last_matched = -1
    breaks: list[Change] = []  # the breaks between blocks, of no block (-1)
    for k, blk in enumerate(blocks):
        if blk.kind == "truncation":
            mark = blocks[k - 1] if k and is_marker(blocks[k - 1], blk) else None
            found.append([_one_sided(sa, sb, blk, cur_a, cur_b, "truncation", mark)])
        elif k + 1 < len(blocks) and is_marker(blk, blocks[k + 1]):
            found.append([])  # a jump marker: its text is the short side of the truncation
        elif blk.kind in ("a-only", "b-only"):
            found.append([_one_sided(sa, sb, blk, cur_a, cur_b, "block")])
        else:
            found.append(_matched(sa, sb, blk, trad))
            if blk.kind != "moved":
                if last_matched >= 0:
                    breaks.extend(_between(sa, sb, blocks[last_matched], blk))
                last_matched = k
        if blk.kind != "moved":
            if blk.a:
                cur_a = sa.span(blk.a)[1]
            if blk.b:
                cur_b = sb.span(blk.b)[1]
    trunc = [k for k, blk in enumerate(blocks) if blk.kind == "truncation"]
    if trunc and last_matched >= 0 and trunc[-1] > last_matched:
        found[last_matched] = _cut_mid_paragraph(found[last_matched], blocks[last_matched], sa, sb)
    found.append(breaks)
    return blocks, found


def _matched(sa: _Side, sb: _Side, blk: Block, trad: bool) -> list[Change]:
    """The changes inside one matched block."""
    a0, b0 = sa.span(blk.a)[0], sb.span(blk.b)[0]
    return changes(
        sa.block_text(blk.a),
        sb.block_text(blk.b),
        offset_a=a0,
        offset_b=b0,
        folded_a=sa.block_fold(blk.a, trad),
        folded_b=sb.block_fold(blk.b, trad),
        traditional=trad,
    )


def _between(sa: _Side, sb: _Side, prev: Block, nxt: Block) -> list[Change]:
    """The break between two consecutive matched blocks, when the two sides break differently."""
    if prev.a[-1] + 1 != nxt.a[0] or prev.b[-1] + 1 != nxt.b[0]:
        return []
    a0, a1 = sa.span(prev.a)[1], sa.span(nxt.a)[0]
    b0, b1 = sb.span(prev.b)[1], sb.span(nxt.b)[0]
    ta = sa.text[a0:a1] if sa.text is not None else "\n" * (a1 - a0)
    tb = sb.text[b0:b1] if sb.text is not None else "\n" * (b1 - b0)
    if ta == tb or ta.strip() or tb.strip():
        return []
    return [Change((a0, a1), (b0, b1), ta, tb, role="normal")]


def _one_sided(
    sa: _Side,
    sb: _Side,
    blk: Block,
    cur_a: int,
    cur_b: int,
    role: Role,
    mark: Block | None = None,
) -> Change:
    """The one change of a one-sided or truncation block (the short side at its jump marker)."""
    ia = blk.a or (mark.a if mark is not None else ())
    ib = blk.b or (mark.b if mark is not None else ())
    a0, a1 = sa.span(ia) if ia else (cur_a, cur_a)
    b0, b1 = sb.span(ib) if ib else (cur_b, cur_b)
    ta = sa.block_text(ia) if ia else ""
    tb = sb.block_text(ib) if ib else ""
    fa = "".join(sa.folds[i].text for i in ia)
    fb = "".join(sb.folds[j].text for j in ib)
    return Change((a0, a1), (b0, b1), ta, tb, fa, fb, role=role)


def _cut_mid_paragraph(cs: list[Change], blk: Block, sa: _Side, sb: _Side) -> list[Change]:
    """A long one-sided run closing the last matched block before a cut is part of the cut."""
    if not cs:
        return cs
    last = cs[-1]
    end_a, end_b = sa.span(blk.a)[1], sb.span(blk.b)[1]
    one_sided_b = not letters(last.a_fold) and len(letters(last.b_fold)) >= LONG_RUN
    one_sided_a = not letters(last.b_fold) and len(letters(last.a_fold)) >= LONG_RUN
    if last.role == "text" and (
        (one_sided_b and last.b[1] == end_b) or (one_sided_a and last.a[1] == end_a)
    ):
        return [*cs[:-1], replace(last, role="truncation")]
    return cs
