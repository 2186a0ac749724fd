"""What the spark engine reads and writes: pages as an RDD, and Parquet datasets.

Inputs are folders and files, as for the local engine (every executor must
see them at the same path, e.g. on a shared file system), or JSON Lines
corpora (a path ending in ``.jsonl`` or ``.jsonl.gz``, one
``{"path": ..., "text": ...}`` object per line, on any file system Spark
reads: local, HDFS, S3). A JSON Lines record stands for a UTF-8 file at
``path`` with that text (``dedup.sources.jsonl_source``).
"""

from __future__ import annotations

import os
from typing import TYPE_CHECKING, Any

from dedup.model import DocumentSummary
from dedup.model.scan import ScanResult
from dedup.report.json import document_json
from dedup.sources import Corpus, Source, jsonl_source

if TYPE_CHECKING:
    from pyspark import RDD, SparkContext
    from pyspark.sql import SparkSession


def inputs(sc: SparkContext, sources: list[Source], corpora: list[Corpus]) -> RDD[Source]:
    """Every page to read: the sources listed on the driver, the corpora's records read by Spark."""
    slices = max(1, min(len(sources), max(4 * sc.defaultParallelism, len(sources) // 256)))
    rdd: RDD[Source] = sc.parallelize(sources, slices)
    for corpus in corpora:

        def parse(line: str, arg: int = corpus.arg, path: str = corpus.path) -> Source:
            return jsonl_source(arg, path, line)

        lines: RDD[str] = sc.textFile(corpus.path)
        rdd = rdd.union(lines.filter(lambda line: bool(line.strip())).map(parse))
    return rdd


def parquet_document(d: DocumentSummary) -> dict[str, Any]:
    """A document as a Parquet row: its ``scan.json`` entry without the source spans."""
    row = document_json(d)
    row.pop("source", None)
    return row


def _document_schema() -> Any:
    """Parquet schema of a ``scan.json`` document (``dedup.report.json.document_json``)."""
    from pyspark.sql.types import (
        ArrayType,
        IntegerType,
        StringType,
        StructField,
        StructType,
    )

    def s(name: str) -> StructField:
        return StructField(name, StringType(), False)

    def i(name: str) -> StructField:
        return StructField(name, IntegerType(), False)

    paragraph = StructType([s("kind"), i("start"), i("end")])
    article = StructType(
        [
            s("id"),
            i("index"),
            s("kind"),
            s("title"),
            s("kicker"),
            s("deck"),
            s("byline"),
            i("start"),
            i("end"),
            i("first_line"),
            i("last_line"),
            s("jump"),
            s("continued_from"),
            StructField("paragraphs", ArrayType(paragraph, False), False),
        ]
    )
    return StructType(
        [s("path"), s("encoding"), s("format"), StructField("articles", ArrayType(article, False), False)]
    )


def write_parquet(
    spark: SparkSession, result: ScanResult, documents: RDD[dict[str, Any]], out_dir: str | os.PathLike[str]
) -> list[str]:
    """Write ``documents.parquet``, ``pairs.parquet`` and ``clusters.parquet`` into ``out_dir``.

    The documents are written by the executors, straight from the pages they
    read (``documents``); pairs (with their cluster) and clusters are written in the order of
    ``scan.json``, with their fields. Returns the names written.
    """
    out = os.fspath(out_dir)
    spark.createDataFrame(documents, _document_schema()).write.mode("overwrite").parquet(
        os.path.join(out, "documents.parquet")
    )
    cluster_of = {a: c.id for c in result.clusters for a in c.articles}
    pairs = [
        (m.a, m.b, m.similarity, m.containment, m.relation, cluster_of.get(m.a, ""))
        for m in result.pairs
    ]
    spark.createDataFrame(
        pairs,
        "a string, b string, similarity double, containment double, relation string, cluster string",
    ).coalesce(1).write.mode("overwrite").parquet(os.path.join(out, "pairs.parquet"))
    clusters = [(c.id, list(c.articles), c.canonical, c.reason) for c in result.clusters]
    spark.createDataFrame(
        clusters, "id string, articles array<string>, canonical string, reason string"
    ).coalesce(1).write.mode("overwrite").parquet(os.path.join(out, "clusters.parquet"))
    return ["documents.parquet", "pairs.parquet", "clusters.parquet"]
