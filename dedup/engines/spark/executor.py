"""The pipeline's primitives on Spark: the pages stay on the executors, summaries come back.

* **split and fingerprint**: a map over the pages (files, or JSON Lines
  records read by Spark), kept in memory (spilling to disk) for the stages
  after it. An article is known in the shuffles by ``page number << 20 |
  position in the page``.
* **candidates** and **clusters**: see ``dedup.engines.spark.shuffle``.
* **verification**: candidate pairs joined (twice, on each side's article)
  with the profiles of the articles that are candidates, then the pipeline's
  check mapped over them.
* **clusters**: the members of each component joined with their profiles and
  grouped, the pipeline's canonical choice run per group on the executors.
* **comparison**: a map over the pairs; JSON Lines pages, which have no file
  to read again, get their text joined in.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable, Iterator
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any, TypeVar

import numpy as np
import numpy.typing as npt

from dedup import pipeline as pl
from dedup.engines.base import SparkSettings
from dedup.engines.spark import io, shuffle
from dedup.model import ExplainedPair, Profile
from dedup.model.scan import ScanResult
from dedup.pages import FileResult
from dedup.sources import Corpus, Source

if TYPE_CHECKING:
    from pyspark import RDD
    from pyspark.sql import SparkSession

T = TypeVar("T")
_K = 20  # an article's id in the shuffles: page number << _K | position in the page
# (page number, argument index, what the page gave)
Page = tuple[int, int, FileResult]
# (article id, (argument index, profile))
_Keyed = tuple[int, pl.Located]
# a pair to compare and its place in the list
_Numbered = tuple[int, pl.CompareJob]


@dataclass
class SparkPages:
    """The pages to read and the fingerprinted pages, as RDDs (the latter persisted)."""

    inputs: RDD[Source]
    pages: RDD[Page]
    jsonl: bool


class SparkExecutor:
    """The pipeline's primitives as Spark jobs on one SparkSession."""

    jsonl = True

    def __init__(self, spark: SparkSession, settings: SparkSettings) -> None:
        self.spark = spark
        self.sc = spark.sparkContext
        self.settings = settings

    def fingerprint(
        self, sources: list[Source], corpora: list[Corpus], run: pl.PageRun, tell: pl.Tell
    ) -> SparkPages:
        """A persisted RDD of every page's result; nothing runs until it is needed."""
        from pyspark import StorageLevel

        tell(0, 0)
        inputs = io.inputs(self.sc, sources, corpora)
        pages: RDD[Page] = (
            inputs.zipWithUniqueId()
            .map(lambda t: (t[1], t[0].arg, run(t[0])))
            .persist(StorageLevel.MEMORY_AND_DISK)
        )
        return SparkPages(inputs, pages, bool(corpora))

    def pages(self, pages: SparkPages, documents: bool) -> list[pl.PageMeta]:
        """Every page's summary, collected (with its document only when asked)."""

        def meta(page: Page) -> pl.PageMeta:
            uid, arg, r = page
            doc = r.document if documents else None
            return pl.PageMeta(arg, r.path, r.error, r.empty, doc, len(r.profiles), uid, r.warning)

        return pages.pages.map(meta).collect()

    def _partitions(self, pages: SparkPages) -> int:
        return max(2 * int(self.sc.defaultParallelism), int(pages.pages.getNumPartitions()))

    def candidate_pairs(self, pages: SparkPages) -> pl.Pairs:
        """The shuffle on sketch values; the shared-value counts added up on the driver."""
        parts = self._partitions(pages)

        def keys(it: Iterable[Page]) -> Iterator[tuple[npt.NDArray[np.uint32], int]]:
            for uid, _, r in it:
                for k, article_keys in enumerate(r.keys):
                    yield article_keys, uid << _K | k

        def sizes(page: Page) -> Iterator[tuple[int, int]]:
            uid, _, r = page
            return ((uid << _K | k, len(v)) for k, v in enumerate(r.keys))

        found = (
            pages.pages.mapPartitions(lambda it: shuffle.entries(keys(it), parts))
            .partitionBy(parts, lambda p: p)
            .mapPartitions(shuffle.value_pairs)
            .collect()
        )
        return shuffle.counted_pairs(found, dict(pages.pages.flatMap(sizes).collect()))

    def _keyed(self, pages: SparkPages, wanted: Callable[[int, Profile], bool]) -> RDD[_Keyed]:
        """``(article id, (argument index, profile))`` of the articles ``wanted`` keeps."""

        def rows(page: Page) -> Iterator[_Keyed]:
            uid, arg, r = page
            for k, p in enumerate(r.profiles):
                gid = uid << _K | k
                if wanted(gid, p):
                    yield gid, (arg, p)

        return pages.pages.flatMap(rows)

    def check_pairs(
        self, pages: SparkPages, pairs: pl.Pairs, run: pl.PairCheck, tell: pl.Tell
    ) -> list[pl.Found]:
        """The pairs meet their two articles' profiles in two joins; a partition is one batch."""
        if not len(pairs):
            return []
        need = self.sc.broadcast(np.unique(pairs.ravel()))

        def wanted(gid: int, _: Profile) -> bool:
            at = int(np.searchsorted(need.value, gid))
            return at < len(need.value) and int(need.value[at]) == gid

        profiles = self._keyed(pages, wanted)
        chunks = [pairs[k : k + 4096] for k in range(0, len(pairs), 4096)]
        slices = max(1, min(len(chunks), self._partitions(pages)))
        by_first = self.sc.parallelize(chunks, slices).flatMap(
            lambda c: ((int(i), int(j)) for i, j in c)
        )

        def check(
            rows: Iterable[tuple[int, tuple[tuple[int, pl.Located], pl.Located]]],
        ) -> Iterator[pl.Found]:
            located: list[pl.Located] = []
            index: dict[int, int] = {}

            def at(gid: int, side: pl.Located) -> int:
                if gid not in index:
                    index[gid] = len(located)
                    located.append(side)
                return index[gid]

            todo = [(at(i, a), at(j, b)) for j, ((i, a), b) in rows]
            yield from run(located, todo)

        found = (
            by_first.join(profiles)
            .map(lambda kv: (kv[1][0], (kv[0], kv[1][1])))
            .join(profiles)
            .mapPartitions(check)
            .collect()
        )
        need.unpersist()
        return found

    def select(
        self, pages: SparkPages, keep: Callable[[Profile], Profile | None]
    ) -> list[pl.Located]:
        """The kept articles, collected."""

        def rows(page: Page) -> Iterator[pl.Located]:
            for p in page[2].profiles:
                kept = keep(p)
                if kept is not None:
                    yield page[1], kept

        return pages.pages.flatMap(rows).collect()

    def components(
        self, pages: SparkPages, edges: list[tuple[str, str]], run: Callable[[list[pl.Located]], T]
    ) -> list[T]:
        """Label propagation, then ``run`` per component on the executors."""
        label_of = shuffle.labels(self.spark, edges)
        matched = self.sc.broadcast({x for edge in edges for x in edge})
        members = self._keyed(pages, lambda _, p: p.id in matched.value).map(
            lambda kv: (kv[1][1].id, kv[1])
        )
        groups = (
            label_of.join(members)
            .map(lambda kv: kv[1])
            .groupByKey()
            .map(lambda group: run(list(group[1])))
            .collect()
        )
        matched.unpersist()
        return groups

    def compare(
        self, pages: SparkPages, jobs: list[pl.CompareJob], run: pl.CompareRun, tell: pl.Tell
    ) -> list[ExplainedPair]:
        """``run`` over the jobs on the executors; JSON Lines texts joined in when needed."""
        slices = max(1, min(len(jobs), 4 * self.sc.defaultParallelism))
        numbered = self.sc.parallelize(list(enumerate(jobs)), slices)
        if not pages.jsonl:
            return numbered.map(lambda kj: run(kj[1], None, None)).collect()
        names = self.sc.broadcast({s[0] for job in jobs for s in job[2:4]})
        texts = pages.inputs.filter(lambda t: t.text is not None and t.name in names.value).map(
            lambda t: (t.name, t.text)
        )
        keyed = numbered.map(lambda kj: (kj[1][2][0], kj))
        with_a = keyed.leftOuterJoin(texts).map(lambda kv: (kv[1][0][1][3][0], kv[1]))

        def run_texts(
            kv: tuple[str, tuple[tuple[_Numbered, str | None], str | None]],
        ) -> tuple[int, ExplainedPair]:
            ((k, job), text_a), text_b = kv[1]
            return k, run(job, text_a, text_b)

        found = with_a.leftOuterJoin(texts).map(run_texts).collect()
        names.unpersist()
        return [data for _, data in sorted(found, key=lambda t: t[0])]

    def finish(self, pages: SparkPages, result: ScanResult) -> None:
        """Write the Parquet datasets when the settings ask for them."""
        if self.settings.parquet is None:
            return
        def document(page: Page) -> Iterator[dict[str, Any]]:
            if page[2].document is not None:
                yield io.parquet_document(page[2].document)

        docs = pages.pages.flatMap(document)
        io.write_parquet(self.spark, result, docs, self.settings.parquet)

    def release(self, pages: SparkPages) -> None:
        """Unpersist the pages."""
        pages.pages.unpersist()
