"""``query``: which stored articles a page's articles reprint, without adding the page.

The page is read, split and fingerprinted as ``add`` would; its candidates
are the stored articles the scan's rule would pair it with were it added
(``rule.page_candidates``: holder counts include the page's articles),
verified by ``dedup.match.check``.
"""

from __future__ import annotations

import os
from pathlib import Path
from typing import Any

from dedup.archive import links, rule
from dedup.archive.codec import options_from
from dedup.archive.schema import ArchiveError, connect
from dedup.match import check
from dedup.pages import process_file
from dedup.report.html import report_name


def query(archive: str | os.PathLike[str], file: str | os.PathLike[str]) -> dict[str, Any]:
    """The page's articles, each with the stored articles it prints the same story as.

    Each match gives the stored article, relation, similarity, containment,
    the stored article's cluster canonical, and the pair report a report of
    the archive with this page added would link (``pairs/<name>``).

    Raises:
        ArchiveError: the archive cannot be used, or the page cannot be read.
    """
    db = connect(archive)
    try:
        row = db.execute("SELECT value FROM meta WHERE key = 'options'").fetchone()
        if row is None:
            raise ArchiveError(f"{archive}: the archive is empty")
        options = options_from(row[0])
        name = Path(file).as_posix()
        r = process_file(str(file), name, options)
        if r.error is not None:
            raise ArchiveError(f"{name}: {r.error}")
        articles = []
        wanted = rule.page_candidates(db, [links.codes_of(k) for k in r.keys])
        for p, ids in zip(r.profiles, wanted, strict=True):
            found = links.profiles(db, ids)
            matches = []
            for x, stored in sorted(found.items(), key=lambda t: links.scan_order(t[1])):
                m = check(stored, p, options)
                if m is None:
                    continue
                canon = db.execute(
                    "SELECT a.ref FROM articles s JOIN clusters c ON c.id = s.cluster "
                    "JOIN articles a ON a.id = c.canonical WHERE s.id = ?",
                    (x,),
                ).fetchone()
                matches.append({
                    "article": stored.id, "relation": m.relation, "similarity": round(m.similarity, 4),
                    "containment": round(m.containment, 4), "canonical": canon[0] if canon else stored.id,
                    "report": f"pairs/{report_name(m.a, m.b)}",
                })
            articles.append({"id": p.id, "title": p.title, "matches": matches})
        return {"path": name, "articles": articles}
    finally:
        db.close()
