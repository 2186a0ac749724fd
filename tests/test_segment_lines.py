"""Paragraphs set by single line breaks, tiny pages, and OCR'd story heads.

Every page here is written for the test; each exercises one rule of
``dedup.segment`` / ``dedup.segment_rules``.
"""

from __future__ import annotations

import pytest

from dedup.compare import compare
from dedup.model import Article, Document
from dedup.segment import split
from dedup.segment_blocks import blocks, line_breaks, rule_text

BODY = "这是一段正文，讲述了当地推进工作的具体做法和取得的成效，内容充实，数据详实。"
LONG = BODY + "记者在现场看到，居民们纷纷点赞，认为这样的安排方便了大家的生活。"
# a first story with its headline and byline, for the pages whose second story is under test
FIRST = f"第一篇报道的标题\n\n本报记者 张三\n\n{LONG}\n\n{LONG}\n\n"

ZH = [
    "公园里的周末",
    "本报记者 张三",
    "公园里人很多，孩子们在草地上玩耍，老人们在树下下棋。",
    "傍晚时分，大家陆续回家，街上渐渐安静下来。",
    "第二天早上，公园又热闹起来。",
]
EN = [
    "Park Fills Up on Sunday",
    "By Ann Lee",
    "The park was busy, with children on the grass and old men playing chess.",
    "In the evening people went home and the streets were quiet.",
    "By morning the park was full again.",
]


def _stories(page: str) -> list[Article]:
    """The story articles of ``page``, furniture and captions left out."""
    return [a for a in _split(page) if a.kind == "story"]


def _split(page: str, name: str = "page.txt") -> list[Article]:
    return split(Document(name, page, "utf-8"))


def _texts(article: Article) -> list[tuple[str, str]]:
    return [(p.kind, p.text) for p in article.paragraphs]


@pytest.mark.parametrize("paras", [ZH, EN, ZH[2:], EN[2:]], ids=["zh", "en", "zh-body", "en-body"])
def test_single_line_breaks_give_the_article_blank_lines_give(paras: list[str]) -> None:
    blank = "\n\n".join(paras) + "\n"
    single = "\n".join(paras) + "\n"
    (a,) = _split(blank, "a.txt")
    (b,) = _split(single, "b.txt")
    assert a.kind == b.kind == "story"
    assert _texts(a) == _texts(b)
    assert len(a.paragraphs) == len(paras)
    assert (a.title, a.byline) == (b.title, b.byline)
    result = compare(a, b, text_a=blank, text_b=single)
    assert result.metrics.similarity == 1.0
    assert result.edits and {e.type for e in result.edits} == {"whitespace"}


def test_markdown_heading_line_right_above_its_text_is_a_block_of_its_own() -> None:
    page = f"# 网络版报道的标题\n{LONG}\n\n{LONG}\n"
    (story,) = _split(page)
    assert story.title == "网络版报道的标题"
    assert [p.kind for p in story.paragraphs] == ["title", "body", "body"]


def test_paragraph_wrapped_at_column_width_stays_one_block() -> None:
    wrapped = [
        "The river reached its highest level in forty years on Sun-",
        "day night, but the new defences held and no homes were",
        "flooded, the county council said. Engineers had worked",
        "through the weekend to raise the temporary barriers.",
    ]
    assert line_breaks(wrapped) == []
    zh = ["尤其是进入新世纪以来，生物学和医学的发展可以", "说是日新月异，每年颁发一次的奖项甚至都不够发", "了，以至于化学奖也颁给了生物学家。"]
    assert line_breaks(zh) == []
    page = "\n".join(wrapped) + "\n"
    (story,) = _split(page)
    assert len(story.paragraphs) == 1


def test_kicker_ending_in_a_dash_stays_with_its_headline() -> None:
    lines = ["全面过硬，不断开创基层工作的新局面——", "我省持续加强基层治理，推动基层组织全面进步"]
    assert line_breaks(lines) == []
    text = "\n".join(lines) + "\n"
    assert len(blocks(text, rule_text(text))) == 1


def test_tiny_page_with_a_short_first_paragraph_and_a_wide_gap_is_a_story() -> None:
    page = "今天天气很好，大家出门散步。\n\n\n公园里人很多，孩子们在草地上玩耍，老人们在树下下棋。\n"
    (story,) = _split(page)
    assert story.kind == "story"
    assert [p.kind for p in story.paragraphs] == ["body", "body"]


def test_a_page_of_photo_captions_only_stays_furniture() -> None:
    page = "\n\n\n某某社区居民参加邻里文化节活动。\n\n\n某某街道志愿者为老人义诊 新华社记者 李明 摄\n"
    assert [a.kind for a in _split(page)] == ["furniture"]


def test_headline_after_an_open_column_starts_a_story_when_the_credit_opens_its_text() -> None:
    # the last column of the first story ends mid-sentence (the jump marker
    # was misread), and OCR ran the byline into the first sentence
    page = (
        FIRST + "这一栏在句子中间结束，后面还有，\n\n"
        f"基层治理驶入快车道-一某市党建引领基层治理工作综述\n\n本报记者 李四 王五基层强则国家强。{LONG}\n\n{LONG}\n"
    )
    stories = _stories(page)
    assert [a.title[:9] for a in stories] == ["第一篇报道的标题", "基层治理驶入快车道"]
    assert stories[1].paragraphs[-1].text == LONG


def test_credit_inside_a_sentence_is_no_evidence_of_a_new_story() -> None:
    page = (
        f"第一篇报道的标题\n\n本报记者 张三\n\n{LONG}\n\n这一栏在句子中间结束，后面还有\n\n"
        f"一个短句没有标点\n\n记者从有关部门了解到，{LONG}\n"
    )
    assert [a.title for a in _split(page) if a.kind == "story"] == ["第一篇报道的标题"]


def test_column_broken_lines_under_a_one_sentence_deck_stay_in_the_story() -> None:
    # a headline, a one-sentence summary, then a sentence broken over
    # short column lines that look like headlines
    page = (
        "某银行新产品发布会召开\n\n某银行与某局联合举办的新产品发布会近日召开。\n\n"
        "作为本省唯一的城商行，该行始终坚守\n\n“服务地方经济、服务中小企业”\n\n"
        f"两个定位，坚持把着力点放在实体经济上。{LONG}\n\n{LONG}\n"
    )
    (story,) = _split(page)
    assert story.title == "某银行新产品发布会召开"
    assert story.paragraphs[-1].text == LONG


def test_plain_headline_after_a_full_story_still_starts_the_next() -> None:
    page = (
        f"第一篇报道的标题\n\n{LONG}\n\n{LONG}\n\n"
        f"另一篇完全不同的报道标题——副题在此\n\n{LONG}\n\n{LONG}\n"
    )
    assert [a.title for a in _split(page) if a.kind == "story"] == ["第一篇报道的标题", "另一篇完全不同的报道标题——副题在此"]


def test_run_on_header_with_a_lede_is_cut_into_headline_credit_and_text() -> None:
    page = (
        FIRST + f"某县：“四好农村路”铺就致富路本报讯(记者赵六)近年来，某县全面推进农村公路建设。{LONG}\n\n{LONG}\n"
    )
    stories = _stories(page)
    assert [a.title for a in stories] == ["第一篇报道的标题", "某县：“四好农村路”铺就致富路"]
    second = stories[1]
    assert second.byline == "本报讯(记者赵六)"
    assert [p.kind for p in second.paragraphs] == ["title", "byline", "body", "body"]
    assert second.paragraphs[2].text.startswith("近年来，某县")


def test_headline_and_deck_read_as_one_unpunctuated_line_head_the_story() -> None:
    headline = "省政府召开重点企业疫情防控和稳定运行专题调度会议 全力以赴做好疫情防控和服务企业工作推动产业链稳定运行"
    page = (
        f"第一篇报道的标题\n\n本报记者 张三\n\n{LONG}\n\n{LONG}。\n\n\n"
        f"{headline}\n\n某某主持并讲话\n\n本报1月27日讯(记者于小博){LONG}\n"
    )
    stories = _stories(page)
    assert len(stories) == 2
    assert stories[1].paragraphs[0].text == headline


def test_sentence_opening_with_its_date_is_no_headline() -> None:
    page = (
        "某银行新产品发布会召开\n\n本报记者 张三\n\n"
        f"{LONG}{LONG}\n\n2023年7月10日，某银行与某局联合举办的发布会召开\n\n{LONG}\n"
    )
    (story,) = _split(page)
    assert [p.kind for p in story.paragraphs][-2:] == ["body", "body"]


def test_headline_under_a_story_cut_short_starts_a_story_when_its_text_restates_it() -> None:
    # the first story ends mid-sentence (its printing was cut short); the
    # line after it is a headline because the summary under it repeats it
    page = (
        FIRST + f"短短几年，该市跨境电商贸易额增长了五十倍，成为拉动全省外贸经济增长的新引\n\n"
        "“政银携手 共助小微”行动方案启动会召开\n\n某银行与某局“政银携手·共助小微”行动方案启动会召开。\n\n"
        f"{LONG}\n\n{LONG}\n"
    )
    stories = _stories(page)
    assert [a.title for a in stories] == ["第一篇报道的标题", "“政银携手 共助小微”行动方案启动会召开"]
    broken = f"第一篇报道的标题\n\n本报记者 张三\n\n{LONG}\n\n这一栏在句子中间结束，后面还有\n\n并且在下一栏继续叙述\n\n{LONG}\n"
    assert [a.title for a in _split(broken) if a.kind == "story"] == ["第一篇报道的标题"]


def test_text_above_a_photo_credit_line_is_a_caption() -> None:
    page = (
        FIRST
        + "作为向北开放的重要节点，口岸今年已发车十一列。图为口岸工人正在为班列装箱。\n\n本报记者 张野 摄\n"
    )
    articles = _split(page)
    assert [a.kind for a in articles] == ["story", "furniture"]
    assert articles[0].paragraphs[-1].text == LONG
    assert [p.kind for p in articles[1].paragraphs] == ["caption", "caption"]


def test_caption_ending_a_titled_story_is_furniture_one_inside_it_stays() -> None:
    page = (
        f"第一篇报道的标题\n\n本报记者 张三\n\n{LONG}\n\n《山河》演出剧照。\n\n{LONG}\n\n《红旗》演出剧照。\n\n"
        f"另一篇报道的标题\n\n本报讯 {LONG}\n"
    )
    articles = _split(page)
    assert [a.kind for a in articles] == ["story", "furniture", "story"]
    assert [p.kind for p in articles[0].paragraphs] == ["title", "byline", "body", "caption", "body"]
    assert [p.text for p in articles[1].paragraphs] == ["《红旗》演出剧照。"]


def test_jump_marker_with_a_misread_bracket_closes_the_story() -> None:
    page = (
        f"第一篇报道的标题\n\n本报记者 张三\n\n{LONG}\n\n{LONG}〈下转第二版)\n\n"
        "某某社区联合小区党支部开展小区夜话活动。\n\n某某村党支部领办合作社，推动乡村振兴。\n\n\n"
        f"另一篇报道的标题\n\n本报讯 {LONG}\n"
    )
    articles = _split(page)
    assert [a.kind for a in articles] == ["story", "furniture", "story"]
    assert articles[0].jump == "二"
    assert [p.kind for p in articles[1].paragraphs] == ["caption", "caption"]



def test_kicker_with_a_misread_dash_leads_the_next_story() -> None:
    page = (
        FIRST + f"我省持续加强基层治理，推动基层组织全面进步，不断开创基层党建工作新局面-一\n\n高擎红色旗帜 筑牢坚强堡垒\n\n{LONG}\n\n{LONG}\n"
    )
    stories = _stories(page)
    assert [a.title for a in stories] == ["第一篇报道的标题", "高擎红色旗帜 筑牢坚强堡垒"]
    assert stories[1].kicker.startswith("我省持续加强基层治理")


def test_run_on_header_whose_reporter_name_is_misread_starts_a_story_after_a_continuation() -> None:
    page = (
        f"（上接第一版）\n\n{LONG}\n\n{LONG}\n\n"
        f"党旗高扬筑基石——全省城市基层党建工作综述本报记者 IO 8\n\n{LONG}\n\n{LONG}\n"
    )
    articles = [a for a in _split(page) if a.kind != "furniture"]
    assert [a.kind for a in articles] == ["continuation", "story"]
    assert articles[1].title.startswith("党旗高扬筑基石——全省城市基层党建工作综述")
    assert [p.text for p in articles[1].paragraphs if p.kind == "body"] == [LONG, LONG]
