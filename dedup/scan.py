"""Scan: find duplicate printings under some paths and write the outputs."""

from __future__ import annotations

import os
from collections.abc import Iterable
from pathlib import Path

from dedup.engines.base import Progress, run_engine, settings_for
from dedup.model import Options
from dedup.model.scan import ScanResult
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


def write_outputs(result: ScanResult, out_dir: str | os.PathLike[str], formats: set[str]) -> list[str]:
    """Write the requested outputs into ``out_dir``; returns the file names written.

    ``formats`` holds ``json`` (``scan.json``, ``edits.jsonl``), ``csv``
    (``pairs.csv``, ``edits.csv``: one row per difference, see ``dedup.report.edits``) and
    ``html`` (``index.html`` and ``pairs/<name>.html`` per compared pair, see
    ``dedup.report``); with sides, ``csv`` adds ``unmatched.csv``. Names are
    relative to ``out_dir``.
    """
    out = Path(out_dir)
    out.mkdir(parents=True, exist_ok=True)
    written = []
    if "json" in formats:
        (out / "scan.json").write_text(scan_json(result), encoding="utf-8", newline="\n")
        written.append("scan.json")
        (out / "edits.jsonl").write_text(edits_jsonl(scan_edits(result)), encoding="utf-8", newline="\n")
        written.append("edits.jsonl")
    if "csv" in formats:
        (out / "pairs.csv").write_text(pairs_csv(result), encoding="utf-8", newline="\n")
        written.append("pairs.csv")
        (out / "edits.csv").write_text(edits_csv(scan_edits(result)), encoding="utf-8", newline="\n")
        written.append("edits.csv")
    if "html" in formats:
        from dedup.report.build import write_scan_reports  # lxml only when asked for

        written.extend(write_scan_reports(result, out))
    written.extend(collection_outputs(result, out, formats))
    return written


def collection_outputs(result: ScanResult, out: Path, formats: set[str]) -> list[str]:
    """With sides, ``unmatched.csv`` (asked for with ``csv``): what each side lacks."""
    text = unmatched_csv(result) if "csv" in formats else None
    if text is None:
        return []
    (out / "unmatched.csv").write_text(text, encoding="utf-8", newline="\n")
    return ["unmatched.csv"]
