"""The Spark engine: the scan pipeline on Apache Spark, for corpora that outgrow one machine.

It runs the same stage functions as the local engine and gives the same
result, bit for bit: the same documents, pairs (a, b, similarity, containment,
relation), clusters (ids, members, canonical version and reason) and
comparisons. Only where each stage runs differs:

* **split and fingerprint**: a map over the pages (``dedup.stages.process_file``
  for files; for JSON Lines records ``dedup.ingest.decode`` of their UTF-8
  bytes, then ``fingerprint_document``), kept in memory (spilling to disk) for
  the stages after it.
* **candidates**: a shuffle on LSH band keys. Every map task hashes its
  articles' ``(band, key, article)`` entries to the shuffle's partitions by
  ``(band, key)`` (``RDD.partitionBy``), as numpy arrays, so that each reduce
  task holds whole buckets and applies the local engine's bucket rule to them
  (``dedup.candidates``: buckets of more than ``MAX_BUCKET`` articles are
  skipped). A DataFrame ``explode`` → ``groupBy(band, key)`` does the same, but
  a row per entry (about 860 per article: 2 layers of ~14 chunks × 32 bands)
  made it 5-8 times slower on ``local[2]``. Spark ML's ``MinHashLSH`` is not
  used: it hashes one set per row with its own random hash family, so it can
  neither reproduce our chunked, densified one-permutation signatures nor
  their banding, and its candidates (hence the pairs found) would differ from
  the local engine's.
* **verification**: candidate pairs joined (twice, on each side's article)
  with the profiles of the articles that are candidates, then
  ``dedup.match.check`` mapped over them.
* **clustering**: connected components by label propagation (each article
  takes the smallest label among itself and its neighbours, until no label
  changes), then ``dedup.match.choose_canonical`` per component on the
  executors. GraphFrames is not used: its JAR comes from a Maven repository,
  not from PyPI.
* **continuations**: ``dedup.match.link_continuations`` on the driver, over the
  matches and the few articles that carry a jump marker.
* **comparison**: ``dedup.stages.compare_pair`` mapped over the pairs.

Everything that is collected is sorted on the driver, so the output does not
depend on partitioning or on the order tasks finish in.

Inputs are folders and files, as for the local engine (every executor must
see them at the same path, e.g. on a shared file system), or JSON Lines
corpora (a path ending in ``.jsonl`` or ``.jsonl.gz``, one
``{"path": ..., "text": ...}`` object per line, on any file system Spark
reads: local, HDFS, S3). A JSON Lines record stands for a UTF-8 file at
``path`` with that text; its documents are ordered as that folder's files
would be.

pyspark is an optional dependency (``pip install 'dedup[spark]'``) and is
imported only when this engine runs; it needs Java 17 or later.
"""

from __future__ import annotations

import hashlib
import json
import os
import re
import shutil
import sys
import tempfile
import zipfile
from collections.abc import Callable, Iterable, Iterator, Mapping
from dataclasses import replace
from pathlib import Path, PurePosixPath
from typing import TYPE_CHECKING, Any

import numpy as np
import numpy.typing as npt

from dedup.candidates import (
    MAX_BUCKET,
    _band_pairs,  # the local engine's bucket rule
)
from dedup.engines.base import EngineUnavailable, Progress
from dedup.errors import ReadError
from dedup.ingest import decode, discover
from dedup.match import check, choose_canonical, id_order, link_continuations
from dedup.model import Cluster, Match, Options, Profile
from dedup.scanresult import ScanResult
from dedup.stages import FileResult, compare_pair, fingerprint_document, process_file

if TYPE_CHECKING:
    from pyspark import RDD
    from pyspark.sql import SparkSession

DEFAULT_MASTER = "local[2]"
JSONL_SUFFIXES = (".jsonl", ".jsonl.gz")
# an article's id in the shuffles: page number << _K | position in the page
_K = 20

# (argument index, name, file to read or None, text or None, problem or None)
_Input = tuple[int, str, str | None, str | None, str | None]
# (page number, argument index, what the page gave)
_Page = tuple[int, int, FileResult]
# band (int8), key (uint32) and article (int64) of some LSH entries
_Entries = tuple[npt.NDArray[np.int8], npt.NDArray[np.uint32], npt.NDArray[np.int64]]
# sort key of an article or a page: argument index, path parts, article index
_Order = tuple[int, tuple[str, ...], int]
# a side of a pair to compare: document name, article index, file (None: JSON Lines)
_Side = tuple[str, int, str | None]

_SHIPPED: set[str] = set()  # Spark applications that already have this package


def require() -> None:
    """Check that pyspark and Java are here; raise EngineUnavailable saying what to install."""
    try:
        import pyspark  # noqa: F401
    except ImportError:
        raise EngineUnavailable(
            "the spark engine needs pyspark: pip install 'dedup[spark]'"
        ) from None
    java_home = os.environ.get("JAVA_HOME")
    if not (java_home and Path(java_home, "bin", "java").exists()) and shutil.which("java") is None:
        raise EngineUnavailable(
            "the spark engine needs Java 17 or later "
            "(Debian: apt-get install openjdk-17-jre-headless), on PATH or in JAVA_HOME"
        )


def session(master: str | None = None, conf: Mapping[str, str] | None = None) -> SparkSession:
    """The SparkSession a scan runs in: the active one, or a new one on ``master``.

    Under ``spark-submit`` the master and resources come from spark-submit;
    otherwise ``master`` defaults to ``local[2]``. A new local session binds to
    the loopback address, has no web UI and no console progress bar, logs
    errors only, runs its Python workers with this interpreter (unless
    ``PYSPARK_PYTHON`` says otherwise) and gets ``SPARK_DRIVER_MEMORY``
    (default 4g) of memory.
    ``conf`` adds Spark settings to a new session (they win over these).
    """
    require()
    from pyspark.sql import SparkSession

    active = SparkSession.getActiveSession()
    if active is not None:
        return active
    builder = SparkSession.builder.appName("dedup")
    submitted = "PYSPARK_GATEWAY_PORT" in os.environ  # launched by spark-submit
    if master is None and not submitted:
        master = DEFAULT_MASTER
    if master is not None:
        builder = builder.master(master)
    local = master is not None and master.startswith("local") and not submitted
    settings = dict(conf or {})
    if local:
        assert master is not None
        cores = _local_cores(master)
        quiet = f"-Dlog4j2.configurationFile={_log_config()}"
        java = settings.get("spark.driver.extraJavaOptions", "")
        settings["spark.driver.extraJavaOptions"] = f"{quiet} {java}".strip()
        for key, value in {
            "spark.driver.memory": os.environ.get("SPARK_DRIVER_MEMORY", "4g"),
            "spark.driver.host": "127.0.0.1",
            "spark.driver.bindAddress": "127.0.0.1",
            "spark.ui.enabled": "false",
            "spark.ui.showConsoleProgress": "false",
            "spark.sql.shuffle.partitions": str(4 * cores),
            "spark.default.parallelism": str(2 * cores),
        }.items():
            builder = builder.config(key, value)
    for key, value in settings.items():
        builder = builder.config(key, value)
    spark = builder.getOrCreate()
    if local and "PYSPARK_PYTHON" not in os.environ:
        # local workers run this interpreter, not whatever python3 is on PATH
        spark.sparkContext.pythonExec = sys.executable
    return spark


_LOG4J2 = """\
rootLogger.level = error
rootLogger.appenderRef.stderr.ref = stderr
logger.repl.name = org.apache.spark.repl.Main
logger.repl.level = error
appender.console.type = Console
appender.console.name = stderr
appender.console.target = SYSTEM_ERR
appender.console.layout.type = PatternLayout
appender.console.layout.pattern = %d{yy/MM/dd HH:mm:ss} %p %c{1}: %m%n%ex
"""


def _log_config() -> str:
    """A log4j2 configuration that lets only errors through (Spark's default says much more)."""
    handle, name = tempfile.mkstemp(prefix="dedup-log4j2-", suffix=".properties")
    with os.fdopen(handle, "w", encoding="utf-8") as file:
        file.write(_LOG4J2)
    return name


def _local_cores(master: str) -> int:
    found = re.fullmatch(r"local\[(\d+)(?:,\d+)?\]", master)
    if found:
        return max(1, int(found.group(1)))
    if master == "local":
        return 1
    return os.cpu_count() or 1


def scan(
    paths: Iterable[str | os.PathLike[str]],
    options: Options,
    progress: Progress | None = None,
    *,
    master: str | None = None,
    parquet: str | os.PathLike[str] | None = None,
    documents: bool = True,
    spark: SparkSession | None = None,
) -> ScanResult:
    """Find every pair of articles under ``paths`` that print the same story, on Spark.

    Args:
        paths: folders, files and JSON Lines corpora (``*.jsonl``).
        options: the pipeline's settings (``jobs`` is ignored: Spark's
            parallelism applies).
        progress: called as ``(stage, done, total)`` between Spark jobs.
        master: the Spark master URL (default ``local[2]``, or spark-submit's).
        parquet: a folder to also write ``documents.parquet``,
            ``pairs.parquet`` and ``clusters.parquet`` into; the documents are
            written by the executors.
        documents: False leaves the documents on the executors
            (``ScanResult.documents`` is empty), for corpora whose documents
            do not fit in the driver's memory.
        spark: a session to run in (it is left running); by default the active
            session, or a new one that is stopped when the scan ends.

    Raises:
        EngineUnavailable: pyspark or Java is missing.
    """
    own = False
    if spark is None:
        require()
        from pyspark.sql import SparkSession

        own = SparkSession.getActiveSession() is None
        spark = session(master)
    try:
        return _Run(spark, options, progress).scan(
            [os.fspath(p) for p in paths], parquet=parquet, documents=documents
        )
    finally:
        if own:
            spark.stop()


class _Run:
    """One scan on one SparkSession: the stages in order, the results on the driver."""

    def __init__(self, spark: SparkSession, options: Options, progress: Progress | None) -> None:
        self.spark = spark
        self.sc = spark.sparkContext
        self.options = options
        self.progress = progress
        self.files: dict[str, str] = {}  # name -> file, as the local engine's sources
        self.jsonl = False
        self.failures: list[tuple[_Order, str, str]] = []

    def _tell(self, stage: str, done: int, total: int) -> None:
        if self.progress is not None:
            self.progress(stage, done, total)

    def scan(
        self, paths: list[str], *, parquet: str | os.PathLike[str] | None, documents: bool
    ) -> ScanResult:
        """Run every stage; see ``scan``."""
        from pyspark import StorageLevel

        _ship_package(self.sc)
        options = self.options
        inputs = self._inputs(paths)
        pages: RDD[_Page] = (
            inputs.zipWithUniqueId()
            .map(lambda t: (t[1], t[0][0], _process(t[0], options)))
            .persist(StorageLevel.MEMORY_AND_DISK)
        )
        try:
            return self._stages(pages, inputs, parquet=parquet, documents=documents)
        finally:
            pages.unpersist()

    def _inputs(self, paths: list[str]) -> RDD[_Input]:
        """Every page to read: files found on the driver, JSON Lines records read by Spark."""
        listed: list[_Input] = []
        parts: list[RDD[_Input]] = []
        for arg, given in enumerate(paths):
            if given.lower().endswith(JSONL_SUFFIXES):
                if "://" not in given and not Path(given).exists():
                    listed.append((arg, Path(given).as_posix(), None, None, "no such file"))
                    continue
                self.jsonl = True
                source = given

                def parse(line: str, arg: int = arg, source: str = source) -> _Input:
                    return _parse_line(arg, source, line)

                lines: RDD[str] = self.sc.textFile(given)
                parts.append(lines.filter(lambda line: bool(line.strip())).map(parse))
                continue
            for file, name in discover([given]):
                listed.append((arg, name, str(file), None, None))
                self.files[name] = str(file)
        slices = max(1, min(len(listed), max(4 * self.sc.defaultParallelism, len(listed) // 256)))
        rdd: RDD[_Input] = self.sc.parallelize(listed, slices)
        for part in parts:
            rdd = rdd.union(part)
        return rdd

    def _stages(
        self,
        pages: RDD[_Page],
        inputs: RDD[_Input],
        *,
        parquet: str | os.PathLike[str] | None,
        documents: bool,
    ) -> ScanResult:
        options = self.options
        self._tell("reading", 0, 0)
        keep = documents

        def meta(page: _Page) -> tuple[int, str, str | None, bool, dict[str, Any] | None, int, int]:
            uid, arg, r = page
            return arg, r.path, r.error, r.empty, r.document if keep else None, len(r.profiles), uid

        # page order; only JSON Lines can repeat a path: then problem, then input order
        seen = sorted(
            pages.map(meta).collect(),
            key=lambda m: (_page_order(m[0], m[1]), m[2] or "", m[6]),
        )
        self._tell("reading", len(seen), len(seen))
        docs = [m[4] for m in seen if m[2] is None and m[4] is not None]
        failures = [(m[1], m[2]) for m in seen if m[2] is not None]
        warnings = [(m[1], "empty file, no articles") for m in seen if m[2] is None and m[3]]
        articles = sum(m[5] for m in seen)

        pairs = self._candidates(pages)
        candidates = len(pairs)
        self._tell("verifying", 0, candidates)
        matches = self._verify(pairs, pages)
        del pairs
        self._tell("verifying", candidates, candidates)
        matches.extend(link_continuations(self._jump_profiles(pages), matches))
        matches.sort(key=lambda m: (id_order(m.a), id_order(m.b)))
        self._tell("clustering", 0, len(matches))
        clusters = self._clusters(matches, pages)
        self._tell("clustering", len(matches), len(matches))
        comparisons = self._compare(matches, inputs) if options.compare_pairs else {}
        result = ScanResult(
            comparisons=comparisons,
            documents=docs,
            pairs=matches,
            clusters=clusters,
            failures=failures,
            warnings=warnings,
            candidates=candidates,
            articles=articles,
            sources=dict(self.files),
        )
        if parquet is not None:
            write_parquet(self.spark, result, pages, parquet)
        return result

    def _partitions(self, pages: RDD[_Page]) -> int:
        return max(2 * int(self.sc.defaultParallelism), int(pages.getNumPartitions()))

    def _candidates(self, pages: RDD[_Page]) -> npt.NDArray[np.int64]:
        """Candidate pairs ``(i, j)``, ``i < j``, sorted: a shuffle on ``(band, key)``.

        Every map task hashes its articles' ``(band, key, article)`` entries
        to the shuffle's partitions, as a few numpy arrays rather than a row
        per entry (which Spark would move many times slower); every reduce
        task then holds whole buckets and applies the local engine's own
        bucket rule (``dedup.candidates``: a bucket counts distinct articles;
        buckets of more than ``MAX_BUCKET`` are skipped). The pairs found in
        the buckets are made unique on the driver.
        """
        bands = self.options.bands
        parts = self._partitions(pages)

        def entries(it: Iterable[_Page]) -> Iterator[tuple[int, _Entries]]:
            batch: list[tuple[npt.NDArray[np.uint32], int]] = []
            size = 0
            for uid, _, r in it:
                for k, keys in enumerate(r.keys):
                    batch.append((keys, uid << _K | k))
                    size += keys.size
                if size >= 1 << 20:
                    yield from _spread(batch, bands, parts)
                    batch, size = [], 0
            if batch:
                yield from _spread(batch, bands, parts)

        found = (
            pages.mapPartitions(entries)
            .partitionBy(parts, lambda p: p)
            .mapPartitions(lambda it: _bucket_pairs(it, bands))
            .collect()
        )
        if not found:
            return np.zeros((0, 2), dtype=np.int64)
        return np.unique(np.concatenate(found), axis=0)

    def _profiles_of(
        self, pages: RDD[_Page], wanted: Callable[[int, Profile], bool]
    ) -> RDD[tuple[int, tuple[int, Profile]]]:
        """``(gid, (argument index, profile))`` of the articles ``wanted(gid, profile)`` keeps."""

        def rows(page: _Page) -> Iterator[tuple[int, tuple[int, Profile]]]:
            uid, arg, r = page
            for k, p in enumerate(r.profiles):
                gid = uid << _K | k
                if wanted(gid, p):
                    yield gid, (arg, p)

        return pages.flatMap(rows)

    def _verify(self, pairs: npt.NDArray[np.int64], pages: RDD[_Page]) -> list[Match]:
        """Check every candidate pair on the executors; the matches in the local engine's order.

        The pairs meet their two articles' profiles in two joins on the
        article; only the profiles of candidates are shuffled.
        """
        if not len(pairs):
            return []
        need = self.sc.broadcast(np.unique(pairs.ravel()))

        def wanted(gid: int, _: Profile) -> bool:
            at = int(np.searchsorted(need.value, gid))
            return at < len(need.value) and int(need.value[at]) == gid

        profiles = self._profiles_of(pages, wanted)
        chunks = [pairs[k : k + 4096] for k in range(0, len(pairs), 4096)]
        slices = max(1, min(len(chunks), self._partitions(pages)))
        by_first = self.sc.parallelize(chunks, slices).flatMap(
            lambda c: ((int(i), int(j)) for i, j in c)
        )
        options = self.options

        def verify(
            rows: Iterable[tuple[int, tuple[tuple[int, int, Profile], tuple[int, Profile]]]],
        ) -> Iterator[tuple[_Order, _Order, Match]]:
            for _, ((_, arg_a, pa), (arg_b, pb)) in rows:
                oa, ob = _order(arg_a, pa.id), _order(arg_b, pb.id)
                if ob < oa:
                    pa, oa, pb, ob = pb, ob, pa, oa
                m = check(pa, pb, options)
                if m is not None:
                    yield oa, ob, m

        found = (
            by_first.join(profiles)
            .map(lambda kv: (kv[1][0], (kv[0], kv[1][1][0], kv[1][1][1])))
            .join(profiles)
            .mapPartitions(verify)
            .collect()
        )
        need.unpersist()
        # the local engine checks pairs in page order, and so lists them
        found.sort(key=lambda t: (t[0], t[1]))
        return [m for _, _, m in found]

    def _jump_profiles(self, pages: RDD[_Page]) -> list[Profile]:
        """Heads (…下转) and continuation pieces (上接…), in page order: all that links need."""

        def wanted(_: int, p: Profile) -> bool:
            return (bool(p.jump) and not p.continuation) or p.continuation

        found = [
            (_order(arg, p.id), replace(p, key=""))
            for _, (arg, p) in self._profiles_of(pages, wanted).collect()
        ]
        found.sort(key=lambda t: t[0])
        return [p for _, p in found]

    def _clusters(self, matches: list[Match], pages: RDD[_Page]) -> list[Cluster]:
        """Connected components by label propagation, canonical choice per component."""
        from pyspark.sql import functions as F

        if not matches:
            return []
        edges = self.spark.createDataFrame(
            [(m.a, m.b) for m in matches] + [(m.b, m.a) for m in matches], "src string, dst string"
        ).distinct()
        edges = edges.localCheckpoint()
        labels = edges.select(F.col("src").alias("v")).distinct().withColumn("label", F.col("v"))
        while True:
            smallest = (
                edges.join(labels.withColumnRenamed("v", "dst"), "dst")
                .groupBy("src")
                .agg(F.min("label").alias("near"))
                .withColumnRenamed("src", "v")
            )
            step = (
                labels.join(smallest, "v")
                .select("v", F.least("label", "near").alias("label"), F.col("label").alias("old"))
                .localCheckpoint()
            )
            changed = step.where(F.col("label") != F.col("old")).count()
            labels = step.select("v", "label")
            if not changed:
                break
        matched = self.sc.broadcast({x for m in matches for x in (m.a, m.b)})
        members = self._profiles_of(pages, lambda _, p: p.id in matched.value).map(
            lambda kv: (kv[1][1].id, kv[1])
        )
        label_of = labels.rdd.map(lambda row: (str(row["v"]), str(row["label"])))

        def canonical(
            group: tuple[str, Iterable[tuple[int, Profile]]],
        ) -> tuple[tuple[str, ...], str, str]:
            by_id: dict[str, Profile] = {}
            found = sorted(group[1], key=lambda t: _order(t[0], t[1].id))
            for _, p in found:
                by_id[p.id] = p  # as dedup.match.cluster: the last of a repeated id wins
            ordered = tuple(sorted(by_id, key=id_order))
            best, reason = choose_canonical([by_id[x] for x in ordered])
            return ordered, best, reason

        groups = (
            label_of.join(members)
            .map(lambda kv: kv[1])
            .groupByKey()
            .map(canonical)
            .collect()
        )
        matched.unpersist()
        groups.sort(key=lambda g: id_order(g[0][0]))
        return [
            Cluster(f"c{k}", members_, best, reason)
            for k, (members_, best, reason) in enumerate(groups, 1)
        ]

    def _compare(self, matches: list[Match], inputs: RDD[_Input]) -> dict[tuple[str, str], dict[str, Any]]:
        """Explain every pair that prints the same text, on the executors."""
        todo = [m for m in matches if m.relation != "continuation"]
        self._tell("comparing", 0, len(todo))
        if not todo:
            return {}
        options = self.options
        files = self.files

        def side(article_id: str) -> tuple[str, int, str | None]:
            name, _, n = article_id.rpartition("#")
            return name, int(n), files.get(name)

        jobs = [(m.a, m.b, side(m.a), side(m.b)) for m in todo]
        slices = max(1, min(len(jobs), 4 * self.sc.defaultParallelism))
        found: list[tuple[str, str, dict[str, Any]]]
        if not self.jsonl:

            def run(job: tuple[str, str, _Side, _Side]) -> tuple[str, str, dict[str, Any]]:
                a, b, sa, sb = job
                assert sa[2] is not None and sb[2] is not None
                data = compare_pair((sa[2], sa[0], sa[1]), (sb[2], sb[0], sb[1]), options)
                return a, b, data

            found = self.sc.parallelize(jobs, slices).map(run).collect()
        else:
            # JSON Lines pages have no file to read again: join in the texts of those compared
            names = self.sc.broadcast({s[0] for job in jobs for s in job[2:]})
            texts = inputs.filter(lambda t: t[3] is not None and t[1] in names.value).map(
                lambda t: (t[1], t[3])
            )
            keyed = self.sc.parallelize(jobs, slices).map(lambda j: (j[2][0], j))
            with_a = keyed.leftOuterJoin(texts).map(lambda kv: (kv[1][0][3][0], kv[1]))
            with_b = with_a.leftOuterJoin(texts)

            def run_texts(
                kv: tuple[str, tuple[tuple[tuple[str, str, _Side, _Side], str | None], str | None]],
            ) -> tuple[str, str, dict[str, Any]]:
                (job, text_a), text_b = kv[1]
                a, b, sa, sb = job
                return a, b, _compare_sides(sa, text_a, sb, text_b, options)

            found = with_b.map(run_texts).collect()
        self._tell("comparing", len(todo), len(todo))
        return {(a, b): data for a, b, data in found}


def _spread(
    batch: list[tuple[npt.NDArray[np.uint32], int]], bands: int, parts: int
) -> Iterator[tuple[int, _Entries]]:
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


def _bucket_pairs(
    records: Iterable[tuple[int, _Entries]], bands: int
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


def _compare_sides(
    sa: _Side, text_a: str | None, sb: _Side, text_b: str | None, options: Options
) -> dict[str, Any]:
    """``dedup.stages.compare_pair`` for pages that come as files or as text (JSON Lines).

    Note that a JSON Lines page is written to a scratch file as UTF-8 and read
    back, so it takes exactly the path a file with that text takes.
    """
    spilled = []
    try:
        sides = []
        for (name, index, file), text in ((sa, text_a), (sb, text_b)):
            if text is not None:
                file = _spill(name, text)
                spilled.append(file)
            assert file is not None
            sides.append((file, name, index))
        return compare_pair(sides[0], sides[1], options)
    finally:
        for file in spilled:
            Path(file).unlink(missing_ok=True)


def _spill(name: str, text: str) -> str:
    """Write a page's text to a scratch file named after its content (so caches stay right)."""
    folder = Path(tempfile.gettempdir(), f"dedup-spark-{os.getpid()}")
    folder.mkdir(exist_ok=True)
    digest = hashlib.sha256(f"{name}\0{text}".encode("utf-8", "surrogatepass")).hexdigest()
    file = folder / f"{digest}{PurePosixPath(name).suffix}"
    file.write_bytes(text.encode("utf-8", "surrogatepass"))
    return str(file)


def _parse_line(arg: int, source: str, line: str) -> _Input:
    """One JSON Lines record ``{"path": ..., "text": ...}`` as a page to fingerprint."""
    try:
        record = json.loads(line)
    except ValueError as exc:
        return arg, source, None, None, f"bad JSON Lines record: {exc}"
    if (
        not isinstance(record, dict)
        or not isinstance(record.get("path"), str)
        or not isinstance(record.get("text"), str)
    ):
        return arg, source, None, None, 'bad JSON Lines record: needs string "path" and "text"'
    return arg, record["path"], None, record["text"], None


def _process(page: _Input, options: Options) -> FileResult:
    """Split and fingerprint one page (a file, or the text of a JSON Lines record)."""
    _, name, file, text, problem = page
    if problem is not None:
        return FileResult(name, problem, None, (), ())
    if file is not None:
        return process_file(file, name, options)
    assert text is not None
    # exactly what process_file does with a UTF-8 file of this text
    try:
        doc = decode(
            text.encode("utf-8", "surrogatepass"),
            name,
            options.encoding,
            options.input_format,
        )
    except ReadError as exc:
        return FileResult(exc.path, exc.problem, None, (), ())
    return fingerprint_document(doc, options)


def _page_order(arg: int, name: str) -> tuple[int, tuple[str, ...]]:
    """Where the local engine reads a page: argument by argument, then by path parts."""
    return arg, PurePosixPath(name).parts


def _order(arg: int, article_id: str) -> _Order:
    name, _, n = article_id.rpartition("#")
    return arg, PurePosixPath(name).parts, int(n) if n.isdigit() else 0


def _ship_package(sc: Any) -> None:
    """Send this dedup package to the executors, so that they run the driver's code."""
    app = str(sc.applicationId)
    if app in _SHIPPED:
        return
    import dedup

    root = Path(dedup.__file__).resolve().parent
    target = Path(tempfile.mkdtemp(prefix="dedup-spark-")) / "dedup.zip"
    with zipfile.ZipFile(target, "w", zipfile.ZIP_DEFLATED) as zf:
        for file in sorted(root.rglob("*")):
            if file.is_file() and "__pycache__" not in file.parts:
                zf.write(file, str(PurePosixPath("dedup", *file.relative_to(root).parts)))
    sc.addPyFile(str(target))
    _SHIPPED.add(app)


def _document_schema() -> Any:
    """Parquet schema of a ``scan.json`` document (``dedup.jsonio.article_json``)."""
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
    spark: SparkSession, result: ScanResult, pages: RDD[_Page], out_dir: str | os.PathLike[str]
) -> list[str]:
    """Write ``documents.parquet``, ``pairs.parquet`` and ``clusters.parquet`` into ``out_dir``.

    The documents are written by the executors, straight from the pages they
    read; pairs (with their cluster) and clusters are written in the order of
    ``scan.json``, with their fields. Returns the names written.
    """
    out = os.fspath(out_dir)
    docs = pages.filter(lambda p: p[2].document is not None).map(lambda p: p[2].document)
    spark.createDataFrame(docs, _document_schema()).write.mode("overwrite").parquet(
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
