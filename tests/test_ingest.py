"""Reading pages: encodings, newlines, binary and empty files."""

from __future__ import annotations

import codecs
from pathlib import Path

import opencc
import pytest

from dedup.errors import ReadError
from dedup.ingest import decode, discover, read
from dedup.segment import split
from tests.conftest import SAMPLES, sample


def _structure(path: Path) -> list[tuple[object, ...]]:
    return [
        (a.title, a.kind, a.start, a.end, a.first_line, a.last_line, a.jump,
         tuple((p.kind, p.start, p.end) for p in a.paragraphs))
        for a in split(read(path))
    ]


@pytest.mark.parametrize("page", sorted(p.name for p in SAMPLES.glob("*.txt")))
@pytest.mark.parametrize("encoding", ["gb18030", "utf-16", "utf-8-sig", "utf-16-be-bom"])
def test_same_page_in_other_encodings_splits_identically(
    tmp_path: Path, page: str, encoding: str
) -> None:
    text = (SAMPLES / page).read_text(encoding="utf-8")
    if encoding == "utf-16-be-bom":
        data = codecs.BOM_UTF16_BE + text.encode("utf-16-be")
    else:
        data = text.encode(encoding)
    target = tmp_path / page
    target.write_bytes(data)
    doc = read(target)
    assert doc.text == text
    assert _structure(target) == _structure(SAMPLES / page)


@pytest.mark.parametrize("page", sorted(p.name for p in SAMPLES.glob("*.txt")))
def test_big5_page_splits_like_its_utf8_copy(tmp_path: Path, page: str) -> None:
    # Big5 only holds traditional characters: convert, drop what it cannot hold,
    # then save the same traditional page once as Big5 and once as UTF-8.
    converted = opencc.OpenCC("s2t").convert((SAMPLES / page).read_text(encoding="utf-8"))
    representable = "".join(c for c in converted if _in_big5(c))
    (tmp_path / "big5.txt").write_bytes(representable.encode("big5"))
    (tmp_path / "utf8.txt").write_bytes(representable.encode("utf-8"))
    doc = read(tmp_path / "big5.txt")
    assert doc.encoding == "big5"
    assert doc.text == representable
    assert _structure(tmp_path / "big5.txt") == _structure(tmp_path / "utf8.txt")


def _in_big5(c: str) -> bool:
    try:
        c.encode("big5")
    except UnicodeEncodeError:
        return False
    return True


def test_crlf_and_cr_are_kept_and_offsets_index_them(tmp_path: Path) -> None:
    text = sample("001").read_text(encoding="utf-8").replace("\n", "\r\n")
    (tmp_path / "crlf.txt").write_bytes(text.encode("gb18030"))
    doc = read(tmp_path / "crlf.txt")
    assert doc.text == text
    articles = split(doc)
    assert [a.title for a in articles] == [a.title for a in split(read(sample("001")))]
    for a in articles:
        for p in a.paragraphs:
            assert doc.text[p.start : p.end] == p.text
            assert not p.text.startswith(("\r", "\n")) and not p.text.endswith(("\r", "\n"))
    old_mac = sample("000").read_text(encoding="utf-8").replace("\n", "\r")
    lines = [(a.first_line, a.last_line) for a in split(decode(old_mac.encode(), "cr.txt"))]
    assert lines == [(a.first_line, a.last_line) for a in split(read(sample("000")))]


def test_binary_file_is_refused_with_its_name(tmp_path: Path) -> None:
    target = tmp_path / "scan.png"
    target.write_bytes(b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR")
    with pytest.raises(ReadError) as info:
        read(target)
    assert str(info.value) == f"{target}: binary file (NUL byte at offset 8)"


def test_encoding_override_and_its_failure(tmp_path: Path) -> None:
    target = tmp_path / "gbk.txt"
    target.write_bytes("本报讯 记者".encode("gbk"))
    assert read(target, encoding="gbk").text == "本报讯 记者"
    with pytest.raises(ReadError, match=r"cannot decode as utf-8 at byte 0"):
        read(target, encoding="utf-8")
    with pytest.raises(ReadError, match="unknown encoding 'klingon'"):
        read(target, encoding="klingon")


def test_missing_file_and_directory(tmp_path: Path) -> None:
    with pytest.raises(ReadError, match="no such file"):
        read(tmp_path / "nope.txt")
    with pytest.raises(ReadError, match="is a directory"):
        read(tmp_path)


def test_empty_file_has_no_articles(tmp_path: Path) -> None:
    (tmp_path / "empty.txt").write_bytes(b"")
    (tmp_path / "blank.txt").write_bytes(b"\n \r\n\t\n")
    assert split(read(tmp_path / "empty.txt")) == []
    assert split(read(tmp_path / "blank.txt")) == []


def test_discover_walks_folders_sorted_with_relative_names(tmp_path: Path) -> None:
    (tmp_path / "b").mkdir()
    (tmp_path / "b" / "2.md").write_text("x")
    (tmp_path / "a.txt").write_text("x")
    (tmp_path / "image.png").write_bytes(b"\x00")
    names = [name for _, name in discover([tmp_path])]
    assert names == ["a.txt", "b/2.md"]
