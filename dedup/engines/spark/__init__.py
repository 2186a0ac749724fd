"""The Spark engine: the scan pipeline on Apache Spark, for corpora that outgrow one machine.

It runs ``dedup.pipeline.scan`` with a ``SparkExecutor`` and gives the local
engine's result, bit for bit: the same documents, pairs (a, b, similarity,
containment, relation), clusters (ids, members, canonical version and reason)
and comparisons. Only where each stage runs differs (see
``dedup.engines.spark.executor``): the pages are fingerprinted, shuffled on
their sketch values, verified and clustered on the executors; only summaries,
matches and clusters reach the driver, where the pipeline sorts them, so the
output does not depend on partitioning or on the order tasks finish in.

* ``session``: the SparkSession (local defaults, quiet logs) and shipping
  this package to the executors;
* ``io``: inputs (files, JSON Lines corpora on local disk, HDFS or S3) and
  the Parquet datasets;
* ``shuffle``: the sketch shuffle and connected components;
* ``executor``: the pipeline's primitives.

pyspark is an optional dependency (``pip install 'dedup[spark]'``) and is
imported only when this engine runs; it needs Java 17 or later.
"""

from __future__ import annotations

import os
from collections.abc import Iterable
from typing import TYPE_CHECKING

from dedup.engines.base import Progress, SparkSettings
from dedup.engines.spark.io import write_parquet
from dedup.engines.spark.session import DEFAULT_MASTER, require, session, ship_package
from dedup.model import Options
from dedup.model.scan import ScanResult

if TYPE_CHECKING:
    from pyspark.sql import SparkSession

__all__ = ["DEFAULT_MASTER", "require", "scan", "session", "write_parquet"]


def scan(
    paths: Iterable[str | os.PathLike[str]],
    options: Options,
    progress: Progress | None = None,
    *,
    settings: SparkSettings | None = None,
    spark: SparkSession | None = None,
) -> ScanResult:
    """Find every pair of articles under ``paths`` that print the same story, on Spark.

    Args:
        paths: folders, files and JSON Lines corpora (``*.jsonl``).
        options: the pipeline's settings (``jobs`` is ignored: Spark's
            parallelism applies).
        progress: called as ``(stage, done, total)`` between Spark jobs.
        settings: master, Parquet folder and whether documents come back to
            the driver (``SparkSettings``; default: all defaults).
        spark: a session to run in (it is left running); by default the active
            session, or a new one on ``settings.master`` that is stopped when
            the scan ends.

    Raises:
        EngineUnavailable: pyspark or Java is missing.
    """
    from dedup.engines.spark.executor import SparkExecutor
    from dedup.pipeline import scan as run_pipeline

    settings = settings or SparkSettings()
    own = False
    if spark is None:
        require()
        from pyspark.sql import SparkSession

        own = SparkSession.getActiveSession() is None
        spark = session(settings.master)
    try:
        ship_package(spark.sparkContext)
        executor = SparkExecutor(spark, settings)
        return run_pipeline(paths, options, executor, progress, documents=settings.documents)
    finally:
        if own:
            spark.stop()
