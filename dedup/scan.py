"""Scan: find duplicate printings under some paths and write the outputs."""

from __future__ import annotations

import os
from collections.abc import Iterable
from pathlib import Path

from dedup.engines import local
from dedup.model import Options
from dedup.scanresult import ScanResult, pairs_csv, scan_json


def scan_paths(
    paths: Iterable[str | os.PathLike[str]],
    options: Options,
    progress: local.Progress | None = None,
) -> ScanResult:
    """Run the scan with the local engine (see ``dedup.engines``)."""
    return local.scan(paths, options, progress)


def write_outputs(result: ScanResult, out_dir: str | os.PathLike[str], formats: set[str]) -> list[str]:
    """Write the requested outputs into ``out_dir``; returns the file names written."""
    out = Path(out_dir)
    out.mkdir(parents=True, exist_ok=True)
    written = []
    if "json" in formats:
        (out / "scan.json").write_text(scan_json(result), encoding="utf-8", newline="\n")
        written.append("scan.json")
    if "csv" in formats:
        (out / "pairs.csv").write_text(pairs_csv(result), encoding="utf-8", newline="\n")
        written.append("pairs.csv")
    return written
