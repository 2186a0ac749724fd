"""The spark engine's two whole-corpus steps: the sketch shuffle and connected components.

**Candidates** are a shuffle on sketch values (``fingerprint.sketch``). Every
map task hashes its articles' ``(value, article)`` entries to the shuffle's
partitions by value (``RDD.partitionBy``), as numpy arrays, so that each
reduce task holds every article that has a value and applies the local
engine's document-frequency rule to it (``candidates.shared_values``: the rule
depends only on the value and on how many articles hold it). A reduce task
returns, per pair of articles, how many values they share in it; the driver
adds the counts up and keeps the pairs ``candidates.kept_pairs`` keeps, so the
candidates are the local engine's whatever the partitioning. Spark ML's
``MinHashLSH`` is not used: it hashes one set per row with its own random
hash family, and its candidates (hence the pairs found) would differ from the
local engine's.

**Clusters** are connected components by label propagation (each article
takes the smallest label among itself and its neighbours, until no label
changes). GraphFrames is not used: its JAR comes from a Maven repository, not
from PyPI.
"""

from __future__ import annotations

from collections.abc import Iterable, Iterator
from typing import TYPE_CHECKING, Any

import numpy as np
import numpy.typing as npt

from dedup.candidates import kept_pairs, shared_values

if TYPE_CHECKING:
    from pyspark import RDD
    from pyspark.sql import SparkSession

# sketch values (uint32) and their article (int64)
Entries = tuple[npt.NDArray[np.uint32], npt.NDArray[np.int64]]
I64 = npt.NDArray[np.int64]


def entries(
    articles: Iterable[tuple[npt.NDArray[np.uint32], int]], parts: int
) -> Iterator[tuple[int, Entries]]:
    """The entries of ``(sketch, article)``, a record per partition per ~1M entries."""
    batch: list[tuple[npt.NDArray[np.uint32], int]] = []
    size = 0
    for values, gid in articles:
        batch.append((values, gid))
        size += values.size
        if size >= 1 << 20:
            yield from _spread(batch, parts)
            batch, size = [], 0
    if batch:
        yield from _spread(batch, parts)


def _spread(
    batch: list[tuple[npt.NDArray[np.uint32], int]], parts: int
) -> Iterator[tuple[int, Entries]]:
    """The ``(value, article)`` entries of some articles, one record per partition."""
    value = np.concatenate([v for v, _ in batch]).astype(np.uint32)
    gid = np.concatenate([np.full(v.size, g, dtype=np.int64) for v, g in batch])
    # every holder of a value goes to one partition
    where = (value.astype(np.uint64) * np.uint64(0x9E3779B1)) >> np.uint64(7)
    part = (where % np.uint64(parts)).astype(np.int64)
    order = np.argsort(part, kind="stable")
    part, value, gid = part[order], value[order], gid[order]
    cuts = np.searchsorted(part, np.arange(parts + 1))
    for p in range(parts):
        lo, hi = int(cuts[p]), int(cuts[p + 1])
        if hi > lo:
            yield p, (value[lo:hi], gid[lo:hi])


def value_pairs(records: Iterable[tuple[int, Entries]]) -> Iterator[I64]:
    """Rows ``(i, j, shared)``, ``i < j``: the pairs of one partition's values (local rule)."""
    records = list(records)
    if not records:
        return
    value = np.concatenate([r[1][0] for r in records])
    gid = np.concatenate([r[1][1] for r in records])
    del records
    articles, owner = np.unique(gid, return_inverse=True)
    codes, common = np.unique(shared_values(value, owner.astype(np.int64)), return_counts=True)
    if codes.size:
        yield np.stack(
            [articles[codes >> 32], articles[codes & 0xFFFFFFFF], common.astype(np.int64)], axis=1
        )


def counted_pairs(found: list[I64], sizes: dict[int, int]) -> I64:
    """The candidate pairs of articles from every partition's ``value_pairs`` rows.

    ``sizes`` holds every article's sketch size. Returned sorted, shape (pairs, 2).
    """
    if not found:
        return np.zeros((0, 2), dtype=np.int64)
    rows = np.concatenate(found)
    gids = np.array(sorted(sizes), dtype=np.int64)
    size = np.array([sizes[int(g)] for g in gids], dtype=np.int64)
    # dense numbers keep the order of the ids, so ``i < j`` holds for them too
    dense = (np.searchsorted(gids, rows[:, 0]) << 32) | np.searchsorted(gids, rows[:, 1])
    codes, back = np.unique(dense, return_inverse=True)
    common = np.bincount(back.ravel(), weights=rows[:, 2], minlength=len(codes)).astype(np.int64)
    kept = kept_pairs(codes, common, size)
    return gids[kept] if len(kept) else np.zeros((0, 2), dtype=np.int64)


def labels(spark: SparkSession, edges: list[tuple[str, str]]) -> RDD[tuple[str, str]]:
    """``(article, label)``: the label is the smallest article id of its connected component."""
    from pyspark.sql import functions as F

    both = spark.createDataFrame(
        edges + [(b, a) for a, b in edges], "src string, dst string"
    ).distinct()
    both = both.localCheckpoint()
    label = both.select(F.col("src").alias("v")).distinct().withColumn("label", F.col("v"))
    while True:
        smallest = (
            both.join(label.withColumnRenamed("v", "dst"), "dst")
            .groupBy("src")
            .agg(F.min("label").alias("near"))
            .withColumnRenamed("src", "v")
        )
        step = (
            label.join(smallest, "v")
            .select("v", F.least("label", "near").alias("label"), F.col("label").alias("old"))
            .localCheckpoint()
        )
        changed = step.where(F.col("label") != F.col("old")).count()
        label = step.select("v", "label")
        if not changed:
            break
    rows: RDD[Any] = label.rdd
    return rows.map(lambda row: (str(row["v"]), str(row["label"])))
