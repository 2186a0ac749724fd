"""Comparing printings: the samples' real differences, invariants, golden files, the CLI."""

from __future__ import annotations

import json
import re
from pathlib import Path

import pytest
from click.testing import CliRunner
from hypothesis import example, given, settings
from hypothesis import strategies as st

from dedup.align import is_marker
from dedup.cli import cli
from dedup.compare import compare, compare_files, compare_texts
from dedup.diff import apply
from dedup.ingest import read
from dedup.model import EDIT_TYPES, MINOR_TYPES, Article, Comparison, Edit, Options, Paragraph
from dedup.normalize import fold
from dedup.report import json as jsonio
from dedup.report.json import comparison_json, pages_json
from dedup.report.text import pages_text
from dedup.segment import split
from tests.conftest import ROOT, check_golden, sample

GOLDEN = ROOT / "tests" / "golden" / "compare"
SWAP = {"missing": "extra", "extra": "missing"}


def article(text: str, path: str = "x") -> Article:
    """One article whose paragraphs are the blank-line separated blocks of ``text``."""
    paragraphs = [
        Paragraph(m.start(), m.end(), m.group())
        for m in re.finditer(r"\S(?:.*\S)?(?:\n(?![ \t]*\n)[^\n]*\S)*", text)
    ]
    return Article(path=path, index=1, start=0, end=len(text), title="", paragraphs=tuple(paragraphs))


@pytest.fixture(scope="module")
def samples() -> tuple[str, str, list[Article], list[Article]]:
    doc_a, doc_b = read(sample("000")), read(sample("001"))
    return doc_a.text, doc_b.text, split(doc_a), split(doc_b)


@pytest.fixture(scope="module")
def lead(samples: tuple[str, str, list[Article], list[Article]]) -> Comparison:
    text_a, text_b, arts_a, arts_b = samples
    return compare(arts_a[0], arts_b[0], text_a=text_a, text_b=text_b)


@pytest.fixture(scope="module")
def bridge(samples: tuple[str, str, list[Article], list[Article]]) -> Comparison:
    text_a, text_b, arts_a, arts_b = samples
    return compare(arts_a[5], arts_b[3], text_a=text_a, text_b=text_b)


def find(c: Comparison, a_text: str, b_text: str) -> Edit:
    hits = [e for e in c.edits if e.a_text == a_text and e.b_text == b_text]
    assert len(hits) == 1, [(e.type, e.a_text, e.b_text) for e in c.edits if e.type not in MINOR_TYPES]
    return hits[0]


# ------------------------------------------------------------- the samples


def test_lead_story_real_differences(lead: Comparison) -> None:
    assert lead.title == "高擎红色旗帜 筑牢坚强堡垒"
    assert find(lead, "", "征").type == "ocr"  # 周勉 / 周勉征
    assert find(lead, "论", "训").type in ("ocr", "wording")  # 干而论道 / 干而训道
    assert find(lead, "实务", "务实").type == "inversion"
    assert find(lead, "", "素质").type == "wording"  # 能力 / 能力素质
    assert find(lead, "", "能力").type == "wording"  # 提升队伍能力素质
    assert find(lead, "着", "").type == "wording"  # 跟随着 / 跟随
    assert find(lead, "弃", "套").type in ("ocr", "wording")
    assert find(lead, "能当家", "来当管家").type == "wording"  # on whole words


def test_lead_story_lookalikes_are_ocr(lead: Comparison) -> None:
    assert find(lead, "论", "训").type == "ocr"
    assert find(lead, "弃", "套").type == "ocr"


def test_lead_story_byline_moved_and_name_reported(lead: Comparison) -> None:
    moved = [(k, b) for k, b in enumerate(lead.alignment) if b.kind == "moved"]
    assert [(b.a, b.b) for _, b in moved] == [((2,), (31,))]
    k = moved[0][0]
    in_block = [(e.type, e.a_text, e.b_text) for e in lead.edits if e.block == k]
    assert ("wording", "嫄", "楠") in in_block
    assert ("wording", "本报", "吉林日报") in in_block


def test_lead_story_truncation_is_one_block(lead: Comparison) -> None:
    cuts = [b for b in lead.alignment if b.kind == "truncation"]
    assert len(cuts) == 1 and cuts[0].a == () and cuts[0].b == tuple(range(21, 31))
    k = lead.alignment.index(cuts[0])
    assert lead.alignment[k - 1].a == (22,) and lead.alignment[k - 1].kind == "a-only"
    (cut,) = [e for e in lead.edits if e.type == "truncation"]
    assert cut.a_text == "（下转第二版）"
    assert cut.b_text.startswith("搭建基层治理特色载体") and cut.b_text.endswith("蓬勃力量。")
    assert not any(e.type in ("missing", "extra") for e in lead.edits)
    assert lead.metrics.coverage_a > 0.95 and lead.metrics.coverage_b < 0.7


def test_lead_story_markup_and_width(lead: Comparison) -> None:
    assert find(lead, "## ", "# ").reason == "heading level ## → #"
    for e in lead.edits:
        if e.type == "wording":
            assert fold(e.a_text).text != fold(e.b_text).text, e
    width = [e for e in lead.edits if {e.a_text, e.b_text} == {"，", ","}]
    assert len(width) > 40 and {e.type for e in width} == {"punctuation"}
    assert find(lead, "、", ",").type == "punctuation"  # 设计新颖、别具一格


def test_bridge_story_splits_and_wording(bridge: Comparison) -> None:
    shapes = {(b.a, b.b): b.kind for b in bridge.alignment}
    assert shapes[(7, 8), (4,)] == "n:1"  # 「…联系点组」+「织召开的…」
    assert shapes[(9,), (5, 6)] == "1:n"
    for a_text, b_text in [("趟", "辆"), ("意", "声"), ("情", "意"), ("建言", "进言"), ("", "部")]:
        assert find(bridge, a_text, b_text).type == "wording"
    breaks = [e for e in bridge.edits if e.reason.startswith("paragraph break")]
    assert len(breaks) == 4 and {e.type for e in breaks} == {"whitespace"}
    # a break next to a changed comma is one difference with it (，\n\n against ,)
    (joined,) = [e for e in bridge.edits if e.reason.endswith("; paragraph break removed")]
    assert (joined.type, joined.a_text, joined.b_text) == ("punctuation", "，\n\n", ",")
    assert [b.kind for b in bridge.alignment].count("truncation") == 1


def test_every_edit_is_in_its_texts(samples: tuple[str, str, list[Article], list[Article]],
                                    lead: Comparison, bridge: Comparison) -> None:
    text_a, text_b, _, _ = samples
    for c in (lead, bridge):
        for e in c.edits:
            assert text_a[e.a[0] : e.a[1]] == e.a_text
            assert text_b[e.b[0] : e.b[1]] == e.b_text


def test_files_pair_the_two_stories() -> None:
    result = compare_files(sample("000"), sample("001"))
    assert [(c.a.rsplit("#")[1], c.b.rsplit("#")[1]) for c in result.pairs] == [("1", "1"), ("6", "4")]
    assert len(result.unpaired_a) == 3 and len(result.unpaired_b) == 2
    text = pages_text(result)
    assert "truncation" in text and "moved" in text and "「实务」→「务实」" in text


def test_width_only_changes_give_no_wording() -> None:
    """Change the input only where normalisation folds it away (STYLE 10)."""
    a = sample("000").read_text(encoding="utf-8")
    b = a.translate(str.maketrans({"，": ",", "：": ":", "（": "(", "）": ")", "“": '"', "”": '"'}))
    b = b.replace("## ", "# ").replace("\n\n", "\n \n")
    result = compare_texts(a, b)
    assert result.pairs
    for c in result.pairs:
        assert {e.type for e in c.edits} <= MINOR_TYPES
        assert c.metrics.similarity == 1.0 and c.metrics.cer == 0.0


def test_mirror_on_the_samples(samples: tuple[str, str, list[Article], list[Article]],
                               lead: Comparison) -> None:
    text_a, text_b, arts_a, arts_b = samples
    back = compare(arts_b[0], arts_a[0], text_a=text_b, text_b=text_a)
    assert_mirrored(lead, back)


def test_without_the_document_text_offsets_stay_right(
    samples: tuple[str, str, list[Article], list[Article]], bridge: Comparison
) -> None:
    _, _, arts_a, arts_b = samples
    bare = compare(arts_a[5], arts_b[3])
    assert [(e.type, e.a, e.b) for e in bare.edits] == [(e.type, e.a, e.b) for e in bridge.edits]


def test_wrong_document_text_is_refused(samples: tuple[str, str, list[Article], list[Article]]) -> None:
    text_a, _, arts_a, arts_b = samples
    with pytest.raises(ValueError, match="does not hold"):
        compare(arts_a[0], arts_b[0], text_a=text_a, text_b=text_a)


def test_json_shape(lead: Comparison) -> None:
    data = comparison_json(lead)
    assert set(data) == {"a", "b", "title", "metrics", "alignment", "edits"}
    assert set(data["metrics"]) == {"similarity", "cer", "coverage_a", "coverage_b", "counts"}
    assert list(data["metrics"]["counts"]) == list(EDIT_TYPES)
    assert set(data["alignment"][0]) == {"a", "b", "kind", "score"}
    assert set(data["edits"][0]) == {"type", "reason", "a", "b", "a_text", "b_text", "block"}
    assert data["a"].endswith("000_eb4e53a3a7b005b7.txt#1")
    assert sum(data["metrics"]["counts"].values()) == len(data["edits"])
    once = jsonio.dumps(data)
    assert json.loads(once)["edits"][0]["a"] == list(lead.edits[0].a)


# ------------------------------------------------------------- invariants


def assert_mirrored(c: Comparison, back: Comparison) -> None:
    assert [b.mirrored() for b in back.alignment] == list(c.alignment)
    assert [(SWAP.get(e.type, e.type), e.b, e.a, e.b_text, e.a_text, e.block) for e in back.edits] == [
        (e.type, e.a, e.b, e.a_text, e.b_text, e.block) for e in c.edits
    ]
    assert back.metrics.similarity == c.metrics.similarity
    assert (back.metrics.coverage_a, back.metrics.coverage_b) == (
        c.metrics.coverage_b,
        c.metrics.coverage_a,
    )


def assert_blocks_round_trip(c: Comparison, x: Article, y: Article, tx: str, ty: str) -> None:
    """Applying a block's edits to A's block text gives B's block text."""
    for k, blk in enumerate(c.alignment):
        edits = [e for e in c.edits if e.block == k]
        pa = [x.paragraphs[i] for i in blk.a]
        pb = [y.paragraphs[j] for j in blk.b]
        if pa and pb:
            block_a = tx[pa[0].start : pa[-1].end]
            block_b = ty[pb[0].start : pb[-1].end]
            assert apply(block_a, edits, offset_a=pa[0].start) == block_b
        elif k + 1 < len(c.alignment) and is_marker(blk, c.alignment[k + 1]):
            assert not edits  # a jump marker: the short side of the truncation that follows
        else:
            assert len(edits) == 1
            (e,) = edits
            assert e.type in ("missing", "extra", "truncation")
        for e in edits:
            assert 0 <= e.a[0] <= e.a[1] <= len(tx) and tx[e.a[0] : e.a[1]] == e.a_text
            assert 0 <= e.b[0] <= e.b[1] <= len(ty) and ty[e.b[0] : e.b[1]] == e.b_text


_WORDS = ["基层", "党建", "治理", "社区", "干部", "立法", "联系点", "群众", "意见", "建设",
          "发展", "推动", "Bridge", "law", "the", "modern"]
_PUNCT = ["，", ",", "。", "、", "“", "”", '"', "：", "…", " ", "\n"]


@st.composite
def _paragraph(draw: st.DrawFn) -> str:
    tokens = draw(st.lists(st.sampled_from(_WORDS + _PUNCT), min_size=3, max_size=14))
    text = "".join(tokens).strip()
    return text or "基层"


@st.composite
def _mutated(draw: st.DrawFn, paragraphs: list[str]) -> list[str]:
    out: list[str] = []
    for p in paragraphs:
        op = draw(st.sampled_from(["keep", "keep", "edit", "split", "drop", "width", "add"]))
        if op == "edit" and p:
            k = draw(st.integers(0, len(p) - 1))
            p = p[:k] + draw(st.sampled_from(_WORDS + _PUNCT)) + p[k + 1 :]
        elif op == "width":
            p = p.replace("，", ",").replace("“", '"')
        if op == "drop":
            continue
        if op == "split" and len(p) > 4:
            k = draw(st.integers(1, len(p) - 1))
            first, second = p[:k].strip(), p[k:].strip()
            out.extend(x for x in (first, second) if x)
            continue
        if p.strip():
            out.append(p.strip())
        if op == "add":
            out.append(draw(_paragraph()))
    if draw(st.booleans()) and out:
        out = [*out[: draw(st.integers(1, len(out)))], "（下转第二版）"]
    if draw(st.booleans()) and len(out) > 1:
        out.append(out.pop(0))  # a byline moved to the end
    return out or ["党建"]


@st.composite
def _pair(draw: st.DrawFn) -> tuple[str, str]:
    paragraphs = draw(st.lists(_paragraph(), min_size=1, max_size=8))
    other = draw(_mutated(paragraphs))
    sep = draw(st.sampled_from(["\n\n", "\n \n", "\r\n\r\n"]))
    return sep.join(paragraphs) + "\n", "\n\n".join(other)


@settings(max_examples=150, deadline=None)
@given(_pair())
# two sides of equal noise: a run lost on one side is typed alike whichever is A
@example(("基层基层基层基层基层，\n\n基层基层基层\n\n基层党建，\n", "基层基层基层\n\n基层党建，\n\n基层基层基层基层基层，"))
def test_properties_on_generated_pairs(pair: tuple[str, str]) -> None:
    ta, tb = pair
    x, y = article(ta, "a"), article(tb, "b")
    c = compare(x, y, text_a=ta, text_b=tb)
    assert_blocks_round_trip(c, x, y, ta, tb)
    back = compare(y, x, text_a=tb, text_b=ta)
    assert_mirrored(c, back)
    assert_blocks_round_trip(back, y, x, tb, ta)
    once = jsonio.dumps(comparison_json(c))
    again = jsonio.dumps(comparison_json(compare(x, y, text_a=ta, text_b=tb)))
    assert once == again
    covered_a = sorted(i for b in c.alignment for i in b.a)
    covered_b = sorted(j for b in c.alignment for j in b.b)
    assert covered_a == list(range(len(x.paragraphs)))
    assert covered_b == list(range(len(y.paragraphs)))
    for value in (c.metrics.similarity, c.metrics.coverage_a, c.metrics.coverage_b):
        assert 0.0 <= value <= 1.0


def test_same_input_twice_gives_identical_json() -> None:
    a, b = sample("000"), sample("001")
    first = jsonio.dumps(pages_json(compare_files(a, b)))
    second = jsonio.dumps(pages_json(compare_files(a, b)))
    assert first == second


def test_traditional_option_folds_variants() -> None:
    page = "## 標題\n\n本報記者 張三\n\n這是一個關於社區治理的長篇報道，內容很長。\n"
    simple = "## 标题\n\n本报记者 张三\n\n这是一个关于社区治理的长篇报道，内容很长。\n"
    plain = compare_texts(page, simple)
    folded = compare_texts(page, simple, options=Options(traditional=True))
    assert folded.pairs and {e.type for e in folded.pairs[0].edits} == {"variant"}
    assert not plain.pairs or any(e.type == "wording" for e in plain.pairs[0].edits)


# ------------------------------------------------------------- golden files


def _cases() -> list[Path]:
    return sorted(p for p in GOLDEN.iterdir() if p.is_dir()) if GOLDEN.is_dir() else []


@pytest.mark.parametrize("case", _cases(), ids=lambda p: p.name)
def test_golden(case: Path, update_golden: bool, monkeypatch: pytest.MonkeyPatch) -> None:
    """API and CLI give the golden JSON (or the golden error line), byte for byte."""
    monkeypatch.chdir(case)
    result = CliRunner().invoke(cli, ["compare", "a.txt", "b.txt", "--format", "json"])
    if (case / "expected.err").exists() or (update_golden and result.exit_code):
        assert result.exit_code == 1
        check_golden(case / "expected.err", result.stderr, update_golden)
        return
    assert result.exit_code == 0, result.stderr
    check_golden(case / "expected.json", result.stdout, update_golden)
    a = (case / "a.txt").read_bytes().decode("utf-8")
    b = (case / "b.txt").read_bytes().decode("utf-8")
    api = compare_texts(a, b, names=("a.txt", "b.txt"))
    assert jsonio.dumps(pages_json(api)) == result.stdout
    back = compare_texts(b, a, names=("b.txt", "a.txt"))
    for c, m in zip(api.pairs, back.pairs, strict=True):
        assert_mirrored(c, m)


# ------------------------------------------------------------- command line


def run(*args: str) -> tuple[int, str, str]:
    result = CliRunner().invoke(cli, list(args))
    return result.exit_code, result.stdout, result.stderr


def test_cli_text_summary() -> None:
    code, out, err = run("compare", str(sample("000")), str(sample("001")))
    assert code == 0 and err == ""
    assert out.splitlines()[0].endswith(": 2 article pairs")
    assert "inversion" in out and "「实务」→「务实」" in out and "truncation" in out


def test_cli_json_to_file(tmp_path: Path) -> None:
    target = tmp_path / "out.json"
    code, out, _ = run("compare", str(sample("000")), str(sample("001")), "--format", "json",
                       "--out", str(target))
    assert code == 0 and out == ""
    data = json.loads(target.read_text(encoding="utf-8"))
    assert len(data["pairs"]) == 2 and set(data) == {"a", "b", "pairs", "unpaired_a", "unpaired_b"}


def test_cli_bad_input_is_one_error_line(tmp_path: Path) -> None:
    bad = tmp_path / "bad.txt"
    bad.write_bytes(b"abc\x00def")
    code, out, err = run("compare", str(bad), str(sample("001")))
    assert (code, out) == (1, "")
    assert err == f"Error: {bad.as_posix()}: binary file (NUL byte at offset 3)\n"
    code, _, err = run("compare", str(sample("000")), str(tmp_path / "missing.txt"))
    assert code == 1 and err == f"Error: {(tmp_path / 'missing.txt').as_posix()}: no such file\n"


def test_cli_html_is_one_page(tmp_path: Path) -> None:
    target = tmp_path / "report.html"
    code, out, err = run("compare", str(sample("000")), str(sample("001")), "--format", "html",
                         "--out", str(target))
    assert (code, out, err) == (0, "", "")
    assert target.read_bytes().startswith(b"<!DOCTYPE html>")  # structure: tests/report/
