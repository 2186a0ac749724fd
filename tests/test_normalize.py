"""Folding keeps a faithful map back to the original text."""

from __future__ import annotations

from hypothesis import given, settings
from hypothesis import strategies as st

from dedup.normalize import fold, key_text
from tests.conftest import sample

_ALPHABET = st.sampled_from(
    [*list("高擎红色旗帜，。、；：“”‘’（）《》…—— \n\r\t\u3000#*_>abcAB12０１ＡＢ"), "## ", "**", "\r\n", "\n\n", "㈠", "ﬁ", "\u200b", "臺灣"]
)
texts = st.lists(_ALPHABET, max_size=60).map("".join) | st.text(max_size=60)


@settings(max_examples=300)
@given(texts, st.booleans())
def test_every_folded_index_maps_into_the_original(text: str, traditional: bool) -> None:
    f = fold(text, traditional=traditional)
    assert len(f.index) == len(f.text) + 1
    assert len(f.ends) == len(f.text)
    assert f.index[-1] == len(text)
    for i in range(len(f.text)):
        assert 0 <= f.index[i] < f.ends[i] <= len(text)
        if i:
            assert f.index[i - 1] <= f.index[i]
    for i in range(len(f.text) + 1):
        start, end = f.span(i, min(i + 3, len(f.text)))
        assert 0 <= start <= end <= len(text)


@settings(max_examples=300)
@given(texts, st.booleans(), st.booleans())
def test_folding_is_idempotent(text: str, traditional: bool, casefold: bool) -> None:
    once = fold(text, traditional=traditional, casefold=casefold).text
    assert fold(once, traditional=traditional, casefold=casefold).text == once


def test_width_quotes_whitespace_and_markup_fold_away() -> None:
    a = "## 架起“连心桥”\n\n畅通（民意路）：**听民声**，察民意"
    b = '# 架起"连心桥" 畅通(民意路):听民声,察民意'
    assert fold(a).text == fold(b).text == '架起"连心桥"畅通(民意路):听民声,察民意'


def test_english_whitespace_keeps_one_space_and_case_folds() -> None:
    f = fold("The  Council\r\nvoted", casefold=True)
    assert f.text == "the council voted"
    assert f.span(4, 11) == (5, 12)  # "council" after the double space
    assert f.span(11, 12) == (12, 14)  # the folded space covers CR LF


def test_traditional_folding_keeps_offsets() -> None:
    f = fold("臺灣的發展", traditional=True)
    assert f.text == "台湾的发展"
    assert [f.span(i, i + 1) for i in range(5)] == [(i, i + 1) for i in range(5)]


def test_key_text_drops_punctuation_and_folds_width() -> None:
    assert key_text("ＡＢ１２，“连心桥” (Big)") == "ab12连心桥big"
    page = sample("000").read_text(encoding="utf-8")
    key = key_text(page)
    assert "，" not in key and "#" not in key and " " not in key
    assert "高擎红色旗帜筑牢坚强堡垒" in key
