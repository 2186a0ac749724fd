"""Read pages from disk into Documents, detecting their text encoding.

Note that the text is decoded without newline translation: CRLF and CR stay as
they are in the file, so every offset computed later indexes the file's own
characters. A UTF-8/UTF-16/UTF-32 byte-order mark is consumed by the codec and
is not part of the text.
"""

from __future__ import annotations

import codecs
import os
from collections.abc import Iterable, Iterator
from pathlib import Path

from charset_normalizer import from_bytes

from dedup.errors import ReadError
from dedup.model import Document

_BOMS: tuple[tuple[bytes, str], ...] = (
    (codecs.BOM_UTF32_LE, "utf-32"),
    (codecs.BOM_UTF32_BE, "utf-32"),
    (codecs.BOM_UTF8, "utf-8-sig"),
    (codecs.BOM_UTF16_LE, "utf-16"),
    (codecs.BOM_UTF16_BE, "utf-16"),
)

# Encodings a Chinese or English newspaper page is likely to come in. Korean
# and Japanese codecs are left out on purpose: on short GB18030 pages the
# detector would otherwise often pick EUC-KR. --encoding reaches any codec.
_CANDIDATES = ["gb18030", "big5", "utf_16", "cp1252", "latin_1"]

TEXT_SUFFIXES = frozenset({".txt", ".md", ".markdown", ".text"})


def detect_encoding(data: bytes, path: str = "<bytes>") -> str:
    """Name the codec that decodes ``data``.

    A byte-order mark wins; then strict UTF-8; then charset-normalizer's best
    guess. Raises ReadError for binary data (NUL bytes without a UTF-16/32
    byte-order mark) and for bytes no candidate decodes.
    """
    for bom, name in _BOMS:
        if data.startswith(bom):
            return name
    nul = data.find(b"\x00")
    if nul >= 0:
        raise ReadError(path, f"binary file (NUL byte at offset {nul})")
    try:
        data.decode("utf-8")
    except UnicodeDecodeError:
        pass
    else:
        return "utf-8"
    best = from_bytes(data, cp_isolation=_CANDIDATES).best()
    if best is None:
        raise ReadError(path, "cannot detect the text encoding (try --encoding)")
    name = codecs.lookup(best.encoding).name
    # GB2312 and GBK are subsets of GB18030: decode with the superset so that
    # a rare character outside the subset does not fail the whole page.
    if name in ("gb2312", "gbk", "hz"):
        return "gb18030"
    return name


def decode(data: bytes, path: str = "<bytes>", encoding: str | None = None) -> Document:
    """Decode raw bytes into a Document (``encoding`` overrides detection)."""
    if encoding is not None:
        try:
            codecs.lookup(encoding)
        except LookupError:
            raise ReadError(path, f"unknown encoding {encoding!r}") from None
        name = encoding
    else:
        name = detect_encoding(data, path)
    try:
        text = data.decode(name)
    except UnicodeDecodeError as exc:
        raise ReadError(
            path, f"cannot decode as {name} at byte {exc.start}: {exc.reason}"
        ) from None
    if "\x00" in text:
        raise ReadError(path, f"binary file (NUL character after decoding as {name})")
    return Document(path=path, text=text, encoding=name)


def read(path: str | os.PathLike[str], *, encoding: str | None = None, name: str | None = None) -> Document:
    """Read one page from disk.

    Args:
        path: the file to read.
        encoding: a codec name that overrides detection.
        name: the path recorded in the Document (default: ``path`` as given),
            so batch runs can record paths relative to their root.

    Raises:
        ReadError: the file is missing, unreadable, binary or undecodable.
    """
    shown = name if name is not None else os.fspath(path)
    try:
        data = Path(path).read_bytes()
    except IsADirectoryError:
        raise ReadError(shown, "is a directory") from None
    except FileNotFoundError:
        raise ReadError(shown, "no such file") from None
    except OSError as exc:
        raise ReadError(shown, exc.strerror or str(exc)) from None
    return decode(data, shown, encoding)


def discover(paths: Iterable[str | os.PathLike[str]]) -> Iterator[tuple[Path, str]]:
    """Yield ``(file, name)`` for every page under ``paths``, sorted.

    Folders are walked recursively and keep files with a text suffix; a file
    named directly is always kept. ``name`` is the path relative to the folder
    given (posix slashes), or the file's path as given.
    """
    for given in paths:
        root = Path(given)
        if root.is_dir():
            found = sorted(
                p
                for p in root.rglob("*")
                if p.is_file() and p.suffix.lower() in TEXT_SUFFIXES
            )
            for file in found:
                yield file, file.relative_to(root).as_posix()
        else:
            yield root, root.as_posix()
