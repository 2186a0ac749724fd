"""Pair the articles of two pages that print the same story.

``compare_texts`` and ``compare_files`` (``dedup.compare``) compare pages, not
articles: each page is split into articles, and only the articles that print
the same story are compared. Articles are paired by their body text: the best
partner whose similarity (or containment, so that a version cut at
（下转第二版） pairs with the full one) reaches the thresholds of ``Options``,
each article at most once.
"""

from __future__ import annotations

from collections.abc import Sequence

from dedup.match import relation, verify
from dedup.model import Article, Options
from dedup.normalize import key_text
from dedup.text import kgram_hashes, kgram_list, use_numpy

__all__ = ["pair_articles", "verdict"]

# Above this product of lengths, pages' articles are paired on shingles, not LCS.
_EXACT_PAIRING = 4e8


def _body_key(article: Article, traditional: bool) -> str:
    return key_text("\n".join(p.text for p in article.body), traditional=traditional)


def _shingle_scores(x: str, y: str) -> tuple[float, float]:
    """Dice similarity and containment of two texts' character 4-gram sets."""
    if use_numpy(len(x) + len(y)):
        import numpy as np

        gx, gy = np.unique(kgram_hashes(x)), np.unique(kgram_hashes(y))
        size_x, size_y = len(gx), len(gy)
        common = len(np.intersect1d(gx, gy, assume_unique=True)) if size_x and size_y else 0
    else:
        sx, sy = set(kgram_list(x)), set(kgram_list(y))
        size_x, size_y, common = len(sx), len(sy), len(sx & sy)
    if not size_x or not size_y:
        return 0.0, 0.0
    return 2.0 * common / (size_x + size_y), common / min(size_x, size_y)


def pair_articles(
    articles_a: Sequence[Article], articles_b: Sequence[Article], options: Options
) -> list[tuple[Article, Article]]:
    """Pair the articles of two pages that print the same story, each at most once.

    Furniture and articles without body text are never paired. A pair needs
    ``similarity >= options.similarity_threshold`` or ``containment >=
    options.containment_threshold`` (so a version cut short still pairs with
    the full one); the most similar pairs are taken first, so that a short
    piece contained in a long article does not take the long one's partner.
    """
    keys_a = [(x, _body_key(x, options.traditional)) for x in articles_a if x.kind != "furniture"]
    keys_b = [(y, _body_key(y, options.traditional)) for y in articles_b if y.kind != "furniture"]
    scored: list[tuple[float, float, int, int, Article, Article]] = []
    for x, kx in keys_a:
        for y, ky in keys_b:
            if not kx or not ky:
                continue
            if len(kx) * len(ky) > _EXACT_PAIRING:
                sim, cont = _shingle_scores(kx, ky)
            else:
                sim, cont = verify(kx, ky)
            if sim >= options.similarity_threshold or cont >= options.containment_threshold:
                scored.append((-sim, -cont, x.index, y.index, x, y))
    scored.sort(key=lambda t: t[:4])
    used_a: set[int] = set()
    used_b: set[int] = set()
    pairs: list[tuple[Article, Article]] = []
    for _s, _c, ia, ib, x, y in scored:
        if ia not in used_a and ib not in used_b:
            used_a.add(ia)
            used_b.add(ib)
            pairs.append((x, y))
    pairs.sort(key=lambda p: (p[0].index, p[1].index))
    return pairs


def verdict(x: Article, y: Article, options: Options) -> tuple[str, float]:
    """The relation a scan would give two paired articles, and their containment.

    Why here: ``compare`` pairs articles itself; its reports state the same
    relation (duplicate, partial) that a scan of the two pages would.
    """
    from dedup.pages import article_text, profile

    kx = key_text(article_text(x), traditional=options.traditional)
    ky = key_text(article_text(y), traditional=options.traditional)
    similarity, containment = verify(kx, ky)
    rel = relation(similarity, containment, profile(x, kx), profile(y, ky), options)
    return rel or "", containment
