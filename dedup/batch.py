"""Read many pages without letting one bad file stop the batch."""

from __future__ import annotations

import os
from collections.abc import Iterable, Iterator
from dataclasses import dataclass, field

from dedup.errors import ReadError
from dedup.ingest import Skipped, discover, read_page, replaced_warning
from dedup.model import Document, Options


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
    warning, as is a page whose bad bytes were replaced. What discovery skips
    is recorded as it is found: a folder that cannot be listed as a failure,
    a skipped link or special file as a warning.
    """
    skipped: list[Skipped] = []
    for file, name in discover(paths, skipped):
        _note(skipped, report)
        try:
            doc = read_page(file, options, name)
        except ReadError as exc:
            report.failures.append((exc.path, exc.problem))
            continue
        if not doc.text.strip():
            from dedup.pipeline import EMPTY_WARNING  # the scan's engines, only when needed

            report.warnings.append((name, EMPTY_WARNING))
        if doc.replaced:
            report.warnings.append((name, replaced_warning(doc.replaced)))
        yield doc
    _note(skipped, report)


def _note(skipped: list[Skipped], report: Report) -> None:
    """Move what discovery skipped into ``report``."""
    for s in skipped:
        (report.failures if s.error else report.warnings).append((s.name, s.problem))
    skipped.clear()
