"""Reading web pages (HTML) and OCR output (ALTO, hOCR, PAGE): text, structure, sources, safety."""

from __future__ import annotations

import json
import re
import time
from pathlib import Path

import lxml.html
import pytest
from click.testing import CliRunner

from dedup.cli import cli
from dedup.compare import compare, compare_files
from dedup.diff import low_confidence
from dedup.errors import FormatError, ReadError
from dedup.ingest import decode, discover, read
from dedup.model import Document, Edit, Options
from dedup.readers import cite, confidence_at, detect_format, load
from dedup.readers.builder import Origin
from dedup.readers.layout import OcrBlock, OcrLine, OcrWord, page_paragraphs
from dedup.segment import split

FORMATS = Path(__file__).resolve().parent / "fixtures" / "formats"
STORY_TXT = FORMATS / "story.txt"
STORY_HTML = FORMATS / "story.html"
STORY_ALTO = FORMATS / "story.alto.xml"
STORY_HOCR = FORMATS / "story.hocr"
ENGLISH_ALTO = FORMATS / "english.alto.xml"
ENGLISH_HOCR = FORMATS / "english.hocr"


def _story_blocks() -> list[str]:
    return [b for b in STORY_TXT.read_text(encoding="utf-8").split("\n\n") if b.strip()]


def _write(tmp_path: Path, name: str, text: str, encoding: str = "utf-8") -> Path:
    target = tmp_path / name
    target.write_bytes(text.encode(encoding))
    return target


# ------------------------------------------------------------------ HTML


def _expected_html_text() -> str:
    """story.txt as the web page marks it up: h1 headline, h2 deck, <strong> 记者手记."""
    out = []
    for block in _story_blocks():
        block = block.strip()
        if block.startswith("## "):
            out.append("# " + block[3:])
        elif block.startswith("### 新时代"):
            out.append("## " + block[4:])
        elif block.startswith("### "):
            out.append(block[4:])
        else:
            out.append(block)
    return "\n\n".join(out) + "\n"


BOILERPLATE = [
    "首页", "数字报", "登录", "搜索", "广告", "热点排行", "版权所有", "ICP", "脚本写出", "相关新闻",
    "分享到", "责任编辑", "来源", "浏览量", "字号", "网友评论", "上一篇", "下一篇", "您当前的位置",
    "gtag", "font-family", "dataLayer", "2022-11-25", "客户端",
]


def test_html_page_gives_the_story_with_its_structure_and_no_boilerplate() -> None:
    doc = read(STORY_HTML)
    assert (doc.format, doc.encoding) == ("html", "utf-8")
    assert doc.text == _expected_html_text()
    assert doc.text.startswith("# 架起“连心桥” 畅通“民意路”\n\n## 新时代 新征程 新伟业\n\n11月21日,")
    assert doc.text.endswith("\n\n吉林日报记者 李娜\n")
    for junk in BOILERPLATE:
        assert junk not in doc.text, junk
    assert doc.confidence is None
    (article,) = split(doc)
    assert article.title == "架起“连心桥” 畅通“民意路”"
    assert article.deck == "新时代 新征程 新伟业"
    assert article.byline == "吉林日报记者 李娜"
    assert len(article.body) == 13


def test_html_source_map_points_at_the_text_nodes_and_their_lines() -> None:
    doc = read(STORY_HTML)
    source = STORY_HTML.read_text(encoding="utf-8")
    tree = lxml.html.document_fromstring(source).getroottree()
    lines = source.splitlines()
    assert doc.source
    covered = set()
    for span in doc.source:
        (node,) = tree.xpath(span.xpath)
        piece = doc.text[span.start : span.end]
        if piece.strip():
            assert piece in " ".join(str(node).split()), (span, piece)
            assert piece.split()[0] in lines[span.line - 1]
        covered.update(range(span.start, span.end))
    # every character but the Markdown markers and paragraph breaks comes from the page
    added = {k for k in range(len(doc.text)) if k not in covered}
    assert {doc.text[k] for k in added} <= {"#", " ", "\n"}
    first = cite(doc, doc.text.index("刘华宇"), doc.text.index("刘华宇") + 3)
    assert first[0].xpath.endswith("/p[2]/text()[1]") and first[0].line == 65


def test_html_in_gb18030_with_a_meta_charset_reads_the_same(tmp_path: Path) -> None:
    text = STORY_HTML.read_text(encoding="utf-8").replace('<meta charset="utf-8">', '<meta charset="gb2312">')
    page = _write(tmp_path, "story.htm", text, "gb18030")
    doc = read(page)
    assert doc.encoding == "gb18030"
    assert doc.text == _expected_html_text()


def test_byline_in_the_header_bar_is_kept_and_the_rest_of_the_bar_dropped() -> None:
    text = STORY_HTML.read_text(encoding="utf-8").replace(
        '<span class="source">来源：吉林日报</span>',
        '<span class="source">来源：吉林日报</span> <span class="author">本报记者 <a href="/a/ln">李娜</a></span>',
    )
    doc = load(text, "s.html", "utf-8")
    assert doc.text.startswith(
        "# 架起“连心桥” 畅通“民意路”\n\n## 新时代 新征程 新伟业\n\n本报记者 李娜\n\n11月21日,"
    )
    (article,) = split(doc)
    assert article.byline == "本报记者 李娜"


def test_old_table_layout_with_br_paragraphs(tmp_path: Path) -> None:
    blocks = [b.strip() for b in _story_blocks()]
    body = "<br>\n".join("&nbsp;&nbsp;&nbsp;&nbsp;" + b.replace(",", "，") for b in blocks[2:5])
    page = f"""<html><head><title>{blocks[0][3:]}--吉林日报</title></head><body>
<table width="100%"><tr><td class="nav"><a href="/">首页</a> <a href="/a">要闻</a> <a href="/b">吉林</a></td></tr>
<tr><td><table><tr><td class="bt">{blocks[0][3:]}</td></tr>
<tr><td id="ozoom">{body}</td></tr></table></td>
<td width="300"><div>热点新闻</div><ul><li><a href="/1">新闻一则的标题很长很长很长</a></li>
<li><a href="/2">新闻二则的标题很长很长很长</a></li></ul></td></tr>
<tr><td class="foot">版权所有 吉林日报社</td></tr></table></body></html>"""
    doc = read(_write(tmp_path, "old.html", page, "gb18030"))
    paragraphs = doc.text.split("\n\n")
    # the headline cell repeats the <title> (less the site name): it is the headline
    assert paragraphs[0] == "# 架起“连心桥” 畅通“民意路”"
    assert [p.strip() for p in paragraphs[1:]] == [b.replace(",", "，") for b in blocks[2:5]]
    assert (doc.source or ())[0].xpath == "/html/body/table/tr[2]/td[1]/table/tr[1]/td/text()[1]"
    for junk in ("首页", "要闻", "热点新闻", "新闻一则", "版权所有"):
        assert junk not in doc.text


def test_english_page_keeps_kicker_headline_deck_and_byline() -> None:
    page = """<!DOCTYPE html><html><head><title>Flood defences hold | The Courier</title>
<script>var x = 1;</script></head><body>
<header><a href="/">The Courier</a><nav><a href="/news">News</a> <a href="/sport">Sport</a></nav></header>
<main><article>
<div class="headings"><p class="kicker">WEATHER</p><h3>Storm watch</h3><h1>Flood defences hold as river peaks</h1></div>
<h2>No homes were flooded, the council said</h2>
<div class="meta"><span class="byline">By <a href="/jane">Jane Doe</a></span> · <time>Monday 3 June 2024</time></div>
<div class="share">Share on <a href="#">Facebook</a></div>
<div class="story-body">
<p>The river reached its highest level in forty years on Sunday night, but the new defences held.</p>
<p>Engineers had worked through the weekend to raise the temporary barriers.</p>
<div class="ad"><p>Advertisement: buy sandbags now, limited offer!</p></div>
<p>“Without them we would have been under water,” said one shop owner.</p>
<aside><p>Read more: how the barriers were built, a history.</p></aside>
</div></article></main>
<footer><p>© The Courier. All rights reserved.</p></footer></body></html>"""
    doc = load(page, "p.html", "utf-8")
    # the <article> is the container: its kicker label stays; of the byline bar only the byline
    assert doc.text == (
        "WEATHER\n\n### Storm watch\n\n# Flood defences hold as river peaks\n\n"
        "## No homes were flooded, the council said\n\nBy Jane Doe\n\n"
        "The river reached its highest level in forty years on Sunday night, but the new defences held.\n\n"
        "Engineers had worked through the weekend to raise the temporary barriers.\n\n"
        "“Without them we would have been under water,” said one shop owner.\n"
    )
    (article,) = split(doc)
    assert (article.kicker, article.title, article.deck, article.byline) == (
        "WEATHER Storm watch",
        "Flood defences hold as river peaks",
        "No homes were flooded, the council said",
        "By Jane Doe",
    )
    assert [p.kind for p in article.paragraphs] == [
        "kicker", "kicker", "title", "deck", "byline", "body", "body", "body"
    ]


def test_html_whitespace_collapses_as_a_browser_shows_it() -> None:
    page = (
        "<html><body><div class='text'><p>\u3000\u3000第一行\n第二行，有 空格 和\n"
        "English\nwords.&nbsp;</p><p>  second&nbsp;&nbsp;para\tgraph。 </p></div></body></html>"
    )
    doc = load(page, "w.html", "utf-8")
    assert doc.text == "第一行第二行，有 空格 和 English words.\n\nsecond\xa0\xa0para graph。\n"


def test_empty_page_and_page_without_story() -> None:
    with pytest.raises(FormatError, match=r"^e\.html: malformed HTML: the page is empty$"):
        load("  \n", "e.html", "utf-8", "html")
    doc = load("<html><body><nav><a href='/'>Home</a></nav></body></html>", "n.html", "utf-8")
    assert doc.text == ""
    assert split(doc) == []


# ------------------------------------------------------------------ OCR: real tesseract output


def test_alto_and_hocr_of_the_same_scan_read_the_same() -> None:
    alto, hocr = read(STORY_ALTO), read(STORY_HOCR)
    assert (alto.format, hocr.format) == ("alto", "hocr")
    assert alto.text == hocr.text
    assert alto.confidence == hocr.confidence
    assert [(s.start, s.end, s.bbox) for s in alto.source or ()] == [
        (s.start, s.end, s.bbox) for s in hocr.source or ()
    ]


def test_alto_story_layout_reading_order_and_paragraphs() -> None:
    doc = read(STORY_ALTO)
    paragraphs = doc.text.rstrip("\n").split("\n\n")
    # The headline is set large: it gets a heading marker (OCR read 路” as 3).
    assert paragraphs[0] == "# 架起“连心桥”畅通“民意3"
    assert paragraphs[1] == "新时代新征程新伟业"
    # Blocks that tesseract cut mid-paragraph are joined again; CJK joins without spaces.
    assert paragraphs[2].startswith("]1月21日,一个平常而又特殊的日子。")
    assert paragraphs[2].endswith("根据此次主任会议建议,省十三届人大常委会第三十七次会议将对《长春市城乡社区治理促进条例》进行审议。这意味着,该部法规距离落地施行,又近了一步。")
    assert " " not in "".join(paragraphs[1:])
    # Paragraphs in page order, as in the source text (two were cut in the source too).
    source = [b.strip() for b in _story_blocks()]
    assert len(paragraphs) == len(source) + 2  # two stray marks at the page foot
    assert paragraphs[5].endswith("进入室内，“听人") and paragraphs[6].startswith("民心声")
    assert paragraphs[-3] == "吉林日报记者李娜"
    (story, stray) = split(doc)
    assert story.title == "架起“连心桥”畅通“民意3" and stray.kind == "furniture"


def test_alto_confidences_and_coordinates() -> None:
    doc = read(STORY_ALTO)
    assert doc.confidence is not None
    assert len(doc.confidence) == len(doc.source or ())
    k = doc.text.index("狐丸")
    assert confidence_at(doc, k, k + 1) == 0.25
    assert confidence_at(doc, k, k + 2) == 0.0
    first, span = cite(doc, k, k + 2)
    assert (doc.text[first.start : first.end], doc.text[span.start : span.end]) == ("狐", "丸")
    assert span.xpath.startswith("//*[@ID='string_") and span.page == "page_0"
    assert span.bbox is not None
    x0, y0, x1, y1 = span.bbox
    assert 0 <= x0 < x1 <= 1240 and 2000 < y0 < y1 < 3049  # near the foot of the page
    source_lines = STORY_ALTO.read_text(encoding="utf-8").splitlines()
    assert 'CONTENT="丸"' in source_lines[span.line - 1]
    high = doc.text.index("新时代")
    assert (confidence_at(doc, high, high + 1) or 0) > 0.9


def test_hyphenated_english_lines_are_joined() -> None:
    for path in (ENGLISH_ALTO, ENGLISH_HOCR):
        doc = read(path)
        assert doc.text.split("\n\n") == [
            "Flood Defences Hold as River Peaks",
            "By Jane Doe",
            "The river reached its highest level in forty years on Sunday night, but the new "
            "defences held and no homes were flooded, the county council said. Engineers had "
            "worked through the weekend to raise the temporary barriers.",
            "Residents praised the volunteers who filled sandbags in the town square. \"Without "
            "them we would have been under water,\" said one shop owner, whose premises stand "
            "beside the old bridge. The council will review the flood recognition system next month.\n",
        ]
        k = doc.text.index("recognition")
        parts = cite(doc, k, k + len("recognition"))
        assert [doc.text[s.start : s.end] for s in parts] == ["recog", "nition"]


# ------------------------------------------------------------------ OCR: hand-made files


ALTO_V2 = """<?xml version="1.0" encoding="UTF-8"?>
<alto xmlns="http://www.loc.gov/standards/alto/ns-v2#">
 <Description><MeasurementUnit>pixel</MeasurementUnit></Description>
 <Layout><Page ID="P1" PHYSICAL_IMG_NR="1"><PrintSpace>
  <TextBlock ID="B1" HPOS="100" VPOS="100" WIDTH="800" HEIGHT="70">
   <TextLine ID="L1" HPOS="140" VPOS="100" WIDTH="760" HEIGHT="30">
    <String ID="S1" CONTENT="The" HPOS="140" VPOS="100" WIDTH="60" HEIGHT="30" WC="0.98"/><SP/>
    <String ID="S2" CONTENT="flood" HPOS="210" VPOS="100" WIDTH="90" HEIGHT="30" WC="0.9"/><SP/>
    <String ID="S3" CONTENT="recog" SUBS_TYPE="HypPart1" SUBS_CONTENT="recognition" HPOS="310" VPOS="100" WIDTH="100" HEIGHT="30" WC="0.4"/>
    <HYP CONTENT="-"/>
   </TextLine>
   <TextLine ID="L2" HPOS="100" VPOS="140" WIDTH="500" HEIGHT="30">
    <String ID="S4" CONTENT="nition" SUBS_TYPE="HypPart2" SUBS_CONTENT="recognition" HPOS="100" VPOS="140" WIDTH="110" HEIGHT="30" WC="0.95"/><SP/>
    <String ID="S5" CONTENT="works." HPOS="220" VPOS="140" WIDTH="100" HEIGHT="30"/>
   </TextLine>
  </TextBlock>
 </PrintSpace></Page></Layout>
</alto>
"""


def test_alto_v2_hyphenation_words_confidences_and_boxes() -> None:
    doc = load(ALTO_V2, "v2.xml", "utf-8", "alto")
    assert doc.text == "The flood recognition works.\n"
    assert [(doc.text[s.start : s.end], s.xpath, s.bbox) for s in doc.source or ()] == [
        ("The", "//*[@ID='S1']", (140, 100, 200, 130)),
        ("flood", "//*[@ID='S2']", (210, 100, 300, 130)),
        ("recog", "//*[@ID='S3']", (310, 100, 410, 130)),
        ("nition", "//*[@ID='S4']", (100, 140, 210, 170)),
        ("works.", "//*[@ID='S5']", (220, 140, 320, 170)),
    ]
    assert doc.confidence == ((0, 3, 0.98), (4, 9, 0.9), (10, 15, 0.4), (15, 21, 0.95))
    assert {s.page for s in doc.source or ()} == {"P1"}


ALTO_V4 = """<?xml version="1.0" encoding="UTF-8"?>
<alto xmlns="http://www.loc.gov/standards/alto/ns-v4#">
 <Layout><Page ID="P7"><PrintSpace>
  <TextBlock ID="B1"><TextLine><String CONTENT="第二段"/></TextLine></TextBlock>
  <ComposedBlock ID="C1"><TextBlock ID="B2">
   <TextLine><String CONTENT="第一" CC="0 9"/><SP/><String CONTENT="段，"/><SP/><String CONTENT="COVID"/><SP/><String CONTENT="19"/></TextLine>
   <TextLine><String CONTENT="病例"/><SP/><String CONTENT="减少。"/></TextLine>
  </TextBlock></ComposedBlock>
 </PrintSpace></Page></Layout>
 <ReadingOrder><OrderedGroup ID="G"><ElementRef ID="E1" REF="B2"/><ElementRef ID="E2" REF="B1"/></OrderedGroup></ReadingOrder>
</alto>
"""


def test_alto_v4_reading_order_cjk_joins_and_character_confidence() -> None:
    doc = load(ALTO_V4, "v4.xml", "utf-8")
    assert doc.format == "alto"
    assert doc.text == "第一段，COVID 19病例减少。\n\n第二段\n"
    assert doc.confidence is not None
    assert doc.confidence[:2] == ((0, 1, 1.0), (1, 2, 0.0))
    assert confidence_at(doc, 1, 2) == 0.0


def test_alto_without_namespace_reads() -> None:
    text = "<alto><Layout><Page><PrintSpace><TextBlock><TextLine><String CONTENT='Hello'/><SP/><String CONTENT='world'/></TextLine></TextBlock></PrintSpace></Page></Layout></alto>"
    doc = load(text, "v1.xml", "utf-8")
    assert (doc.format, doc.text, doc.confidence) == ("alto", "Hello world\n", None)


HOCR = """<?xml version="1.0" encoding="UTF-8"?>
<!DOCTYPE html PUBLIC "-//W3C//DTD XHTML 1.0 Transitional//EN" "http://www.w3.org/TR/xhtml1/DTD/xhtml1-transitional.dtd">
<html xmlns="http://www.w3.org/1999/xhtml"><head><meta name='ocr-system' content='hand'/></head><body>
<div class='ocr_page' id='page_1' title='bbox 0 0 1000 1000; ppageno 0'>
 <p class='ocr_par' id='par_1' title='bbox 100 100 900 200'>
  <span class='ocr_line' id='line_1' title='bbox 100 100 900 130'>
   <span class='ocrx_word' id='w1' title='bbox 100 100 200 130; x_wconf 96'>Meet</span>
   <span class='ocrx_word' id='w2' title='bbox 210 100 320 130; x_wconf 41'>Jean-</span>
  </span>
  <span class='ocr_line' id='line_2' title='bbox 100 140 900 170'>
   <span class='ocrx_word' id='w3' title='bbox 100 140 200 170; x_wconf 90'>Paul,</span>
   <span class='ocrx_word' id='w4' title='bbox 210 140 320 170; x_wconf 88'>the</span>
   <span class='ocrx_word' id='w5' title='bbox 330 140 450 170; x_wconf 93'><strong>news-</strong></span>
  </span>
  <span class='ocr_line' id='line_3' title='bbox 100 180 500 210'>
   <span class='ocrx_word' id='w6' title='bbox 100 180 250 210; x_wconf 92'>paper</span>
   <span class='ocrx_word' id='w7' title='bbox 260 180 400 210'>man.</span>
  </span>
 </p>
</div>
<div class='ocr_page' id='page_2' title='bbox 0 0 1000 1000; ppageno 1'>
 <div class='ocr_carea' id='block_2'>
  <span class='ocr_header' id='line_4' title='bbox 100 100 400 130'>第二页的文字</span>
 </div>
</div>
</body></html>
"""


def test_hocr_pages_hyphens_and_confidences() -> None:
    doc = load(HOCR, "h.hocr", "utf-8")
    assert doc.format == "hocr"
    assert doc.text == "Meet Jean-Paul, the newspaper man.\n\n第二页的文字\n"
    assert doc.confidence == (
        (0, 4, 0.96), (5, 10, 0.41), (10, 15, 0.9), (16, 19, 0.88), (20, 24, 0.93), (24, 29, 0.92)
    )
    last = (doc.source or ())[-1]
    assert (last.xpath, last.page, last.bbox) == ("//*[@id='line_4']", "page_2", (100, 100, 400, 130))


PAGE = """<?xml version="1.0" encoding="UTF-8"?>
<PcGts xmlns="http://schema.primaresearch.org/PAGE/gts/pagecontent/2019-07-15">
 <Page imageFilename="scan.png" imageWidth="1000" imageHeight="1000">
  <ReadingOrder><OrderedGroup id="ro"><RegionRefIndexed index="1" regionRef="r1"/><RegionRefIndexed index="0" regionRef="r2"/></OrderedGroup></ReadingOrder>
  <TextRegion id="r1"><Coords points="100,500 900,500 900,540 100,540"/>
   <TextLine id="l1"><Coords points="100,500 900,500 900,540 100,540"/>
    <TextEquiv><Unicode>Second region.</Unicode></TextEquiv></TextLine>
  </TextRegion>
  <TextRegion id="r2"><Coords points="100,100 900,100 900,140 100,140"/>
   <TextLine id="l2"><Coords points="100,100 900,100 900,140 100,140"/>
    <Word id="w1"><Coords points="100,100 300,100 300,140 100,140"/><TextEquiv conf="0.35"><Unicode>First</Unicode></TextEquiv></Word>
    <Word id="w2"><Coords points="320,100 500,100 500,140 320,140"/><TextEquiv index="1" conf="0.2"><Unicode>regon.</Unicode></TextEquiv><TextEquiv index="0" conf="0.9"><Unicode>region.</Unicode></TextEquiv></Word>
   </TextLine>
  </TextRegion>
 </Page>
</PcGts>
"""


def test_page_xml_reading_order_words_and_confidences() -> None:
    doc = load(PAGE, "p.xml", "utf-8")
    assert doc.format == "page"
    assert doc.text == "First region.\n\nSecond region.\n"
    assert doc.confidence == ((0, 5, 0.35), (6, 13, 0.9))
    assert (doc.source or ())[0].bbox == (100, 100, 300, 140)


def _line(text: str, box: tuple[int, int, int, int]) -> OcrLine:
    return OcrLine((OcrWord(text, Origin("x")),), box)


def test_paragraphs_from_geometry() -> None:
    lines = (
        _line("大标题文字", (300, 0, 700, 60)),  # large type: its own paragraph
        _line("　第一段开头，这一行缩进了两个字。", (140, 100, 1000, 130)),
        _line("第一段的第二行排满了整个栏宽。", (100, 146, 1000, 176)),
        _line("第一段结束。", (100, 192, 400, 222)),  # short CJK line ends the paragraph
        _line("第二段没有缩进但上一行很短。", (100, 238, 1000, 268)),
        _line("第二段的最后一行也排满了栏宽", (100, 284, 1000, 314)),
    )
    paras = page_paragraphs((OcrBlock(lines[:4]), OcrBlock(lines[4:])))
    assert [len(p) for p in paras] == [1, 3, 2]
    latin = (
        _line("A ragged line of Latin text", (100, 0, 600, 30)),
        _line("goes on here and", (100, 46, 400, 76)),
        _line("ends there.", (100, 92, 300, 122)),
        _line("An indented line starts anew.", (160, 138, 700, 168)),
    )
    assert [len(p) for p in page_paragraphs((OcrBlock(latin),))] == [3, 1]


# ------------------------------------------------------------------ detection


@pytest.mark.parametrize(
    ("path", "fmt"),
    [
        (STORY_TXT, "text"),
        (STORY_HTML, "html"),
        (STORY_ALTO, "alto"),
        (STORY_HOCR, "hocr"),
        (ENGLISH_ALTO, "alto"),
    ],
)
def test_format_is_detected_from_the_content(tmp_path: Path, path: Path, fmt: str) -> None:
    text = path.read_text(encoding="utf-8")
    assert detect_format(text) == fmt
    # the suffix does not matter
    renamed = _write(tmp_path, "page.txt", text)
    assert read(renamed).format == fmt


def test_detection_of_other_shapes() -> None:
    assert detect_format(PAGE) == "page"
    assert detect_format(HOCR) == "hocr"
    assert detect_format("\ufeff<!-- saved -->\n<!DOCTYPE html>\n<HTML><body>x</body></HTML>") == "html"
    assert detect_format("<div class='x'>fragment</div>") == "html"
    assert detect_format("<?xml version='1.0'?><mets:mets xmlns:mets='http://www.loc.gov/METS/'/>") == "xml"
    assert detect_format("<b>bold</b> start of a text file") == "text"
    assert detect_format("plain text\n") == "text"


def test_format_override(tmp_path: Path) -> None:
    doc = read(STORY_ALTO, fmt="text")
    assert doc.format == "text" and doc.text.startswith("<?xml")
    with pytest.raises(FormatError, match=r"not an ALTO document \(root element <html>\)$"):
        read(STORY_HOCR, fmt="alto")
    with pytest.raises(FormatError, match=r"^.*story\.alto\.xml: not an hOCR document"):
        read(STORY_ALTO, fmt="hocr")
    unknown = _write(tmp_path, "mets.xml", "<?xml version='1.0'?>\n<mets xmlns='http://www.loc.gov/METS/'/>\n")
    with pytest.raises(FormatError) as info:
        read(unknown)
    assert str(info.value) == (
        f"{unknown}: XML with root element <mets> is not ALTO, PAGE or hOCR "
        "(--format-in text reads it as text)"
    )
    assert read(unknown, fmt="text").format == "text"
    with pytest.raises(ValueError, match="input_format must be auto or one of"):
        Options(input_format="pdf")


def test_xml_declaration_names_the_encoding(tmp_path: Path) -> None:
    text = ALTO_V4.replace('encoding="UTF-8"', 'encoding="GB2312"')
    doc = read(_write(tmp_path, "gb.xml", text, "gb18030"))
    assert doc.encoding == "gb18030"
    assert doc.text.startswith("第一段，COVID 19")


def test_discover_picks_up_web_pages_and_ocr_files(tmp_path: Path) -> None:
    for name in ("a.txt", "b.html", "c.HTM", "d.xml", "e.hocr", "f.xhtml", "g.png", "h.pdf"):
        (tmp_path / name).write_text("x", encoding="utf-8")
    assert [name for _, name in discover([tmp_path])] == [
        "a.txt", "b.html", "c.HTM", "d.xml", "e.hocr", "f.xhtml"
    ]


def test_plain_text_documents_are_unchanged() -> None:
    doc = read(STORY_TXT)
    assert doc == Document(str(STORY_TXT), STORY_TXT.read_text(encoding="utf-8"), "utf-8")
    assert (doc.format, doc.source, doc.confidence) == ("text", None, None)
    assert cite(doc, 0, 5) == ()


# ------------------------------------------------------------------ safety


XXE = """<?xml version="1.0"?>
<!DOCTYPE alto [ <!ENTITY xxe SYSTEM "file:///etc/passwd"> ]>
<alto><Layout><Page><PrintSpace><TextBlock><TextLine><String CONTENT="&xxe;"/></TextLine></TextBlock></PrintSpace></Page></Layout></alto>
"""

LAUGHS = """<?xml version="1.0"?>
<!DOCTYPE lolz [
 <!ENTITY lol "lol">
 <!ENTITY lol1 "&lol;&lol;&lol;&lol;&lol;&lol;&lol;&lol;&lol;&lol;">
 <!ENTITY lol2 "&lol1;&lol1;&lol1;&lol1;&lol1;&lol1;&lol1;&lol1;&lol1;&lol1;">
 <!ENTITY lol3 "&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;">
 <!ENTITY lol4 "&lol3;&lol3;&lol3;&lol3;&lol3;&lol3;&lol3;&lol3;&lol3;&lol3;">
 <!ENTITY lol5 "&lol4;&lol4;&lol4;&lol4;&lol4;&lol4;&lol4;&lol4;&lol4;&lol4;">
 <!ENTITY lol6 "&lol5;&lol5;&lol5;&lol5;&lol5;&lol5;&lol5;&lol5;&lol5;&lol5;">
 <!ENTITY lol7 "&lol6;&lol6;&lol6;&lol6;&lol6;&lol6;&lol6;&lol6;&lol6;&lol6;">
 <!ENTITY lol8 "&lol7;&lol7;&lol7;&lol7;&lol7;&lol7;&lol7;&lol7;&lol7;&lol7;">
 <!ENTITY lol9 "&lol8;&lol8;&lol8;&lol8;&lol8;&lol8;&lol8;&lol8;&lol8;&lol8;">
]>
<alto><Layout><Page><PrintSpace><TextBlock><TextLine><String CONTENT="&lol9;"/></TextLine></TextBlock></PrintSpace></Page></Layout></alto>
"""

REFUSED = "refused: the DOCTYPE declares entities (never expanded)"


@pytest.mark.parametrize(
    ("name", "text", "fmt"),
    [
        ("xxe.xml", XXE, "auto"),
        ("laughs.xml", LAUGHS, "auto"),
        ("xxe-page.xml", XXE.replace("alto", "PcGts"), "page"),
        ("xxe.hocr", HOCR.replace("<html ", '<!DOCTYPE html [<!ENTITY xxe SYSTEM "file:///etc/passwd">]><html ', 1).replace("Meet", "&xxe;"), "auto"),
        ("xxe.html", '<!DOCTYPE html [<!ENTITY xxe SYSTEM "file:///etc/passwd">]><html><body><p>&xxe;</p></body></html>', "html"),
    ],
)
def test_entity_declarations_are_refused_in_one_line(tmp_path: Path, name: str, text: str, fmt: str) -> None:
    path = _write(tmp_path, name, text)
    started = time.perf_counter()
    with pytest.raises(FormatError) as info:
        read(path, fmt=fmt)
    assert time.perf_counter() - started < 1.0
    assert str(info.value) == f"{path}: {REFUSED}"
    assert isinstance(info.value, ReadError)


def test_undeclared_entity_is_not_expanded_and_no_dtd_is_fetched(tmp_path: Path) -> None:
    # An external DTD is neither loaded nor fetched: the file reads without it.
    external = ALTO_V2.replace(
        "<alto ", '<!DOCTYPE alto SYSTEM "http://127.0.0.1:9/alto.dtd">\n<alto ', 1
    )
    assert load(external, "ext.xml", "utf-8").text == "The flood recognition works.\n"
    with pytest.raises(FormatError, match=r"^u.xml: malformed XML: Entity 'xxe' not defined"):
        load(ALTO_V2.replace('CONTENT="The"', 'CONTENT="&xxe;"'), "u.xml", "utf-8")


def test_malformed_xml_is_one_line(tmp_path: Path) -> None:
    bad = _write(tmp_path, "bad.xml", ALTO_V2.replace("</TextLine>", "", 1))
    with pytest.raises(FormatError) as info:
        read(bad)
    message = str(info.value)
    assert "\n" not in message
    assert re.fullmatch(rf"{re.escape(str(bad))}: malformed XML: Opening and ending tag mismatch: .*line \d+, column \d+", message)


def test_cli_reports_unsafe_and_malformed_files_and_goes_on(tmp_path: Path) -> None:
    _write(tmp_path, "a.xml", XXE)
    _write(tmp_path, "b.xml", ALTO_V2.replace("</TextLine>", "", 1))
    _write(tmp_path, "c.html", STORY_HTML.read_text(encoding="utf-8"))
    result = CliRunner().invoke(cli, ["split", str(tmp_path)])
    assert result.exit_code == 1
    assert result.stderr.splitlines()[0] == f"Error: a.xml: {REFUSED}"
    assert result.stderr.splitlines()[1].startswith("Error: b.xml: malformed XML: Opening and ending tag mismatch")
    assert len(result.stderr.splitlines()) == 2
    assert "c.html (utf-8, 1 articles)" in result.stdout
    assert "root:" not in result.output


# ------------------------------------------------------------------ confidence → ocr


def test_low_confidence_turns_a_short_wording_replacement_into_ocr() -> None:
    e = Edit("wording", "replaced 犹如 → 狐丸", (10, 12), (8, 10), "犹如", "狐丸", 3)
    low = ((0, 8, 0.95), (8, 10, 0.2), (10, 12, 0.9))
    (out,) = low_confidence([e], None, low)
    assert (out.type, out.reason) == ("ocr", "low OCR confidence 0.20 in B (replaced 犹如 → 狐丸)")
    assert (out.a, out.b, out.block) == (e.a, e.b, e.block)
    (mirror,) = low_confidence(
        [Edit("wording", "replaced 狐丸 → 犹如", (8, 10), (10, 12), "狐丸", "犹如", 3)], low, None
    )
    assert mirror.reason == "low OCR confidence 0.20 in A (replaced 狐丸 → 犹如)"
    assert low_confidence([e], None, ((8, 10, 0.8),)) == [e]  # sure of it: an editor's change
    long = Edit("wording", "replaced", (0, 6), (0, 6), "征求群众意见", "正求意见书记")
    assert low_confidence([long], None, ((0, 6, 0.1),)) == [long]
    added = Edit("wording", "added 群众", (0, 0), (0, 2), "", "群众")
    assert low_confidence([added], None, ((0, 2, 0.1),)) == [added]
    punct = Edit("punctuation", "p", (0, 1), (0, 1), "，", ",")
    assert low_confidence([punct], ((0, 1, 0.0),), ((0, 1, 0.0),)) == [punct]


def test_compare_uses_document_confidences() -> None:
    page_a = "# 标题\n\n这19个立法联系点犹如一颗颗优质的种子，将在不同层面吸收能量。\n"
    page_b = page_a.replace("犹如", "好比")
    doc_a = Document("a", page_a, "utf-8")
    doc_b = Document("b", page_b, "utf-8")
    (x,), (y,) = split(doc_a), split(doc_b)
    k = page_b.index("好比")
    plain = compare(x, y, text_a=page_a, text_b=page_b)
    assert [e.type for e in plain.edits] == ["wording"]
    unsure = compare(x, y, text_a=page_a, text_b=page_b, confidence_b=((k, k + 2, 0.31),))
    assert [(e.type, e.reason) for e in unsure.edits] == [
        ("ocr", "low OCR confidence 0.31 in B (replaced 犹如 → 好比: both are words)")
    ]
    assert unsure.metrics.count("ocr") == 1 and unsure.metrics.count("wording") == 0


# ------------------------------------------------------------------ acceptance


OCR_WORDING = [  # what tesseract lost: none of it is an editor's change, all of it is real
    ("征求群众意见", "正求"),  # 4 characters dropped and 征 misread
    ("了", ""),  # a function word dropped
]


def test_web_edition_against_its_ocr_scan() -> None:
    result = compare_files(STORY_HTML, STORY_ALTO)
    assert (result.unpaired_a, result.unpaired_b) == ((), ())  # the stray marks are furniture
    (pair,) = result.pairs
    assert pair.title == "架起“连心桥” 畅通“民意路”"
    assert pair.metrics.similarity > 0.97
    assert {blk.kind for blk in pair.alignment} == {"1:1"}
    kinds = {e.type for e in pair.edits}
    assert kinds <= {"ocr", "wording", "whitespace", "markup", "punctuation"}
    assert [(e.a_text, e.b_text) for e in pair.edits if e.type == "wording"] == OCR_WORDING
    ocr = {(e.a_text, e.b_text): e.reason for e in pair.edits if e.type == "ocr"}
    # a whole line dropped: the scan shows OCR's marks, and the lost run is no word
    assert ocr[("感触地说。", "")].startswith("B lacks 感触地说 that A has: likely lost")
    assert ocr[("宇", "字")].startswith("look-alike glyphs 宇/字")
    assert ocr[("筒", "简")].startswith("look-alike glyphs 筒/简")
    assert ocr[("犹如", "狐丸")].startswith("B reads 狐丸 where A has 犹如: likely misread in B")
    assert ocr[("遴", "遂")].startswith("look-alike glyphs 遴/遂")
    assert ocr[("愁", "禾")] == "glyph 愁 read as 禾: no dictionary word on either side"
    assert len(ocr) == 11 and pair.metrics.count("ocr") == 12
    # offsets index the extracted texts, and the source map leads back to the files
    html, alto = read(STORY_HTML), read(STORY_ALTO)
    for e in pair.edits:
        assert html.text[e.a[0] : e.a[1]] == e.a_text and alto.text[e.b[0] : e.b[1]] == e.b_text
    e = next(e for e in pair.edits if e.b_text == "狐丸")
    words = cite(alto, *e.b)
    source = STORY_ALTO.read_text(encoding="utf-8").splitlines()
    assert [source[w.line - 1].split("CONTENT=")[1] for w in words] == ['"狐"/><SP WIDTH="3" VPOS="2171" HPOS="1132"/>', '"丸"/>']
    # the scan's hOCR gives the very same comparison
    (hocr_pair,) = compare_files(STORY_HTML, STORY_HOCR).pairs
    assert [(e.type, e.a, e.b, e.reason) for e in hocr_pair.edits] == [
        (e.type, e.a, e.b, e.reason) for e in pair.edits
    ]


def test_web_edition_against_the_plain_text_differs_in_markup_only() -> None:
    (pair,) = compare_files(STORY_HTML, STORY_TXT).pairs
    assert [(e.type, e.a_text, e.b_text) for e in pair.edits] == [
        ("markup", "# ", "## "),
        ("markup", "## ", "### "),
        ("markup", "", "### "),
    ]


def test_cli_compare_html_with_alto(tmp_path: Path) -> None:
    runner = CliRunner()
    result = runner.invoke(cli, ["compare", str(STORY_HTML), str(STORY_ALTO), "--format", "json"])
    assert result.exit_code == 0, result.output
    data = json.loads(result.stdout)
    (pair,) = data["pairs"]
    assert pair["metrics"]["counts"]["ocr"] == 12
    assert not any(e["type"] in ("missing", "extra", "truncation") for e in pair["edits"])
    forced = runner.invoke(cli, ["compare", str(STORY_HTML), str(STORY_ALTO), "--format-in", "alto"])
    assert forced.exit_code == 1
    assert forced.stderr.startswith(f"Error: {STORY_HTML}: malformed XML: ")
    as_text = runner.invoke(cli, ["split", str(STORY_ALTO), "--format-in", "text"])
    assert as_text.exit_code == 0
    assert "--format-in [auto|text|html|alto|hocr|page]" in runner.invoke(cli, ["split", "--help"]).output


def test_decode_bytes_with_a_format() -> None:
    data = STORY_HOCR.read_bytes()
    assert decode(data, "x.hocr").text == read(STORY_HOCR).text
    assert decode(data, "x.hocr", fmt="text").format == "text"


# --- PAGE text levels, tokenised words, hOCR lines, geometry -----------------

_PAGE_NS = "http://schema.primaresearch.org/PAGE/gts/pagecontent/2019-07-15"


def _page_xml(region_text: str | None, line_texts: list[str | None], words: list[list[str]]) -> str:
    def equiv(text: str | None) -> str:
        return "" if text is None else f"<TextEquiv><Unicode>{text}</Unicode></TextEquiv>"

    lines = []
    for k, (text, ws) in enumerate(zip(line_texts, words, strict=True)):
        y = 100 + 50 * k
        word_xml = "".join(
            f'<Word id="w{k}_{j}"><Coords points="{100 + 80 * j},{y} {170 + 80 * j},{y + 40}"/>{equiv(w)}</Word>'
            for j, w in reversed(list(enumerate(ws)))  # stored right to left, as GT often is
        )
        lines.append(f'<TextLine id="l{k}"><Coords points="100,{y} 900,{y + 40}"/>{word_xml}{equiv(text)}</TextLine>')
    return (
        f'<?xml version="1.0" encoding="UTF-8"?><PcGts xmlns="{_PAGE_NS}"><Page imageFilename="p.png">'
        f'<TextRegion id="r1"><Coords points="100,100 900,400"/>{"".join(lines)}{equiv(region_text)}</TextRegion>'
        "</Page></PcGts>"
    )


def test_page_prefers_region_then_line_then_word_text() -> None:
    xml = _page_xml("Region one\nregion two", ["Line one", "line two"], [["Word", "one"], ["word", "two"]])
    assert load(xml, "p.xml", "utf-8").text == "Region one region two\n"
    assert load(xml, "p.xml", "utf-8", page_level="line").text == "Line one line two\n"
    assert load(xml, "p.xml", "utf-8", page_level="word").text == "Word one word two\n"
    only_lines = _page_xml(None, ["Line one", "line two"], [[], []])
    assert load(only_lines, "p.xml", "utf-8").text == "Line one line two\n"
    with pytest.raises(FormatError, match="PAGE text level"):
        load(xml, "p.xml", "utf-8", page_level="glyph")


def test_page_words_are_read_left_to_right_and_tokens_joined_as_printed() -> None:
    xml = _page_xml(None, [None, None], [["(", "Es", "ist", "worden", ";", "Be", "-"], ["drükkung", ".", ")"]])
    assert load(xml, "p.xml", "utf-8").text == "(Es ist worden; Bedrükkung.)\n"


def test_hyphen_after_a_combining_mark_joins_the_line() -> None:
    xml = _page_xml(None, ["Unmu\u0364n-", "digkeit iſt"], [[], []])
    assert load(xml, "p.xml", "utf-8").text == "Unmu\u0364ndigkeit iſt\n"


def test_hocr_lines_outside_paragraphs_are_read_in_order() -> None:
    hocr = (
        "<html><body><div class='ocr_page' title='bbox 0 0 1000 1000'>"
        "<h3><span class='ocr_line' title='bbox 100 50 500 100'>Chapter One</span></h3>"
        "<span class='ocr_line' title='bbox 100 150 900 190'>First paragraph outside any par.</span>"
        "<p class='ocr_par'><span class='ocr_line' title='bbox 100 300 900 340'>Second paragraph in a par.</span></p>"
        "</div></body></html>"
    )
    text = load(hocr, "a.hocr", "utf-8").text
    assert text.index("Chapter One") < text.index("First paragraph") < text.index("Second paragraph")


def _line(text: str, box: tuple[int, int, int, int]) -> OcrLine:
    return OcrLine((OcrWord(text, Origin("x", 0, "1", box)),), box)


def test_a_widely_leaded_paragraph_is_not_cut_at_every_line() -> None:
    lines = [_line("一二三四五六七八九十" * 2, (0, 80 * k, 1000, 80 * k + 40)) for k in range(5)]
    assert len(page_paragraphs((OcrBlock(tuple(lines)),))) == 1


def test_drop_cap_joins_its_word_and_is_no_heading() -> None:
    cap = OcrBlock((_line("A", (100, 100, 150, 190)),))
    body = OcrBlock(
        tuple(
            [_line("ufklärung ist der Ausgang des Menschen aus seiner", (160, 100, 900, 160))]
            + [_line("selbst verschuldeten Unmündigkeit und so fort", (100, 150 + 45 * k, 900, 190 + 45 * k)) for k in range(4)]
        )
    )
    from dedup.readers.layout import OcrPage, lay_out

    text = lay_out([OcrPage("1", (cap, body))], "p", "utf-8", "alto").text
    assert text.startswith("Aufklärung ist der Ausgang")
    assert "#" not in text


def test_html_tags_printed_as_text_are_not_story_text() -> None:
    page = (
        "<html><body><article><h1>标题</h1>"
        "<p>据报道，&lt;a target='_blank' href='http://x.cn/1'&gt;北京市&lt;/a&gt;今天下雨。明天也下雨。</p>"
        "<p>If a &lt; b and c &gt; d, the story says so.</p></article></body></html>"
    )
    text = load(page, "s.html", "utf-8").text
    assert "据报道，北京市今天下雨。" in text and "target" not in text
    assert "If a < b and c > d" in text
