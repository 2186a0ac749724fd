"""Edit types and their reasons: look-alike glyphs, word evidence, roles of a change."""

from __future__ import annotations

import sys
from importlib import resources

import pytest

from dedup import classify as classify_mod
from dedup import confusables, lexicon
from dedup.classify import classify, lookalike, weak_likeness
from dedup.compare import compare_texts
from dedup.diff import diff
from dedup.model import MINOR_TYPES, Change


def typed(a: str, b: str) -> list[tuple[str, str, str]]:
    return [(e.type, e.a_text, e.b_text) for e in diff(a, b)]


_PAIRS = {frozenset("论训"): 0.71, frozenset(("0", "O")): 0.9, frozenset(("rn", "m")): 0.8}


def _fake_similarity(a: str, b: str) -> float:
    return _PAIRS.get(frozenset((a, b)), 0.0)


def test_lookalike_glyphs_are_ocr(monkeypatch: pytest.MonkeyPatch) -> None:
    """With a table that holds 论/训, the substitution is a recognition error."""
    monkeypatch.setattr(classify_mod, "_glyph_similarity", _fake_similarity)
    monkeypatch.setattr(classify_mod, "_is_lookalike", lambda a, b: _fake_similarity(a, b) >= 0.5)
    edits = diff("坚持干而论道", "坚持干而训道")
    assert [(e.type, e.reason) for e in edits] == [("ocr", "look-alike glyphs 论/训 (score 0.71)")]
    assert lookalike("rn", "m") == 0.8
    assert lookalike("0", "O") == 0.9
    assert lookalike("论", "训") == 0.71
    assert lookalike("趟", "辆") is None


def test_lookalike_with_the_real_table() -> None:
    """The glyph-shape table (dedup/data/confusables.tsv) decides, in both directions."""
    assert confusables.is_lookalike("rn", "m") and confusables.is_lookalike("未", "末")
    assert typed("the modern law", "the modem law") == [("ocr", "rn", "m")]
    assert typed("the modem law", "the modern law") == [("ocr", "m", "rn")]
    assert typed("日期未定", "日期末定") == [("ocr", "未", "末")]
    assert diff("日期未定", "日期末定")[0].reason.startswith("look-alike glyphs 未/末 (score 0.")
    assert typed("这趟车", "这辆车") == [("wording", "趟", "辆")]


# ------------------------------------------- weak likeness + broken word (lexicon)


def test_lexicon_finds_words_through_the_changed_character() -> None:
    assert lexicon.is_word("论道") and not lexicon.is_word("训道")
    assert lexicon.words_through("干而", "论", "道、")[0] == (0, "论道")
    assert (-1, "而论") in lexicon.words_through("干而", "论", "道、")
    assert lexicon.words_through("干而", "训", "道、") == []
    assert lexicon.words_through("", "论", "") == []  # one character is no evidence


@pytest.mark.parametrize(
    ("ctx", "x", "y", "expected"),
    [
        (("干而", "道、"), "论", "训", ("论道", "训道", "a")),  # samples 000/001
        (("物业", "管小区"), "弃", "套", ("套管", "弃管", "b")),
        (("联系点这", "直通车"), "趟", "辆", ("这辆", "这趟", "b")),
        (("，听民", "、察民"), "意", "声", None),  # 民意 and 民声 are both words
        (("、察民", "，以"), "情", "意", None),  # 民情 / 民意
        (("代人民", "言，为"), "建", "进", None),  # 建言 / 进言
        (("海", "海"), "乙", "丙", None),  # neither side is a word
    ],
)
def test_broken_word_both_ways(
    ctx: tuple[str, str], x: str, y: str, expected: tuple[str, str, str] | None
) -> None:
    assert lexicon.broken_word(ctx, x, ctx, y) == expected
    flipped = None if expected is None else (expected[0], expected[1], "ab"[expected[2] == "a"])
    assert lexicon.broken_word(ctx, y, ctx, x) == flipped


def test_lexicon_is_the_shipped_word_list(
    capfd: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch
) -> None:
    """The words come from dedup/data/words.txt, read once on first use; jieba is not needed."""
    monkeypatch.setitem(sys.modules, "jieba", None)  # any import of jieba would now fail
    lexicon.words.cache_clear()
    found = lexicon.words()
    assert len(found) == 330_415 and found is lexicon.words()
    assert all(lexicon.MIN_WORD <= len(w) <= lexicon.MAX_WORD for w in found)
    assert {"论道", "套管", "讲话", "说话"} <= found and not {"训道", "弃管"} & found
    (e,) = diff("坚持干而论道、实务实训", "坚持干而训道、实务实训")
    assert e.type == "ocr"
    assert capfd.readouterr() == ("", "")


def test_word_list_file_is_compact_and_names_its_source() -> None:
    """One word a line, sorted and distinct, after a header that gives source and licence."""
    text = resources.files("dedup").joinpath("data", "words.txt").read_text(encoding="utf-8")
    lines = text.splitlines()
    header = [line for line in lines if line.startswith("#")]
    data = lines[len(header) :]
    assert lines[: len(header)] == header  # the header comes first, nothing else is a comment
    assert data == sorted(set(data)) and frozenset(data) == lexicon.words()
    head = "\n".join(header)
    assert "jieba" in head and "MIT License" in head and "Copyright (c) 2013 Sun Junyi" in head


def test_misreadings_in_the_samples_are_ocr() -> None:
    """论/训 share 讠 and break 论道; 弃/套 look alike (0.46) and 套管 is a word, 弃管 not."""
    (e,) = diff("坚持干而论道、实务实训", "坚持干而训道、实务实训")
    assert (e.type, e.a_text, e.b_text) == ("ocr", "论", "训")
    assert e.reason == "look-alike glyphs 论/训 (same left part); 训道 is no dictionary word, 论道 is"
    (e,) = diff("坚持干而训道、实务实训", "坚持干而论道、实务实训")
    assert e.type == "ocr" and e.reason.endswith("训道 is no dictionary word, 论道 is")
    (e,) = diff("物业弃管小区体量占比", "物业套管小区体量占比")
    assert (e.type, e.a_text, e.b_text) == ("ocr", "弃", "套")
    assert e.reason == "look-alike glyphs 弃/套 (shape 0.46); 弃管 is no dictionary word, 套管 is"
    assert typed("物业套管小区", "物业弃管小区") == [("ocr", "套", "弃")]


@pytest.mark.parametrize(
    ("a", "b"),
    [
        ("搭上基层立法联系点这趟直通车", "搭上基层立法联系点这辆直通车"),  # breaks 这辆, no likeness
        ("听民意、察民情，以", "听民声、察民意，以"),  # both sides are words
        ("代人民建言，为人民尽责", "代人民进言，为人民尽责"),
        ("他在会上讲话", "他在会上说话"),  # 讲/说 look alike (0.53), but both are words
    ],
)
def test_editorial_substitutions_stay_wording(a: str, b: str) -> None:
    edits = [e for e in diff(a, b) if e.type not in MINOR_TYPES]
    assert edits and {e.type for e in edits} == {"wording"}, edits
    assert {e.type for e in diff(b, a) if e.type not in MINOR_TYPES} == {"wording"}


def test_weak_likeness_needs_a_broken_word(monkeypatch: pytest.MonkeyPatch) -> None:
    """A score between WEAK_THRESHOLD and the look-alike threshold decides only with a non-word."""
    monkeypatch.setattr(classify_mod, "_glyph_similarity", lambda a, b: 0.47 if a != b else 1.0)
    monkeypatch.setattr(classify_mod, "_shared_part", lambda a, b: None)
    assert weak_likeness("甲", "乙") == "shape 0.47"
    assert typed("坚持干而论道", "坚持干而访道") == [("ocr", "论", "访")]  # 访道 is no word
    assert typed("听民意", "听民声") == [("wording", "意", "声")]  # both words
    monkeypatch.setattr(classify_mod, "_glyph_similarity", lambda a, b: 0.44 if a != b else 1.0)
    assert weak_likeness("甲", "乙") is None
    # without any likeness a broken word alone is still a misreading (tesseract's 珲/再)
    (e,) = diff("坚持干而论道", "坚持干而访道")
    assert (e.type, e.a_text, e.b_text) == ("ocr", "论", "访")
    assert e.reason.startswith("B reads 访 where A has 论: likely misread in B")


def test_a_broken_word_without_likeness_is_a_misreading() -> None:
    assert typed("坚持干而论道", "坚持干而木道") == [("ocr", "论", "木")]
    assert typed("延边珲春市", "延边再春市") == [("ocr", "珲", "再")]
    # a measure word swapped, or a word that only a function word makes, proves nothing
    assert typed("这趟直通车", "这辆直通车") == [("wording", "趟", "辆")]


def test_replacements_cover_whole_words() -> None:
    assert typed("本报记者张三", "吉林日报记者张三") == [("wording", "本报", "吉林日报")]
    assert typed("通过会议", "经过会议") == [("wording", "通过", "经过")]
    assert typed("大家都能当家", "大家都来当管家") == [("wording", "能当家", "来当管家")]
    assert typed("距长春", "距离长春") == [("wording", "", "离")]
    assert typed("来到长春参加", "来到长春市参加") == [("wording", "", "市")]


def test_lookalikes_that_leave_two_words_need_a_strong_score() -> None:
    """讲/说 (0.53) between two words is an editor's choice; 人/入 (0.87) stays a misreading."""
    assert confusables.DEFAULT_THRESHOLD <= confusables.similarity("讲", "说") < 0.6
    (e,) = diff("他在会上讲话", "他在会上说话")
    assert (e.type, e.reason) == (
        "wording",
        "replaced 讲 → 说: 讲话 and 说话 are both words (look-alike score 0.53)",
    )
    assert lexicon.rival_words(("会上", "话"), "讲", ("会上", "话"), "说") == ("讲话", "说话")
    assert lexicon.rival_words(("干而", "道"), "论", ("干而", "道"), "训") is None
    assert confusables.similarity("人", "入") >= confusables.STRONG_THRESHOLD
    assert typed("城市人口增加", "城市入口增加") == [("ocr", "人", "入")]
    assert typed("日期未定", "日期末定") == [("ocr", "未", "末")]  # 末定 is no word


def test_classify_roles() -> None:
    trunc = Change((10, 17), (5, 80), "（下转第二版）", "搭" * 75, role="truncation")
    assert classify(trunc) == (
        "truncation", "A stops at （下转第二版）; B goes on for 75 characters"
    )
    assert classify(trunc.swapped())[1].startswith("B stops at")
    block = Change((0, 4), (9, 9), "甲乙丙丁", "", role="block")
    assert classify(block)[0] == "missing" and classify(block.swapped())[0] == "extra"


# ------------------------------------------------- differences that touch, marks read as letters


def test_spaces_next_to_punctuation_are_one_difference() -> None:
    assert typed("成果；文化活动", "成果; 文化活动") == [("punctuation", "；", "; ")]
    assert typed("工作，\n\n下一步", "工作,下一步") == [("punctuation", "，\n\n", ",")]
    (e,) = diff("工作，\n\n下一步", "工作,下一步")
    assert e.reason == "full-width/half-width punctuation ，/,; paragraph break removed"


def test_a_misreading_takes_in_the_punctuation_it_touches() -> None:
    page = "## 标题\n\n本报记者 张三\n\n推进基层治理，挖掘资源潜力，服务城乡群众。\n"
    other = page.replace("，挖掘", ", 控据")
    (c,) = compare_texts(page, other).pairs
    assert [(e.type, e.a_text, e.b_text) for e in c.edits] == [("ocr", "，挖掘", ", 控据")]
    # a word change keeps its comma apart
    (c,) = compare_texts(page, page.replace("推进基层治理，", "推动基层治理,")).pairs
    assert [e.type for e in c.edits] == ["wording", "punctuation"]


def test_blanks_for_lost_characters_are_one_ocr_difference() -> None:
    (e,) = diff("通过创新“三长”联动", "通过      ”联动")
    assert (e.type, e.a_text, e.b_text) == ("ocr", "创新“三长", "      ")
    assert e.reason == "B has blanks where A has 创新三长: characters lost in B's recognition"
    assert typed("落实“三定”要求", "落实    机要求")[0][0] == "ocr"
    # an editor closes the gap: a dropped word without blanks stays wording
    assert typed("切实加强领导", "加强领导") == [("wording", "切实", "")]


def test_marks_read_as_letters_are_ocr() -> None:
    assert typed("全面开创——简政放权", "全面开创一简政放权")[0][0] == "ocr"
    assert typed("占比达到80%以上", "占比达到8096以上") == [("ocr", "%", "96")]
    (e,) = [e for e in diff("本报记者 李柳娟报道", "本报记者 IO报道") if e.type == "ocr"]
    assert e.reason == "hanzi 李柳娟 read as Latin letters IO"


def test_a_glyph_swap_that_leaves_no_word_is_ocr_but_a_name_stays_wording() -> None:
    (e,) = diff("解决急难愁盼问题", "解决急难悉盼问题")
    assert (e.type, e.reason) == ("ocr", "glyph 愁 read as 悉: no dictionary word on either side")
    assert typed("全力撬动资源", "全力搬动资源") == [("wording", "撬", "搬")]  # 撬动/搬动: two words
    assert typed("本报记者 孙嫄", "本报记者 孙楠") == [("wording", "嫄", "楠")]  # 嫄: no GB2312


def test_independent_misreadings_stay_apart() -> None:
    """Semantic cleanup would make 跨境电商产品/路培电黄产曲 one replacement."""
    assert [(a, b) for t, a, b in typed("发展跨境电商产品出口", "发展路培电黄产曲出口")] == [
        ("跨境", "路培"),
        ("商", "黄"),
        ("品", "曲"),
    ]
    # an editor's rewrite that changes lengths stays one change on whole words
    assert typed("大家都能当家", "大家都来当管家") == [("wording", "能当家", "来当管家")]


def test_a_character_inside_a_word_of_the_other_side_is_stray() -> None:
    (e,) = diff("不负人民的新业绩", "不负人和民的新业绩")
    assert (e.type, e.reason) == ("ocr", "stray 和 in B inside the word 人民")
    # between two words an added function word is an editor's
    assert typed("中国人民站起来", "中国的人民站起来") == [("wording", "", "的")]
    assert typed("距北京", "距离北京") == [("wording", "", "离")]
