"""A synthetic scan index of any size, for the index's browser test and the report bench.

Why synthetic: a real scan of 100,000 articles takes minutes; what the index
page has to stand is its rows, so this builds rows of that size directly:
``articles`` articles over files of four, one in ten in a cluster of two or
three printings, every cluster's members paired with its canonical version,
with random metrics and difference counts. Deterministic for a seed.
"""

from __future__ import annotations

import random
from pathlib import Path
from typing import Any

from dedup.model import EDIT_TYPES, Cluster
from dedup.report.html import IndexPair, index_files, report_name

RELATIONS = ("duplicate", "partial", "continuation")


def synthetic_index(articles: int, seed: int = 7) -> tuple[list[dict[str, Any]], list[Cluster], list[IndexPair]]:
    """``(documents, clusters, pairs)`` as ``index_files`` takes them."""
    rng = random.Random(seed)
    pool = [chr(c) for c in range(0x4E00, 0x4E00 + 3000)]
    documents: list[dict[str, Any]] = []
    ids: list[str] = []
    for f in range((articles + 3) // 4):
        path = f"{f // 1000:03d}/{f:06d}.txt"
        arts = []
        for k in range(1, min(4, articles - 4 * f) + 1):
            title = "".join(rng.choice(pool) for _ in range(rng.randint(6, 14)))
            line = 1 + 20 * (k - 1)
            arts.append({"id": f"{path}#{k}", "index": k, "kind": "story", "title": title,
                         "first_line": line, "last_line": line + 18})
            ids.append(f"{path}#{k}")
        documents.append({"path": path, "encoding": "utf-8", "articles": arts})
    clusters: list[Cluster] = []
    pairs: list[IndexPair] = []
    members = rng.sample(ids, len(ids) // 10)
    k = 0
    while k + 1 < len(members):
        size = rng.choice((2, 2, 3))
        group = tuple(sorted(members[k : k + size]))
        k += size
        cid = f"c{len(clusters) + 1}"
        canonical = group[0]
        clusters.append(Cluster(cid, group, canonical, "longest complete text"))
        for other in group[1:]:
            relation = rng.choice(RELATIONS)
            counts = tuple((t, rng.choice((0, 0, 1, 2, 5))) for t in EDIT_TYPES)
            compared = relation != "continuation"
            pairs.append(IndexPair(
                a=canonical, b=other, similarity=round(rng.uniform(0.5, 1.0), 4),
                containment=round(rng.uniform(0.6, 1.0), 4), relation=relation, cluster=cid,
                report=f"pairs/{report_name(canonical, other)}" if compared else "",
                note="" if compared else "continuation: no shared text",
                cer=round(rng.uniform(0.0, 0.1), 4) if compared else None,
                counts=counts if compared else (),
            ))
    return documents, clusters, pairs


def write_index(out: Path, articles: int, seed: int = 7) -> tuple[list[dict[str, Any]], list[Cluster], list[IndexPair]]:
    """Write ``index.html`` and its data files for a synthetic scan; returns its rows."""
    documents, clusters, pairs = synthetic_index(articles, seed)
    out.mkdir(parents=True, exist_ok=True)
    files = index_files(
        documents=documents, clusters=clusters, pairs=pairs, failures=[("bad.txt", "not text")],
        stats={"candidates": 3 * len(pairs)},
    )
    for name, data in files.items():
        (out / name).write_bytes(data)
    return documents, clusters, pairs
