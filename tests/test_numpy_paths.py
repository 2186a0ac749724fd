"""The pure-Python paths that spare ``dedup compare`` the numpy import give numpy's answers exactly.

Hashing k-grams, placing the shorter text in the longer (``match``), the
rare-character share (``pages``), anchors of long texts (``anchors``), the
shingle scores of long pages (``pairing``) and the paragraph edges of the
alignment (``align``) each have a numpy path and a plain one; which one runs
depends on the size and on whether numpy is loaded (``text.use_numpy``), so
the two must agree value for value, order included.
"""

from __future__ import annotations

import random
import re
import subprocess
import sys
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from typing import Any

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from dedup import align, anchors, evidence, match, pages, pairing, text
from dedup.compare import compare_files
from dedup.ingest import read
from dedup.normalize import key_text
from dedup.report.json import dumps, pages_json
from dedup.segment import split
from tests.conftest import ROOT, SAMPLES, sample

_MODULES = (align, anchors, match, pages, pairing)

# few distinct characters, so that texts share k-grams and repeat them
_CJK = "甲乙丙丁戊己庚辛"
_MIXED = _CJK + "ab，。 \U00020000\U0010ffff"
texts = st.text(alphabet=_MIXED, max_size=120)
small_texts = st.text(alphabet=_CJK[:3] + "a", max_size=60)


@contextmanager
def _numpy(on: bool) -> Iterator[None]:
    """Every module's numpy-or-not choice forced one way."""
    saved = [m.use_numpy for m in _MODULES]
    for m in _MODULES:
        m.use_numpy = lambda size, on=on: on  # type: ignore[attr-defined]
    try:
        yield
    finally:
        for m, fn in zip(_MODULES, saved, strict=True):
            m.use_numpy = fn  # type: ignore[attr-defined]


def _both(fn: Callable[..., Any], *args: Any) -> tuple[Any, Any]:
    with _numpy(True):
        with_numpy = fn(*args)
    with _numpy(False):
        without = fn(*args)
    return with_numpy, without


def _sample_keys() -> list[str]:
    return [
        key_text("\n".join(p.text for p in art.body))
        for page in sorted(SAMPLES.glob("*.txt"))
        for art in split(read(page))
    ]


# ---------------------------------------------------------------- hashes


@pytest.mark.parametrize("value", ["", "甲", "甲乙丙", "甲乙丙丁", "abcd", "甲甲甲甲甲", "\U0010ffff" * 9])
@pytest.mark.parametrize("k", [1, 2, 4, 8])
def test_kgram_list_edges(value: str, k: int) -> None:
    assert text.kgram_list(value, k) == text.kgram_hashes(value, k).tolist()


@settings(max_examples=200, deadline=None)
@given(texts, st.integers(min_value=1, max_value=9))
def test_kgram_list_is_kgram_hashes(value: str, k: int) -> None:
    """Wrapping at 2^64 included: the largest code points overflow a 4-gram."""
    assert text.kgram_list(value, k) == text.kgram_hashes(value, k).tolist()


def test_use_numpy_by_size_once_numpy_is_not_loaded(monkeypatch: pytest.MonkeyPatch) -> None:
    assert text.use_numpy(0)  # numpy is loaded in the test process
    monkeypatch.delitem(sys.modules, "numpy")
    assert not text.use_numpy(text.NUMPY_AT - 1)
    assert text.use_numpy(text.NUMPY_AT)


# ---------------------------------------------------------------- match


@settings(max_examples=300, deadline=None)
@given(small_texts, small_texts)
def test_placing_a_text_agrees(short: str, long: str) -> None:
    assert match._shared_python(short, long) == match._shared_numpy(short, long)


@pytest.mark.parametrize(
    ("short", "long"),
    [
        ("", "甲乙丙丁"),
        ("甲乙丙丁", ""),
        ("甲乙丙", "甲乙丙"),  # no 4-gram at all
        ("甲乙丙丁", "甲乙丙丁"),  # one shared 4-gram: fewer than three
        ("甲乙丙丁戊己", "戊己甲乙丙丁戊己"),  # three
        ("甲乙丙丁" * 40, "甲乙丙丁" * 90),  # repeats: each placed at its first occurrence
        ("甲乙" * 30 + "丙丁" * 30, "丙丁" * 50 + "甲乙" * 50),  # two diagonals, far apart
        ("abcdefgh", "xxabcdefghxx"),
    ],
)
def test_placing_a_text_edges(short: str, long: str) -> None:
    assert match._shared_python(short, long) == match._shared_numpy(short, long)


def test_placing_and_verifying_the_sample_articles_agree() -> None:
    keys = _sample_keys()
    assert len(keys) > 10
    for x in keys:
        for y in keys:
            short, long = sorted((x, y), key=len)
            assert match._shared_python(short, long) == match._shared_numpy(short, long)
    pairs = [(x, y) for x in keys[:8] for y in keys[:8]]
    with_numpy, without = _both(lambda: [match.verify_spans(x, y) for x, y in pairs])
    assert with_numpy == without
    assert any(s[0] > 0.5 for s in without)  # some are printings of one story


# ---------------------------------------------------------------- pages


@pytest.mark.parametrize("value", ["", "abc", "的一是", "龘龘的", "嗯，𠀀的", "甲" * 70_000 + "龘"])
def test_rare_share_edges(value: str) -> None:
    with_numpy, without = _both(pages.rare_share, value)
    assert with_numpy == without


def test_rare_share_of_the_sample_articles() -> None:
    keys = _sample_keys()
    shares = [_both(pages.rare_share, k) for k in keys]
    assert all(a == b for a, b in shares)
    assert any(a > 0 for a, _ in shares)  # some characters are rare: the count is exercised


# ---------------------------------------------------------------- anchors, pairing


@settings(max_examples=200, deadline=None)
@given(st.text(alphabet=_CJK[:4], max_size=200), st.text(alphabet=_CJK[:4], max_size=200))
def test_anchor_chains_agree(a: str, b: str) -> None:
    with_numpy, without = _both(anchors._anchor_chain, a, b)
    assert with_numpy == without


def _long_pair(chars: int, seed: int) -> tuple[str, str]:
    rng = random.Random(seed)
    keys = [k for k in _sample_keys() if k]
    a = "".join(rng.choice(keys) for _ in range(chars // 500 + 1))[:chars]
    pool = [chr(c) for c in range(0x4E00, 0x4E00 + 300)]
    b = "".join(rng.choice(pool) if rng.random() < 0.03 else c for c in a if rng.random() > 0.01)
    return a, b


def test_anchors_of_a_long_pair_agree() -> None:
    a, b = _long_pair(9_000, 5)
    assert len(a) * len(b) > anchors._EXACT_CELLS  # cut by anchors
    with_numpy, without = _both(anchors.matched_runs, a, b)
    assert with_numpy == without and len(with_numpy) > 100
    chain_numpy, chain = _both(anchors._anchor_chain, a, b)
    assert chain_numpy == chain and len(chain) > 100


@pytest.mark.parametrize(("x", "y"), [("", "甲乙丙丁"), ("甲乙丙", "甲乙丙"), ("甲乙丙丁戊" * 3, "丙丁戊甲乙")])
def test_shingle_scores_edges(x: str, y: str) -> None:
    with_numpy, without = _both(pairing._shingle_scores, x, y)
    assert with_numpy == without


def test_shingle_scores_of_a_long_pair() -> None:
    a, b = _long_pair(30_000, 6)
    with_numpy, without = _both(pairing._shingle_scores, a, b)
    assert with_numpy == without and 0.5 < with_numpy[0] < 1


# ---------------------------------------------------------------- align


paragraphs = st.lists(st.text(alphabet=_CJK[:4], max_size=12), max_size=8)


@settings(max_examples=300, deadline=None)
@given(paragraphs, paragraphs)
def test_paragraph_edges_agree(a: list[str], b: list[str]) -> None:
    """Empty paragraphs included: they hold no character and pair with nothing."""
    runs = anchors.matched_runs("".join(a), "".join(b))
    if not runs:
        return
    python = align._edges_python(a, b, runs)
    numpy = align._edges_numpy(a, b, runs)
    assert list(python.items()) == list(numpy.items())


def test_paragraph_edges_of_a_run_across_many_paragraphs() -> None:
    a = ["甲乙丙丁戊己庚辛"]
    b = ["甲乙", "", "丙", "丁戊己", "", "", "庚辛"]
    runs = anchors.matched_runs("".join(a), "".join(b))
    assert runs == [(0, 0, 8)]
    assert align._edges_python(a, b, runs) == align._edges_numpy(a, b, runs) == {
        (0, 0): (2, 2), (0, 2): (1, 1), (0, 3): (3, 3), (0, 6): (2, 2),
    }


# ---------------------------------------------------------------- whole comparisons


@pytest.mark.parametrize(("a", "b"), [("000", "001"), ("002", "003"), ("001", "004")])
def test_compare_output_is_the_same_either_way(a: str, b: str) -> None:
    with_numpy, without = _both(lambda: dumps(pages_json(compare_files(sample(a), sample(b)))))
    assert with_numpy == without


def test_dedup_compare_does_not_import_numpy() -> None:
    """The whole command, as ``python -m dedup`` runs it."""
    done = subprocess.run(
        [sys.executable, "-X", "importtime", "-m", "dedup", "compare", str(sample("000")), str(sample("001")),
         "--format", "json"],
        cwd=ROOT, capture_output=True, text=True, check=True,
    )
    imported = {line.rsplit("|", 1)[-1].strip() for line in done.stderr.splitlines() if "|" in line}
    assert {"dedup.compare", "dedup.align", "dedup.match", "dedup.pages"} <= imported
    assert '"pairs"' in done.stdout
    assert not {m for m in imported if m.split(".")[0] == "numpy"}


# ---------------------------------------------------------------- cold start-up work


def test_common_hanzi_read_a_row_at_a_time_are_those_read_cell_by_cell() -> None:
    cells = set()
    for hi in range(0xB0, 0xD8):
        for lo in range(0xA1, 0xFF):
            try:
                cells.add(bytes((hi, lo)).decode("gb2312"))
            except UnicodeDecodeError:
                continue
    assert pages._common_hanzi() == cells
    assert len(cells) == 3755 and "的" in cells and "龘" not in cells


def _ocr_marks_mark_by_mark(value: str) -> int:
    """``evidence.ocr_marks`` as it counted each mark with a pattern of its own."""
    mixed = sum(
        min(len(re.findall(f"[\u4e00-\u9fff]{re.escape(full)}", value)),
            len(re.findall(f"[\u4e00-\u9fff]{re.escape(half)}", value)))
        for full, half in evidence._WIDTHS
    )
    quotes = min(value.count("“") + value.count("”"), value.count('"'))
    found = sum(len(p.findall(value)) for p in (evidence._SPACED, evidence._BLANKS, evidence._DASH_ONE, evidence._ANGLE))
    return mixed + quotes + found


@settings(max_examples=300, deadline=None)
@given(st.text(alphabet="甲乙a ，,；;：:“”\"-一〈)", max_size=60))
def test_ocr_marks_counts_each_mark_as_before(value: str) -> None:
    assert evidence.ocr_marks(value) == _ocr_marks_mark_by_mark(value)


def test_ocr_marks_of_the_sample_pages() -> None:
    values = [p.read_text(encoding="utf-8") for p in sorted(SAMPLES.glob("*.txt"))]
    values += ["甲，乙,丙，，丁,,戊；己;庚：辛:"]
    counts = [evidence.ocr_marks(v) for v in values]
    assert counts == [_ocr_marks_mark_by_mark(v) for v in values]
    assert counts[-1] == 4  # two pairs of commas, one of semicolons, one of colons
