"""Every JSON shape of ``dedup.report.json`` read back into its records.

Why: ``dedup report scan.json`` rebuilds a scan's reports from ``scan.json``
alone, and the scan renders its own reports from the same round trip, so what
the reports show is exactly what ``scan.json`` records.
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from dedup.model import (
    EDIT_TYPES,
    Article,
    ArticleSummary,
    ArticleText,
    Block,
    Cluster,
    Comparison,
    DocumentSummary,
    Edit,
    ExplainedPair,
    Match,
    Metrics,
    Paragraph,
    ParagraphSpan,
    SourceSpan,
)
from dedup.model.scan import InputFile, ScanResult
from dedup.options import Options


def comparison_from_json(a: str, b: str, data: Mapping[str, Any]) -> Comparison:
    """A Comparison back from its JSON fields (``comparison_json``, a/b apart).

    Raises:
        ValueError, KeyError, TypeError: the data does not follow the contract.
    """
    m = data["metrics"]
    return Comparison(
        a=a,
        b=b,
        title=str(data.get("title", "")),
        alignment=tuple(
            Block(tuple(x["a"]), tuple(x["b"]), x["kind"], float(x["score"])) for x in data["alignment"]
        ),
        edits=tuple(
            Edit(
                type=e["type"],
                reason=str(e["reason"]),
                a=(int(e["a"][0]), int(e["a"][1])),
                b=(int(e["b"][0]), int(e["b"][1])),
                a_text=str(e["a_text"]),
                b_text=str(e["b_text"]),
                block=int(e["block"]),
            )
            for e in data["edits"]
        ),
        metrics=Metrics(
            similarity=float(m["similarity"]),
            cer=float(m["cer"]),
            coverage_a=float(m["coverage_a"]),
            coverage_b=float(m["coverage_b"]),
            counts=tuple(sorted(((str(t), int(n)) for t, n in m["counts"].items()), key=_type_order)),
        ),
    )


def _type_order(count: tuple[str, int]) -> tuple[int, str]:
    """Counts in ``EDIT_TYPES`` order (JSON sorts them by name), unknown types last."""
    return (EDIT_TYPES.index(count[0]) if count[0] in EDIT_TYPES else len(EDIT_TYPES), count[0])


def document_from_json(d: Mapping[str, Any]) -> DocumentSummary:
    """A ``scan.json`` document back as a DocumentSummary (``document_json``)."""
    arts = tuple(
        ArticleSummary(
            d["path"], a["index"], a["kind"], a["title"], a["kicker"], a["deck"], a["byline"],
            a["start"], a["end"], a["first_line"], a["last_line"], a["jump"], a["continued_from"],
            tuple(ParagraphSpan(p["kind"], p["start"], p["end"]) for p in a["paragraphs"]),
        )
        for a in d["articles"]
    )
    source = tuple(
        SourceSpan(s["start"], s["end"], s["xpath"], s["line"], s["page"], tuple(s["bbox"]) if s["bbox"] else None)
        for s in d.get("source", ())
    )
    return DocumentSummary(d["path"], d["encoding"], d["format"], arts, source)


def article_from_json(a: ArticleSummary, text: str, offset: int = 0) -> Article:
    """An article back from its summary and ``text``, its document's text from ``offset`` on.

    The article is the one the split made but for ``title_level``, which
    only cutting reads (``dedup.recut``) and a summary does not keep.
    """
    paragraphs = tuple(
        Paragraph(p.start, p.end, text[p.start - offset : p.end - offset], p.kind) for p in a.paragraphs
    )
    return Article(
        a.path, a.index, a.start, a.end, a.title, paragraphs, a.kind, a.kicker, a.deck, a.byline,
        jump=a.jump, continued_from=a.continued_from, first_line=a.first_line, last_line=a.last_line,
    )


def article_text_from_json(a: ArticleSummary, text: str, doc: DocumentSummary) -> ArticleText:
    """An article of a compared pair back from its summary, its ``text`` and its document."""
    article = article_from_json(a, text, a.start)
    spans = tuple(x for x in doc.source if x.end > a.start and x.start < a.end)  # as ArticleText.cut
    return ArticleText(article, text, spans)


def explained_from_json(pair: Mapping[str, Any], articles: Mapping[str, ArticleText]) -> ExplainedPair:
    """A compared ``scan.json`` pair back as an ExplainedPair (its articles by id)."""
    a, b = str(pair["a"]), str(pair["b"])
    return ExplainedPair(
        comparison_from_json(a, b, pair), articles[a], articles[b], pair["relation"], float(pair["containment"])
    )


def scan_from_json(data: Mapping[str, Any]) -> ScanResult:
    """A ``scan.json`` back as a ScanResult: everything its reports render.

    Raises:
        ValueError, KeyError, TypeError: the data does not follow the shape.
    """
    docs = [document_from_json(d) for d in data["documents"]]
    texts = {a["id"]: a["text"] for d in data["documents"] for a in d["articles"] if "text" in a}
    arts = {a.id: article_text_from_json(a, texts[a.id], d) for d in docs for a in d.articles if a.id in texts}
    pairs = [Match(p["a"], p["b"], p["similarity"], p["containment"], p["relation"]) for p in data["pairs"]]
    options = {k: v for k, v in data["options"].items() if k in Options.__dataclass_fields__}
    return ScanResult(
        documents=docs,
        pairs=pairs,
        clusters=[Cluster(c["id"], tuple(c["articles"]), c["canonical"], c["reason"]) for c in data["clusters"]],
        failures=[(f["path"], f["error"]) for f in data["failures"]],
        warnings=[(w["path"], w["warning"]) for w in data.get("warnings", ())],
        candidates=data["stats"]["candidates"],
        articles=data["stats"]["articles"],
        comparisons={
            (p["a"], p["b"]): explained_from_json(p, arts) for p in data["pairs"] if "metrics" in p
        },
        options=Options(**options),
        roots=list(data["roots"]),
        sides={d["path"]: d["side"] for d in data["documents"] if "side" in d},
        side_order=list(data.get("sides", ())),
        inputs=[InputFile(**i) for i in data.get("inputs", ())],
        scanned_at=data.get("scanned_at", ""),
    )
