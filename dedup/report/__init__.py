"""Every output of dedup: JSON and CSV for pipelines, terminal text, self-contained HTML.

``json``: every JSON shape (``scan.json``, pair and page comparisons) to and
from records; ``csv``: the pairs table; ``text``: the terminal summaries of
``compare``; ``html``: the pages a person opens (pair report, compare page,
scan index); ``build``: which HTML pages a scan or a comparison writes.
Importing this package loads none of them, so the command line starts fast
and lxml is only imported when HTML is asked for.
"""
