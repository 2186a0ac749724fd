"""The local engine: the scan pipeline on this machine, with a pool of processes."""

from __future__ import annotations

import multiprocessing
import os
from collections.abc import Iterable, Iterator, Sequence
from concurrent.futures import ProcessPoolExecutor
from typing import Any

import numpy as np
import numpy.typing as npt

from dedup.candidates import key_table, pairs_from_table
from dedup.engines.base import Progress
from dedup.ingest import discover
from dedup.match import check, cluster, id_order, link_continuations
from dedup.model import Match, Options, Profile
from dedup.scanresult import ScanResult
from dedup.stages import FileResult, compare_pair, process_file

_PROFILES: Sequence[Profile] = ()
_OPTIONS = Options()


def _verify_slice(pairs: list[tuple[int, int]]) -> list[Match]:
    out = []
    for i, j in pairs:
        m = check(_PROFILES[i], _PROFILES[j], _OPTIONS)
        if m is not None:
            out.append(m)
    return out


def _process(args: tuple[str, str, Options]) -> FileResult:
    return process_file(*args)


Side = tuple[str, str, int]


def _compare(args: tuple[Side, Side, Options]) -> dict[str, Any]:
    return compare_pair(*args)


def _compare_all(
    matches: list[Match], files: dict[str, str], options: Options, progress: Progress | None
) -> dict[tuple[str, str], dict[str, Any]]:
    """Explain every pair that prints the same text (continuations share none)."""
    todo = [m for m in matches if m.relation != "continuation"]

    def side(article_id: str) -> Side:
        name, _, n = article_id.rpartition("#")
        return files[name], name, int(n)

    jobs = [(side(m.a), side(m.b), options) for m in todo]
    out: dict[tuple[str, str], dict[str, Any]] = {}
    if options.jobs > 1 and len(jobs) > 4:
        ctx = multiprocessing.get_context("fork" if os.name == "posix" else "spawn")
        with ProcessPoolExecutor(options.jobs, mp_context=ctx) as pool:
            results: Iterable[dict[str, Any]] = pool.map(_compare, jobs, chunksize=4)
            for k, (m, data) in enumerate(zip(todo, results, strict=True), 1):
                out[(m.a, m.b)] = data
                if progress:
                    progress("comparing", k, len(jobs))
    else:
        for k, (m, job) in enumerate(zip(todo, jobs, strict=True), 1):
            out[(m.a, m.b)] = _compare(job)
            if progress:
                progress("comparing", k, len(jobs))
    return out


def _map_files(
    files: list[tuple[str, str]], options: Options, progress: Progress | None
) -> Iterator[FileResult]:
    jobs = [(f, n, options) for f, n in files]
    if options.jobs == 1 or len(files) < 2:
        results: Iterable[FileResult] = map(_process, jobs)
        for k, result in enumerate(results, 1):
            if progress:
                progress("reading", k, len(files))
            yield result
        return
    ctx = multiprocessing.get_context("fork" if os.name == "posix" else "spawn")
    with ProcessPoolExecutor(options.jobs, mp_context=ctx) as pool:
        for k, result in enumerate(pool.map(_process, jobs, chunksize=16), 1):
            if progress:
                progress("reading", k, len(files))
            yield result


def scan(
    paths: Iterable[str | os.PathLike[str]],
    options: Options,
    progress: Progress | None = None,
) -> ScanResult:
    """Find every pair of articles under ``paths`` that print the same story.

    Reads and fingerprints pages in ``options.jobs`` processes, gathers LSH
    candidates, verifies them, links continuations and clusters the matches.
    Files that cannot be read are listed in ``failures``; the scan goes on.
    """
    global _PROFILES, _OPTIONS
    files = [(str(f), name) for f, name in discover(paths)]
    documents = []
    failures: list[tuple[str, str]] = []
    warnings: list[tuple[str, str]] = []
    profiles: list[Profile] = []
    keys: list[npt.NDArray[np.uint32]] = []
    for result in _map_files(files, options, progress):
        if result.error is not None:
            failures.append((result.path, result.error))
            continue
        if result.empty:
            warnings.append((result.path, "empty file, no articles"))
        assert result.document is not None
        documents.append(result.document)
        profiles.extend(result.profiles)
        keys.extend(result.keys)
    owner, table = key_table(keys)
    del keys
    pairs = pairs_from_table(owner, table)
    del owner, table
    todo = [(int(i), int(j)) for i, j in pairs]
    if progress:
        progress("verifying", 0, len(todo))
    _PROFILES, _OPTIONS = profiles, options
    matches: list[Match] = []
    if options.jobs > 1 and len(todo) > 200:
        ctx = multiprocessing.get_context("fork" if os.name == "posix" else "spawn")
        step = max(1, len(todo) // (options.jobs * 8))
        slices = [todo[k : k + step] for k in range(0, len(todo), step)]
        with ProcessPoolExecutor(options.jobs, mp_context=ctx) as pool:
            for done, found in enumerate(pool.map(_verify_slice, slices), 1):
                matches.extend(found)
                if progress:
                    progress("verifying", min(done * step, len(todo)), len(todo))
    else:
        matches = _verify_slice(todo)
    _PROFILES = ()
    matches.extend(link_continuations(profiles, matches))
    matches.sort(key=lambda m: (id_order(m.a), id_order(m.b)))
    clusters = cluster(profiles, matches)
    comparisons = (
        _compare_all(matches, {name: f for f, name in files}, options, progress)
        if options.compare_pairs
        else {}
    )
    return ScanResult(
        comparisons=comparisons,
        documents=documents,
        pairs=matches,
        clusters=clusters,
        failures=failures,
        warnings=warnings,
        candidates=len(todo),
        articles=len(profiles),
        sources={name: f for f, name in files},
    )
