"""Clusters: transitive groups, continuation links, canonical choice, stable order."""

from __future__ import annotations

from itertools import permutations

import pytest

from dedup.cluster import choose_canonical, cluster, components, link_continuations
from dedup.model import Cluster, Match, Profile, id_order
from dedup.normalize import key_text
from tests.conftest import STORY, profile

FULL = key_text(STORY)


def _m(a: str, b: str, relation: str = "duplicate") -> Match:
    return Match(a, b, 0.9, 0.9, relation)  # type: ignore[arg-type]


def test_ids_sort_by_path_then_article_number() -> None:
    ids = ["b.txt#1", "a.txt#10", "a.txt#2", "a.txt#x", "a.txt#1"]
    assert sorted(ids, key=id_order) == ["a.txt#x", "a.txt#1", "a.txt#2", "a.txt#10", "b.txt#1"]
    assert id_order("dir/p#3.txt#4") == ("dir/p#3.txt", 4)


def test_matches_are_grouped_transitively() -> None:
    matches = [_m("a#1", "b#1"), _m("d#1", "e#1"), _m("b#1", "c#1"), _m("e#1", "f#1")]
    assert components(matches) == [("a#1", "b#1", "c#1"), ("d#1", "e#1", "f#1")]
    # a chain closing two groups into one
    assert components([*matches, _m("c#1", "f#1")]) == [
        ("a#1", "b#1", "c#1", "d#1", "e#1", "f#1")
    ]
    assert components([]) == []


def test_groups_do_not_depend_on_the_order_of_the_matches() -> None:
    matches = [_m("p#10", "q#1"), _m("p#2", "q#1"), _m("r#1", "s#1"), _m("a#1", "s#1")]
    expected = [("a#1", "r#1", "s#1"), ("p#2", "p#10", "q#1")]
    for order in permutations(matches):
        assert components(order) == expected


def test_clusters_are_named_in_order_with_their_canonical_version() -> None:
    profiles = [
        profile("a#1", FULL[:200], jump="下转第二版"),
        profile("b#1"),
        profile("c#1", FULL[:-1], rare=0.01),
        profile("x#1"),
        profile("y#1"),
    ]
    matches = [_m("b#1", "c#1"), _m("y#1", "x#1"), _m("a#1", "c#1", "partial")]
    assert cluster(profiles, matches) == [
        Cluster(
            "c1",
            ("a#1", "b#1", "c#1"),
            "b#1",
            "longest complete text (453 characters); the others are cut short or continued;"
            " fewest rare characters among 2 near-equal versions",
        ),
        Cluster("c2", ("x#1", "y#1"), "x#1", choose_canonical(profiles[3:])[1]),
    ]


def test_articles_without_matches_form_no_cluster() -> None:
    assert cluster([profile("a#1"), profile("b#1")], []) == []


def test_a_cut_version_is_never_canonical_while_a_whole_one_exists() -> None:
    cut = profile("a#1", FULL + "另有一段文字", jump="下转第二版")
    whole = profile("b#1", FULL[:100], rare=0.5)
    best, reason = choose_canonical([cut, whole])
    assert best == "b#1"
    assert reason == "longest complete text (100 characters); the others are cut short or continued"


def test_when_every_version_is_cut_the_longest_wins() -> None:
    short = profile("a#1", FULL[:100], jump="下转第二版")
    longer = profile("b#1", FULL[:300], continuation=True)
    assert choose_canonical([short, longer]) == ("b#1", "longest complete text (300 characters)")


def test_among_near_equal_versions_the_least_noisy_wins() -> None:
    noisy = profile("a#1", FULL, rare=0.03)
    clean = profile("b#1", FULL[:-5], rare=0.0)  # 1 % shorter: still complete
    much_shorter = profile("c#1", FULL[:400], rare=0.0)  # 12 % shorter: not complete
    best, reason = choose_canonical([noisy, clean, much_shorter])
    assert best == "b#1"
    assert reason == (
        "longest complete text (448 characters); fewest rare characters among 2 near-equal versions"
    )
    assert choose_canonical([noisy, much_shorter])[0] == "a#1"


@pytest.mark.parametrize(
    ("first", "second", "winner"),
    [
        (profile("a#1", FULL), profile("b#1", FULL[:-1]), "a#1"),  # equally clean: the longer
        (profile("p#10"), profile("p#9"), "p#9"),  # equal: the first in id order
    ],
)
def test_ties_are_broken_by_length_then_id(first: Profile, second: Profile, winner: str) -> None:
    assert choose_canonical([first, second])[0] == winner
    assert choose_canonical([second, first])[0] == winner


def test_a_continuation_links_to_a_head_printed_whole_elsewhere() -> None:
    head = profile("p1#1", FULL[:200], jump="下转第二版")
    tail = profile("p1#5", FULL[200:], continuation=True)
    whole = profile("p2#1")
    matches = [_m("p1#1", "p2#1", "partial"), _m("p1#5", "p2#1", "partial")]
    assert link_continuations([head, tail, whole], matches) == [
        Match("p1#1", "p1#5", 0.0, 0.0, "continuation")
    ]
    # without the full printing the two share nothing
    assert link_continuations([head, tail, whole], matches[:1]) == []


def test_a_continuation_links_to_a_head_with_its_title() -> None:
    head = profile("p2#3", FULL[:200], jump="下转第二版", title="暖心食堂开张")
    tail = profile("p1#5", FULL[200:], continuation=True, title="暖心食堂开张")
    other = profile("p1#6", FULL[200:], continuation=True, title="别的标题")
    assert link_continuations([head, tail, other], []) == [
        Match("p1#5", "p2#3", 0.0, 0.0, "continuation")
    ]


def test_only_a_head_with_a_jump_marker_takes_a_continuation() -> None:
    no_jump = profile("p#1", title="暖心食堂开张")
    tail = profile("p#5", continuation=True, title="暖心食堂开张")
    also_tail = profile("p#6", jump="下转第三版", continuation=True, title="暖心食堂开张")
    untitled = [profile("q#1", jump="下转第二版"), profile("q#2", continuation=True)]
    assert link_continuations([no_jump, tail], []) == []
    # a continuation piece that jumps on again is a tail, not a head
    assert link_continuations([also_tail, tail], []) == []
    assert link_continuations(untitled, []) == []
