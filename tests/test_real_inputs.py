"""Real OCR files and saved news pages (``../shared/ocr-real``, ``../shared/html-real``).

The folders are not part of the repository. Without them these tests are
skipped, except under ``CI=true``, where a missing folder fails.
"""

from __future__ import annotations

import json
import os
import re
import unicodedata
from pathlib import Path

import pytest
from lxml import html as lxml_html
from rapidfuzz.distance import Indel

from dedup.cer import cer, normalise
from dedup.ingest import read
from dedup.segment import split

SHARED = Path("../shared")
OCR = SHARED / "ocr-real"
HTML = SHARED / "html-real"

# dinglehopper's CER (GT -> OCR) on the same pairs, from ocr-real/README.md.
DINGLEHOPPER = {
    ("brochrnx.gt.page.xml", "brochrnx.tesseract.page.xml"): 0.0776,
    ("actevedef.gt.page.xml", "actevedef.calamari.page.xml"): 0.0255,
    ("actevedef.gt.page.xml", "actevedef.tesseract.page.xml"): 0.0402,
    ("lorem.gt.page.xml", "lorem.tesseract.alto.xml"): 0.0,
    ("kant17.gt.page.xml", "kant17.calamari.page.xml"): 0.0354,
    ("kant20.gt.page.xml", "kant20.calamari.page.xml"): 0.0079,
    ("backhart.gt.page.xml", "backhart.fake-ocr.page.xml"): 0.0024,
}


def _need(folder: Path) -> None:
    if not folder.is_dir():
        if os.environ.get("CI") == "true":
            pytest.fail(f"{folder} is missing (CI=true requires it)")
        pytest.skip(f"{folder} is not there (shared real inputs are not in the repository)")


def _ocr(name: str) -> Path:
    _need(OCR)
    for sub in ("pairs", "single"):
        if (OCR / sub / name).is_file():
            return OCR / sub / name
    pytest.fail(f"{name} is missing from {OCR}")


def _all(folder: Path) -> list[Path]:
    return sorted(p for p in folder.rglob("*") if p.is_file() and p.suffix != ".md") if folder.is_dir() else []


@pytest.mark.parametrize("path", _all(OCR) or [OCR / "missing"], ids=lambda p: p.name)
def test_every_ocr_file_reads_with_text(path: Path) -> None:
    _need(OCR)
    assert read(path).text.strip(), f"{path.name} reads as empty"


@pytest.mark.parametrize(("gt", "ocr"), sorted(DINGLEHOPPER), ids=lambda n: n.split(".")[0])
def test_page_cer_is_dinglehopper_s(gt: str, ocr: str) -> None:
    ref = DINGLEHOPPER[(gt, ocr)]
    ours = cer(read(_ocr(gt)).text, read(_ocr(ocr)).text)
    assert abs(ours - ref) <= max(0.1 * ref, 0.005), (ours, ref)


def test_region_text_wins_over_words() -> None:
    """backhart's fake OCR changed only the region text: two letters."""
    gt = read(_ocr("backhart.gt.page.xml")).text
    assert cer(gt, read(_ocr("backhart.fake-ocr.page.xml")).text) > 0


def test_page_text_is_in_reading_order() -> None:
    text = normalise(read(_ocr("backhart.gt.page.xml")).text)
    # The GT writes the capital as MUFI's u with e above, which folds to ü.
    assert text[0] in "Üü" and text[1:].startswith("ber die vielen Sorgen wegen deſſelben vergaß Hartkopf, der Frau")
    acte = normalise(read(_ocr("actevedef.gt.page.xml")).text)
    assert "dur Graﬀen von Knigsfeld Vor" not in acte


@pytest.mark.parametrize("level", ["auto", "region", "line", "word"])
def test_page_levels_read_the_same_story(level: str) -> None:
    text = read(_ocr("kant17.gt.page.xml"), page_level=level).text
    assert "Aufklaͤrung iſt der Ausgang des Menſchen" in text


@pytest.mark.parametrize("level", ["auto", "word"])
def test_tokenised_punctuation_and_hyphens_join(level: str) -> None:
    text = normalise(read(_ocr("kant20.gt.page.xml"), page_level=level).text)
    assert "worden ;" not in text and "Be - drükkung" not in text
    assert "Bedrükkung" in text and "worden;" in text
    alto = normalise(read(_ocr("kant17.gt.alto.xml")).text)
    assert "(S. Decemb. 1783. S. 516.)" in alto and " ." not in alto


@pytest.mark.parametrize("name", ["kant17.gt.alto.xml", "kant17.gt.page.xml"])
def test_drop_cap_is_not_a_headline(name: str) -> None:
    text = read(_ocr(name)).text
    assert not re.search(r"(?m)^#+ A$", text)
    assert "\nAufklaͤrung iſt der Ausgang" in text


def test_margin_noise_is_no_heading() -> None:
    text = read(_ocr("ndnp-winchester-1910.alto.xml")).text
    headings = [line for line in text.splitlines() if line.startswith("#")]
    assert headings
    assert not [h for h in headings if not re.search(r"[A-Za-z]{2}", h)]


def test_hocr_lines_outside_ocr_par_are_read() -> None:
    text = read(_ocr("alice.ocropy.hocr")).text
    assert "Down the Rabbit-Hole" in text
    assert text.index("Alice was beginning") < text.index("So she was considering")


def test_widely_leaded_chinese_paragraph_is_one() -> None:
    text = read(_ocr("chineseocr_lite_img6.hocr")).text
    para = next(p for p in text.split("\n\n") if p.startswith("尤其是进入21世纪以来"))
    assert "DNA修复的细胞机制研究" in para


def test_hocr_and_alto_of_one_page_read_alike() -> None:
    a = read(_ocr("chineseocr_lite_img8.hocr")).text
    b = read(_ocr("chineseocr_lite_img8.alto.xml")).text
    assert cer(a, b) == 0


def _fold(text: str) -> str:
    return "".join(unicodedata.normalize("NFKC", text).split())


def _html_figures(folder: Path) -> tuple[float, float, str]:
    """Story-text recall and precision by alignment, and the headline (html-real/README.md)."""
    ref = _fold(" ".join(lxml_html.fromstring((folder / "expected.html").read_text("utf-8")).itertext()))
    body: list[str] = []
    heads: list[str] = []
    for article in split(read(folder / "source.html")):
        for p in article.paragraphs:
            if p.kind == "title":
                heads.append(p.text.lstrip("# "))
            elif p.kind not in ("kicker", "byline"):
                body.append(p.text.lstrip("# "))
    ext = _fold(" ".join(body))
    same = (len(ref) + len(ext) - Indel.distance(ref, ext)) // 2
    return same / max(len(ref), 1), same / max(len(ext), 1), heads[0] if heads else ""


def _pages() -> list[Path]:
    return sorted(p for p in HTML.iterdir() if (p / "source.html").is_file()) if HTML.is_dir() else []


def _lead(title: str) -> str:
    """The title before the site's name: its part before the last separator run."""
    parts = re.split(r"\s+(?:::|\||-|—|–|@)\s+|_(?=[^_]*$)", title)
    return parts[0]


@pytest.mark.parametrize("page", _pages() or [HTML / "missing"], ids=lambda p: p.name)
def test_html_page_recall_and_headline(page: Path) -> None:
    _need(HTML)
    recall, _precision, head = _html_figures(page)
    assert recall >= 0.85, recall
    meta = json.loads((page / "expected-metadata.json").read_text("utf-8"))
    title = _fold(meta["title"])
    assert _fold(head) and _fold(head) in title, (head, meta["title"])
    assert title.find(_fold(head)) <= title.find(_fold(_lead(meta["title"]))), head
    assert _fold(head) != _fold(meta.get("siteName") or "")


def test_html_pages_pass_on_the_whole() -> None:
    _need(HTML)
    figures = {p.name: _html_figures(p)[:2] for p in _pages()}
    good = [n for n, (r, p) in figures.items() if r >= 0.95 and p >= 0.9]
    assert len(good) >= 16, figures


# --- dedup.cer on small texts (no shared files needed) ------------------------


def test_cer_counts_grapheme_clusters_over_the_reference() -> None:
    from dedup.cer import character_errors, graphemes, wer

    assert graphemes("u\u0308ber") == ["u\u0308", "b", "e", "r"]
    assert cer("über", "u\u0308ber") == 0.0  # NFC: one character either way
    assert cer("Sorgen", "Sorgem") == pytest.approx(1 / 6)
    assert cer("ﬁnden", "finden") == 0.0  # ligatures unjoined
    assert cer("a  b\n\nc", "a b c") == 0.0  # white space collapsed
    assert cer("# 标题\n\n正文", "标题 正文") == 0.0  # heading markers are layout
    assert character_errors("", "x").rate == 1.0 and cer("", "") == 0.0
    assert cer("ab", "abcdef") == 2.0  # can exceed 1
    assert wer("Es ist worden; so", "Es iſt worden; so") == pytest.approx(1 / 4)
    assert wer("北京下雨", "北京下雪") == pytest.approx(1 / 4)


def test_compare_states_the_page_cer_and_takes_the_page_level() -> None:
    """``dedup compare GT OCR`` prints the page CER an OCR evaluator would (A as reference)."""
    from click.testing import CliRunner

    from dedup.cli import cli

    _need(OCR)
    gt, ocr = OCR / "pairs" / "backhart.gt.page.xml", OCR / "pairs" / "backhart.fake-ocr.page.xml"
    result = CliRunner().invoke(cli, ["compare", str(gt), str(ocr)])
    assert result.exit_code == 0, result.output
    line = next(x for x in result.output.splitlines() if x.startswith("page CER"))
    assert abs(float(line.split()[2].rstrip(",")) - 0.0024) <= 0.0005
    words = CliRunner().invoke(cli, ["compare", str(gt), str(ocr), "--page-level", "word"])
    assert words.exit_code == 0
    assert "page CER" in words.output
    bad = CliRunner().invoke(cli, ["compare", str(gt), str(ocr), "--page-level", "glyph"])
    assert bad.exit_code == 2


def test_compare_warns_and_fails_when_a_page_reads_as_empty(tmp_path: Path) -> None:
    from click.testing import CliRunner

    from dedup.cli import cli

    story = Path(__file__).parent / "fixtures" / "formats" / "story.txt"
    empty = tmp_path / "blank.txt"
    empty.write_text("\n\n   \n", encoding="utf-8")
    result = CliRunner().invoke(cli, ["compare", str(story), str(empty)])
    assert result.exit_code == 1
    assert result.stderr == f"Warning: {empty}: reads as empty: nothing to compare\n"
    html = CliRunner().invoke(cli, ["compare", str(empty), str(story), "--format", "html"])
    assert html.exit_code == 1 and "reads as empty" in html.stderr
