"""Records to and from the text the archive stores: JSON a SQLite browser can read.

Documents are stored as ``scan.json``'s document entries (``document_json``)
and comparisons as the pair JSON (``comparison_json``), so the archive holds
the same shapes the scan writes; the compared articles' texts are stored with
their paragraphs and source spans, so that a report renders without the files.
"""

from __future__ import annotations

import json
import zlib
from dataclasses import asdict
from pathlib import Path, PurePosixPath
from typing import Any

import numpy as np
import numpy.typing as npt

from dedup.model import Article, ArticleText, Options, Paragraph, Profile, SourceSpan
from dedup.report.json import options_json


def dump(data: Any) -> str:
    """Compact JSON in the fields' own order (counts keep their order), as every text column holds it."""
    return json.dumps(data, ensure_ascii=False, separators=(",", ":"))


def options_text(options: Options) -> str:
    """The options that can change a result, as stored in ``meta``."""
    return dump(options_json(options))


def options_from(text: str, jobs: int = 1) -> Options:
    """The stored options back, with ``jobs`` (never stored: it changes no result)."""
    return Options(**json.loads(text), jobs=jobs)


def _span(s: dict[str, Any]) -> SourceSpan:
    bbox = s.get("bbox")
    return SourceSpan(
        int(s["start"]), int(s["end"]), str(s["xpath"]), int(s["line"]), str(s["page"]),
        None if bbox is None else (int(bbox[0]), int(bbox[1]), int(bbox[2]), int(bbox[3])),
    )


def article_text_json(side: ArticleText) -> str:
    """An article with its text and source spans, as stored with a comparison."""
    return dump({"article": asdict(side.article), "text": side.text, "source": [asdict(s) for s in side.source]})


def article_text_from(text: str) -> ArticleText:
    """An ArticleText back from ``article_text_json``."""
    data = json.loads(text)
    art = dict(data["article"])
    art["paragraphs"] = tuple(Paragraph(**p) for p in art["paragraphs"])
    return ArticleText(Article(**art), data["text"], tuple(_span(s) for s in data["source"]))


def profile_row(p: Profile) -> tuple[str, str, int, int, str, str, float]:
    """The columns of ``articles`` that hold a profile (ref, key, cut, continuation, jump, title, rare)."""
    return p.id, p.key, int(p.cut), int(p.continuation), p.jump, p.title, p.rare


PROFILE_COLUMNS = "ref, key, cut, continuation, jump, title, rare"


def profile_from(row: tuple[Any, ...]) -> Profile:
    """A Profile from the ``PROFILE_COLUMNS`` of a row."""
    ref, key, cut, cont, jump, title, rare = row
    return Profile(ref, key, bool(cut), bool(cont), jump, title, float(rare))


def codes_blob(codes: npt.NDArray[np.int64]) -> bytes:
    """An article's codes (its sketch's sampled values) as stored: little-endian int64, sorted."""
    return codes.astype("<i8").tobytes()


def spill(scratch: Path, k: int, name: str, content: bytes) -> str:
    """Write a stored document's bytes (``documents.content``) to ``scratch/k/`` under its own
    file name, so that reading it again picks its format as from the original; the file's path."""
    file = scratch / str(k) / PurePosixPath(name).name
    file.parent.mkdir()
    file.write_bytes(zlib.decompress(content))
    return str(file)
