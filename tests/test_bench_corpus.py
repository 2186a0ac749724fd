"""The benchmark corpus generator (bench/corpus.py): determinism, ground truth, edit controls."""

from __future__ import annotations

import importlib.util
import itertools
import json
import re
import sys
from collections import Counter
from pathlib import Path
from types import ModuleType

import numpy as np
import pytest

ROOT = Path(__file__).resolve().parent.parent


def _load() -> ModuleType:
    """Import bench/corpus.py (bench/ is a folder of scripts, not a package)."""
    name = "bench_corpus"
    if name in sys.modules:
        return sys.modules[name]
    spec = importlib.util.spec_from_file_location(name, ROOT / "bench" / "corpus.py")
    assert spec is not None and spec.loader is not None
    module = importlib.util.module_from_spec(spec)
    sys.modules[name] = module
    spec.loader.exec_module(module)
    return module


bc = _load()

_FOLD = str.maketrans(
    {
        ",": "，",
        ";": "；",
        ":": "：",
        "(": "（",
        ")": "）",
        "!": "！",
        "?": "？",
        '"': "“",
        "”": "“",
    }
)
_JUMP = re.compile(r"[（(]下转第.版[）)]\s*$")


def _norm(text: str) -> str:
    """Comparable text: jump marker dropped, punctuation width folded, whitespace removed."""
    return re.sub(r"\s+", "", _JUMP.sub("", text).translate(_FOLD))


def _grams(text: str, n: int = 5) -> set[str]:
    t = _norm(text)
    return {t[i : i + n] for i in range(len(t) - n + 1)}


@pytest.fixture(scope="module")
def corpus() -> object:
    """A small default corpus with plenty of planted groups."""
    return bc.generate(240, seed=7, dup_fraction=0.3)


@pytest.fixture(scope="module")
def articles(corpus: object) -> dict[str, object]:
    return {a.id: a for a in corpus.iter_articles()}


# --------------------------------------------------------------------------- determinism


def test_same_seed_same_pages() -> None:
    a = list(bc.generate(120, seed=3))
    b = list(bc.generate(120, seed=3))
    c = list(bc.generate(120, seed=4))
    assert a == b
    assert [t for _, t in a] != [t for _, t in c]


@pytest.mark.filterwarnings("ignore::DeprecationWarning")  # fork in a threaded process (3.12+)
@pytest.mark.slow
def test_written_output_is_byte_identical_whatever_the_jobs(tmp_path: Path) -> None:
    one, two = tmp_path / "one", tmp_path / "two"
    assert bc.main([str(one), "--articles", "300", "--seed", "5", "--jobs", "1"]) == 0
    assert bc.main([str(two), "--articles", "300", "--seed", "5", "--jobs", "2"]) == 0
    files_one = sorted(p.relative_to(one) for p in one.rglob("*") if p.is_file())
    files_two = sorted(p.relative_to(two) for p in two.rglob("*") if p.is_file())
    assert files_one == files_two
    for rel in files_one:
        assert (one / rel).read_bytes() == (two / rel).read_bytes(), rel


# --------------------------------------------------------------------------- layout and truth


def test_article_count_and_page_layout(corpus: object) -> None:
    assert corpus.n_articles == 240
    assert len(corpus.article_ids()) == 240
    n = 0
    for (path, text), plan in zip(corpus.iter_pages(), corpus.pages, strict=True):
        assert path == plan.path and text.endswith("\n") and text.startswith("## ")
        blocks = re.split(r"(?m)^(?=## )", text)[1:]
        assert len(blocks) == len(plan.articles)
        for block in blocks:
            lines = block.split("\n")
            assert lines[1] == "" and lines[2].startswith("本报记者 ") and lines[3] == ""
            body = block.split("\n\n")[2:]
            assert all(p and not p.startswith(("#", "本报")) for p in body if p.strip())
        n += len(blocks)
    assert n == 240


def test_groups_and_pairs(corpus: object) -> None:
    ids = set(corpus.article_ids())
    members = [m for g in corpus.groups for m in g.members]
    assert len(members) == len(set(members)) == round(240 * 0.3)
    assert all(2 <= len(g.members) <= 4 for g in corpus.groups)
    expected = sorted(
        tuple(sorted(p)) for g in corpus.groups for p in itertools.combinations(g.members, 2)
    )
    assert list(corpus.pairs) == expected
    assert all(a < b and a in ids and b in ids for a, b in corpus.pairs)
    for g in corpus.groups:  # members of a group never share a page
        pages = [m.split("#")[0] for m in g.members]
        assert len(pages) == len(set(pages))
    sources = Counter(g.source for g in corpus.groups)
    assert sources["generated"] >= sources["sample"] >= 1


def test_cli_writes_pages_truth_and_jsonl(tmp_path: Path) -> None:
    out, jsonl = tmp_path / "out", tmp_path / "pages.jsonl"
    argv = [str(out), "--articles", "200", "--seed", "2", "--cer", "0.08", "--min-keep", "0.5"]
    assert bc.main([*argv, "--jsonl", str(jsonl), "--jobs", "1"]) == 0
    truth = json.loads((out / "truth.json").read_text(encoding="utf-8"))
    assert truth and truth == sorted(truth)
    records = [json.loads(line) for line in jsonl.read_text(encoding="utf-8").splitlines()]
    pages = {r["path"]: r["text"] for r in records}
    for rec in records:
        assert (out / rec["path"]).read_text(encoding="utf-8") == rec["text"]
    for pair in truth:
        assert len(pair) == 2 and pair[0] < pair[1]
        for ident in pair:
            path, k = ident.rsplit("#", 1)
            assert path in pages and 1 <= int(k) <= pages[path].count("\n## ") + 1
    manifest = json.loads((out / "manifest.json").read_text(encoding="utf-8"))
    assert manifest["articles"] == 200 and manifest["pairs"] == len(truth)
    assert manifest["params"]["cer"] == [0.08, 0.08] and manifest["params"]["min_keep"] == 0.5


@pytest.mark.parametrize(
    ("n", "kw"),
    [(0, {}), (1, {}), (7, {"dup_fraction": 1.0}), (9, {"dup_fraction": 1.0, "max_variants": 1})],
)
def test_edge_sizes(n: int, kw: dict[str, object]) -> None:
    c = bc.generate(n, seed=1, **kw)
    assert c.n_articles == n == sum(len(t.split("\n## ")) for _, t in c if t)
    assert all(len(g.members) >= 2 for g in c.groups)


def test_sub_folders_hold_at_most_1000_pages() -> None:
    plan = bc.generate(1005, seed=1, articles_per_page=(1, 1), dup_fraction=0.0)
    folders = Counter(p.path.split("/")[0] for p in plan.pages)
    assert folders == {"000": 1000, "001": 5}


# --------------------------------------------------------------------------- similarity


def _prefix_ratio(a: str, b: str) -> float:
    from rapidfuzz import fuzz

    a, b = _norm(a), _norm(b)
    if len(a) > len(b):
        a, b = b, a
    return float(fuzz.ratio(a, b[: len(a)]))


def test_planted_pairs_are_similar(corpus: object, articles: dict[str, object]) -> None:
    pytest.importorskip("rapidfuzz")
    scores = [_prefix_ratio(articles[a].body, articles[b].body) for a, b in corpus.pairs]
    assert min(scores) > 85, sorted(scores)[:5]


def test_unrelated_articles_are_dissimilar(corpus: object, articles: dict[str, object]) -> None:
    truth = set(corpus.pairs)
    ids = sorted(articles)
    grams = {i: _grams(articles[i].body) for i in ids}
    holders: dict[str, list[str]] = {}
    for i in ids:
        for g in grams[i]:
            holders.setdefault(g, []).append(i)
    shared: Counter[tuple[str, str]] = Counter()
    for hold in holders.values():
        if len(hold) > 1:
            shared.update(itertools.combinations(hold, 2))

    def jaccard(a: str, b: str) -> float:
        n = shared[(a, b)]
        return n / (len(grams[a]) + len(grams[b]) - n)

    n_pairs = len(ids) * (len(ids) - 1) // 2 - len(truth)
    unrelated = [jaccard(a, b) for a, b in shared if (a, b) not in truth]
    assert max(unrelated) < 0.05  # pairs of sample stories share some stock phrases
    assert sum(unrelated) / n_pairs < 0.002  # generated text: chance level
    planted = [jaccard(a, b) for a, b in truth]
    assert min(planted) > 4 * max(unrelated)


def test_unrelated_fuzzy_scores_are_low(corpus: object, articles: dict[str, object]) -> None:
    pytest.importorskip("rapidfuzz")
    truth = set(corpus.pairs)
    ids = sorted(articles)
    rng = np.random.default_rng(0)
    scores = []
    for _ in range(200):
        a, b = sorted(rng.choice(len(ids), size=2, replace=False))
        if (ids[a], ids[b]) not in truth:
            scores.append(_prefix_ratio(articles[ids[a]].body, articles[ids[b]].body))
    assert max(scores) < 40


def test_titles_unique_per_story_and_close_within_a_group(
    corpus: object, articles: dict[str, object]
) -> None:
    titles = [s.title for s in corpus.stories]
    assert len(set(titles)) == len(titles)
    singles = [a.title for a in articles.values() if a.story >= len(corpus.groups)]
    assert len(set(singles)) == len(singles)
    for g in corpus.groups:
        base = corpus.stories[g.story].title
        for m in g.members:
            t = articles[m].title.translate(_FOLD)
            assert len(set(t) & set(base)) >= min(3, len(set(base))), (t, base)


# --------------------------------------------------------------------------- edit controls


def _only(**kw: object) -> dict[str, object]:
    """Parameters that switch every variant edit off except those given."""
    base: dict[str, object] = dict(
        cer=0.0, min_keep=1.0, p_punct=0.0, p_rebreak=0.0, p_edit=0.0, p_title=0.0
    )
    base.update(kw)
    return base


def _base_and_variants(c: object) -> list[tuple[object, object, object]]:
    arts = {a.id: a for a in c.iter_articles()}
    out = []
    for g in c.groups:
        base = arts[g.members[0]]
        for m, spec in zip(g.members[1:], g.specs[1:], strict=True):
            out.append((base, arts[m], spec))
    return out


def test_cer_of_variants_is_close_to_requested() -> None:
    from rapidfuzz.distance import Levenshtein

    c = bc.generate(200, seed=9, dup_fraction=0.5, **_only(cer=0.05))
    rates = []
    for base, var, spec in _base_and_variants(c):
        assert spec.cer == 0.05 and var.title == base.title
        b, v = re.sub(r"\s+", "", base.body), re.sub(r"\s+", "", var.body)
        rate = Levenshtein.distance(b, v) / len(b)
        assert 0.02 < rate < 0.08, rate
        rates.append(rate)
    assert abs(float(np.mean(rates)) - 0.05) < 0.006


def test_cer_range_is_drawn_per_variant() -> None:
    c = bc.generate(200, seed=9, dup_fraction=0.5, confusables=False, **_only(cer=(0.0, 0.08)))
    assert c.confusables.source == ""
    cers = [s.cer for g in c.groups for s in g.specs[1:]]
    assert all(0.0 <= x <= 0.08 for x in cers) and len(set(cers)) > 10
    for base, var, spec in _base_and_variants(c):
        if spec.cer > 0.01:
            assert var.body != base.body


def test_truncation_keeps_a_prefix_and_ends_with_a_jump_marker() -> None:
    c = bc.generate(200, seed=4, dup_fraction=0.5, **_only(min_keep=0.3, p_truncate=1.0))
    seen = 0
    for base, var, spec in _base_and_variants(c):
        assert 0.3 <= spec.keep < 1.0
        paras = var.body.split("\n\n")
        if not re.fullmatch(r"（下转第.版）", paras[-1]):  # keep so close to 1 that nothing was cut
            assert var.body == base.body
            continue
        seen += 1
        kept = "\n\n".join(paras[:-1])
        assert base.body.startswith(kept)
        ratio = len(_norm(kept)) / len(_norm(base.body))
        assert spec.keep - 0.01 <= ratio < 1.0, (ratio, spec.keep)
    assert seen > 10


def test_punctuation_width_and_rebreaking_keep_the_text() -> None:
    c = bc.generate(160, seed=6, dup_fraction=0.5, **_only(p_punct=1.0, p_rebreak=1.0))
    changed = 0
    for base, var, _ in _base_and_variants(c):
        half = base.body.count(",") > base.body.count("，")
        assert ("，" not in var.body, "," not in var.body) == (not half, half)
        assert _norm(var.body) == _norm(base.body)
        changed += var.body.count("\n\n") != base.body.count("\n\n")
    assert changed > 5


def test_wording_edits_are_small() -> None:
    from rapidfuzz.distance import Levenshtein

    c = bc.generate(160, seed=6, dup_fraction=0.5, **_only(p_edit=1.0))
    for base, var, spec in _base_and_variants(c):
        assert 1 <= spec.edits <= 3
        assert 0 < Levenshtein.distance(base.body, var.body) <= 4 * spec.edits


def test_confusables_table_is_used(tmp_path: Path) -> None:
    table_path = tmp_path / "confusables.tsv"
    table_path.write_text("# a\tb\tscore\n己\t已\t0.9\n已\t巳\t0.5\nrn\tm\t0.8\n", encoding="utf-8")
    fallback = np.sort(bc._codepoints("的一是在不了有和人这中大为上个国我"))
    table = bc.Confusables(table_path, fallback)
    rng = np.random.default_rng(0)
    out = table.substitute(bc._codepoints("己" * 200 + "的" * 200), rng)
    assert set(bc._from_codepoints(out[:200])) == {"已"}
    assert "的" not in bc._from_codepoints(out[200:])
    both = table.substitute(bc._codepoints("已" * 2000), rng)
    counts = Counter(bc._from_codepoints(both))
    assert set(counts) == {"己", "巳"} and counts["己"] > counts["巳"]


def test_ocr_noise_rate_and_paragraph_breaks() -> None:
    from rapidfuzz.distance import Levenshtein

    text = "\n\n".join(["基层治理驶入快车道，党建引领城乡基层治理工作综述。" * 20] * 10)
    table = bc.Confusables(None, np.sort(bc._codepoints("的一是在不了有和人这中大为上个国我")))
    noisy, edits = bc.ocr_noise(text, 0.05, np.random.default_rng(1), table)
    assert noisy.count("\n\n") == text.count("\n\n")
    visible = len(re.sub(r"\s+", "", text))
    assert abs(edits / visible - 0.05) < 0.01
    assert abs(Levenshtein.distance(text, noisy) / visible - 0.05) < 0.01


# --------------------------------------------------------------------------- consumer contract


def test_page_splitter_finds_exactly_the_planted_articles(corpus: object) -> None:
    segment = pytest.importorskip("dedup.segment")
    model = pytest.importorskip("dedup.model")
    for i, (path, text) in enumerate(corpus.iter_pages()):
        found = segment.split(model.Document(path, text, "utf-8"))
        assert [a.id for a in found] == [f"{path}#{k}" for k in range(1, len(found) + 1)]
        assert [a.title for a in found] == [
            corpus.article(i, k).title for k in range(1, len(corpus.pages[i].articles) + 1)
        ]


# --------------------------------------------------------------------------- shared phrases


@pytest.fixture(scope="module")
def shared_corpus() -> object:
    return bc.generate(1500, seed=5, shared_phrases=True, cer=(0.0, 0.08), min_keep=0.3)


def test_shared_phrase_mode_is_deterministic_per_seed() -> None:
    a = list(bc.generate(80, seed=2, shared_phrases=True))
    b = list(bc.generate(80, seed=2, shared_phrases=True))
    c = list(bc.generate(80, seed=3, shared_phrases=True))
    assert a == b and a != c
    assert a != list(bc.generate(80, seed=2))  # the phrases change the text


@pytest.mark.slow
def test_each_phrase_is_printed_in_its_share_of_the_articles(shared_corpus: object) -> None:
    pool = shared_corpus.phrases
    assert len(pool.phrases) >= 1000
    assert all(5 <= len(p) <= 25 for p in pool.phrases)
    assert pool.shares.min() >= 0.005 and pool.shares.max() <= 0.05
    bodies = [a.body for a in shared_corpus.iter_articles()]
    used = np.array([sum(p in b for b in bodies) for p in pool.phrases]) / len(bodies)
    # printed shares follow the drawn ones (sampling noise on 1,500 articles)
    assert np.corrcoef(used, pool.shares)[0, 1] > 0.9
    assert used.max() <= 0.07 and np.median(used) >= 0.01


@pytest.mark.slow
def test_unrelated_stories_share_phrases_but_little_text(shared_corpus: object) -> None:
    by_story: dict[int, list[object]] = {}
    for a in shared_corpus.iter_articles():
        by_story.setdefault(a.story, []).append(a)
    singles = [g[0] for g in by_story.values() if len(g) == 1][:250]
    grams = [bc._shingles(a.body) for a in singles]
    overlaps = [len(x & y) / len(x | y) for x, y in itertools.combinations(grams, 2)]
    assert max(overlaps) < 0.04
    # yet a story shares some phrase (5 or more 5-grams) with most others
    sharing = [sum(1 for y in grams if len(x & y) >= 5) - 1 for x in grams[:40]]
    assert np.mean(sharing) > 0.5 * len(grams)


def test_shared_phrase_corpus_keeps_its_planted_groups(shared_corpus: object) -> None:
    ids = set(shared_corpus.article_ids())
    assert shared_corpus.pairs and all(a in ids and b in ids for a, b in shared_corpus.pairs)
    assert shared_corpus.manifest()["params"]["shared_phrases"] == [0.005, 0.05]
