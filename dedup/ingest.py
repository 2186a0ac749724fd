"""Read pages from disk into Documents, detecting their text encoding.

Note that the text is decoded without newline translation: CRLF and CR stay as
they are in the file, so every offset computed later indexes the file's own
characters. A UTF-8/UTF-16/UTF-32 byte-order mark is consumed by the codec and
is not part of the text.
"""

from __future__ import annotations

import codecs
import os
import re
from collections.abc import Iterable, Iterator
from pathlib import Path

from charset_normalizer import from_bytes

from dedup.errors import ReadError
from dedup.model import Document
from dedup.options import Options
from dedup.readers import load

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
# Web pages and OCR output (dedup.readers); the format is detected from the content.
MARKUP_SUFFIXES = frozenset({".html", ".htm", ".xhtml", ".xml", ".hocr"})
PAGE_SUFFIXES = TEXT_SUFFIXES | MARKUP_SUFFIXES
_XML_ENCODING = re.compile(rb"""\A\s*<\?xml[^>]*?\bencoding\s*=\s*["']([A-Za-z0-9._-]+)["']""")


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


def declared_encoding(data: bytes) -> str | None:
    """The codec an XML declaration names, when it is known and decodes ``data``.

    A byte-order mark comes first, so the declaration counts only without one.
    """
    if any(data.startswith(bom) for bom, _ in _BOMS):
        return None
    m = _XML_ENCODING.match(data[:1024])
    if m is None:
        return None
    try:
        name = codecs.lookup(m.group(1).decode("ascii")).name
    except LookupError:
        return None
    if name in ("gb2312", "gbk"):
        name = "gb18030"
    try:
        data.decode(name)
    except UnicodeDecodeError:
        return None
    return name


def decode(
    data: bytes,
    path: str = "<bytes>",
    encoding: str | None = None,
    fmt: str = "auto",
    page_level: str = "auto",
) -> Document:
    """Decode raw bytes into a Document (``encoding`` overrides detection).

    An XML declaration's encoding is used when it decodes the bytes. The
    decoded text is then read as format ``fmt`` (``auto``: detected from the
    content, see ``dedup.readers``): plain text as it is, web pages and OCR
    output as their extracted text (PAGE XML from the text level
    ``page_level`` prefers, see ``read``).

    Raises:
        ReadError: binary or undecodable bytes.
        FormatError: malformed or unsafe XML/HTML, or XML of no known kind.
    """
    if encoding is not None:
        try:
            codecs.lookup(encoding)
        except LookupError:
            raise ReadError(path, f"unknown encoding {encoding!r}") from None
        name = encoding
    else:
        name = declared_encoding(data) or detect_encoding(data, path)
    try:
        text = data.decode(name)
    except UnicodeDecodeError as exc:
        raise ReadError(
            path, f"cannot decode as {name} at byte {exc.start}: {exc.reason}"
        ) from None
    if "\x00" in text:
        raise ReadError(path, f"binary file (NUL character after decoding as {name})")
    return load(text, path, name, fmt, page_level)


def read(
    path: str | os.PathLike[str],
    *,
    encoding: str | None = None,
    name: str | None = None,
    fmt: str = "auto",
    page_level: str = "auto",
) -> Document:
    """Read one page from disk.

    Args:
        path: the file to read.
        encoding: a codec name that overrides detection.
        name: the path recorded in the Document (default: ``path`` as given),
            so batch runs can record paths relative to their root.
        fmt: ``auto`` (detect from the content) or a format of
            ``dedup.model.FORMATS`` to read the file as.
        page_level: for PAGE XML, the text level to read first: ``auto``
            (= ``region``: the region's text, else its lines', else its
            words'), ``region``, ``line`` (lines', else words') or ``word``
            (words', else the line's own text). See ``dedup.readers.page``.

    Raises:
        ReadError: the file is missing, unreadable, binary or undecodable.
        FormatError: a web page or OCR file is malformed or unsafe.
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
    return decode(data, shown, encoding, fmt, page_level)


def discover(paths: Iterable[str | os.PathLike[str]]) -> Iterator[tuple[Path, str]]:
    """Yield ``(file, name)`` for every page under ``paths``, sorted.

    Folders are walked recursively and keep files with a text, web page or
    OCR suffix (``PAGE_SUFFIXES``); a file named directly is always kept. ``name`` is the path relative to the folder
    given (posix slashes), or the file's path as given.
    """
    for given in paths:
        root = Path(given)
        if root.is_dir():
            found = sorted(
                p
                for p in root.rglob("*")
                if p.is_file() and p.suffix.lower() in PAGE_SUFFIXES
            )
            for file in found:
                yield file, file.relative_to(root).as_posix()
        else:
            yield root, root.as_posix()


def read_page(path: str | os.PathLike[str], options: Options, name: str | None = None) -> Document:
    """``read`` with the reading settings of ``options`` (encoding, input format, PAGE level).

    Raises:
        ReadError: as ``read``.
    """
    return read(
        path,
        encoding=options.encoding,
        name=name,
        fmt=options.input_format,
        page_level=options.page_level,
    )
