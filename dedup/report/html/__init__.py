"""HTML reports: a self-contained page per compared pair, and the index of a scan.

Why: an archivist wants to *see* two printings side by side, with every
difference marked where it is in the original text, not read offsets in JSON.

How: pages are built as lxml element trees (``chrome.h`` is a small E-factory
over ``lxml.etree``) and serialised once with ``method="html"``, so lxml
escapes every text and attribute value; no markup is ever assembled from
strings. The stylesheet and the script are package data (``style.css``,
``app.js`` in ``dedup.report``) inlined into each page, so a report is one
file that loads nothing from anywhere; a Content-Security-Policy allows no
network access and only the inlined script (by its hash).

Without the script the page stays usable: the type toggles are checkboxes
that the stylesheet reads (``:has``), the overview strip and the moved links
are plain anchors, ``<details>`` folds by itself. The script adds
next/previous with a counter and keys (n/j, p/k), the counterpart highlight on
hover, exact overview positions, table sorting and unfolding for print.

Modules: ``chrome`` (element factory, page shell, shared formats and file
names), ``controls`` (toolbar, legend, overview strip), ``rows`` (the
side-by-side rows of one pair and ``PairInput``), ``pair`` (the pair and
pages reports), ``index`` (the index of a scan: its summary and sections)
with ``index_data`` (its rows as compact data files, drawn by the packaged
``index.js``, which only the index inlines).
"""

from __future__ import annotations

from dedup.report.html.chrome import HIDDEN_BY_DEFAULT, TYPE_HELP, asset, clean, report_name
from dedup.report.html.controls import HIDDEN_NOTE
from dedup.report.html.index import IndexPair, index_files, index_report
from dedup.report.html.pair import pages_report, pair_report
from dedup.report.html.rows import PairInput

__all__ = [
    "HIDDEN_BY_DEFAULT",
    "HIDDEN_NOTE",
    "TYPE_HELP",
    "IndexPair",
    "PairInput",
    "asset",
    "clean",
    "index_files",
    "index_report",
    "pages_report",
    "pair_report",
    "report_name",
]
