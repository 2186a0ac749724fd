"""Paragraph alignment: groups of any shape, moved paragraphs, truncation, anchors, the samples."""

from __future__ import annotations

import random

import pytest

from dedup import anchors
from dedup.align import align, gain
from dedup.ingest import read
from dedup.model import Block
from dedup.normalize import fold
from dedup.segment import split
from tests.conftest import sample

P1 = "党的基层组织是党的肌体神经末梢,是党的全部工作和战斗力的基础。"
P2 = "党的二十大报告提出,坚持大抓基层的鲜明导向,把基层党组织建设成为坚强战斗堡垒。"
P3 = "近年来,我省牢固树立以人民为中心的发展思想,推进基层党组织建设整体提升、全面过硬。"
P4 = "走进吉林长春社区干部学院,随处可见党建元素和红色文化融入进校园、门庭、廊道、教室。"
OTHER = "省政府召开专题调度会议,全力以赴做好疫情防控和服务企业工作,推动汽车产业链稳定运行。"


def kinds(blocks: tuple[Block, ...]) -> list[str]:
    return [b.kind for b in blocks]


def test_gain_is_positive_only_above_half_similarity() -> None:
    assert gain(P1, P1) == 2 * len(P1)
    assert gain(P1, OTHER) == 0
    assert gain("", "") == 0
    assert gain("甲乙丙", "甲乙丁") == 6 - 2 * 2


def test_one_to_one_in_order() -> None:
    blocks = align([P1, P2, P3], [P1, P2, P3])
    assert blocks == tuple(Block((i,), (i,), "1:1", 1.0) for i in range(3))


def test_column_break_is_n_to_1_and_1_to_n() -> None:
    cut = P2.index("坚持")
    a = [P1, P2[:cut], P2[cut:], P3]
    b = [P1, P2, P3]
    blocks = align(a, b)
    assert kinds(blocks) == ["1:1", "n:1", "1:1"]
    assert blocks[1].a == (1, 2) and blocks[1].b == (1,)
    mirrored = align(b, a)
    assert kinds(mirrored) == ["1:1", "1:n", "1:1"]
    assert mirrored[1] == blocks[1].mirrored()


def test_three_way_split() -> None:
    thirds = [P4[:12], P4[12:30], P4[30:]]
    blocks = align([P1, P4], [P1, *thirds])
    assert kinds(blocks) == ["1:1", "1:n"] and blocks[1].b == (1, 2, 3)


def test_one_sided_paragraphs_group_into_runs() -> None:
    blocks = align([P1, OTHER, P4[::-1], P2], [P1, P2, P3])
    assert kinds(blocks) == ["1:1", "a-only", "1:1", "b-only"]
    assert blocks[1].a == (1, 2)


def test_moved_byline_top_to_bottom() -> None:
    a = ["本报记者李抑嫄", P1, P2, P3]
    b = [P1, P2, P3, "吉林日报记者李抑楠"]
    blocks = align(a, b, kinds_a=["byline", "body", "body", "body"],
                   kinds_b=["body", "body", "body", "byline"])
    assert kinds(blocks) == ["1:1", "1:1", "1:1", "moved"]
    assert blocks[-1].a == (0,) and blocks[-1].b == (3,)


def test_truncation_is_one_block_with_the_jump_marker() -> None:
    tail = [P3, P4, OTHER, P1[::-1], P2[::-1]]
    a = [P1, P2, "(下转第二版)"]
    b = [P1, P2, *tail]
    blocks = align(a, b, kinds_a=["body", "body", "jump"], kinds_b=["body"] * len(b))
    # the marker is its own one-sided block: it is not linked to every paragraph of the tail
    assert kinds(blocks) == ["1:1", "1:1", "a-only", "truncation"]
    assert blocks[-2] == Block((2,), (), "a-only")
    assert blocks[-1] == Block((), tuple(range(2, 2 + len(tail))), "truncation")
    # without a jump marker a long tail is still a cut, a single paragraph is not
    assert kinds(align([P1, P2], [P1, P2, P3, P4])) == ["1:1", "1:1", "truncation"]
    assert kinds(align([P1, P2], [P1, P2, P3])) == ["1:1", "1:1", "b-only"]
    # both sides going on differently is no truncation
    assert "truncation" not in kinds(align([P1, P2, OTHER, P4[::-1]], [P1, P2, P3, P4]))


def test_moved_paragraph_at_the_end_of_a_tail_leaves_the_tail() -> None:
    a = ["本报记者李娜", P1, "(下转第二版)"]
    b = [P1, P2, P3, P4, "吉林日报记者李娜"]
    blocks = align(a, b, kinds_a=["byline", "body", "jump"], kinds_b=["body"] * 4 + ["byline"])
    assert kinds(blocks) == ["1:1", "a-only", "truncation", "moved"]
    assert blocks[2].b == (1, 2, 3) and blocks[3].b == (4,)


def test_block_validation() -> None:
    with pytest.raises(ValueError, match="not n:1"):
        Block((0,), (1,), "n:1")
    with pytest.raises(ValueError, match="ascending"):
        Block((2, 1), (0,), "n:1")
    with pytest.raises(ValueError, match="unknown block kind"):
        Block((0,), (0,), "2:2")  # type: ignore[arg-type]
    with pytest.raises(ValueError, match="kinds must"):
        align(["a"], ["a"], kinds_a=[])


def _noisy(paragraphs: list[str], rng: random.Random) -> list[str]:
    out: list[str] = []
    for p in paragraphs:
        chars = list(p)
        for _ in range(max(1, len(chars) // 40)):
            chars[rng.randrange(len(chars))] = rng.choice("的一是在不了有和人这中")
        q = "".join(chars)
        roll = rng.random()
        if roll < 0.1:
            cut = len(q) // 2
            out.extend([q[:cut], q[cut:]])
        elif roll < 0.15:
            continue
        else:
            out.append(q)
    return out


def _paragraphs(n: int, rng: random.Random) -> list[str]:
    alphabet = [chr(c) for c in range(0x4E00, 0x4E00 + 3000)]
    return ["".join(rng.choice(alphabet) for _ in range(rng.randint(30, 120))) for _ in range(n)]


def test_anchored_alignment_agrees_with_one_exact_alignment(monkeypatch: pytest.MonkeyPatch) -> None:
    """Anchors only cut the work: on a noisy long pair the groups are the same."""
    rng = random.Random(7)
    a = _paragraphs(260, rng)
    b = _noisy(a, rng)
    whole = align(a, b)
    monkeypatch.setattr(anchors, "_EXACT_CELLS", 5_000)
    cut = align(a, b)
    assert cut == whole
    assert sum(1 for blk in cut if blk.matched) >= 0.8 * len(a)


def test_unrelated_texts_stay_one_sided(monkeypatch: pytest.MonkeyPatch) -> None:
    rng = random.Random(3)
    monkeypatch.setattr(anchors, "_EXACT_CELLS", 5_000)
    blocks = align(_paragraphs(150, rng), _paragraphs(170, rng))
    assert {i for blk in blocks for i in blk.a} == set(range(150))
    assert {j for blk in blocks for j in blk.b} == set(range(170))
    assert not any(blk.matched for blk in blocks)


def test_one_paragraph_against_many_fragments() -> None:
    """A paragraph set as dozens of OCR column fragments is one group."""
    whole = P1 + P2 + P3 + P4
    pieces = [whole[k : k + 7] for k in range(0, len(whole), 7)]
    blocks = align([whole, OTHER], [*pieces, OTHER])
    assert kinds(blocks) == ["1:n", "1:1"]
    assert blocks[0].b == tuple(range(len(pieces)))


def test_re_broken_paragraphs_form_n_to_m_groups() -> None:
    a = [P1 + P2[:10], P2[10:] + P3, P4]
    b = [P1, P2, P3 + P4]
    blocks = align(a, b)
    assert kinds(blocks) == ["n:m"]
    assert blocks[0].a == (0, 1, 2) and blocks[0].b == (0, 1, 2)
    assert kinds(align([P1, P2, P3], [P1 + P2, P3])) == ["n:1", "1:1"]


def test_continuation_without_the_head_is_a_truncation() -> None:
    a = ["(上接第一版)", P3, P4]
    b = [P1, P2, P3, P4]
    blocks = align(a, b, kinds_a=["jump", "body", "body"])
    assert kinds(blocks) == ["a-only", "truncation", "1:1", "1:1"]
    assert blocks[1] == Block((), (0, 1), "truncation")


def _sample_blocks(ia: int, ib: int) -> tuple[Block, ...]:
    x = split(read(sample("000")))[ia]
    y = split(read(sample("001")))[ib]
    return align(
        [fold(p.text).text for p in x.paragraphs],
        [fold(p.text).text for p in y.paragraphs],
        kinds_a=[p.kind for p in x.paragraphs],
        kinds_b=[p.kind for p in y.paragraphs],
    )


def test_sample_lead_story() -> None:
    blocks = _sample_blocks(0, 0)
    assert kinds(blocks) == ["1:1"] * 21 + ["a-only", "truncation", "moved"]
    assert blocks[-3] == Block((22,), (), "a-only")  # （下转第二版）
    assert blocks[-2] == Block((), tuple(range(21, 31)), "truncation")
    assert blocks[-1].a == (2,) and blocks[-1].b == (31,)  # 本报记者 李抑嫄 / … 李抑楠


def test_sample_bridge_story_paragraph_splits() -> None:
    blocks = _sample_blocks(5, 3)
    shapes = [(b.a, b.b, b.kind) for b in blocks]
    assert ((3, 4), (2,), "n:1") in shapes
    assert ((7, 8), (4,), "n:1") in shapes  # 「…联系点组」+「织召开的…」
    assert ((9,), (5, 6), "1:n") in shapes
    assert ((10, 11), (7,), "n:1") in shapes
    assert shapes[-2][2] == "truncation" and shapes[-1][2] == "moved"
