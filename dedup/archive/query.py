"""``query``: which stored articles a page's articles reprint, without adding the page.

The page is read, split and fingerprinted as ``add`` would; its candidates
are the stored members of the buckets it would join (those that would stay
within ``MAX_BUCKET`` articles with it), verified by ``dedup.match.check``.
"""

from __future__ import annotations

import os
from pathlib import Path
from typing import Any

from dedup.archive import links
from dedup.archive.codec import options_from
from dedup.archive.schema import ArchiveError, connect
from dedup.candidates import MAX_BUCKET
from dedup.match import check
from dedup.pages import process_file
from dedup.report.html import report_name


def _stored(db: Any, codes: list[int]) -> set[int]:
    """Stored articles sharing a bucket with the page's article that would stay small."""
    found: set[int] = set()
    for at in range(0, len(codes), links.CHUNK):
        part = codes[at : at + links.CHUNK]
        sizes = db.execute(
            f"SELECT code, count(*) FROM band_keys WHERE code IN ({links.marks(len(part))}) GROUP BY code", part
        ).fetchall()
        small = [c for c, n in sizes if n + 1 <= MAX_BUCKET]
        if small:
            rows = db.execute(f"SELECT article FROM band_keys WHERE code IN ({links.marks(len(small))})", small)
            found.update(int(a) for (a,) in rows)
    return found


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
        for p, keys in zip(r.profiles, r.keys, strict=True):
            found = links.profiles(db, _stored(db, links.codes_of(keys).tolist()))
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
