"""Character diff: every difference reported, exact in offsets, and applied back."""

from __future__ import annotations

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from dedup.diff import apply, changes, diff
from dedup.model import EDIT_TYPES, MINOR_TYPES, Change, Edit
from dedup.normalize import fold


def typed(a: str, b: str) -> list[tuple[str, str, str]]:
    return [(e.type, e.a_text, e.b_text) for e in diff(a, b)]


def test_identical_texts_have_no_edits() -> None:
    assert diff("高擎红色旗帜", "高擎红色旗帜") == []
    assert diff("", "") == []


def test_width_punctuation_is_punctuation_never_wording() -> None:
    a = "党的基层组织是党的肌体“神经末梢”，是党的全部工作（吉林省）：９．４万人！"
    b = '党的基层组织是党的肌体"神经末梢",是党的全部工作(吉林省):9.4万人!'
    edits = diff(a, b)
    assert edits and {e.type for e in edits} == {"punctuation"}
    assert apply(a, edits) == b
    assert any(e.reason.startswith("full-width/half-width") for e in edits)


def test_punctuation_mark_changed_or_dropped() -> None:
    assert typed("设计新颖、别具一格", "设计新颖,别具一格") == [("punctuation", "、", ",")]
    assert typed("一升一降，成为", "一升一降成为") == [("punctuation", "，", "")]


def test_whitespace_and_breaks() -> None:
    assert typed("新时代新征程新伟业", "新时代 新征程 新伟业") == [
        ("whitespace", "", " "),
        ("whitespace", "", " "),
    ]
    edits = diff("联系点组\n\n织召开的", "联系点组织召开的")
    assert [(e.type, e.reason) for e in edits] == [("whitespace", "paragraph break removed")]
    assert typed("the  modern law", "the modern law") == [("whitespace", "  ", " ")]


def test_heading_level_is_markup() -> None:
    edits = diff("## 高擎红色旗帜", "# 高擎红色旗帜")
    assert [(e.type, e.a_text, e.b_text, e.reason) for e in edits] == [
        ("markup", "## ", "# ", "heading level ## → #")
    ]
    assert typed("**重要**新闻", "重要新闻")[0][0] == "markup"


def test_inversion_of_neighbours() -> None:
    assert typed("坚持干而训道、实务实训", "坚持干而训道、务实实训") == [
        ("inversion", "实务", "务实")
    ]


def test_wording_added_removed_replaced() -> None:
    assert typed("增强基层干部的能力和推动", "增强基层干部的能力素质和推动") == [
        ("wording", "", "素质")
    ]
    assert typed("搭上基层立法联系点这趟直通车", "搭上基层立法联系点这辆直通车") == [
        ("wording", "趟", "辆")
    ]
    assert typed("让大家都能当家,把组织", "让大家都来当管家,把组织") == [
        ("wording", "能当家", "来当管家")
    ]


def test_function_word_is_wording_other_single_character_is_ocr() -> None:
    assert typed("跟随着赵月一起来看望她", "跟随赵月一起来看望她") == [("wording", "着", "")]
    edits = diff("党委书记周勉告诉记者", "党委书记周勉征告诉记者")
    assert [(e.type, e.b_text, e.reason) for e in edits] == [("ocr", "征", "stray character 征")]


def test_long_one_sided_run_is_missing_or_extra() -> None:
    long_run = "光明社区基层立法联系点仅是长春市人大常委会践行全过程人民民主的实践缩影。"
    assert typed("开头。" + long_run + "结尾。", "开头。结尾。")[0][0] == "missing"
    assert typed("开头。结尾。", "开头。" + long_run + "结尾。")[0][0] == "extra"


def test_clause_moved_within_a_paragraph_is_an_inversion() -> None:
    clause = "全面过硬,不断开创基层党建工作的新局面——"
    rest = "我省持续加强党对基层治理的全面领导,推动基层党组织全面进步"
    edits = diff(clause + rest, rest + clause)
    assert [e.type for e in edits] == ["inversion", "inversion"]
    assert "moved" in edits[0].reason


def test_change_context_is_kept_and_swapped() -> None:
    (c,) = changes("坚持干而论道、实务", "坚持干而训道、实务")
    assert (c.context_a, c.context_b) == (("持干而", "道、实"), ("持干而", "道、实"))
    s = Change((0, 1), (0, 1), "x", "y", "x", "y", context_a=("p", "q"), context_b=("r", "s"))
    assert (s.swapped().context_a, s.swapped().context_b) == (("r", "s"), ("p", "q"))


def test_expansion_boundaries_stay_whole() -> None:
    """… folds to three dots: an edit never splits it."""
    for a, b in [("等等…好", "等等...好"), ("等等…好", "等等..好"), ("a…b", "a..c"), ("…", "")]:
        edits = diff(a, b)
        assert apply(a, edits) == b
        for e in edits:
            assert e.a_text.count("…") in (0, a.count("…"))


def test_offsets_are_shifted_into_the_document() -> None:
    edits = diff("能力和", "能力素质和", offset_a=100, offset_b=50, block=3)
    assert [(e.a, e.b, e.block) for e in edits] == [((102, 102), (52, 54), 3)]
    assert apply("能力和", edits, offset_a=100) == "能力素质和"


def test_edit_validation() -> None:
    with pytest.raises(ValueError, match="unknown edit type"):
        Edit("typo", "", (0, 1), (0, 1), "a", "b")  # type: ignore[arg-type]
    with pytest.raises(ValueError, match="bad edit span"):
        Edit("wording", "", (0, 2), (0, 1), "a", "b")
    with pytest.raises(ValueError, match="must change"):
        Edit("wording", "", (0, 1), (0, 1), "a", "a")
    with pytest.raises(ValueError, match="overlaps"):
        apply("abc", [Edit("wording", "", (0, 2), (0, 0), "ab", ""),
                      Edit("wording", "", (1, 2), (0, 0), "b", "")])


# ----------------------------------------------------------------- properties

_ALPHABET = list("党的基层组织是肌体神经末梢全部工作和战斗力础论训实务") + list(
    "，,。.“”\"（）()、…—-  \n\t#*０9aAbm rn\u200b\u3000"
)
_texts = st.lists(st.sampled_from(_ALPHABET), max_size=60).map("".join)


@settings(max_examples=500, deadline=None)
@given(_texts, _texts)
def test_applying_the_edits_gives_b(a: str, b: str) -> None:
    edits = diff(a, b, offset_a=7, offset_b=3)
    assert apply(a, edits, offset_a=7) == b
    for e in edits:
        assert 7 <= e.a[0] <= e.a[1] <= 7 + len(a)
        assert 3 <= e.b[0] <= e.b[1] <= 3 + len(b)
        assert a[e.a[0] - 7 : e.a[1] - 7] == e.a_text
        assert b[e.b[0] - 3 : e.b[1] - 3] == e.b_text
        assert e.type in EDIT_TYPES


@settings(max_examples=200, deadline=None)
@given(_texts)
def test_folding_away_differences_gives_only_minor_types(a: str) -> None:
    """Change the text only where folding hides it: nothing may be wording."""
    table = str.maketrans({"，": ",", "“": '"', "（": "(", "０": "0", "\u3000": " ", "#": ""})
    b = a.translate(table)
    edits = diff(a, b)
    assert apply(a, edits) == b
    if fold(a).text == fold(b).text:
        assert all(e.type in MINOR_TYPES for e in edits), edits


@settings(max_examples=100, deadline=None)
@given(_texts, _texts)
def test_same_input_same_edits(a: str, b: str) -> None:
    assert diff(a, b) == diff(a, b)


def test_a_word_rewritten_around_a_kept_glyph_is_one_change() -> None:
    """日前 → 近日 and 加强 → 强化: the diff keeps 日/强 and splits the rewrite; it is one word change."""
    edits = diff("据了解，日前记者来到", "据了解，近日记者来到")
    assert [(e.type, e.a_text, e.b_text) for e in edits] == [("wording", "日前", "近日")]
    edits = diff("要加强管理", "要强化管理")
    assert [(e.type, e.a_text, e.b_text) for e in edits] == [("wording", "加强", "强化")]
    # a glyph dropped and another added around one kept, leaving no words (上讲/讲说): two changes
    edits = diff("会上讲话精神", "会讲说话精神")
    assert [(e.a_text, e.b_text) for e in edits] == [("上", ""), ("", "说")]
