"""Start-up cost of ``dedup compare``: what one comparison loads, and the lookups that spare the rest.

``dedup compare`` on one pair of pages must be dominated by the comparison,
not by imports or by building the dictionary and the look-alike table; the
lookups by bisection (``dedup.sortedlines``) must give exactly the answers of
the parsed files.
"""

from __future__ import annotations

import json
import random
import subprocess
import sys
from importlib import resources

import pytest

from dedup import confusables, lexicon
from dedup.sortedlines import SortedLines
from tests.conftest import ROOT, sample

_PROBE = """
import json, sys
from dedup import confusables, lexicon
from dedup.cli import cli
try:
    cli.main(["compare", sys.argv[1], sys.argv[2], "--format", "json", "-q"])
except SystemExit as exc:
    code = exc.code
print(json.dumps({
    "code": code,
    "modules": sorted(m for m in sys.modules if m.startswith(("dedup", "charset_normalizer", "lxml", "numpy"))),
    "word_set": lexicon.words.cache_info().currsize,
    "table": confusables.load.cache_info().currsize,
}))
"""


def test_compare_loads_only_what_a_comparison_needs() -> None:
    """No scan engine, archive, HTML report, reader of another format, encoding guesser, numpy or word set."""
    done = subprocess.run(
        [sys.executable, "-c", _PROBE, str(sample("000")), str(sample("001"))],
        cwd=ROOT, capture_output=True, text=True, check=True,
    )
    found = json.loads(done.stdout)
    assert found["code"] == 0
    modules = set(found["modules"])
    assert {"dedup.compare", "dedup.cli.compare", "dedup.align", "dedup.classify"} <= modules
    unwanted = {
        "dedup.pipeline", "dedup.engines", "dedup.engines.local", "dedup.cli.scan",
        "dedup.cli.archive", "dedup.archive", "dedup.report.html", "dedup.readers.html",
        "dedup.readers.alto", "charset_normalizer", "lxml", "dedup.candidates", "numpy",
    }
    assert not unwanted & modules, sorted(unwanted & modules)
    assert found["word_set"] == 0 and found["table"] == 0  # answered by bisection


def test_public_api_still_offers_find_duplicates() -> None:
    import dedup
    from dedup.scan import scan_paths

    assert dedup.find_duplicates is scan_paths
    assert "find_duplicates" in dedup.__all__
    with pytest.raises(AttributeError):
        _ = dedup.no_such_name


def test_sorted_lines_bisection_edges() -> None:
    lines = SortedLines(b"# one\n# two\nb\nd\nf\n")
    assert lines.start == len(b"# one\n# two\n")
    assert [lines.first_at_or_after(k) for k in (b"", b"a", b"b", b"c", b"f", b"g")] == [
        b"b", b"b", b"b", b"d", b"f", None,
    ]
    assert lines.contains(b"d") and not lines.contains(b"e") and not lines.contains(b"# one")
    assert SortedLines(b"x\ny").first_at_or_after(b"y") == b"y"  # no final line break
    assert SortedLines(b"y").first_at_or_after(b"z") is None
    assert SortedLines(b"").first_at_or_after(b"a") is None
    assert SortedLines(b"# only a header\n").first_at_or_after(b"") is None
    assert SortedLines(b"#\n#\ta\n", is_header=(b"# ", b"#\n")).contains(b"#\ta")


def test_word_lookups_by_bisection_match_the_word_set() -> None:
    """Every word is found, and words one code point off are found exactly when they are words."""
    data = resources.files("dedup").joinpath("data", "words.txt").read_bytes()
    lines = SortedLines(data)
    words = lexicon.words()
    assert all(lines.contains(w.encode()) for w in words)
    rng = random.Random(7)
    for w in rng.sample(sorted(words), 5000):
        near = w[:-1] + chr(ord(w[-1]) + 1)
        assert lines.contains(near.encode()) == (near in words), near
    assert not lines.contains(b"#") and not lines.contains(b"")


def test_the_word_set_built_in_slices_holds_every_line_of_the_list(monkeypatch: pytest.MonkeyPatch) -> None:
    """Slices of any size (here 997 bytes, each to the first line break past that) lose no word and add none."""
    data = resources.files("dedup").joinpath("data", "words.txt").read_bytes()
    lines = data.decode("utf-8").split("\n")
    expected = {line for line in lines if line and not line.startswith("#")}
    assert len(lexicon.words()) == len(expected) == 330_415
    assert lexicon.words() == expected
    lexicon.words.cache_clear()
    monkeypatch.setattr(lexicon, "_SLICE", 997)
    try:
        assert lexicon.words() == expected
    finally:
        lexicon.words.cache_clear()


def test_is_word_answers_alike_before_and_after_the_word_set(monkeypatch: pytest.MonkeyPatch) -> None:
    probes = ["论道", "训道", "套管", "弃管", "讲话", "1号店", "论", "中华人民共和国", "", "#"]
    expected = [p in lexicon.words() for p in probes]
    lexicon.words.cache_clear()
    monkeypatch.setattr(lexicon, "_asked", [0])
    monkeypatch.setattr(lexicon, "_built", [])
    assert [lexicon.is_word(p) for p in probes] == expected
    assert lexicon.words.cache_info().currsize == 0
    monkeypatch.setattr(lexicon, "_asked", [lexicon._SET_AFTER])  # many questions: build the set
    assert [lexicon.is_word(p) for p in probes] == expected
    assert lexicon.words.cache_info().currsize == 1


def test_similarity_by_bisection_matches_the_parsed_table() -> None:
    """Every stored pair, and pairs absent from the table, score by bisection as in ``load()``."""
    table = confusables.load()
    for a, row in table.items():
        for b, score in row.items():
            assert confusables._lookup(min(a, b), max(a, b)) == score, (a, b)
    chars = sorted(table)[:200]
    for a in chars:
        for b in chars[:40]:
            if a < b:
                assert confusables._lookup(a, b) == table[a].get(b, 0.0)
    assert confusables._lookup("m", "rn") == table["m"]["rn"] > 0.9
    assert confusables._lookup("Z", "甲") == 0.0


def test_similarity_bisects_first_then_parses_the_table() -> None:
    table = confusables.load()
    confusables.load.cache_clear()
    confusables._lookup.cache_clear()
    confusables._parsed.clear()
    try:
        assert confusables.similarity("未", "末") == table["未"]["末"] and confusables.similarity("末", "未") == table["未"]["末"]
        assert confusables.load.cache_info().currsize == 0  # answered by bisection
        chars = sorted(table)
        pairs = ((a, b) for a in chars for b in chars if a < b)
        for _ in range(confusables._PARSE_AFTER):
            a, b = next(pairs)
            assert confusables.similarity(a, b) == table[a].get(b, 0.0)
        assert confusables.similarity("rn", "m") == table["m"]["rn"]
        assert confusables.load.cache_info().currsize == 1  # many questions: the table parsed
    finally:
        confusables.load()
