"""Side and pair evidence: noise profile, noisy pairs, the fitted OCR profile, one similarity."""

from __future__ import annotations

import json
from importlib import resources
from pathlib import Path

from dedup import compare_files, compare_texts
from dedup.evidence import OCR_MARKS, noise, ocr_marks, profile, retype
from dedup.model import Edit
from dedup.wordswap import EDITOR_CHOICE

ROOT = Path(__file__).resolve().parent.parent


def test_profile_is_shipped_and_between_editing_and_ocr() -> None:
    text = resources.files("dedup").joinpath("data/ocr_profile.tsv").read_text(encoding="utf-8")
    assert "tools/build_ocr_profile.py" in text
    prof = profile()
    editorial = float(next(x for x in text.splitlines() if x.startswith("# editorial")).split()[-1])
    ocr_rows = [float(x.split()[4]) for x in text.splitlines() if x.startswith("# chi_sim")]
    assert editorial < prof["pair_rate"] < min(ocr_rows)


def test_noise_profile_counts_non_words_and_rare_characters() -> None:
    assert noise("基层党建工作") == 0.0
    assert noise("牛轻伯重辆平电锅") > 0.5
    assert noise("") == 0.0


def _edit(a: str, b: str, at: int) -> Edit:
    return Edit("wording", f"replaced {a} → {b}", (at, at + len(a)), (at, at + len(b)), a, b)


def test_a_noisy_pair_types_short_replacements_as_ocr_and_names_the_suspect() -> None:
    clean = "党的基层组织是党的肌体神经末梢是党的全部工作和战斗力的基础" * 3
    noisy = clean.replace("肌体", "朋休").replace("神经", "伸径")
    edits = [_edit("肌体", "朋休", 9), _edit("神经", "伸径", 11), _edit("民意", "民声", 40)]
    out = retype(edits, clean, noisy)
    assert [e.type for e in out] == ["ocr", "ocr", "wording"]  # 民意/民声: both words
    assert out[0].reason.startswith("B reads 朋休 where A has 肌体: likely misread in B")
    # a clean pair with one replacement in a long text is left alone
    long = clean * 10
    assert [e.type for e in retype(edits[:1], long, long)] == ["wording"]
    # a side known to be OCR is the suspect
    (known,) = retype(edits[:1], long, long, known_ocr=(True, False))
    assert known.type == "ocr" and "misread in A" in known.reason


def test_one_similarity_in_scan_csv_and_compare(tmp_path: Path) -> None:
    samples = sorted((ROOT / "samples").glob("*.txt"))
    result = compare_files(samples[0], samples[1])
    compared = {(c.a.split("/")[-1], c.b.split("/")[-1]): c.metrics.similarity for c in result.pairs}
    scan = json.loads((ROOT / "reports" / "scan.json").read_text(encoding="utf-8"))
    seen = 0
    for p in scan["pairs"]:
        key = (p["a"].split("/")[-1], p["b"].split("/")[-1])
        if key in compared:
            seen += 1
            assert round(compared[key], 4) == round(p["similarity"], 4)
            if p.get("metrics"):
                assert round(p["metrics"]["similarity"], 4) == round(p["similarity"], 4)
    assert seen == len(compared) == 2
    csv = (ROOT / "reports" / "pairs.csv").read_text(encoding="utf-8").splitlines()[1:]
    for row in csv:
        a, b, sim = row.split(",")[:3]
        assert f"{compared[(a, b)]:.4f}" == sim


def test_breaks_between_blocks_are_diffed() -> None:
    page = "## 标题\n\n本报记者 张三\n\n第一段正文，内容很长很长很长。\n\n第二段正文，内容也很长很长。\n"
    other = page.replace("很长。\n\n第二段", "很长。\n \n第二段")
    (c,) = compare_texts(page, other).pairs
    assert [(e.type, e.a_text, e.b_text, e.block) for e in c.edits] == [
        ("whitespace", "\n\n", "\n \n", -1)
    ]


def test_a_word_pair_inside_a_burst_of_noise_is_a_misreading_of_one_glyph() -> None:
    text = "党的基层组织是党的肌体神经末梢是党的全部工作和战斗力的基础" * 4
    burst = [_edit("肌体", "朋休", 9), _edit("风格", "网格", 14), _edit("神经", "伸径", 20)]
    out = retype(burst, text, text)
    assert (out[1].type, out[1].a_text, out[1].b_text, out[1].a) == ("ocr", "风", "网", (14, 15))
    # alone, a swap of like for like (two rare words) stays an edit; a common word
    # turned into a rare one (风格/网格) is a misreading of its one changed glyph
    alone = retype([_edit("民意", "民声", 14), _edit("神经", "伸径", 90)], text, text)
    assert (alone[0].type, alone[0].a_text) == ("wording", "民意")
    alone = retype([_edit("风格", "网格", 14), _edit("神经", "伸径", 90)], text, text)
    assert (alone[0].type, alone[0].a_text, alone[0].b_text) == ("ocr", "风", "网")


def test_ocr_marks_tell_an_ocr_side_from_clean_text() -> None:
    clean = "据了解，吉林市通过公益活动社会化，助力城乡群众；文化活动常态化。"
    ocr = "据了解，吉林市通过公益活动社会化,助力城乡群众; 文化活动常态化。"
    assert ocr_marks(clean) == 0
    assert ocr_marks(clean.replace("，", ",")) == 0  # a web edition: half-width throughout
    assert ocr_marks(ocr) >= OCR_MARKS
    assert ocr_marks("全面开创-一简政放权，通过      联动") == 2  # a dash read as 一, blanks


def test_a_run_lost_on_the_ocr_side_is_a_misreading_a_dropped_word_is_not() -> None:
    text = "党的基层组织是党的肌体神经末梢是党的全部工作和战斗力的基础" * 3
    lost = Edit("wording", "removed 工作和战", (20, 24), (20, 20), "工作和战", "")
    word = Edit("wording", "removed 全部", (60, 62), (56, 56), "全部", "")
    out = retype([lost, word], text, text, known_ocr=(False, True))
    assert [e.type for e in out] == ["ocr", "wording"]
    assert out[0].reason == (
        "B lacks 工作和战 that A has: likely lost in B's recognition (B reads as OCR output)"
    )
    # no side known for OCR, no noise: nothing is retyped
    assert [e.type for e in retype([lost, word], text, text)] == ["wording", "wording"]


def test_a_word_for_one_hanzi_stays_an_editors_change_in_a_noisy_pair() -> None:
    text = "党的基层组织是党的肌体神经末梢是党的全部工作和战斗力的基础" * 3
    noise = [_edit("肌体", "朋休", 9), _edit("神经", "伸径", 11)]
    said = Edit("wording", "replaced 说 → 表示", (50, 51), (50, 52), "说", "表示")
    out = retype([*noise, said], text, text)
    assert [e.type for e in out] == ["ocr", "ocr", "wording"]


def test_side_marks_are_fitted_on_our_own_renders() -> None:
    text = resources.files("dedup").joinpath("data/ocr_profile.tsv").read_text(encoding="utf-8")
    rows = [x.split() for x in text.splitlines() if x.startswith("# marks ")]
    assert rows and all(r[-1] == "0" for r in rows)  # the clean source carries no mark
    # every render of tesseract shows many more marks per 1000 characters than a side needs
    assert min(float(r[-2]) for r in rows) > profile()["side_marks"] == OCR_MARKS
    assert ocr_marks("全面开创〈乡镇) 工作“成效\"显著") == 2  # 〈…) and mixed quotes


def test_an_editors_swap_of_common_words_stays_wording_in_a_noisy_pair() -> None:
    """推进/推动 (common words, unlike glyphs that tesseract never confused) is an edit, even amid OCR noise."""
    a = "要坚持问题导向，推进基层治理现代化，让群众有更多获得感。" * 2
    b = a.replace("推进", "推动", 1).replace("问题", "间题").replace("群众", "群从")
    (c,) = compare_texts(a, b).pairs
    by_text = {(e.a_text, e.b_text): e for e in c.edits}
    swap = by_text[("推进", "推动")]
    assert swap.type == "wording" and "推进 and 推动 are both common words" in swap.reason
    # the same glyph through two different words (以下/延伸) is no word swap
    a2 = "全部达到六十岁以下标准。" * 2
    (c2,) = compare_texts(a2, a2.replace("以下", "以延", 1)).pairs
    assert all(EDITOR_CHOICE not in e.reason for e in c2.edits)


def test_a_stray_he_on_the_ocr_side_is_a_misreading() -> None:
    """tesseract puts in 和 from nothing (its own renders say so); on the OCR side it is ocr."""
    text = "党的基层组织是党的肌体神经末梢是党的全部工作和战斗力的基础" * 3
    added = Edit("wording", "function word 和 added", (5, 5), (5, 6), "", "和")
    (out,) = retype([added], text, text, known_ocr=(False, True))
    assert out.type == "ocr" and "misread in B" in out.reason
    # on the clean side it is an editor's word
    (kept,) = retype([added], text, text, known_ocr=(True, False))
    assert kept.type == "wording"


def test_a_column_rule_read_as_a_bar_is_a_misreading() -> None:
    text = "党的基层组织是党的肌体神经末梢是党的全部工作和战斗力的基础" * 3
    ruled = Edit("wording", "added | 推动实现", (5, 5), (5, 11), "", "| 推动实现")
    (out,) = retype([ruled], text, text, known_ocr=(False, True))
    assert out.type == "ocr"


def test_figures_alone_on_one_side_and_a_rare_word_read_as_one_glyph_are_misreadings() -> None:
    """61 put in between hanzi, 珲春 read as 恒: OCR in a noisy pair; 表示/说 stays an edit."""
    text = "党的基层组织是党的肌体神经末梢是党的全部工作和战斗力的基础" * 3
    noise_edits = [_edit("肌体", "朋休", 9), _edit("神经", "伸径", 11)]
    specks = Edit("wording", "added 61", (30, 30), (30, 32), "", "61")
    rare = Edit("wording", "replaced 珲春 → 恒", (40, 42), (40, 41), "珲春", "恒")
    common = Edit("wording", "replaced 表示 → 说", (50, 52), (50, 51), "表示", "说")
    out = retype([*noise_edits, specks, rare, common], text, text)
    assert [e.type for e in out[2:]] == ["ocr", "ocr", "wording"]
    # a common word turned into a rare one of the same length (辐射/加映) is a misreading
    (swap,) = retype([*noise_edits, _edit("辐射", "加映", 60)], text, text)[2:]
    assert swap.type == "ocr"


def test_a_glyph_lost_at_a_line_break_and_a_stray_after_a_dash_are_misreadings() -> None:
    """。\\n\\n以 against . on the OCR side: 以 lost with the break; ——“ read as 一“和: a stray 和."""
    text = "党的基层组织是党的肌体神经末梢是党的全部工作和战斗力的基础" * 3
    lost = Edit("wording", "function word 以 added", (5, 6), (5, 9), ".", "。\n\n以")
    (out,) = retype([lost], text, text, known_ocr=(True, False))
    assert out.type == "ocr" and "misread in A" in out.reason
    # the same word added by the clean side's editor, within a line, stays an edit
    within = Edit("wording", "function word 以 added", (5, 5), (5, 6), "", "以")
    assert retype([within], text, text, known_ocr=(True, False))[0].type == "wording"
    dash = Edit("wording", "added 一\"和", (8, 11), (8, 11), "——“", "一“和")
    (read,) = retype([dash], text, text, known_ocr=(False, True))
    assert read.type == "ocr"


def test_a_word_swap_is_a_misreading_when_the_suspect_prints_the_other_word_elsewhere() -> None:
    """营建 once in an OCR text that prints 党建 throughout is a misread 党; 民意/民声 alone is an edit."""
    ocr = "抓好基层党建工作，党建引领发展，推进营建工作落实。" * 2
    clean = ocr.replace("营建", "党建")
    swap = _edit("党建", "营建", 16)
    (out,) = retype([swap], clean, ocr, known_ocr=(False, True))
    assert (out.type, out.a_text, out.b_text) == ("ocr", "党", "营")
    other = _edit("民意", "民声", 16)
    (kept,) = retype([other], clean, ocr, known_ocr=(False, True))
    assert kept.type == "wording"
