"""The local engine: the scan pipeline on this machine, with a pool of processes.

Worker processes get what they share (the profiles to verify, the function to
run) through the pool's initializer, never through module state set in the
parent before it forks: so a pool started by ``spawn`` (the only way off
POSIX) works as one started by ``fork``, and gives the same result.
"""

from __future__ import annotations

import gzip
import multiprocessing
import os
from collections.abc import Callable, Iterable, Iterator
from concurrent.futures import ProcessPoolExecutor
from contextlib import ExitStack
from dataclasses import dataclass, field
from typing import Any, TypeVar

import numpy as np
import numpy.typing as npt

from dedup.candidates import sketch_pairs
from dedup.engines.base import LocalSettings, Progress
from dedup.ingest import display_name
from dedup.model import ExplainedPair, Options, Profile
from dedup.model.scan import ScanResult
from dedup.pages import FileResult
from dedup.pipeline import (
    CompareJob,
    CompareRun,
    Found,
    Located,
    PageMeta,
    PageRun,
    PairCheck,
    Pairs,
    Tell,
)
from dedup.pipeline import scan as run_pipeline
from dedup.sources import Corpus, Source, jsonl_source

T = TypeVar("T")
S = TypeVar("S")

# a page of at least this many bytes has its stories fingerprinted by the pool
LARGE_PAGE = 8_000_000

# what a worker was given by its pool's initializer: the items its tasks share, the function
_shared: tuple[Any, Callable[[Any, Any], Any]] | None = None


def _share(items: Any, run: Callable[[Any, Any], Any]) -> None:
    """Pool initializer: keep the shared items (articles to verify, stories to fingerprint)
    and the function for this worker's tasks."""
    global _shared
    _shared = (items, run)


def _run_shared(part: Any) -> Any:
    """``run(items, part)`` of the shared items in a worker: a batch of pairs, a span of stories."""
    assert _shared is not None, "the pool was started without its initializer"
    items, run = _shared
    return run(items, part)


def _compare_one(args: tuple[CompareRun, CompareJob, str | None, str | None]) -> ExplainedPair:
    """A comparison; a side's text is given when it has no file (a JSON Lines page)."""
    run, job, text_a, text_b = args
    return run(job, text_a, text_b)


def corpus_sources(corpus: Corpus) -> Iterator[Source]:
    """The records of a local JSON Lines corpus (gzip when ``.gz``), blank lines left out.

    Lines are read as UTF-8 (undecodable bytes as U+FFFD), as Spark reads
    them; a corpus that cannot be read is one failure.
    """
    path = corpus.path
    try:
        opener = gzip.open if path.lower().endswith(".gz") else open
        with opener(path, "rt", encoding="utf-8", errors="replace") as f:
            for line in f:
                if line.strip():
                    yield jsonl_source(corpus.arg, path, line)
    except (OSError, EOFError) as exc:
        problem = getattr(exc, "strerror", None) or str(exc)
        yield Source(corpus.arg, display_name(path), None, None, f"cannot read JSON Lines corpus: {problem}")


def _size(source: Source) -> int:
    """The bytes of a source's page (its text's characters for a JSON Lines record)."""
    if source.text is not None:
        return len(source.text)
    try:
        return os.path.getsize(source.file) if source.file is not None else 0
    except OSError:
        return 0  # read as any page, so that its problem is reported as any page's


@dataclass
class LocalPages:
    """The fingerprinted pages, in this process, in the order read.

    The sketches are let go once paired: they are the bulk of the data.
    """

    pages: list[PageMeta] = field(default_factory=list)
    located: list[Located] = field(default_factory=list)
    keys: list[npt.NDArray[np.uint32]] = field(default_factory=list)
    texts: dict[str, str] = field(default_factory=dict)  # JSON Lines pages' texts, by name


class LocalExecutor:
    """The pipeline's primitives in this process, or in ``jobs`` worker processes."""

    jsonl = True

    def __init__(self, jobs: int, settings: LocalSettings | None = None) -> None:
        self.jobs = jobs
        self.context = multiprocessing.get_context(
            (settings or LocalSettings()).resolved_start_method()
        )

    def _pool(self, **kwargs: Any) -> ProcessPoolExecutor:
        return ProcessPoolExecutor(self.jobs, mp_context=self.context, **kwargs)

    def _map(
        self, run: Callable[[S], T], items: list[S], chunksize: int, parallel: bool, tell: Tell
    ) -> Iterator[T]:
        """``run`` over ``items`` in order, in the pool when ``parallel``; ``tell`` as they come."""
        if not parallel:
            for k, item in enumerate(items, 1):
                yield run(item)
                tell(k, len(items))
            return
        with self._pool() as pool:
            for k, result in enumerate(pool.map(run, items, chunksize=chunksize), 1):
                tell(k, len(items))
                yield result

    def fingerprint(
        self, sources: list[Source], corpora: list[Corpus], run: PageRun, tell: Tell
    ) -> LocalPages:
        """Every page, by the pool (16 at a time) unless one job or one page.

        A page of ``LARGE_PAGE`` bytes or more is read and split here and its
        stories fingerprinted by the pool (``run``'s ``fan_out``), so that one
        huge page uses every process too. The records of the JSON Lines
        corpora come after the other sources.
        """
        sources = sources + [s for corpus in corpora for s in corpus_sources(corpus)]
        pages = LocalPages(texts={s.name: s.text for s in sources if s.text is not None})
        large = {k: self._large(run, s) for k, s in enumerate(sources) if self.jobs > 1 and _size(s) >= LARGE_PAGE}
        rest = [s for k, s in enumerate(sources) if k not in large]
        parallel = self.jobs > 1 and len(rest) > 1
        results = self._map(run, rest, 16, parallel, lambda done, _: tell(done + len(large), len(sources)))
        for k, source in enumerate(sources):
            r = large[k] if k in large else next(results)
            meta = PageMeta(source.arg, r.path, r.error, r.empty, r.document, len(r.profiles), k, r.warning)
            pages.pages.append(meta)
            pages.located.extend((source.arg, p) for p in r.profiles)
            pages.keys.extend(r.keys)
        return pages

    def _large(self, run: PageRun, source: Source) -> FileResult:
        """One large page, its stories fingerprinted by the pool (started only if used).

        The stories reach each worker once, through the pool's initializer.
        """
        with ExitStack() as pools:

            def fan_out(fn: Callable[[Any, Any], T], shared: Any, parts: list[Any]) -> Iterator[T]:
                pool = pools.enter_context(self._pool(initializer=_share, initargs=(shared, fn)))
                return pool.map(_run_shared, parts)

            return run(source, fan_out=fan_out)

    def pages(self, pages: LocalPages, documents: bool) -> list[PageMeta]:
        """The pages in the order read."""
        return pages.pages if documents else [m._replace(document=None) for m in pages.pages]

    def candidate_pairs(self, pages: LocalPages) -> Pairs:
        """Candidate pairs of article numbers (order read) from all the sketches at once."""
        pairs = sketch_pairs(pages.keys)
        pages.keys.clear()
        return pairs

    def check_pairs(
        self, pages: LocalPages, pairs: Pairs, run: PairCheck, tell: Tell
    ) -> list[Found]:
        """Every pair, in ``jobs * 8`` batches by the pool when there are more than 200."""
        todo = [(int(i), int(j)) for i, j in pairs]
        if self.jobs == 1 or len(todo) <= 200:
            return run(pages.located, todo)
        step = max(1, len(todo) // (self.jobs * 8))
        slices = [todo[k : k + step] for k in range(0, len(todo), step)]
        found: list[Found] = []
        with self._pool(initializer=_share, initargs=(pages.located, run)) as pool:
            for done, part in enumerate(pool.map(_run_shared, slices), 1):
                found.extend(part)
                tell(min(done * step, len(todo)), len(todo))
        return found

    def select(self, pages: LocalPages, keep: Callable[[Profile], Profile | None]) -> list[Located]:
        """The kept articles, in the order read."""
        out = []
        for arg, p in pages.located:
            kept = keep(p)
            if kept is not None:
                out.append((arg, kept))
        return out

    def components(
        self, pages: LocalPages, edges: list[tuple[str, str]], run: Callable[[list[Located]], T]
    ) -> list[T]:
        """Union-find over the edges, then ``run`` per component, here."""
        parent: dict[str, str] = {}

        def find(x: str) -> str:
            root = x
            while parent.setdefault(root, root) != root:
                root = parent[root]
            while parent[x] != root:
                parent[x], x = root, parent[x]
            return root

        for a, b in edges:
            ra, rb = find(a), find(b)
            if ra != rb:
                parent[max(ra, rb)] = min(ra, rb)
        groups: dict[str, list[Located]] = {}
        for arg, p in pages.located:
            if p.id in parent:
                groups.setdefault(find(p.id), []).append((arg, p))
        return [run(members) for members in groups.values()]

    def compare(
        self, pages: LocalPages, jobs: list[CompareJob], run: CompareRun, tell: Tell
    ) -> list[ExplainedPair]:
        """Every job, by the pool (4 at a time) when there are more than 4.

        A JSON Lines page's text is handed over with its job.
        """
        items = [(run, job, pages.texts.get(job[2][0]), pages.texts.get(job[3][0])) for job in jobs]
        parallel = self.jobs > 1 and len(jobs) > 4
        return list(self._map(_compare_one, items, 4, parallel, tell))

    def finish(self, pages: LocalPages, result: ScanResult) -> None:
        """Nothing to write besides the result."""

    def release(self, pages: LocalPages) -> None:
        """Drop the pages' data."""
        pages.pages.clear()
        pages.located.clear()
        pages.keys.clear()
        pages.texts.clear()


def scan(
    paths: Iterable[str | os.PathLike[str]],
    options: Options,
    progress: Progress | None = None,
    *,
    settings: LocalSettings | None = None,
) -> ScanResult:
    """Find every pair of articles under ``paths`` that print the same story.

    Reads and fingerprints pages, verifies candidates and compares pairs in
    ``options.jobs`` processes (see ``dedup.pipeline.scan``). Files that cannot
    be read are listed in ``failures``; the scan goes on.
    """
    return run_pipeline(paths, options, LocalExecutor(options.jobs, settings), progress)
