"""Side and pair evidence: noise profile, noisy pairs, the fitted OCR profile, one similarity."""

from __future__ import annotations

import json
from importlib import resources
from pathlib import Path

from dedup import compare_files, compare_texts
from dedup.evidence import OCR_MARKS, noise, ocr_marks, profile, retype
from dedup.model import Edit

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
    alone = retype([_edit("风格", "网格", 14), _edit("神经", "伸径", 90)], text, text)
    assert (alone[0].type, alone[0].a_text) == ("wording", "风格")


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
