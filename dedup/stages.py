"""The per-file and per-pair stage functions every engine runs.

They take and return plain, picklable data, so that a process pool or a
cluster framework can ship them to workers unchanged.
"""

from __future__ import annotations

from dataclasses import dataclass
from functools import lru_cache
from typing import Any

import numpy as np
import numpy.typing as npt

from dedup.errors import ReadError
from dedup.fingerprint import Hasher, band_keys, shingles
from dedup.ingest import read
from dedup.model import Article, Document, Options, Profile
from dedup.normalize import key_text
from dedup.report import json as jsonio
from dedup.segment import split


@dataclass(frozen=True)
class FileResult:
    """What one page contributes to a scan."""

    path: str
    error: str | None
    document: dict[str, Any] | None
    profiles: tuple[Profile, ...]
    keys: tuple[npt.NDArray[np.uint32], ...]
    empty: bool = False


@lru_cache(maxsize=1)
def _common_table() -> npt.NDArray[np.bool_]:
    """Lookup table of GB2312 level-1 hanzi, the 3,755 most common characters of print."""
    table = np.zeros(0x10000, dtype=np.bool_)
    for hi in range(0xB0, 0xD8):
        for lo in range(0xA1, 0xFF):
            try:
                table[ord(bytes((hi, lo)).decode("gb2312"))] = True
            except UnicodeDecodeError:
                continue
    return table


def rare_share(key: str) -> float:
    """Share of CJK characters outside GB2312 level 1: OCR garbage is often rare."""
    cps = np.frombuffer(key.encode("utf-32-le"), dtype=np.uint32)
    cjk = cps[(cps >= 0x4E00) & (cps <= 0x9FFF)]
    if not cjk.size:
        return 0.0
    return float(np.count_nonzero(~_common_table()[cjk])) / cjk.size


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


def document_json(doc: Document, articles: list[Article]) -> dict[str, Any]:
    """One entry of ``scan.json``'s ``documents``."""
    return {
        "path": doc.path,
        "encoding": doc.encoding,
        "format": doc.format,
        "articles": [jsonio.article_json(a) for a in articles],
    }


def fingerprint_document(doc: Document, options: Options) -> FileResult:
    """Split a document and fingerprint its stories (furniture is never matched)."""
    hasher = _hasher(options)
    articles = split(doc)
    profiles = []
    keys = []
    for article in articles:
        if article.kind == "furniture":
            continue
        text = article_text(article)
        key = key_text(text, traditional=options.traditional)
        if len(key) < options.min_chars:
            continue
        profiles.append(profile(article, key))
        hashes = shingles(key, text, options)
        keys.append(band_keys(hasher.signatures(hashes), options.bands))
    return FileResult(
        doc.path,
        None,
        document_json(doc, articles),
        tuple(profiles),
        tuple(keys),
        empty=not doc.text.strip(),
    )


def process_file(file: str, name: str, options: Options) -> FileResult:
    """Read, split and fingerprint one page; a read error becomes ``error``."""
    try:
        doc = read(file, encoding=options.encoding, name=name, fmt=options.input_format)
    except ReadError as exc:
        return FileResult(exc.path, exc.problem, None, (), ())
    return fingerprint_document(doc, options)


_HASHERS: dict[Options, Hasher] = {}


def _hasher(options: Options) -> Hasher:
    if options not in _HASHERS:
        _HASHERS[options] = Hasher.make(options)
    return _HASHERS[options]


@lru_cache(maxsize=8)
def _split_file(
    file: str, name: str, encoding: str | None, fmt: str = "auto"
) -> tuple[Document, tuple[Article, ...]]:
    doc = read(file, encoding=encoding, name=name, fmt=fmt)
    return doc, tuple(split(doc))


def compare_pair(
    side_a: tuple[str, str, int], side_b: tuple[str, str, int], options: Options
) -> dict[str, Any]:
    """Explain one found pair: ``(file, name, article index)`` of each side.

    Returns the comparison's JSON fields (title, metrics, alignment, edits).
    """
    from dedup.compare import compare, comparison_json

    doc_a, arts_a = _split_file(side_a[0], side_a[1], options.encoding, options.input_format)
    doc_b, arts_b = _split_file(side_b[0], side_b[1], options.encoding, options.input_format)
    result = compare(
        arts_a[side_a[2] - 1],
        arts_b[side_b[2] - 1],
        options=options,
        text_a=doc_a.text,
        text_b=doc_b.text,
        confidence_a=doc_a.confidence,
        confidence_b=doc_b.confidence,
    )
    data = comparison_json(result)
    del data["a"], data["b"]
    return data
