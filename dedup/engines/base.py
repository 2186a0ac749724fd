"""The one interface every scan engine implements, and how a scan picks its engine.

An engine takes the paths to scan, the pipeline's ``Options`` and an optional
progress callback, runs the stage functions of ``dedup.stages`` and
``dedup.match`` (split, fingerprint, candidates, verify, cluster, compare), and
returns a ``ScanResult``. Engines differ only in *where* the stages run: in a
pool of processes on this machine (``local``) or on an Apache Spark cluster
(``spark``). Their results are identical, so an engine is chosen for the size
of the corpus, never for the answer.
"""

from __future__ import annotations

import os
from collections.abc import Callable, Iterable
from typing import Protocol

from dedup.errors import DedupError
from dedup.model import Options
from dedup.scanresult import ScanResult

# (stage, done, total): called as a stage advances; stages are "reading",
# "verifying", "clustering", "comparing"
Progress = Callable[[str, int, int], None]

ENGINES = ("local", "spark")


class EngineUnavailable(DedupError):
    """An engine cannot run here: a library or runtime it needs is missing."""


class Engine(Protocol):
    """A scan engine: ``scan(paths, options, progress) -> ScanResult``."""

    def __call__(
        self,
        paths: Iterable[str | os.PathLike[str]],
        options: Options,
        progress: Progress | None = None,
    ) -> ScanResult:
        """Find every pair of articles under ``paths`` that print the same story."""
        ...


def get_engine(
    name: str = "local",
    *,
    master: str | None = None,
    parquet: str | os.PathLike[str] | None = None,
    documents: bool = True,
) -> Engine:
    """The engine called ``name``, set up with the engine-specific settings.

    Args:
        name: ``local`` or ``spark``.
        master: Spark master URL (``local[2]``, ``spark://host:7077``, ``yarn``);
            spark only.
        parquet: a folder where the spark engine also writes documents, pairs
            and clusters as Parquet datasets; spark only.
        documents: False lets the spark engine leave the documents on the
            executors (written to ``parquet`` only): ``ScanResult.documents`` is
            then empty, which is what makes corpora larger than the driver's
            memory possible.

    Raises:
        ValueError: an unknown engine, or a spark setting given to ``local``.
    """
    if name == "local":
        if master is not None or parquet is not None or not documents:
            raise ValueError("master, parquet and documents=False need the spark engine")
        from dedup.engines import local

        return local.scan
    if name == "spark":
        from dedup.engines.spark import scan as spark_scan

        def run(
            paths: Iterable[str | os.PathLike[str]],
            options: Options,
            progress: Progress | None = None,
        ) -> ScanResult:
            return spark_scan(
                paths, options, progress, master=master, parquet=parquet, documents=documents
            )

        return run
    raise ValueError(f"engine must be one of {', '.join(ENGINES)}, got {name!r}")
