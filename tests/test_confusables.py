"""The packaged visual-confusables table and its lookup functions."""

from __future__ import annotations

import re
from importlib import resources

import pytest

from dedup import confusables
from dedup.confusables import (
    DEFAULT_THRESHOLD,
    WEAK_THRESHOLD,
    is_lookalike,
    load,
    load_parts,
    parse,
    parse_parts,
    shared_part,
    similarity,
)

_LINE = re.compile(r"[^\t\n]+\t[^\t\n]+\t(0\.\d{3}|1\.000)")

# Typical OCR confusions that the glyph-derived table must recognise.
KNOWN_OCR_PAIRS = [
    ("己", "已"),
    ("已", "巳"),
    ("己", "巳"),
    ("未", "末"),
    ("土", "士"),
    ("人", "入"),
    ("日", "曰"),
    ("戍", "戌"),
    ("大", "太"),
    ("千", "干"),
    ("免", "兔"),
    ("论", "沦"),
    ("论", "伦"),
    ("间", "问"),
    ("晴", "睛"),
    ("，", "、"),
    ("0", "O"),
    ("1", "l"),
    ("l", "I"),
    ("1", "I"),
    ("5", "S"),
    (",", "."),
    ("rn", "m"),
    ("cl", "d"),
    ("vv", "w"),
    ("li", "h"),
]

CLEARLY_DIFFERENT = [
    ("论", "海"),
    ("弃", "水"),
    ("a", "W"),
    ("人", "国"),
    ("m", "o"),
    ("0", "7"),
]


# Editorial substitutions of samples 000/001: no likeness of any kind.
EDITORIAL_PAIRS = [("趟", "辆"), ("意", "声"), ("情", "意"), ("建", "进")]


def _raw_text(name: str = "confusables.tsv") -> str:
    return resources.files("dedup").joinpath("data").joinpath(name).read_text(encoding="utf-8")


def test_table_loads_and_is_cached() -> None:
    table = load()
    assert load() is table
    pairs = sum(len(v) for v in table.values()) // 2
    assert pairs > 10_000
    # GB2312 hanzi dominate, ASCII and multi-letter sequences are present too
    assert "论" in table and "O" in table and "rn" in table


def test_table_is_symmetric_without_self_pairs() -> None:
    table = load()
    for a, row in table.items():
        assert a not in row
        for b, score in row.items():
            assert table[b][a] == score


def test_scores_in_range() -> None:
    for row in load().values():
        for score in row.values():
            assert 0.0 < score <= 1.0


@pytest.mark.parametrize(("a", "b"), KNOWN_OCR_PAIRS)
def test_known_ocr_pairs_are_lookalikes(a: str, b: str) -> None:
    assert similarity(a, b) >= DEFAULT_THRESHOLD
    assert is_lookalike(a, b)
    assert is_lookalike(b, a)


@pytest.mark.parametrize(("a", "b"), CLEARLY_DIFFERENT)
def test_clearly_different_characters_are_not(a: str, b: str) -> None:
    assert similarity(a, b) < DEFAULT_THRESHOLD
    assert not is_lookalike(a, b)


def test_ranking_prefers_closer_shapes() -> None:
    # 末 differs from 未 by one stroke's length, 朱 by a tick; 海 is unrelated
    assert similarity("未", "末") > similarity("未", "朱") > similarity("未", "海")
    assert similarity("己", "已") > similarity("己", "乙")
    assert similarity("m", "rn") > similarity("m", "n")


def test_similarity_identity_symmetry_and_unknowns() -> None:
    assert similarity("论", "论") == 1.0
    assert similarity("rn", "rn") == 1.0
    assert similarity("", "") == 1.0
    assert is_lookalike("x", "x")
    assert similarity("论", "沦") == similarity("沦", "论") > 0
    assert similarity("rn", "m") == similarity("m", "rn") > 0.9
    assert similarity("\U0001f600", "论") == 0.0
    assert similarity("xyz", "q") == 0.0
    assert similarity("论", "") == 0.0


def test_threshold_parameter() -> None:
    s = similarity("日", "曰")
    assert is_lookalike("日", "曰", threshold=s)
    assert not is_lookalike("日", "曰", threshold=min(1.0, s + 0.001))
    assert not is_lookalike("论", "海", threshold=0.1)


def test_file_format_is_deterministic() -> None:
    text = _raw_text()
    assert text.endswith("\n") and "\r" not in text
    lines = text.split("\n")[:-1]
    assert lines[0].startswith("# ") and "build_confusables.py" in lines[0]
    body = lines[1:]
    # the only comment is the header; "#" alone is also a token (ASCII punctuation)
    assert all(not line.startswith("# ") for line in body)
    assert any(line.startswith("#\t") for line in body)
    keys = []
    for line in body:
        assert _LINE.fullmatch(line), line
        a, b, _ = line.split("\t")
        assert a < b, line
        keys.append((a, b))
    assert keys == sorted(keys)
    assert len(set(keys)) == len(keys)
    # the parsed table serialises back to exactly the same lines
    table = parse(text)
    rebuilt = sorted(
        f"{a}\t{b}\t{score:.3f}" for a, row in table.items() for b, score in row.items() if a < b
    )
    assert rebuilt == body
    assert len(text.encode("utf-8")) < 1_500_000


def test_every_token_is_short() -> None:
    for token in load():
        assert 1 <= len(token) <= 2
        if len(token) == 2:
            assert token.isascii() and token.isalnum()


@pytest.mark.parametrize(
    "bad",
    [
        "a\tb\n",
        "a\tb\t1.5\n",
        "a\tb\tx\n",
        "a\ta\t0.900\n",
        "a\tb\t0.900\nb\ta\t0.800\n",
        "#\tb\n",
    ],
)
def test_parse_rejects_malformed_tables(bad: str) -> None:
    with pytest.raises(ValueError):
        parse(bad)


def test_parse_ignores_comments_and_blank_lines() -> None:
    table = parse("# header\n#\n\n甲\t申\t0.860\n#\t$\t0.500\n")
    assert dict(table["甲"]) == {"申": 0.86}
    assert dict(table["申"]) == {"甲": 0.86}
    assert dict(table["#"]) == {"$": 0.5}


def test_weak_resemblances_of_the_lead_story() -> None:
    """弃/套 (a real misreading) is kept as a weak resemblance; 论/训 share only 讠."""
    assert WEAK_THRESHOLD <= similarity("弃", "套") < DEFAULT_THRESHOLD
    assert not is_lookalike("弃", "套")
    assert similarity("论", "训") < WEAK_THRESHOLD
    assert shared_part("论", "训") == shared_part("训", "论") == "left"
    assert shared_part("弃", "套") is None


@pytest.mark.parametrize(("a", "b"), EDITORIAL_PAIRS)
def test_editorial_pairs_do_not_resemble(a: str, b: str) -> None:
    assert similarity(a, b) < WEAK_THRESHOLD
    assert shared_part(a, b) is None


def test_shared_parts_are_radical_groups() -> None:
    # the same radical drawn the same way: 讠, 氵, 扌, 艹 groups
    assert shared_part("说", "话") == "left"
    assert shared_part("江", "河") == "left"
    assert shared_part("推", "拉") == "left"
    assert shared_part("草", "菜") == "top"
    # a character shares nothing with itself; unknown characters share nothing
    assert shared_part("论", "论") is None
    assert shared_part("论", "x") is None and shared_part("\U0001f600", "论") is None
    # different radicals in the same place are no shared part
    assert shared_part("论", "沦") is None


def test_parts_file_format_is_deterministic() -> None:
    text = _raw_text("parts.tsv")
    assert text.endswith("\n") and "\r" not in text
    lines = text.split("\n")[:-1]
    assert lines[0].startswith("# ") and "build_confusables.py" in lines[0]
    body = lines[1:]
    assert body == sorted(body) and len(set(body)) == len(body)
    table = parse_parts(text)
    assert load_parts() is load_parts()
    assert set(table) == set(load_parts())
    for line in body:
        region, members = line.split("\t")
        assert region in confusables.PART_REGIONS and len(members) >= 2
    # every pair in a group shares the part; a group is one number per region
    groups = {(r, g) for row in table.values() for r, g in row.items()}
    assert len(groups) == len(body)
    assert len(text.encode("utf-8")) < 200_000


@pytest.mark.parametrize(
    "bad",
    [
        "left\n",
        "middle\t论训\n",
        "left\t论\n",
        "left\t论论\n",
        "left\t论训\nleft\t训计\n",
    ],
)
def test_parse_parts_rejects_malformed_tables(bad: str) -> None:
    with pytest.raises(ValueError):
        parse_parts(bad)


def test_parse_parts() -> None:
    table = parse_parts("# header\n\nleft\t论训\ntop\t草菜\nleft\t海沦\n")
    assert dict(table["论"]) == {"left": 0} and dict(table["海"]) == {"left": 2}
    assert dict(table["菜"]) == {"top": 1}


def test_module_exports() -> None:
    assert set(confusables.__all__) == {
        "DEFAULT_THRESHOLD",
        "PART_REGIONS",
        "STRONG_THRESHOLD",
        "WEAK_THRESHOLD",
        "is_lookalike",
        "load",
        "load_parts",
        "parse",
        "parse_parts",
        "shared_part",
        "similarity",
    }
