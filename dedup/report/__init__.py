"""Reports of a scan or a comparison that a person opens: self-contained HTML pages.

``pair_report`` renders one compared pair, ``pages_report`` every pair of two
compared pages in one page, ``index_report`` the index of a scan;
``write_scan_reports`` and ``compare_report`` read the documents again and
produce them. See ``dedup.report.html`` for what a page shows and why.
"""

from __future__ import annotations

from dedup.report.build import compare_report, comparison_from_json, write_scan_reports
from dedup.report.html import (
    HIDDEN_BY_DEFAULT,
    IndexPair,
    PairInput,
    index_report,
    pages_report,
    pair_report,
    report_name,
)

__all__ = [
    "HIDDEN_BY_DEFAULT",
    "IndexPair",
    "PairInput",
    "compare_report",
    "comparison_from_json",
    "index_report",
    "pages_report",
    "pair_report",
    "report_name",
    "write_scan_reports",
]
