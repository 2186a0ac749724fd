"""Scan: find duplicate printings under some paths and write the outputs."""

from __future__ import annotations

import os
from collections.abc import Iterable

from dedup.engines.base import Progress, run_engine, settings_for
from dedup.errors import OutputError
from dedup.model import Options
from dedup.model.scan import ScanResult
from dedup.outputs import OutputSet
from dedup.report.csv import pairs_csv, unmatched_csv
from dedup.report.edits import edits_csv, edits_jsonl, scan_edits
from dedup.report.json import scan_json


def scan_paths(
    paths: Iterable[str | os.PathLike[str]],
    options: Options,
    progress: Progress | None = None,
    *,
    engine: str = "local",
    master: str | None = None,
    parquet: str | os.PathLike[str] | None = None,
    documents: bool = True,
) -> ScanResult:
    """Run the scan with the chosen engine: ``local`` (default) or ``spark``.

    ``master``, ``parquet`` and ``documents`` are the spark engine's settings
    (``dedup.engines.base.SparkSettings``); both engines give the same result.
    """
    settings = settings_for(engine, master=master, parquet=parquet, documents=documents)
    return run_engine(paths, options, progress, settings)


def nothing_read(result: ScanResult) -> bool:
    """True when inputs failed and not one page was read: there is nothing to write."""
    return bool(result.failures) and not result.documents and not result.articles


def write_outputs(
    result: ScanResult,
    out_dir: str | os.PathLike[str],
    formats: set[str],
    output: OutputSet | None = None,
) -> list[str]:
    """Write the requested outputs into ``out_dir``; returns the file names written.

    ``formats`` holds ``json`` (``scan.json``, ``edits.jsonl``), ``csv``
    (``pairs.csv``, ``edits.csv``: one row per difference, see ``dedup.report.edits``) and
    ``html`` (``index.html`` and ``pairs/<name>.html`` per compared pair, see
    ``dedup.report``); with sides, ``csv`` adds ``unmatched.csv``. Names are
    relative to ``out_dir``. The whole set
    replaces the previous one as a unit (``dedup.outputs``): ``output`` is
    the set already opened for this run (its ``--out`` checked before the
    scan), else one is made here.

    Raises:
        OutputError: ``out_dir`` cannot be used or written; it keeps its previous set.
    """
    output = output or OutputSet(out_dir, result.roots)
    written = []
    try:
        staging = output.open()
        edits = scan_edits(result) if formats & {"json", "csv"} else []
        if "json" in formats:
            written.append(output.write("scan.json", scan_json(result)))
            written.append(output.write("edits.jsonl", edits_jsonl(edits)))
        if "csv" in formats:
            written.append(output.write("pairs.csv", pairs_csv(result)))
            written.append(output.write("edits.csv", edits_csv(edits)))
        if "html" in formats:
            from dedup.report.build import write_scan_reports  # lxml only when asked for

            written.extend(write_scan_reports(result, staging))
        if "csv" in formats and (unmatched := unmatched_csv(result)) is not None:
            written.append(output.write("unmatched.csv", unmatched))
        output.commit()
    except OSError as exc:
        output.discard()
        raise OutputError(output.shown, f"cannot write the outputs: {exc.strerror or exc}") from None
    except BaseException:
        output.discard()
        raise
    return written
