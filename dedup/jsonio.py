"""Deterministic JSON: sorted keys, fixed float precision, UTF-8, trailing newline."""

from __future__ import annotations

import json
from typing import Any

from dedup.model import Article, Paragraph


def dumps(data: Any) -> str:
    """Serialise ``data`` the same way every time (sorted keys, 2-space indent)."""
    return json.dumps(_round(data), ensure_ascii=False, sort_keys=True, indent=2) + "\n"


def _round(data: Any) -> Any:
    if isinstance(data, float):
        return round(data, 4)
    if isinstance(data, dict):
        return {k: _round(v) for k, v in data.items()}
    if isinstance(data, (list, tuple)):
        return [_round(v) for v in data]
    return data


def paragraph_json(p: Paragraph) -> dict[str, Any]:
    """A paragraph as JSON: kind and original-text span."""
    return {"kind": p.kind, "start": p.start, "end": p.end}


def article_json(a: Article) -> dict[str, Any]:
    """An article as JSON: id, kind, titles, span, line range and paragraph spans."""
    return {
        "id": a.id,
        "index": a.index,
        "kind": a.kind,
        "title": a.title,
        "kicker": a.kicker,
        "deck": a.deck,
        "byline": a.byline,
        "start": a.start,
        "end": a.end,
        "first_line": a.first_line,
        "last_line": a.last_line,
        "jump": a.jump,
        "continued_from": a.continued_from,
        "paragraphs": [paragraph_json(p) for p in a.paragraphs],
    }
