"""The scan, written once: which stages run in which order, and what the result says.

A scan discovers the pages under its paths, reads, splits and fingerprints
each page, pairs the articles whose sketches share enough rare sampled
shingles (candidates, ``dedup.candidates``),
verifies the candidates, links continuation pieces to their heads, clusters
the matches, explains each pair that prints the same text, and assembles a
``ScanResult``. All of that is decided here: the stage order, the failure and
warning strings, the continuation rule and the order of every output list.

*Where* the work runs is an ``Executor``'s business (``dedup.engines``): a
pool of processes on this machine, or a Spark cluster. An executor provides a
few primitives over a handle to the fingerprinted pages, which it keeps where
it made them (in this process, or on the cluster): summaries of the pages, the
sketch shuffle (sampled shingles to candidate pairs), a map over candidate pairs with
their profiles, a selection of profiles, connected components with a function
applied to each, and a map over the pairs to compare. What crosses back to
this module is small and is sorted here, so that the result does not depend
on the executor, its partitioning or the order its tasks finish in.
"""

from __future__ import annotations

import os
from collections.abc import Callable, Iterable, Sequence
from dataclasses import replace
from functools import partial
from pathlib import PurePosixPath
from typing import Any, NamedTuple, Protocol, TypeVar

import numpy as np
import numpy.typing as npt

from dedup.cluster import choose_canonical, link_continuations
from dedup.engines.base import Progress
from dedup.ingest import display_name
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
from dedup.pages import FanOut, FileResult, compare_job
from dedup.provenance import input_files
from dedup.recut import cuts_for
from dedup.sides import PairRule, side_names
from dedup.sources import Corpus, Source, discover_sources, process_source
from dedup.stories import separate_stories
from dedup.verify import verify_pairs

EMPTY_WARNING = "empty file, no articles"

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
# a pair to compare: the two article ids, their sides and their Match.similarity
CompareJob = tuple[str, str, Side, Side, float]


class PageRun(Protocol):
    """A page's read, split and fingerprint (``dedup.sources.process_source``)."""

    def __call__(self, source: Source, fan_out: FanOut | None = None) -> FileResult:
        """``fan_out``, an ordered map over the executor's processes, for a large page's stories."""
        ...


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
    warning: str | None = None  # e.g. bytes replaced while decoding


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

    def candidate_pairs(self, pages: Pages) -> Pairs:
        """Unique article pairs ``(i, j)``, ``i < j``, of ``dedup.candidates.sketch_pairs``."""
        ...

    def check_pairs(self, pages: Pages, pairs: Pairs, run: PairCheck, tell: Tell) -> list[Found]:
        """``run`` over every pair of ``candidate_pairs``' articles; what it found, any order."""
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
    (``ScanResult.documents`` is then empty). When the matches show an
    article holding two stories (``dedup.stories``), the pages are read again
    with that article cut at the seam (``dedup.recut``); ``splits`` lists
    the findings of the first reading.
    """
    given = list(paths)
    first = _scan_once(given, options, executor, progress, documents=documents)
    cuts = cuts_for(first.documents, first.splits) if documents and not options.cuts else ()
    if not cuts:
        return first
    again = _scan_once(given, replace(options, cuts=cuts), executor, progress, documents=documents)
    return replace(again, splits=first.splits, options=options)


def _scan_once(
    paths: Sequence[str | os.PathLike[str]],
    options: Options,
    executor: Executor[Any],
    progress: Progress | None,
    *,
    documents: bool,
) -> ScanResult:
    """One reading of the pages: fingerprint, verify, cluster, compare."""

    def tell(stage: str) -> Tell:
        return lambda done, total: progress(stage, done, total) if progress else None

    given = list(paths)
    roots = [os.fspath(p) for p in given]
    rule = PairRule.of(given, options.match_files)
    skipped: list[tuple[str, str]] = []
    sources, corpora = discover_sources(given, executor.jsonl, skipped)
    run = partial(process_source, options=options)
    pages = executor.fingerprint(sources, corpora, run, tell("reading"))
    try:
        seen = sorted(executor.pages(pages, documents), key=page_order)
        tell("reading")(len(seen), len(seen))
        tell("candidates")(0, 0)
        pairs = executor.candidate_pairs(pages)
        tell("candidates")(len(pairs), len(pairs))
        tell("verifying")(0, len(pairs))
        check_one = partial(verify_batch, options=options, rule=rule)
        found = executor.check_pairs(pages, pairs, check_one, tell("verifying"))
        # pairs are listed in page order, then as ``scan.json`` lists them
        matches = [m for _, _, m in sorted(found, key=lambda t: (t[0], t[1]))]
        tell("verifying")(len(pairs), len(pairs))
        pieces = executor.select(pages, jump_piece)
        matches.extend(_links(pieces, matches, rule))
        matches.sort(key=lambda m: (id_order(m.a), id_order(m.b)))
        tell("clustering")(0, len(matches))
        edges, splits = separate_stories(matches, frozenset(p.id for _, p in pieces))
        clusters = _clusters(executor, pages, edges)
        tell("clustering")(len(matches), len(matches))
        files = {s.name: s.file for s in sources if s.file is not None}
        result = ScanResult(
            comparisons=_compare(executor, pages, matches, files, options, tell("comparing"))
            if options.compare_pairs
            else {},
            documents=[m.document for m in seen if m.error is None and m.document is not None],
            pairs=matches,
            clusters=clusters,
            splits=splits,
            failures=[(m.path, m.error) for m in seen if m.error is not None],
            warnings=skipped + [w for m in seen for w in page_warnings(m)],
            candidates=len(pairs),
            articles=sum(m.articles for m in seen),
            options=options,
            roots=[display_name(r) for r in roots],
            **_collections(given, seen, sources, corpora),
        )
        executor.finish(pages, result)
        return result
    finally:
        executor.release(pages)


def page_warnings(meta: PageMeta) -> list[tuple[str, str]]:
    """A read page's warnings: empty, or with bytes replaced (``--decode-errors replace``)."""
    if meta.error is not None:
        return []
    found = [(meta.path, EMPTY_WARNING)] if meta.empty else []
    return found + ([(meta.path, meta.warning)] if meta.warning else [])


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
    located: Sequence[Located],
    pairs: Sequence[tuple[int, int]],
    options: Options,
    rule: PairRule | None = None,
) -> list[Found]:
    """Check candidate pairs ``(i, j)`` of ``located`` in one batch (``dedup.verify``).

    Each pair is checked the side listed first first, as ``dedup.match.check``
    would check it; what it found comes with both sides' sort keys. With
    sides, a pair the ``rule`` does not allow (same side, files not matched)
    is dropped, and a match found names the first side's article as A.
    """
    if rule is not None:
        pairs = [
            (i, j)
            for i, j in pairs
            if rule.allows(located[i][0], located[i][1].id, located[j][0], located[j][1].id)
        ]
    # only the batch's own articles: ``located`` is every article of the scan
    used = sorted({k for pair in pairs for k in pair})
    pos = {k: n for n, k in enumerate(used)}
    profiles = [located[k][1] for k in used]
    orders = [article_order(located[k][0], p.id) for k, p in zip(used, profiles, strict=True)]
    oriented = []
    for i, j in pairs:
        a, b = pos[i], pos[j]
        oriented.append((a, b) if orders[a] <= orders[b] else (b, a))
    at = {p.id: n for n, p in enumerate(profiles)}
    found: list[Found] = []
    for m in verify_pairs(profiles, oriented, options):
        ka, kb = at[m.a], at[m.b]
        if rule is not None and orders[kb] < orders[ka]:  # with sides, A is the first side's
            m = replace(m, a=m.b, b=m.a, a_span=m.b_span, b_span=m.a_span)
        first, second = sorted((orders[ka], orders[kb]))
        found.append((first, second, m))
    return found


def jump_piece(p: Profile) -> Profile | None:
    """Heads (…下转) and continuation pieces (上接…), without their text: all linking needs."""
    if (p.jump and not p.continuation) or p.continuation:
        return replace(p, key="")
    return None


def _links(pieces: list[Located], matches: list[Match], rule: PairRule | None) -> list[Match]:
    """Continuation links (``link_continuations``); with sides only across sides, A first."""
    ordered = sorted(pieces, key=lambda t: article_order(t[0], t[1].id))
    links = link_continuations([p for _, p in ordered], matches)
    if rule is None:
        return links
    arg = {p.id: n for n, p in ordered}
    kept = [m for m in links if rule.allows(arg[m.a], m.a, arg[m.b], m.b)]
    return [m if arg[m.a] < arg[m.b] else replace(m, a=m.b, b=m.a) for m in kept]


def _collections(
    given: list[str | os.PathLike[str]],
    seen: list[PageMeta],
    sources: list[Source],
    corpora: list[Corpus],
) -> dict[str, Any]:
    """The ``ScanResult`` fields of sides and provenance: side of each page, input files."""
    names = side_names(given)
    return {
        "sides": {m.path: names[m.arg] for m in seen if names[m.arg]},
        "side_order": [s for s in dict.fromkeys(names) if s],
        "inputs": input_files(
            [(s.name, s.file, names[s.arg]) for s in sources if s.file is not None]
            + [(c.path, c.path, names[c.arg]) for c in corpora]
        ),
    }


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
    jobs = [(m.a, m.b, side(m.a), side(m.b), m.similarity) for m in todo]
    found = executor.compare(pages, jobs, partial(compare_job, options=options), tell)
    tell(len(todo), len(todo))
    return {(m.a, m.b): data for m, data in zip(todo, found, strict=True)}
