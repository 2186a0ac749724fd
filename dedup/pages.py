"""What one page contributes to a scan: read, split into articles, fingerprinted.

The functions take and return plain, picklable data, so that a process pool or
a cluster can run them on its workers unchanged. The verification profile of
an article (``profile``, with ``rare_share``) is made here because it is made
from the same folded text as the fingerprint.
"""

from __future__ import annotations

import contextlib
import os
from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass
from functools import lru_cache, partial
from pathlib import Path, PurePosixPath
from typing import TYPE_CHECKING, TypeAlias

from dedup.errors import ReadError
from dedup.ingest import decode, read_page, replaced_warning
from dedup.model import (
    Article,
    ArticleText,
    Document,
    DocumentSummary,
    ExplainedPair,
    Options,
    Profile,
)
from dedup.normalize import key_text
from dedup.recut import page_cuts
from dedup.segment import split
from dedup.text import hanzi_count, use_numpy

if TYPE_CHECKING:
    import numpy as np
    import numpy.typing as npt


@dataclass(frozen=True)
class FileResult:
    """What one page contributes to a scan."""

    path: str
    error: str | None
    document: DocumentSummary | None
    profiles: tuple[Profile, ...]
    keys: tuple[npt.NDArray[np.uint32], ...]  # per article, its ``fingerprint.sketch``
    empty: bool = False
    warning: str | None = None


# the profiles and sketches of some stories (``fingerprint_span``)
Fingerprints: TypeAlias = "tuple[list[Profile], list[npt.NDArray[np.uint32]]]"
# an executor's map over its processes: ``fn(shared, span)`` for each span, the
# results in the spans' order; ``shared`` reaches each process once, not with every span
FanOut = Callable[
    [Callable[[Sequence[Article], tuple[int, int]], Fingerprints], Sequence[Article], list[tuple[int, int]]],
    Iterable[Fingerprints],
]
# stories per task when one page's stories are fingerprinted by several processes
FAN_OUT_SLICE = 256


@lru_cache(maxsize=1)
def _common_hanzi() -> frozenset[str]:
    """The GB2312 level-1 hanzi, the 3,755 most common characters of print."""
    common: set[str] = set()
    trail = bytes(range(0xA1, 0xFF))
    row = bytearray(2 * len(trail))
    row[1::2] = trail
    for hi in range(0xB0, 0xD8):
        row[0::2] = bytes((hi,)) * len(trail)
        try:  # a whole row at once; the last row has unassigned cells: cell by cell
            common.update(row.decode("gb2312"))
        except UnicodeDecodeError:
            for at in range(0, len(row), 2):
                with contextlib.suppress(UnicodeDecodeError):
                    common.add(row[at : at + 2].decode("gb2312"))
    return frozenset(c for c in common if "\u4e00" <= c <= "\u9fff")


@lru_cache(maxsize=1)
def _common_table() -> npt.NDArray[np.bool_]:
    """``_common_hanzi`` as a lookup table by code point."""
    import numpy as np

    table = np.zeros(0x10000, dtype=np.bool_)
    table[[ord(c) for c in _common_hanzi()]] = True
    return table


def rare_share(key: str) -> float:
    """Share of CJK characters outside GB2312 level 1: OCR garbage is often rare.

    With numpy (``text.use_numpy``), counted ``_RARE_AT_ONCE`` characters at
    a time: the code points of a page on one line would take four bytes a
    character.
    """
    if not use_numpy(len(key)):
        hanzi = hanzi_count(key)
        rare = hanzi - sum(map(_common_hanzi().__contains__, key))
        return float(rare) / hanzi if hanzi else 0.0
    import numpy as np

    hanzi = rare = 0
    for a in range(0, len(key), _RARE_AT_ONCE):
        cps = np.frombuffer(key[a : a + _RARE_AT_ONCE].encode("utf-32-le"), dtype=np.uint32)
        cjk = cps[(cps >= 0x4E00) & (cps <= 0x9FFF)]
        hanzi += cjk.size
        rare += int(np.count_nonzero(~_common_table()[cjk]))
    return float(rare) / hanzi if hanzi else 0.0


_RARE_AT_ONCE = 1 << 16


def article_text(article: Article) -> str:
    """The body text an article is matched on (headers, bylines, captions left out)."""
    return "\n".join(p.text for p in article.body)


def profile(article: Article, key: str) -> Profile:
    """The verification profile of one article."""
    return Profile(
        id=article.id,
        key=key,
        cut=bool(article.jump) or article.kind == "continuation",
        continuation=article.kind == "continuation",
        jump=article.jump,
        title=article.title,
        rare=round(rare_share(key), 6),
    )


def fingerprint_document(
    doc: Document,
    options: Options,
    articles: Sequence[Article] | None = None,
    fan_out: FanOut | None = None,
) -> FileResult:
    """Split a document (unless its ``articles`` are given) and fingerprint its stories
    (furniture is never matched).

    ``fan_out`` (an executor's ordered map over its processes) fingerprints
    the stories of a page holding many, ``FAN_OUT_SLICE`` at a time; the
    result is the same as without it, since every article is fingerprinted
    alone.
    """
    articles = split(doc, page_cuts(options, doc.path)) if articles is None else list(articles)
    stories = [a for a in articles if a.kind != "furniture"]
    run = partial(fingerprint_span, options=options)
    if fan_out is not None and len(stories) > 2 * FAN_OUT_SLICE:
        spans = [(k, min(k + FAN_OUT_SLICE, len(stories))) for k in range(0, len(stories), FAN_OUT_SLICE)]
        parts = list(fan_out(run, stories, spans))
    else:
        parts = [run(stories, (0, len(stories)))]
    return FileResult(
        doc.path,
        None,
        DocumentSummary.of(doc, articles),
        tuple(p for profiles, _ in parts for p in profiles),
        tuple(k for _, keys in parts for k in keys),
        empty=not doc.text.strip(),
        warning=replaced_warning(doc.replaced) if doc.replaced else None,
    )


def fingerprint_span(stories: Sequence[Article], span: tuple[int, int], options: Options) -> Fingerprints:
    """The profiles and sketches of ``stories[start:stop]`` long enough to be matched, in order."""
    from dedup.fingerprint import shingles, sketch  # the scan's stage: compare needs profiles only

    profiles = []
    keys = []
    for article in stories[span[0] : span[1]]:
        text = article_text(article)
        key = key_text(text, traditional=options.traditional)
        if len(key) < options.min_chars:
            continue
        profiles.append(profile(article, key))
        keys.append(sketch(shingles(key, text, options)))
    return profiles, keys


def process_file(file: str, name: str, options: Options, fan_out: FanOut | None = None) -> FileResult:
    """Read, split and fingerprint one page; a read error becomes ``error``.

    ``fan_out``: see ``fingerprint_document``.
    """
    try:
        # read and split through the cache the comparisons use: a page holding
        # many stories (one very large file) is then split once, not again per pair
        doc, articles = _split_file(file, name, options)
    except ReadError as exc:
        return FileResult(exc.path, exc.problem, None, (), ())
    return fingerprint_document(doc, options, articles, fan_out)


def process_text(text: str, name: str, options: Options, fan_out: FanOut | None = None) -> FileResult:
    """``process_file`` of a UTF-8 file at ``name`` holding ``text`` (a JSON Lines record)."""
    try:
        data = text.encode("utf-8", "surrogatepass")
        doc = decode(data, name, options.encoding, options.input_format, errors=options.decode_errors)
    except ReadError as exc:
        return FileResult(exc.path, exc.problem, None, (), ())
    return fingerprint_document(doc, options, fan_out=fan_out)


def compare_pair(
    side_a: tuple[str, str, int],
    side_b: tuple[str, str, int],
    options: Options,
    similarity: float | None = None,
) -> ExplainedPair:
    """Explain one found pair: ``(file, name, article index)`` of each side.

    ``similarity`` is the pair's ``Match.similarity`` when the scan found it
    (the comparison shows that figure, so it is not verified a second time).
    Returns the comparison with both articles' texts, for every output to use.
    """
    doc_a, arts_a = _split_file(side_a[0], side_a[1], options)
    doc_b, arts_b = _split_file(side_b[0], side_b[1], options)
    return compare_articles((doc_a, arts_a[side_a[2] - 1]), (doc_b, arts_b[side_b[2] - 1]), options, similarity)


def compare_articles(
    side_a: tuple[Document, Article],
    side_b: tuple[Document, Article],
    options: Options,
    similarity: float | None = None,
) -> ExplainedPair:
    """``compare_pair`` of two articles already split out of their documents."""
    from dedup.compare import compare

    (doc_a, x), (doc_b, y) = side_a, side_b
    result = compare(
        x,
        y,
        options=options,
        text_a=doc_a.text,
        text_b=doc_b.text,
        confidence_a=doc_a.confidence,
        confidence_b=doc_b.confidence,
        similarity=similarity,
    )
    return ExplainedPair(result, ArticleText.cut(x, doc_a), ArticleText.cut(y, doc_b))


def compare_job(
    job: tuple[str, str, tuple[str, int, str | None], tuple[str, int, str | None], float],
    text_a: str | None,
    text_b: str | None,
    options: Options,
) -> ExplainedPair:
    """``compare_pair`` of a job ``(a, b, side a, side b, similarity)``, a side being
    ``(name, index, file)`` and the similarity the pair's ``Match.similarity``.

    A side given with its text (a JSON Lines page) is written
    to a scratch file as UTF-8 and read back, so it takes exactly the path a
    file with that text takes.
    """
    spilled = []
    try:
        sides = []
        for (name, index, file), text in ((job[2], text_a), (job[3], text_b)):
            if text is not None:
                file = _spill(name, text)
                spilled.append(file)
            assert file is not None
            sides.append((file, name, index))
        return compare_pair(sides[0], sides[1], options, job[4])
    finally:
        for file in spilled:
            Path(file).unlink(missing_ok=True)


def _spill(name: str, text: str) -> str:
    """Write a page's text to a scratch file named after its content (so caches stay right)."""
    import hashlib
    import tempfile

    folder = Path(tempfile.gettempdir(), f"dedup-spark-{os.getpid()}")
    folder.mkdir(exist_ok=True)
    digest = hashlib.sha256(f"{name}\0{text}".encode("utf-8", "surrogatepass")).hexdigest()
    file = folder / f"{digest}{PurePosixPath(name).suffix}"
    file.write_bytes(text.encode("utf-8", "surrogatepass"))
    return str(file)


@lru_cache(maxsize=8)
def _split_file(file: str, name: str, options: Options) -> tuple[Document, tuple[Article, ...]]:
    """A page read and split, kept for the next pairs: pairs come grouped by page."""
    doc = read_page(file, options, name)
    return doc, tuple(split(doc, page_cuts(options, doc.path)))
