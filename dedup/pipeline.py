"""The scan, written once: which stages run in which order, and what the result says.

A scan discovers the pages under its paths, reads, splits and fingerprints
each page, pairs the articles that share an LSH band key (candidates),
verifies the candidates, links continuation pieces to their heads, clusters
the matches, explains each pair that prints the same text, and assembles a
``ScanResult``. All of that is decided here: the stage order, the failure and
warning strings, the continuation rule and the order of every output list.

*Where* the work runs is an ``Executor``'s business (``dedup.engines``): a
pool of processes on this machine, or a Spark cluster. An executor provides a
few primitives over a handle to the fingerprinted pages, which it keeps where
it made them (in this process, or on the cluster): summaries of the pages, the
band shuffle (band keys to candidate pairs), a map over candidate pairs with
their profiles, a selection of profiles, connected components with a function
applied to each, and a map over the pairs to compare. What crosses back to
this module is small and is sorted here, so that the result does not depend
on the executor, its partitioning or the order its tasks finish in.
"""

from __future__ import annotations

import json
import os
from collections.abc import Callable, Iterable, Sequence
from dataclasses import replace
from functools import partial
from pathlib import Path, PurePosixPath
from typing import Any, NamedTuple, Protocol, TypeVar

import numpy as np
import numpy.typing as npt

from dedup.cluster import choose_canonical, link_continuations
from dedup.engines.base import Progress
from dedup.ingest import discover
from dedup.model import (
    ArticleRef,
    Cluster,
    DocumentSummary,
    ExplainedPair,
    Match,
    Options,
    Profile,
    id_order,
)
from dedup.model.scan import ScanResult
from dedup.pages import FileResult, compare_job, process_file, process_text
from dedup.verify import verify_pairs

JSONL_SUFFIXES = (".jsonl", ".jsonl.gz")
EMPTY_WARNING = "empty file, no articles"
MISSING = "no such file"

Pages = TypeVar("Pages")
T = TypeVar("T")
# (done, total) of the stage being run
Tell = Callable[[int, int], None]
# an article as the executors hold it: the index of the path argument it came
# from (outputs follow the arguments' order), and its profile
Located = tuple[int, Profile]
# sort key of an article: argument index, path parts, article number
Order = tuple[int, tuple[str, ...], int]
# a verified pair, with the sort keys of its two sides
Found = tuple[Order, Order, Match]
# a side of a pair to compare: document name, article number, file (None: no file)
Side = tuple[str, int, str | None]
# a pair to compare: the two article ids and their sides
CompareJob = tuple[str, str, Side, Side]


class Source(NamedTuple):
    """One page to read: a file, the text of a JSON Lines record, or a problem."""

    arg: int
    name: str
    file: str | None
    text: str | None
    problem: str | None


class Corpus(NamedTuple):
    """A JSON Lines corpus (one ``{"path", "text"}`` object per line) for the executor to read."""

    arg: int
    path: str


# a page's read, split and fingerprint
PageRun = Callable[[Source], FileResult]
# candidate pairs ``(i, j)`` of the executor's article numbers
Pairs = npt.NDArray[np.int64]
# a candidate pair's check: what it found, if anything
PairCheck = Callable[[Sequence[Located], Sequence[tuple[int, int]]], list[Found]]
# a pair's comparison, given the text of each side that has no file
CompareRun = Callable[[CompareJob, str | None, str | None], ExplainedPair]


class PageMeta(NamedTuple):
    """What the driver learns of one page: enough to list documents, failures and warnings."""

    arg: int
    path: str
    error: str | None
    empty: bool
    document: DocumentSummary | None
    articles: int
    uid: int  # the executor's number for the page: breaks ties between equal paths


class Executor(Protocol[Pages]):
    """Where a scan's stages run; every method is one primitive of ``scan``.

    ``jsonl`` says whether the executor reads JSON Lines corpora itself
    (otherwise a ``.jsonl`` path is a page like any other). A ``Pages`` handle
    stays with the executor; only what the methods return reaches the driver.
    """

    jsonl: bool

    def fingerprint(
        self, sources: list[Source], corpora: list[Corpus], run: PageRun, tell: Tell
    ) -> Pages:
        """``run`` over every source, and over every record of the corpora."""
        ...

    def pages(self, pages: Pages, documents: bool) -> list[PageMeta]:
        """A summary of every page (with its document only when ``documents``), any order."""
        ...

    def band_pairs(self, pages: Pages, bands: int) -> Pairs:
        """Unique article pairs ``(i, j)``, ``i < j``, sharing a band key (``dedup.candidates``)."""
        ...

    def check_pairs(self, pages: Pages, pairs: Pairs, run: PairCheck, tell: Tell) -> list[Found]:
        """``run`` over every pair of ``band_pairs``' articles; what it found, any order."""
        ...

    def select(self, pages: Pages, keep: Callable[[Profile], Profile | None]) -> list[Located]:
        """The articles ``keep`` keeps, as ``keep`` returns them, any order."""
        ...

    def components(
        self, pages: Pages, edges: list[tuple[str, str]], run: Callable[[list[Located]], T]
    ) -> list[T]:
        """``run`` over the articles of each connected component of ``edges``, any order."""
        ...

    def compare(
        self, pages: Pages, jobs: list[CompareJob], run: CompareRun, tell: Tell
    ) -> list[ExplainedPair]:
        """``run(job, text_a, text_b)`` over the jobs, in their order.

        A side's text is given when it has no file (a JSON Lines page), else None.
        """
        ...

    def finish(self, pages: Pages, result: ScanResult) -> None:
        """Write what the executor writes besides the result (Spark: Parquet)."""
        ...

    def release(self, pages: Pages) -> None:
        """Let go of the pages."""
        ...


def scan(
    paths: Iterable[str | os.PathLike[str]],
    options: Options,
    executor: Executor[Any],
    progress: Progress | None = None,
    *,
    documents: bool = True,
) -> ScanResult:
    """Find every pair of articles under ``paths`` that print the same story.

    Files that cannot be read are listed in ``failures``; the scan goes on.
    ``documents=False`` leaves the documents with the executor
    (``ScanResult.documents`` is then empty).
    """

    def tell(stage: str) -> Tell:
        return lambda done, total: progress(stage, done, total) if progress else None

    roots = [os.fspath(p) for p in paths]
    sources, corpora = discover_sources(roots, executor.jsonl)
    run = partial(process_source, options=options)
    pages = executor.fingerprint(sources, corpora, run, tell("reading"))
    try:
        seen = sorted(executor.pages(pages, documents), key=page_order)
        tell("reading")(len(seen), len(seen))
        pairs = executor.band_pairs(pages, options.bands)
        tell("verifying")(0, len(pairs))
        check_one = partial(verify_batch, options=options)
        found = executor.check_pairs(pages, pairs, check_one, tell("verifying"))
        # pairs are listed in page order, then as ``scan.json`` lists them
        matches = [m for _, _, m in sorted(found, key=lambda t: (t[0], t[1]))]
        tell("verifying")(len(pairs), len(pairs))
        matches.extend(link_continuations(_in_order(executor.select(pages, jump_piece)), matches))
        matches.sort(key=lambda m: (id_order(m.a), id_order(m.b)))
        tell("clustering")(0, len(matches))
        clusters = _clusters(executor, pages, matches)
        tell("clustering")(len(matches), len(matches))
        files = {s.name: s.file for s in sources if s.file is not None}
        result = ScanResult(
            comparisons=_compare(executor, pages, matches, files, options, tell("comparing"))
            if options.compare_pairs
            else {},
            documents=[m.document for m in seen if m.error is None and m.document is not None],
            pairs=matches,
            clusters=clusters,
            failures=[(m.path, m.error) for m in seen if m.error is not None],
            warnings=[(m.path, EMPTY_WARNING) for m in seen if m.error is None and m.empty],
            candidates=len(pairs),
            articles=sum(m.articles for m in seen),
            options=options,
            roots=roots,
        )
        executor.finish(pages, result)
        return result
    finally:
        executor.release(pages)


def discover_sources(paths: list[str], jsonl: bool) -> tuple[list[Source], list[Corpus]]:
    """The pages under ``paths``, argument by argument, and the JSON Lines corpora among them.

    With ``jsonl`` a path ending in ``.jsonl`` or ``.jsonl.gz`` is a corpus (a
    local one that is missing is a failure); otherwise it is a page.
    """
    sources: list[Source] = []
    corpora: list[Corpus] = []
    for arg, given in enumerate(paths):
        if jsonl and given.lower().endswith(JSONL_SUFFIXES):
            if "://" not in given and not Path(given).exists():
                sources.append(Source(arg, Path(given).as_posix(), None, None, MISSING))
            else:
                corpora.append(Corpus(arg, given))
            continue
        sources.extend(Source(arg, name, str(file), None, None) for file, name in discover([given]))
    return sources, corpora


def jsonl_source(arg: int, corpus: str, line: str) -> Source:
    """One JSON Lines record ``{"path": ..., "text": ...}`` as a page to fingerprint."""
    try:
        record = json.loads(line)
    except ValueError as exc:
        return Source(arg, corpus, None, None, f"bad JSON Lines record: {exc}")
    if (
        not isinstance(record, dict)
        or not isinstance(record.get("path"), str)
        or not isinstance(record.get("text"), str)
    ):
        problem = 'bad JSON Lines record: needs string "path" and "text"'
        return Source(arg, corpus, None, None, problem)
    return Source(arg, record["path"], None, record["text"], None)


def process_source(source: Source, options: Options) -> FileResult:
    """Read (or decode), split and fingerprint one page; a problem becomes ``error``."""
    if source.problem is not None:
        return FileResult(source.name, source.problem, None, (), ())
    if source.file is not None:
        return process_file(source.file, source.name, options)
    assert source.text is not None
    return process_text(source.text, source.name, options)


def page_order(meta: PageMeta) -> tuple[int, tuple[str, ...], str, int]:
    """Where a page is listed: argument by argument, by path parts.

    Only JSON Lines can repeat a path: then by problem, then input order.
    """
    return meta.arg, PurePosixPath(meta.path).parts, meta.error or "", meta.uid


def article_order(arg: int, article_id: str) -> Order:
    """Where an article is listed: its page's place (``page_order``), then its number."""
    ref = ArticleRef.parse(article_id)
    return arg, PurePosixPath(ref.path).parts, ref.index


def verify_batch(
    located: Sequence[Located], pairs: Sequence[tuple[int, int]], options: Options
) -> list[Found]:
    """Check candidate pairs ``(i, j)`` of ``located`` in one batch (``dedup.verify``).

    Each pair is checked the side listed first first, as ``dedup.match.check``
    would check it; what it found comes with both sides' sort keys.
    """
    orders = [article_order(arg, p.id) for arg, p in located]
    oriented = [(i, j) if orders[i] <= orders[j] else (j, i) for i, j in pairs]
    at = {p.id: k for k, (_, p) in enumerate(located)}
    found: list[Found] = []
    for m in verify_pairs([p for _, p in located], oriented, options):
        first, second = sorted((orders[at[m.a]], orders[at[m.b]]))
        found.append((first, second, m))
    return found


def jump_piece(p: Profile) -> Profile | None:
    """Heads (…下转) and continuation pieces (上接…), without their text: all linking needs."""
    if (p.jump and not p.continuation) or p.continuation:
        return replace(p, key="")
    return None


def _in_order(found: list[Located]) -> list[Profile]:
    return [p for _, p in sorted(found, key=lambda t: article_order(t[0], t[1].id))]


def canonical(members: list[Located]) -> tuple[tuple[str, ...], str, str]:
    """A cluster's article ids in order, its canonical version and why (``choose_canonical``)."""
    by_id: dict[str, Profile] = {}
    for _, p in sorted(members, key=lambda t: article_order(t[0], t[1].id)):
        by_id[p.id] = p  # as dedup.match.cluster: the last of a repeated id wins
    ordered = tuple(sorted(by_id, key=id_order))
    best, reason = choose_canonical([by_id[x] for x in ordered])
    return ordered, best, reason


def _clusters(executor: Executor[Pages], pages: Pages, matches: list[Match]) -> list[Cluster]:
    """Connected components of the matches, listed by their first article."""
    if not matches:
        return []
    groups = executor.components(pages, [(m.a, m.b) for m in matches], canonical)
    groups.sort(key=lambda g: id_order(g[0][0]))
    return [Cluster(f"c{k}", ids, best, reason) for k, (ids, best, reason) in enumerate(groups, 1)]


def _compare(
    executor: Executor[Pages],
    pages: Pages,
    matches: list[Match],
    files: dict[str, str],
    options: Options,
    tell: Tell,
) -> dict[tuple[str, str], ExplainedPair]:
    """Explain every pair that prints the same text (continuations share none)."""
    todo = [m for m in matches if m.relation != "continuation"]

    def side(article_id: str) -> Side:
        ref = ArticleRef.parse(article_id)
        return ref.path, ref.index, files.get(ref.path)

    tell(0, len(todo))
    if not todo:
        return {}
    jobs = [(m.a, m.b, side(m.a), side(m.b)) for m in todo]
    found = executor.compare(pages, jobs, partial(compare_job, options=options), tell)
    tell(len(todo), len(todo))
    return {(m.a, m.b): data for m, data in zip(todo, found, strict=True)}
