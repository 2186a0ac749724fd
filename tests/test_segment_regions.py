"""Splitting decided block by block: mixed heading styles, OCR slips, captions, traditional pages.

Every page here is written for the test; each exercises one cue.
"""

from __future__ import annotations

import opencc

from dedup.model import Article, Document
from dedup.segment import split

BODY = "这是一段正文，讲述了当地推进工作的具体做法和取得的成效，内容充实，数据详实。"
# a paragraph as long as a story's usually are: longer than any caption
LONG = BODY + "记者在现场看到，居民们纷纷点赞，认为这样的安排方便了大家的生活。"


def _split(page: str) -> list[Article]:
    return split(Document("page.txt", page, "utf-8"))


def _stories(page: str) -> list[tuple[str, str]]:
    return [(a.kind, a.title) for a in _split(page) if a.kind != "furniture"]


def test_plain_headline_with_lede_after_a_markdown_story_starts_a_story() -> None:
    page = (
        f"# 网络版的第一篇报道\n\n{BODY}\n\n{BODY}\n\n"
        f"印刷版的第二篇报道\n\n本报讯（记者 王明）{BODY}\n\n{BODY}\n"
    )
    assert _stories(page) == [("story", "网络版的第一篇报道"), ("story", "印刷版的第二篇报道")]
    assert _split(page)[1].byline.startswith("本报讯")


def test_plain_line_in_a_markdown_story_without_evidence_stays_body() -> None:
    page = f"# 网络版的第一篇报道\n\n{BODY}\n\n短短一行没有标点\n\n{BODY}\n"
    (story,) = _split(page)
    assert [p.kind for p in story.paragraphs] == ["title", "body", "body", "body"]


def test_deeper_heading_is_a_subhead_unless_a_byline_follows() -> None:
    sub = f"# 第一篇报道的标题\n\n{BODY}\n\n## 一个小标题\n\n{BODY}\n"
    assert _stories(sub) == [("story", "第一篇报道的标题")]
    new = f"# 第一篇报道的标题\n\n{BODY}\n\n## 另一篇报道的标题\n\n本报记者 李华\n\n{BODY}\n"
    assert _stories(new) == [("story", "第一篇报道的标题"), ("story", "另一篇报道的标题")]


def test_ocr_run_on_header_with_misread_dash_and_byline() -> None:
    page = (
        f"第一篇报道的标题\n\n本报记者 张三\n\n{BODY}\n\n{BODY}\n\n"
        f"乡村振兴开新局-一记某县的基层实践本报记者 李四 王五\n\n{BODY}\n\n{BODY}\n"
    )
    stories = [a for a in _split(page) if a.kind == "story"]
    assert len(stories) == 2
    assert stories[1].title.startswith("乡村振兴开新局")
    assert stories[1].byline == "本报记者 李四 王五"


def test_headline_with_an_unbalanced_quote_starts_a_story() -> None:
    page = (
        f"第一篇报道的标题\n\n本报记者 张三\n\n{BODY}\n\n"
        f"“城乡携手 “ 共建家园”活动启动\n\n本报讯（记者 赵六）{BODY}\n"
    )
    assert [t for _, t in _stories(page)] == ["第一篇报道的标题", "“城乡携手 “ 共建家园”活动启动"]


def test_continuation_keeps_its_inner_headings() -> None:
    page = (
        f"（上接第一版）\n\n{BODY}\n\n### 打通服务群众——提升基层效能\n\n{BODY}\n\n"
        f"### 记者手记：\n\n{BODY}\n\n本报记者 李娜\n"
    )
    (piece,) = _split(page)
    assert piece.kind == "continuation" and piece.continued_from == "一"
    assert [p.text for p in piece.paragraphs if p.kind == "subhead"] == [
        "### 打通服务群众——提升基层效能",
        "### 记者手记：",
    ]


def test_continuation_then_a_new_story_with_its_own_headline() -> None:
    page = f"（上接第一版）\n\n{BODY}\n\n另一篇完全不同的报道标题在这里出现\n\n{BODY}\n"
    assert _stories(page) == [("continuation", ""), ("story", "另一篇完全不同的报道标题在这里出现")]


def test_captions_set_off_by_wide_gaps_are_furniture_and_the_story_goes_on() -> None:
    page = (
        f"第一篇报道的标题\n\n本报记者 张三\n\n\n\n某某社区居民参加邻里文化节活动。\n\n"
        f"{BODY}\n\n{BODY}\n\n\n\n《山河》演出剧照。\n\n\n\n{LONG}\n\n本报记者 张三\n\n\n\n"
        "某某街道志愿者为老人义诊。\n"
    )
    articles = _split(page)
    story = articles[0]
    assert story.kind == "story" and len(story.body) == 3
    captions = [p.text for a in articles if a.kind == "furniture" for p in a.paragraphs]
    assert captions == ["某某社区居民参加邻里文化节活动。", "《山河》演出剧照。", "某某街道志愿者为老人义诊。"]


def test_short_last_paragraph_without_gaps_stays_in_its_story() -> None:
    page = f"第一篇报道的标题\n\n{BODY}\n\n今日长春，党旗别样红。\n"
    (story,) = _split(page)
    assert story.paragraphs[-1].text == "今日长春，党旗别样红。" and story.paragraphs[-1].kind == "body"


def test_column_label_above_a_headline_is_furniture() -> None:
    page = f"新闻走廊\n\n某单位召开工作推进会议\n\n本报讯 {BODY}\n"
    articles = _split(page)
    assert [(a.kind, a.title) for a in articles] == [("furniture", ""), ("story", "某单位召开工作推进会议")]
    assert articles[1].kicker == ""


def test_fragment_after_an_open_sentence_is_no_headline() -> None:
    page = (
        "第一篇报道的标题\n\n本报记者 张三\n\n这是被分栏截断的一段正文，它在这一栏的末尾没有结束\n\n"
        f"并且在下一栏继续叙述\n\n{BODY}\n"
    )
    (story,) = _stories(page)
    assert story == ("story", "第一篇报道的标题")


def test_traditional_page_splits_as_its_simplified_printing() -> None:
    page = (
        f"# 网络版的第一篇报道\n\n{BODY}\n\n（下转第二版）\n\n"
        f"印刷版的第二篇报道\n\n本报讯（记者 王明）{BODY}\n\n\n\n某某社区居民参加邻里文化节。\n\n\n\n"
        f"编辑 刘力\n"
    )
    traditional = opencc.OpenCC("s2t").convert(page)
    assert traditional != page
    simplified = [(a.kind, a.start, a.end, [p.kind for p in a.paragraphs]) for a in _split(page)]
    assert [(a.kind, a.start, a.end, [p.kind for p in a.paragraphs]) for a in _split(traditional)] == simplified
    assert [k for k, *_ in simplified] == ["story", "story", "furniture"]
