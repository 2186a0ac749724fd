"""Splitting pages into articles: the five samples, plain pages, English pages."""

from __future__ import annotations

from pathlib import Path

import pytest

from dedup.ingest import read
from dedup.model import Document
from dedup.report import json as jsonio
from dedup.segment import split
from tests.conftest import SAMPLES, check_golden, sample


def _stories(prefix: str) -> list[tuple[str, str]]:
    return [(a.kind, a.title) for a in split(read(sample(prefix))) if a.kind != "furniture"]


def test_000_five_stories_plus_furniture() -> None:
    articles = split(read(sample("000")))
    assert _stories("000") == [
        ("story", "高擎红色旗帜 筑牢坚强堡垒"),
        ("story", "为经济高质量发展注入新动力"),
        ("story", "省政府召开一汽集团及汽车产业链重点企业疫情防控和稳定运行专题调度会议 "
                  "全力以赴做好疫情防控和服务企业工作 推动一汽及全省汽车产业链稳定运行"),
        ("story", "落实落细，凝聚起抗击疫情的强大合力"),
        ("story", "架起“连心桥” 畅通“民意路”"),
    ]
    lead = articles[0]
    assert lead.jump == "二"
    assert lead.paragraphs[-1].kind == "jump" and lead.paragraphs[-1].text == "（下转第二版）"
    assert lead.byline == "本报记者 李抑嫄"
    assert lead.kicker.startswith("全面过硬") and lead.deck == "基层建设年进行时"
    assert [p.text for p in lead.paragraphs if p.kind == "subhead"] == [
        "#### 坚持理论武装—— 建强基层干部队伍",
        "#### 创新工作载体—— 激发基层治理活力",
    ]
    furniture = [a for a in articles if a.kind == "furniture"]
    texts = [p.text for a in furniture for p in a.paragraphs]
    assert "本版编辑 周力 张澍月" in texts
    assert "导读" in texts and "▶▶ 第四版" in texts and "本报记者 张野 摄" in texts
    # every visible character of the page lies in exactly one paragraph
    doc = read(sample("000"))
    owners = [0] * len(doc.text)
    for a in articles:
        for p in a.paragraphs:
            for k in range(p.start, p.end):
                owners[k] += 1
    assert all(owners[k] == 1 for k, c in enumerate(doc.text) if not c.isspace())


def test_001_four_stories_with_subheads_inside() -> None:
    assert [t for _, t in _stories("001")] == [
        "高擎红色旗帜 筑牢坚强堡垒",
        "2022年度“长春市人才住房保障支持项目”申报工作启动",
        "2021年度“长春市引才激励项目”申报工作启动",
        "架起“连心桥” 畅通“民意路”",
    ]
    lead, _, _, bridge = split(read(sample("001")))
    assert len([p for p in lead.paragraphs if p.kind == "subhead"]) == 3
    assert lead.paragraphs[-1].kind == "byline" and lead.paragraphs[-1].text == "吉林日报记者 李抑楠"
    assert lead.jump == ""
    assert "### 记者手记:" in [p.text for p in bridge.paragraphs if p.kind == "subhead"]
    assert bridge.paragraphs[-1].text == "吉林日报记者 李娜"


def test_pages_without_markdown_split_at_their_headlines() -> None:
    assert _stories("002") == [
        ("story", "党旗高扬筑基石 奋楫笃行开新篇"),
        ("story", "学思想 强党性 重实践 建新功"),
        ("continuation", ""),
        ("story", "“政银携手·共助小微”行动方案启动会暨吉林银行“吉惠贷”产品发布会召开"),
    ]
    assert [t for _, t in _stories("003")] == [
        "基层治理驶入快车道",
        "吉林市：文化深耕服务细作“六化”滋养硕果累累",
        "吉林医药学院政校企合作谱新篇",
        "吉林银行吉林分行纪委：突出监督重点 增强监督实效",
        "舒兰市：“四好农村路”铺就乡村振兴“致富路”",
        "永吉县：用“三项行动”为年轻干部成长成才蓄力赋能",
    ]
    assert _stories("004") == [("story", "长春：党建引领促振兴")]
    first = split(read(sample("002")))[0]
    assert first.deck == "——2020年以来全省城市基层党建工作综述"
    assert len([p for p in first.paragraphs if p.kind == "subhead"]) == 4
    continuation = split(read(sample("002")))[2]
    assert continuation.continued_from == "一"
    assert split(read(sample("004")))[0].byline == "本报记者 刘晓娟"


ENGLISH = """CITY COUNCIL APPROVES NEW BRIDGE

By Jane Doe

The council voted 7-2 on Tuesday to fund a new footbridge over the river.

Opponents said the cost had doubled since the plan was first drawn up. Continued on page 2

Library Opens Late on Fridays

By Sam Park and Li Wei

The central library will stay open until 10 p.m. on Fridays from next month.

Staff welcomed the change.

Editor: Mary Major
"""


def test_english_page_headlines_bylines_and_jumps() -> None:
    articles = split(Document("en.txt", ENGLISH, "utf-8"))
    stories = [a for a in articles if a.kind == "story"]
    assert [a.title for a in stories] == ["CITY COUNCIL APPROVES NEW BRIDGE", "Library Opens Late on Fridays"]
    assert [a.byline for a in stories] == ["By Jane Doe", "By Sam Park and Li Wei"]
    assert stories[0].jump == "2"
    assert stories[0].paragraphs[-1].kind == "jump"
    assert [len(a.body) for a in stories] == [2, 2]


def test_continued_from_marker_in_english() -> None:
    page = "Continued from page 1\n\nThe vote came after a long debate about the cost.\n"
    (article,) = split(Document("p2.txt", page, "utf-8"))
    assert article.kind == "continuation" and article.continued_from == "1"


def test_page_without_cues_is_one_article() -> None:
    page = "第一段文字，没有标题。\n\n第二段文字，也没有标题。\n"
    (article,) = split(Document("x.txt", page, "utf-8"))
    assert article.title == "" and len(article.body) == 2


@pytest.mark.parametrize("page", sorted(p.name for p in SAMPLES.glob("*.txt")))
def test_golden_split(page: str, update_golden: bool) -> None:
    doc = read(SAMPLES / page)
    data = {"path": doc.path.replace("\\", "/").split("/")[-1], "encoding": doc.encoding,
            "articles": [jsonio.article_json(a) for a in split(doc)]}
    for article in data["articles"]:
        article["id"] = f"{data['path']}#{article['index']}"
    golden = Path(__file__).parent / "golden" / "split" / (Path(page).stem + ".json")
    check_golden(golden, jsonio.dumps(data), update_golden)
