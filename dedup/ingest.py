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
import unicodedata
from dataclasses import replace
from pathlib import Path

from dedup.discover import (
    MARKUP_SUFFIXES,
    PAGE_SUFFIXES,
    TEXT_SUFFIXES,
    Skipped,
    discover,
    display_name,
)
from dedup.errors import ReadError
from dedup.model import Document
from dedup.options import DECODE_ERRORS, Options
from dedup.readers import load

__all__ = [
    "MARKUP_SUFFIXES",
    "PAGE_SUFFIXES",
    "TEXT_SUFFIXES",
    "Skipped",
    "declared_encoding",
    "decode",
    "detect_encoding",
    "discover",
    "display_name",
    "read",
    "read_page",
    "replaced_warning",
]

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

_XML_ENCODING = re.compile(rb"""\A\s*<\?xml[^>]*?\bencoding\s*=\s*["']([A-Za-z0-9._-]+)["']""")


def detect_encoding(data: bytes, path: str = "<bytes>") -> str:
    """Name the codec that decodes ``data``.

    A byte-order mark wins; then UTF-32/UTF-16 without one (NUL bytes that
    decode to text, ``_wide_encoding``); then strict UTF-8; then
    charset-normalizer's best guess. Raises ReadError for binary data (NUL
    bytes that are no UTF-16/32 text) and for bytes no candidate decodes.
    """
    for bom, name in _BOMS:
        if data.startswith(bom):
            return name
    nul = data.find(b"\x00")
    if nul >= 0:
        wide = _wide_encoding(data)
        if wide is None:
            raise ReadError(path, f"binary file (NUL byte at offset {nul})")
        return wide
    try:
        data.decode("utf-8")
    except UnicodeDecodeError:
        pass
    else:
        return "utf-8"
    from charset_normalizer import from_bytes  # only for a page that is not UTF-8

    best = from_bytes(data, cp_isolation=_CANDIDATES).best()
    if best is None:
        raise ReadError(path, "cannot detect the text encoding (try --encoding or --decode-errors replace)")
    return _superset(codecs.lookup(best.encoding).name)


def _superset(name: str) -> str:
    """GB2312 and GBK are subsets of GB18030: decode with the superset so that
    a rare character outside the subset does not fail the whole page."""
    return "gb18030" if name in ("gb2312", "gbk", "hz") else name


def _wide_encoding(data: bytes) -> str | None:
    """UTF-32 or UTF-16 (either byte order) without a byte-order mark, when ``data`` is one.

    NUL bytes in text come from the zero high bytes of ASCII characters in
    these encodings; the byte order with more NULs where high bytes sit is
    tried first. A candidate counts when it decodes strictly, yields no NUL
    character, holds a space or line break and reads as text (``_textlike``):
    binary data fails that.
    """
    candidates = []
    if len(data) % 4 == 0:
        le = data[3::4].count(0) + data[2::4].count(0)
        be = data[0::4].count(0) + data[1::4].count(0)
        candidates += ["utf-32-le", "utf-32-be"] if le >= be else ["utf-32-be", "utf-32-le"]
    if len(data) % 2 == 0:
        odd, even = data[1::2].count(0), data[0::2].count(0)
        candidates += ["utf-16-le", "utf-16-be"] if odd >= even else ["utf-16-be", "utf-16-le"]
    for name in candidates:
        try:
            text = data.decode(name)
        except UnicodeDecodeError:
            continue
        if "\x00" not in text and _textlike(text) and any(ch.isspace() for ch in text[:65536]):
            return name
    return None


def _textlike(text: str) -> bool:
    """At most 1 % of the first 65,536 characters are controls, unassigned or private use."""
    sample = text[:65536]
    bad = sum(
        1
        for ch in sample
        if ch not in "\t\n\r\f\v" and unicodedata.category(ch) in ("Cc", "Cn", "Co", "Cs")
    )
    return bool(sample) and bad <= len(sample) // 100


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
    errors: str = "strict",
) -> Document:
    """Decode raw bytes into a Document (``encoding`` overrides detection).

    An XML declaration's encoding is used when it decodes the bytes. The
    decoded text is then read as format ``fmt`` (``auto``: detected from the
    content, see ``dedup.readers``): plain text as it is, web pages and OCR
    output as their extracted text (PAGE XML from the text level
    ``page_level`` prefers, see ``read``).

    ``errors`` is ``strict`` (a byte the codec cannot decode fails the page)
    or ``replace``: each such byte becomes one U+FFFD, so the characters
    after it keep their place, and ``Document.replaced`` counts them
    (``replaced_warning`` says so).

    Raises:
        ReadError: binary or undecodable bytes.
        FormatError: malformed or unsafe XML/HTML, or XML of no known kind.
    """
    if errors not in DECODE_ERRORS:
        raise ValueError(f"errors must be one of {', '.join(DECODE_ERRORS)}, got {errors!r}")
    if encoding is not None:
        try:
            codecs.lookup(encoding)
        except LookupError:
            raise ReadError(path, f"unknown encoding {encoding!r}") from None
        name = encoding
    elif errors == "replace":
        name = declared_encoding(data) or _lenient_encoding(data, path)
    else:
        name = declared_encoding(data) or detect_encoding(data, path)
    try:
        text, replaced = _decode(data, name, errors)
    except UnicodeDecodeError as exc:
        raise ReadError(
            path, f"cannot decode as {name} at byte {exc.start}: {exc.reason} (--decode-errors replace reads it)"
        ) from None
    if "\x00" in text:
        raise ReadError(path, f"binary file (NUL character after decoding as {name})")
    doc = load(text, path, name, fmt, page_level)
    return replace(doc, replaced=replaced) if replaced else doc


def replaced_warning(count: int) -> str:
    """The warning of a page read with ``--decode-errors replace`` that had bad bytes."""
    return f"{count} undecodable byte{'s' if count != 1 else ''} replaced by U+FFFD"


def _replace_each(exc: UnicodeError) -> tuple[str, int]:
    """Codec error handler: one U+FFFD per undecodable byte, counted in ``_REPLACED``."""
    if not isinstance(exc, UnicodeDecodeError):
        raise exc
    _REPLACED[0] += exc.end - exc.start
    return "\ufffd" * (exc.end - exc.start), exc.end


_REPLACED = [0]
codecs.register_error("dedup-replace-each", _replace_each)


def _decode(data: bytes, name: str, errors: str) -> tuple[str, int]:
    """``data`` decoded with codec ``name``, and how many bytes were replaced."""
    if errors == "strict":
        return data.decode(name), 0
    _REPLACED[0] = 0
    text = data.decode(name, "dedup-replace-each")
    return text, _REPLACED[0]


def _lenient_encoding(data: bytes, path: str) -> str:
    """``detect_encoding``, else the codec that needs the fewest replacements (at most 1 %).

    UTF-8 is taken first when it is good enough: GB18030 decodes nearly any
    byte pair, so counting alone would often prefer it for damaged UTF-8.
    """
    try:
        return detect_encoding(data, path)
    except ReadError:
        if b"\x00" in data:  # binary stays binary
            raise
    limit = max(1, len(data) // 100)
    bad = {name: _decode(data, name, "replace")[1] for name in ("utf-8", "gb18030", "big5")}
    if bad["utf-8"] <= limit:
        return "utf-8"
    name = min(("gb18030", "big5"), key=lambda n: bad[n])
    if bad[name] > limit:
        raise ReadError(path, "cannot detect the text encoding, even replacing bad bytes (try --encoding)")
    return name


def read(
    path: str | os.PathLike[str],
    *,
    encoding: str | None = None,
    name: str | None = None,
    fmt: str = "auto",
    page_level: str = "auto",
    errors: str = "strict",
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
        errors: ``strict`` or ``replace`` undecodable bytes (see ``decode``).

    Raises:
        ReadError: the file is missing, unreadable, binary or undecodable.
        FormatError: a web page or OCR file is malformed or unsafe.
    """
    shown = name if name is not None else display_name(os.fspath(path))
    try:
        data = Path(path).read_bytes()
    except IsADirectoryError:
        raise ReadError(shown, "is a directory") from None
    except FileNotFoundError:
        raise ReadError(shown, "no such file") from None
    except OSError as exc:
        raise ReadError(shown, exc.strerror or str(exc)) from None
    return decode(data, shown, encoding, fmt, page_level, errors)


def read_page(path: str | os.PathLike[str], options: Options, name: str | None = None) -> Document:
    """``read`` with the reading settings of ``options`` (encoding, input format, PAGE level,
    decoding errors).

    Raises:
        ReadError: as ``read``.
    """
    return read(
        path,
        encoding=options.encoding,
        name=name,
        fmt=options.input_format,
        page_level=options.page_level,
        errors=options.decode_errors,
    )
