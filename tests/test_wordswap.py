"""An editor's word swap against a misreading: common words, tesseract's own confusions."""

from __future__ import annotations

import sys
from importlib import resources
from pathlib import Path

from dedup import lexicon, misreads
from dedup.classify import FUNCTION_WORDS, classify
from dedup.model import Change
from dedup.wordswap import EDITOR_CHOICE, editor_swap

ROOT = Path(__file__).resolve().parent.parent


def _sub(before: str, a: str, b: str, after: str) -> Change:
    return Change((3, 3 + len(a)), (3, 3 + len(b)), a, b, a, b, context_a=(before, after), context_b=(before, after))


def _never_alike(a: str, b: str) -> bool:
    return False


def test_common_words_are_the_frequent_ones() -> None:
    assert lexicon.is_common("推动") and lexicon.is_common("干部")
    assert not lexicon.is_common("二部") and not lexicon.is_common("曲牌")
    assert 2000 < len(lexicon.common_words()) < 10000
    assert lexicon.common_words() <= lexicon.words()


def test_editor_swap_wants_common_words_in_the_same_place() -> None:
    assert editor_swap(_sub("要", "推进", "推动", "工作"), "推进", "推动", FUNCTION_WORDS, _never_alike)
    # one glyph, the word around it common on both sides
    reason = editor_swap(_sub("要推", "进", "动", "工作"), "进", "动", FUNCTION_WORDS, _never_alike)
    assert reason is not None and "推进 and 推动" in reason and EDITOR_CHOICE in reason
    # a rare word on one side (干部/二部) is no editor's swap
    assert editor_swap(_sub("基层", "干", "二", "部"), "干", "二", FUNCTION_WORDS, _never_alike) is None
    # 以下 against 延伸: words through the glyph, but not in the same place
    assert editor_swap(_sub("岁以", "下", "延", "伸"), "下", "延", FUNCTION_WORDS, _never_alike) is None
    # glyphs that look alike may be a misreading whatever the words
    assert editor_swap(_sub("要推", "进", "动", "工作"), "进", "动", FUNCTION_WORDS, lambda a, b: True) is None
    # two function words swapped (成了/成为)
    assert editor_swap(_sub("已成", "了", "为", "全国"), "了", "为", FUNCTION_WORDS, _never_alike)


def test_classify_calls_a_common_word_swap_wording_with_its_reason() -> None:
    kind, reason = classify(_sub("要推", "进", "动", "工作"))
    assert kind == "wording" and EDITOR_CHOICE in reason
    assert EDITOR_CHOICE in classify(_sub("已成", "了", "为", "全国"))[1]
    # a measure word is no free choice of grammar: 们/位 is left to the pair's evidence
    assert EDITOR_CHOICE not in classify(_sub("同志", "位", "们", "都"))[1]


def test_tesseract_confusions_are_shipped_and_built_by_the_tool() -> None:
    text = resources.files("dedup").joinpath("data/ocr_confusions.tsv").read_text(encoding="utf-8")
    assert "tools/build_ocr_confusions.py" in text and "tesseract" in text.splitlines()[1]
    assert len(misreads.table()) > 1000
    a, b = next(iter(misreads.table()))
    assert misreads.confused(a, b) == misreads.confused(b, a) > 0
    assert misreads.confused("我", "我") == 0
    # on its renders tesseract puts in 和 from nothing far more often than most hanzi
    assert misreads.is_stray("和") and not misreads.is_stray("党")


def test_build_wordlist_keeps_the_words_that_make_the_share(tmp_path: Path) -> None:
    sys.path.insert(0, str(ROOT / "tools"))
    import build_wordlist

    d = tmp_path / "dict.txt"
    d.write_text("中国 600 ns\n人民 300 n\n发展 80 v\n曲牌 15 n\n一 999 m\n营建 5 v\n", encoding="utf-8")
    # 一 is one character: not a word of the list; 600 + 300 make 90% of the 1000
    assert build_wordlist.read_common(d, 0.6) == ["中国"]
    assert build_wordlist.read_common(d, 0.85) == ["中国", "人民"]
