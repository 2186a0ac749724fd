"""Look a key up in a packaged data file whose lines are sorted, without building a set or dict.

Why: ``dedup compare`` on one pair of pages asks the dictionary
(``dedup/data/words.txt``, 330,415 words, 3 MB) and the look-alike table
(``dedup/data/confusables.tsv``, 91,215 pairs, 1.3 MB) a few hundred
questions. Decoding and parsing the whole file into a set or a dict costs
more than the comparison itself (0.1 to 0.6 s against 0.08 s), while the raw
bytes read in about 2 ms. Both files are sorted line by line, and UTF-8 byte
order is code-point order, so a bisection over the byte offsets of the lines
answers a question in some 20 steps.

Example:
    >>> lines = SortedLines(b"# header\\napple\\nbanana\\ncherry\\n")
    >>> lines.first_at_or_after(b"b")
    b'banana'
    >>> lines.contains(b"cherry"), lines.contains(b"cher")
    (True, False)
"""

from __future__ import annotations

import pkgutil

__all__ = ["SortedLines", "package_data"]


def package_data(name: str) -> bytes:
    """The bytes of the packaged file ``dedup/data/<name>``.

    Why not ``importlib.resources``: it imports ``zipfile``, ``tempfile``,
    ``shutil`` and ``random`` on the way, which a comparison does not need;
    ``pkgutil.get_data`` asks the package's loader (a zip import included).

    Raises:
        FileNotFoundError: the package has no such file.
    """
    data = pkgutil.get_data("dedup", f"data/{name}")
    if data is None:  # a loader that cannot read data files
        raise FileNotFoundError(f"dedup/data/{name}")
    return data


class SortedLines:
    """The lines of a byte string, sorted in byte order after a header, searched by bisection.

    Args:
        data: The file's bytes: header lines, then data lines in ascending
            byte order, each ended by ``\\n``; no blank line among them.
        is_header: Which leading lines are header (by default the lines
            that start with ``#``); the header ends at the first other line.
    """

    def __init__(self, data: bytes, is_header: tuple[bytes, ...] = (b"#",)) -> None:
        self.data = data
        start = 0
        while start < len(data) and data.startswith(is_header, start):
            end = data.find(b"\n", start)
            start = len(data) if end < 0 else end + 1
        self.start = start

    def _line(self, at: int) -> tuple[bytes, int]:
        """The line starting at offset ``at`` and the offset of the next line."""
        end = self.data.find(b"\n", at)
        if end < 0:
            end = len(self.data)
        return self.data[at:end], end + 1

    def first_at_or_after(self, key: bytes) -> bytes | None:
        """The first data line that is not smaller than ``key`` (None past the last line)."""
        data, lo, hi = self.data, self.start, len(self.data)
        # lo and hi are line starts: every line before lo is < key, every line from hi on >= key
        while lo < hi:
            mid = (lo + hi) // 2
            at = data.rfind(b"\n", lo, mid)
            at = lo if at < 0 else at + 1
            line, after = self._line(at)
            if line < key:
                lo = after
            else:
                hi = at
        return self._line(lo)[0] if lo < len(data) else None

    def contains(self, line: bytes) -> bool:
        """Whether ``line`` is one of the data lines."""
        return self.first_at_or_after(line) == line
