"""The one interface every scan engine implements, and how a scan picks its engine.

An engine takes the paths to scan, the pipeline's ``Options`` and an optional
progress callback and returns a ``ScanResult``: it runs ``dedup.pipeline.scan``
with its executor. Engines differ only in *where* the stages run: in a pool of
processes on this machine (``local``) or on an Apache Spark cluster
(``spark``). Their results are identical, so an engine is chosen for the size
of the corpus, never for the answer. Each engine has one settings record
(``LocalSettings``, ``SparkSettings``).
"""

from __future__ import annotations

import os
from collections.abc import Callable, Iterable
from dataclasses import dataclass
from functools import partial
from typing import Any, Protocol

from dedup.errors import DedupError
from dedup.model import Options
from dedup.model.scan import ScanResult

# (stage, done, total): called as a stage advances; stages are "reading",
# "verifying", "clustering", "comparing"
Progress = Callable[[str, int, int], None]

ENGINES = ("local", "spark")
START_METHODS = ("fork", "spawn", "forkserver")


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


@dataclass(frozen=True)
class LocalSettings:
    """Settings of the local engine.

    ``start_method`` is how worker processes start (``fork``, ``spawn``,
    ``forkserver``); None takes ``DEDUP_START_METHOD`` from the environment,
    else ``fork`` on POSIX and ``spawn`` elsewhere. The result never depends
    on it: it exists so that tests can run the non-POSIX way on POSIX.
    """

    start_method: str | None = None

    def __post_init__(self) -> None:
        if self.start_method not in (None, *START_METHODS):
            raise ValueError(f"start_method must be one of {', '.join(START_METHODS)}")

    def resolved_start_method(self) -> str:
        """The start method to use: the setting, the environment's, or the platform's."""
        method = self.start_method or os.environ.get("DEDUP_START_METHOD") or None
        if method is None:
            return "fork" if os.name == "posix" else "spawn"
        if method not in START_METHODS:
            raise ValueError(f"DEDUP_START_METHOD must be one of {', '.join(START_METHODS)}")
        return method


@dataclass(frozen=True)
class SparkSettings:
    """Settings of the spark engine.

    Attributes:
        master: Spark master URL (``local[2]``, ``spark://host:7077``,
            ``yarn``); None: ``local[2]``, or spark-submit's.
        parquet: a folder where documents, pairs and clusters are also written
            as Parquet datasets.
        documents: False leaves the documents on the executors (written to
            ``parquet`` only): ``ScanResult.documents`` is then empty, which is
            what makes corpora larger than the driver's memory possible.
    """

    master: str | None = None
    parquet: str | None = None
    documents: bool = True

    def __post_init__(self) -> None:
        if self.master is not None and not self.master.strip():
            raise ValueError("master must not be empty")
        if self.parquet is not None:
            object.__setattr__(self, "parquet", os.fspath(self.parquet))


EngineSettings = LocalSettings | SparkSettings


def settings_for(
    name: str = "local",
    *,
    master: str | None = None,
    parquet: str | os.PathLike[str] | None = None,
    documents: bool = True,
) -> EngineSettings:
    """The settings record of engine ``name`` from loose settings (the command line's).

    Raises:
        ValueError: an unknown engine, or a spark setting given to ``local``.
    """
    if name == "local":
        if master is not None or parquet is not None or not documents:
            raise ValueError("master, parquet and documents=False need the spark engine")
        return LocalSettings()
    if name == "spark":
        return SparkSettings(master, None if parquet is None else os.fspath(parquet), documents)
    raise ValueError(f"engine must be one of {', '.join(ENGINES)}, got {name!r}")


def run_engine(
    paths: Iterable[str | os.PathLike[str]],
    options: Options,
    progress: Progress | None,
    settings: EngineSettings,
) -> ScanResult:
    """Run the scan on the engine ``settings`` are for."""
    if isinstance(settings, LocalSettings):
        from dedup.engines import local

        return local.scan(paths, options, progress, settings=settings)
    from dedup.engines.spark import scan as spark_scan

    return spark_scan(paths, options, progress, settings=settings)


def get_engine(name: str = "local", **loose: Any) -> Engine:
    """The engine called ``name``, set up with loose settings (``master``, ``parquet``,
    ``documents``: see ``settings_for``, which validates them).

    Raises:
        ValueError: an unknown engine, or a spark setting given to ``local``.
    """
    return partial(run_engine, settings=settings_for(name, **loose))
