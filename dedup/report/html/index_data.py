"""The rows of a scan's index as compact data files, rendered by the index's script.

Why data files: a scan of 100,000 articles has 100,000 article rows and tens
of thousands of pairs; as HTML rows that is tens of megabytes and a page
hundreds of thousands of pixels tall. As compact JSON (arrays, not objects;
articles referenced by number) the same rows are a few megabytes, and the
page renders one page of rows at a time, filtered and sorted in the browser.

How they load: each file is a script (``index-data-001.js``, ...) that pushes
one part onto ``window.dedupIndex``; ``index.html`` lists them in
``<script src>`` tags, so the index opens from ``file://`` with no server
(``fetch`` of a local file is refused by browsers, a script tag is not).
Each file is cut at about ``PART_BYTES`` so that none grows past what a
browser parses quickly.

Row shapes (every part holds some of these keys; the first also ``types``,
``relations`` and ``files``):

* ``articles``: ``[file, suffix, kind, title, first_line, last_line, cluster]``
  with ``file`` an index into ``files``, the id being ``files[file] + suffix``,
  ``cluster`` an index into the clusters (-1 for none);
* ``clusters``: ``[id, canonical, reason, [article, ...]]``;
* ``pairs``: ``[a, b, relation, cluster, similarity, containment, cer,
  counts, report, note]`` with ``cer`` -1 when unknown and ``counts`` one
  number per entry of ``types`` (empty when the pair was not compared).
"""

from __future__ import annotations

import json
from collections.abc import Iterator, Mapping, Sequence
from dataclasses import dataclass
from typing import Any

from dedup.model import EDIT_TYPES, Cluster

PART_BYTES = 1_500_000
DATA_NAME = "index-data-{:03d}.js"
_PUSH = "(window.dedupIndex = window.dedupIndex || []).push("


@dataclass(frozen=True)
class IndexPair:
    """One row of the index's pair table."""

    a: str
    b: str
    similarity: float
    containment: float
    relation: str
    cluster: str
    report: str  # relative link to the pair report, "" when there is none
    note: str  # why there is no report
    cer: float | None = None
    counts: tuple[tuple[str, int], ...] = ()


def _dumps(value: Any) -> str:
    """Compact, deterministic JSON (non-ASCII kept; ``</`` escaped for a script body)."""
    text = json.dumps(value, ensure_ascii=False, separators=(",", ":"), sort_keys=True)
    return text.replace("</", "<\\/")


class _Rows:
    """Numbers for article ids and cluster ids, and the rows that use them."""

    def __init__(self, documents: Sequence[Mapping[str, Any]], clusters: Sequence[Cluster]) -> None:
        self.files = [str(d["path"]) for d in documents]
        self.cluster_no = {c.id: k for k, c in enumerate(clusters)}
        cluster_of = {a: self.cluster_no[c.id] for c in clusters for a in c.articles}
        self.article_no: dict[str, int] = {}
        self.articles: list[list[Any]] = []
        for f, doc in enumerate(documents):
            for art in doc.get("articles", []):
                self._add(f, art, cluster_of)

    def _add(self, f: int, art: Mapping[str, Any], cluster_of: Mapping[str, int]) -> None:
        """One article row; its id is stored as a suffix of its file's path."""
        art_id = str(art["id"])
        path = self.files[f]
        suffix = art_id[len(path) :] if art_id.startswith(path) else art_id
        self.article_no[art_id] = len(self.articles)
        self.articles.append(
            [
                f if art_id.startswith(path) else -1,
                suffix,
                str(art.get("kind", "story")),
                str(art.get("title", "")),
                int(art.get("first_line", 0)),
                int(art.get("last_line", 0)),
                cluster_of.get(art_id, -1),
            ]
        )

    def ref(self, article_id: str) -> int | str:
        """An article's number, or its id when the index lists no such article."""
        return self.article_no.get(article_id, article_id)

    def cluster(self, c: Cluster) -> list[Any]:
        """One cluster row."""
        return [c.id, self.ref(c.canonical), c.reason, [self.ref(a) for a in c.articles]]

    def pair(self, p: IndexPair, relations: Sequence[str]) -> list[Any]:
        """One pair row; floats rounded as the reports print them."""
        counts = dict(p.counts)
        return [
            self.ref(p.a),
            self.ref(p.b),
            relations.index(p.relation),
            self.cluster_no.get(p.cluster, -1),
            round(p.similarity, 4),
            round(p.containment, 4),
            round(p.cer, 4) if p.cer is not None else -1,
            [counts.get(t, 0) for t in EDIT_TYPES] if p.counts else [],
            p.report,
            p.note,
        ]


def _chunks(key: str, rows: Sequence[list[Any]]) -> Iterator[tuple[str, str, int]]:
    """``(key, serialised row, its size in UTF-8 bytes)`` for every row, in order."""
    for row in rows:
        text = _dumps(row)
        yield key, text, len(text.encode("utf-8"))


def data_files(
    documents: Sequence[Mapping[str, Any]],
    clusters: Sequence[Cluster],
    pairs: Sequence[IndexPair],
) -> dict[str, bytes]:
    """The index's data files by name, in load order; each at most about ``PART_BYTES``."""
    rows = _Rows(documents, clusters)
    relations = sorted({p.relation for p in pairs})
    head = {"types": list(EDIT_TYPES), "relations": relations, "files": rows.files}
    stream = [
        *_chunks("articles", rows.articles),
        *_chunks("clusters", [rows.cluster(c) for c in clusters]),
        *_chunks("pairs", [rows.pair(p, relations) for p in pairs]),
    ]
    parts: list[dict[str, list[str]]] = [{}]
    size = len(_dumps(head).encode("utf-8"))
    for key, text, n in stream:
        if size + n > PART_BYTES and parts[-1]:
            parts.append({})
            size = 0
        parts[-1].setdefault(key, []).append(text)
        size += n + 1
    out: dict[str, bytes] = {}
    for n, part in enumerate(parts, 1):
        fields = [f'"{k}":[' + ",".join(v) + "]" for k, v in sorted(part.items())]
        if n == 1:
            fields = [_dumps(head)[1:-1], *fields]
        body = _PUSH + "{" + ",".join(fields) + "});\n"
        out[DATA_NAME.format(n)] = body.encode("utf-8")
    return out
