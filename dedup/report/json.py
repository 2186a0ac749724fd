"""Every JSON shape dedup writes, to and from its records, in one place.

Why one module: ``scan.json`` and the pair JSON are contracts other tools read;
with one writer per shape a field cannot drift between the scan, ``compare``,
the Spark engine and the reports. Output is deterministic: keys sorted, floats
rounded to 4 places, UTF-8, two-space indent, a trailing newline.

Shapes (fields are only ever added; a rename or removal bumps ``SCAN_VERSION``):

* article: id ``relative/path#n``, index, kind, title, kicker, deck, byline,
  start/end, first_line/last_line, jump, continued_from, paragraphs
  ``[{kind, start, end}]``;
* document: path, encoding, format, articles, and for HTML and OCR input
  ``source`` ``[{start, end, xpath, line, page, bbox}]`` (where each stretch of
  the extracted text sits in the file);
* comparison (``dedup compare --format json`` and each compared scan pair): below;
* ``scan.json``: version, tool (name, version), options, roots, documents,
  clusters, pairs (a, b, similarity, containment, relation, a_span and b_span:
  the region of each article that matched, in its folded characters, and the
  comparison's fields when computed), split (articles found to hold two
  stories), failures, stats; then (added later)
  ``warnings`` ``[{path, warning}]``, ``inputs`` (provenance of every file
  read: ``[{name, file, side, size, mtime, sha256, href}]``, see
  ``dedup.provenance``), ``scanned_at`` (only when the scan was asked to record
  its time), and with sides (``dedup.sides``) ``sides`` (their names, in
  order; the first is A of every pair), each document's ``side``, and
  ``coverage`` and ``unmatched`` per side (``dedup.coverage``).

Rebuilding reports from ``scan.json`` alone (``dedup report``): an article of a
compared pair carries ``text``, its document's text ``[start, end)`` (the
paragraph spans index the document, so a paragraph's text is
``text[p.start - start : p.end - start]``). Only compared articles carry it, once
each; with the pair's fields that is all a pair report shows (``scan_from_json``).

JSON contract (``comparison_json``; read by other tools, keep it stable)::

    {
      "a": "samples/000_….txt#1",          # article ids, path#n
      "b": "samples/001_….txt#1",
      "title": "高擎红色旗帜 筑牢坚强堡垒",   # A's title (B's when A has none)
      "metrics": {
        "similarity": 0.7,                  # 2·matched / (|A| + |B|), folded characters
        "cer": 0.012,                       # Levenshtein / |A| over matched blocks, folded
        "coverage_a": 0.99,                 # matched / |A|
        "coverage_b": 0.62,                 # matched / |B|
        "counts": {"whitespace": 3, …}      # every type in EDIT_TYPES, zeros included
      },
      "alignment": [                        # blocks in reading order, then truncation, moved
        {"a": [3], "b": [2, 3], "kind": "1:n", "score": 0.99}, …
      ],
      "edits": [                            # in block order, then by position
        {"type": "ocr", "reason": "look-alike glyphs 论/训 (score 0.71)",
         "a": [905, 906], "b": [887, 888], "a_text": "论", "b_text": "训", "block": 12}, …
      ]
    }

``matched`` is the longest common subsequence of the folded texts summed over
the matched blocks (1:1, 1:n, n:1, n:m, moved). Block indices in ``alignment``
index the articles' paragraphs; edit offsets index the original text of each
document, ``block`` indexes ``alignment``. Floats are rounded by
``dumps``. A page comparison (``pages_json``) wraps the pairs:
``{"a": path, "b": path, "pairs": [...], "unpaired_a": [ids], "unpaired_b": [ids]}``.
"""

from __future__ import annotations

import json
from collections.abc import Mapping
from dataclasses import asdict
from typing import Any

from dedup.coverage import coverage, coverage_json
from dedup.model import (
    Article,
    Comparison,
    ExplainedPair,
    Match,
    PageComparison,
    Paragraph,
    SourceSpan,
)
from dedup.model.page import ArticleSummary, DocumentSummary, ParagraphSpan
from dedup.model.scan import ScanResult
from dedup.options import Options

SCAN_VERSION = 1


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


def paragraph_json(p: Paragraph | ParagraphSpan) -> dict[str, Any]:
    """A paragraph as JSON: kind and original-text span."""
    return {"kind": p.kind, "start": p.start, "end": p.end}


def article_json(a: Article | ArticleSummary) -> dict[str, Any]:
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


def source_json(s: SourceSpan) -> dict[str, Any]:
    """A source span as JSON: text span, element XPath, file line, OCR page and box."""
    return {
        "start": s.start,
        "end": s.end,
        "xpath": s.xpath,
        "line": s.line,
        "page": s.page,
        "bbox": list(s.bbox) if s.bbox is not None else None,
    }


def document_json(d: DocumentSummary, texts: Mapping[str, str] | None = None) -> dict[str, Any]:
    """One entry of ``scan.json``'s ``documents``; ``source`` only for HTML and OCR input.

    ``texts`` gives the text of the articles that carry it (compared ones).
    """
    out: dict[str, Any] = {
        "path": d.path,
        "encoding": d.encoding,
        "format": d.format,
        "articles": [article_json(a) for a in d.articles],
    }
    for art in out["articles"]:
        if texts and art["id"] in texts:
            art["text"] = texts[art["id"]]
    if d.source:
        out["source"] = [source_json(s) for s in d.source]
    return out


def options_json(o: Options) -> dict[str, Any]:
    """The options a scan ran with: every field of ``Options`` that can change its result.

    ``jobs`` is left out: the number of processes never changes a result, and
    ``scan.json`` must be the same bytes on any machine.
    """
    out = asdict(o)
    del out["jobs"]
    del out["cuts"]  # the scan's own second reading: listed under ``split``
    return out


def comparison_json(c: Comparison) -> dict[str, Any]:
    """One compared pair as JSON (the contract in this module's docstring)."""
    m = c.metrics
    return {
        "a": c.a,
        "b": c.b,
        "title": c.title,
        "metrics": {
            "similarity": m.similarity,
            "cer": m.cer,
            "coverage_a": m.coverage_a,
            "coverage_b": m.coverage_b,
            "counts": dict(m.counts),
        },
        "alignment": [
            {"a": list(blk.a), "b": list(blk.b), "kind": blk.kind, "score": blk.score}
            for blk in c.alignment
        ],
        "edits": [
            {
                "type": e.type,
                "reason": e.reason,
                "a": list(e.a),
                "b": list(e.b),
                "a_text": e.a_text,
                "b_text": e.b_text,
                "block": e.block,
            }
            for e in c.edits
        ],
    }


def pages_json(p: PageComparison) -> dict[str, Any]:
    """Two compared pages as JSON: their paths, the compared pairs, the unpaired articles."""
    return {
        "a": p.a,
        "b": p.b,
        "pairs": [comparison_json(c) for c in p.pairs],
        "unpaired_a": list(p.unpaired_a),
        "unpaired_b": list(p.unpaired_b),
    }


def pair_json(m: Match, comparison: Comparison | None = None) -> dict[str, Any]:
    """One entry of ``scan.json``'s ``pairs``; the comparison's fields are added when present."""
    out: dict[str, Any] = {
        "a": m.a,
        "b": m.b,
        "similarity": m.similarity,
        "containment": m.containment,
        "relation": m.relation,
        "a_span": list(m.a_span),
        "b_span": list(m.b_span),
    }
    if comparison is not None:
        for key, value in comparison_json(comparison).items():
            out.setdefault(key, value)
    return out


def scan_json(result: ScanResult) -> str:
    """``scan.json``: the shape in this module's docstring, keys sorted."""
    from dedup import __version__

    data = {
        "version": SCAN_VERSION,
        "tool": {"name": "dedup", "version": __version__},
        "options": options_json(result.options),
        "roots": list(result.roots),
        "documents": _documents(result),
        "clusters": [
            {"id": c.id, "articles": list(c.articles), "canonical": c.canonical, "reason": c.reason}
            for c in result.clusters
        ],
        "pairs": [_scan_pair(m, result.comparisons.get((m.a, m.b))) for m in result.pairs],
        "split": [
            {"article": x.article, "parts": [{"span": list(span), "partners": list(ps)} for span, ps in x.parts]}
            for x in result.splits
        ],
        "failures": [{"path": p, "error": e} for p, e in sorted(result.failures)],
        "stats": {
            "documents": len(result.documents),
            "articles": result.articles,
            "candidates": result.candidates,
            "pairs": len(result.pairs),
            "clusters": len(result.clusters),
        },
    }
    data.update(_provenance(result))
    return dumps(data)


def _documents(result: ScanResult) -> list[dict[str, Any]]:
    """``scan.json``'s documents, with the texts of compared articles and each one's side."""
    texts = {x.article.id: x.text for e in result.comparisons.values() for x in (e.a, e.b)}
    out = [document_json(d, texts) for d in sorted(result.documents, key=lambda d: d.path)]
    for doc in out:
        if doc["path"] in result.sides:
            doc["side"] = result.sides[doc["path"]]
    return out


def _provenance(result: ScanResult) -> dict[str, Any]:
    """The fields added to ``scan.json`` after its first version (see the module docstring)."""
    out: dict[str, Any] = {
        "warnings": [{"path": p, "warning": w} for p, w in result.warnings],
        "inputs": [asdict(i) for i in result.inputs],
    }
    if result.scanned_at:
        out["scanned_at"] = result.scanned_at
    if result.side_order:
        out["sides"] = list(result.side_order)
        out.update(coverage_json(coverage(result)))
    return out


def _scan_pair(m: Match, explained: ExplainedPair | None) -> dict[str, Any]:
    return pair_json(m, explained.comparison if explained is not None else None)


# ------------------------------------------------------------------ reading back


