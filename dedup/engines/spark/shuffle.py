"""The spark engine's two whole-corpus steps: the band shuffle and connected components.

**Candidates** are a shuffle on LSH band keys. Every map task hashes its
articles' ``(band, key, article)`` entries to the shuffle's partitions by
``(band, key)`` (``RDD.partitionBy``), as numpy arrays, so that each reduce
task holds whole buckets and applies the local engine's bucket rule to them
(``dedup.candidates``: buckets of more than ``MAX_BUCKET`` articles are
skipped). A DataFrame ``explode`` → ``groupBy(band, key)`` does the same, but
a row per entry (about 860 per article: 2 layers of ~14 chunks × 32 bands)
made it 5-8 times slower on ``local[2]``. Spark ML's ``MinHashLSH`` is not
used: it hashes one set per row with its own random hash family, so it can
neither reproduce our chunked, densified one-permutation signatures nor their
banding, and its candidates (hence the pairs found) would differ from the
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

from dedup.candidates import (
    MAX_BUCKET,
    _band_pairs,  # the local engine's bucket rule
)

if TYPE_CHECKING:
    from pyspark import RDD
    from pyspark.sql import SparkSession

# band (int8), key (uint32) and article (int64) of some LSH entries
Entries = tuple[npt.NDArray[np.int8], npt.NDArray[np.uint32], npt.NDArray[np.int64]]


def entries(
    articles: Iterable[tuple[npt.NDArray[np.uint32], int]], bands: int, parts: int
) -> Iterator[tuple[int, Entries]]:
    """The entries of ``(band keys, article)``, a record per partition per ~1M entries."""
    batch: list[tuple[npt.NDArray[np.uint32], int]] = []
    size = 0
    for keys, gid in articles:
        batch.append((keys, gid))
        size += keys.size
        if size >= 1 << 20:
            yield from _spread(batch, bands, parts)
            batch, size = [], 0
    if batch:
        yield from _spread(batch, bands, parts)


def _spread(
    batch: list[tuple[npt.NDArray[np.uint32], int]], bands: int, parts: int
) -> Iterator[tuple[int, Entries]]:
    """The ``(band, key, article)`` entries of some articles, one record per partition."""
    band = np.concatenate(
        [np.broadcast_to(np.arange(bands, dtype=np.int8), keys.shape).ravel() for keys, _ in batch]
    )
    key = np.concatenate([keys.ravel() for keys, _ in batch])
    gid = np.concatenate([np.full(keys.size, g, dtype=np.int64) for keys, g in batch])
    # a bucket is (band, key): all its entries go to one partition
    where = (key.astype(np.uint64) * np.uint64(0x9E3779B1) + band.astype(np.uint64)) >> np.uint64(7)
    part = (where % np.uint64(parts)).astype(np.int64)
    order = np.argsort(part, kind="stable")
    part, band, key, gid = part[order], band[order], key[order], gid[order]
    cuts = np.searchsorted(part, np.arange(parts + 1))
    for p in range(parts):
        lo, hi = int(cuts[p]), int(cuts[p + 1])
        if hi > lo:
            yield p, (band[lo:hi], key[lo:hi], gid[lo:hi])


def bucket_pairs(
    records: Iterable[tuple[int, Entries]], bands: int
) -> Iterator[npt.NDArray[np.int64]]:
    """Article pairs ``(i, j)``, ``i < j``, of the buckets of one partition (local rule)."""
    records = list(records)
    if not records:
        return
    band = np.concatenate([r[1][0] for r in records])
    key = np.concatenate([r[1][1] for r in records])
    gid = np.concatenate([r[1][2] for r in records])
    del records
    articles, owner = np.unique(gid, return_inverse=True)
    found = [
        _band_pairs(key[band == b], owner[band == b].astype(np.int64), MAX_BUCKET)
        for b in range(bands)
    ]
    codes = np.unique(np.concatenate(found))
    if codes.size:
        yield np.stack([articles[codes >> 32], articles[codes & 0xFFFFFFFF]], axis=1)


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
