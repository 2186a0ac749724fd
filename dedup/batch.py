"""Read many pages without letting one bad file stop the batch."""

from __future__ import annotations

import os
from collections.abc import Iterable, Iterator
from dataclasses import dataclass, field

from dedup.errors import ReadError
from dedup.ingest import discover, read_page
from dedup.model import Document, Options
from dedup.pipeline import EMPTY_WARNING


@dataclass
class Report:
    """Failures and warnings collected over a batch; the exit code follows from them."""

    failures: list[tuple[str, str]] = field(default_factory=list)
    warnings: list[tuple[str, str]] = field(default_factory=list)

    @property
    def return_code(self) -> int:
        """1 when any file failed, else 0."""
        return 1 if self.failures else 0


def read_all(
    paths: Iterable[str | os.PathLike[str]], options: Options, report: Report
) -> Iterator[Document]:
    """Yield every readable page under ``paths``; record the others in ``report``.

    Note that an empty page is yielded (it has no articles) and also noted as a
    warning.
    """
    for file, name in discover(paths):
        try:
            doc = read_page(file, options, name)
        except ReadError as exc:
            report.failures.append((exc.path, exc.problem))
            continue
        if not doc.text.strip():
            report.warnings.append((name, EMPTY_WARNING))
        yield doc
