"""One article holding two stories must not chain their printings into one cluster."""

from __future__ import annotations

from pathlib import Path

from dedup.cluster import components
from dedup.engines import local
from dedup.match import check
from dedup.model import Match, Options, Profile
from dedup.report.json import scan_json
from dedup.stories import separate_stories

STORY_X = "".join(f"甲乙丙丁第{i}段讲述了城市社区治理的做法和成效居民满意度不断提升" for i in range(30))
STORY_Y = "".join(f"子丑寅卯第{i}段介绍了乡村产业发展的新路子农民收入持续增长" for i in range(30))


def _profile(article_id: str, key: str, cut: bool = False) -> Profile:
    return Profile(article_id, key, cut, False, "", "", 0.0)


def _match(a: str, b: str, a_span: tuple[int, int], b_span: tuple[int, int]) -> Match:
    return Match(a, b, 0.9, 0.9, "partial", a_span, b_span)


def test_merged_article_found_by_real_checks_does_not_chain_two_stories() -> None:
    merged = _profile("m.txt#1", STORY_X + STORY_Y)
    xs = [_profile(f"x{k}.txt#1", STORY_X) for k in range(2)]
    ys = [_profile(f"y{k}.txt#1", STORY_Y) for k in range(2)]
    everyone = [merged, *xs, *ys]
    matches = [m for i, a in enumerate(everyone) for b in everyone[i + 1 :] if (m := check(a, b, Options()))]
    assert len(components(matches)) == 1  # plain union-find chains the two stories
    edges, splits = separate_stories(matches)
    groups = components(edges)
    assert ("m.txt#1", "x0.txt#1", "x1.txt#1") in groups or ("m.txt#1", "y0.txt#1", "y1.txt#1") in groups
    assert len(groups) == 2
    (split,) = splits
    assert split.article == "m.txt#1"
    spans = sorted(span for span, _ in split.parts)
    assert spans[0][0] < 10 and abs(spans[0][1] - len(STORY_X)) < 50
    assert spans[1][0] > len(STORY_X) - 50 and spans[1][1] > len(STORY_X) + len(STORY_Y) - 50


def test_head_and_continuation_of_a_jumped_story_stay_together() -> None:
    full = "f.txt#1"
    matches = [_match(full, "h.txt#1", (0, 500), (0, 500)), _match(full, "c.txt#2", (510, 900), (0, 390))]
    edges, splits = separate_stories(matches, frozenset({"h.txt#1", "c.txt#2"}))
    assert splits == [] and edges == matches


def test_two_pieces_of_one_page_matching_two_halves_stay_together() -> None:
    full = "f.txt#1"
    matches = [_match(full, "p.txt#2", (0, 500), (0, 500)), _match(full, "p.txt#4", (510, 900), (0, 390))]
    edges, splits = separate_stories(matches)
    assert splits == [] and edges == matches


def test_overlapping_regions_are_one_part() -> None:
    matches = [_match("a.txt#1", "b.txt#1", (0, 900), (0, 900)), _match("a.txt#1", "c.txt#1", (0, 300), (0, 300))]
    assert separate_stories(matches) == (matches, [])


def test_parts_linked_elsewhere_are_one_story() -> None:
    matches = [
        _match("a.txt#1", "b.txt#1", (0, 500), (0, 500)),
        _match("a.txt#1", "c.txt#1", (520, 900), (0, 380)),
        _match("b.txt#1", "c.txt#1", (0, 400), (0, 380)),
    ]
    assert separate_stories(matches) == (matches, [])


def _paragraphs(story: str, size: int = 160) -> str:
    return "\n\n".join(story[i : i + size] + "。" for i in range(0, len(story), size))


def test_scan_cuts_the_merged_article_and_clusters_each_story_apart(tmp_path: Path) -> None:
    (tmp_path / "m.txt").write_text(f"合并的报道\n\n{_paragraphs(STORY_X)}\n\n{_paragraphs(STORY_Y)}\n", "utf-8")
    for k in range(2):
        (tmp_path / f"x{k}.txt").write_text(f"第一篇报道\n\n{_paragraphs(STORY_X)}\n", "utf-8")
        (tmp_path / f"y{k}.txt").write_text(f"第二篇报道\n\n{_paragraphs(STORY_Y)}\n", "utf-8")
    result = local.scan([tmp_path], Options(jobs=1, compare_pairs=False))
    assert [s.article.rpartition("/")[2] for s in result.splits] == ["m.txt#1"]
    (merged,) = [d for d in result.documents if d.path.endswith("m.txt")]
    assert [a.kind for a in merged.articles] == ["story", "story"]
    clusters = sorted(tuple(sorted(x.rpartition("/")[2] for x in c.articles)) for c in result.clusters)
    assert clusters == [("m.txt#1", "x0.txt#1", "x1.txt#1"), ("m.txt#2", "y0.txt#1", "y1.txt#1")]
    assert '"split"' in scan_json(result)
