"""One large page: its stories fingerprinted by several processes, the same result; one long line.

A page of tens of thousands of stories is read and split once; the local
engine then fingerprints its stories in its pool (``pages.fingerprint_document``
with a ``fan_out``), which must give exactly what one process gives. A page
with no line break at all (English prose of megabytes on one line) must be
scanned in time linear in its size and in memory of at most ten times the
file.
"""

from __future__ import annotations

import json
import random
import subprocess
import sys
import time
from collections.abc import Callable, Iterable, Sequence
from pathlib import Path
from typing import Any

import pytest

import dedup.engines.local as local
import dedup.fingerprint
import dedup.normalize
from dedup.engines.local import LocalExecutor
from dedup.fingerprint import word_shingles
from dedup.ingest import read_page
from dedup.model import Document, Options
from dedup.normalize import key_text
from dedup.pages import FAN_OUT_SLICE, fingerprint_document
from dedup.pipeline import scan as run_scan
from dedup.report.json import scan_json
from dedup.segment import split
from tests.conftest import ROOT, SAMPLES


@pytest.fixture(scope="module")
def one_page(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """The generated benchmark corpus of 1,200 articles as one file, pages joined by a blank line."""
    work = tmp_path_factory.mktemp("big")
    subprocess.run(
        [sys.executable, str(ROOT / "bench" / "corpus.py"), str(work / "pages"),
         "--articles", "1200", "--seed", "16", "--jobs", "1"],
        check=True, stdout=subprocess.DEVNULL, cwd=ROOT,
    )
    single = work / "one.txt"
    with single.open("wb") as f:
        for page in sorted((work / "pages").rglob("*.txt")):
            f.write(page.read_bytes().rstrip(b"\n") + b"\n\n")
    return single


def test_fanned_out_fingerprints_are_the_ones_of_one_process(one_page: Path) -> None:
    options = Options()
    doc = read_page(str(one_page), options, "one.txt")
    articles = split(doc)
    slices: list[int] = []

    def fan_out(fn: Callable[[Any, Any], Any], shared: Sequence[Any], spans: list[tuple[int, int]]) -> Iterable[Any]:
        slices.extend(b - a for a, b in spans)
        return reversed([fn(list(shared), s) for s in reversed(spans)])  # done in another order, given in order

    alone = fingerprint_document(doc, options, articles)
    fanned = fingerprint_document(doc, options, articles, fan_out)
    assert len(slices) > 2 and max(slices) == FAN_OUT_SLICE
    assert sum(slices) == sum(a.kind != "furniture" for a in articles)
    assert fanned.profiles == alone.profiles and fanned.document == alone.document
    assert [k.tolist() for k in fanned.keys] == [k.tolist() for k in alone.keys]
    assert len(alone.profiles) > 2 * FAN_OUT_SLICE


@pytest.mark.parametrize("as_record", [False, pytest.param(True, marks=pytest.mark.slow)])
def test_one_large_page_scans_in_the_pool_as_in_one_process(
    one_page: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch, as_record: bool
) -> None:
    options = Options(jobs=2, compare_pairs=False)
    text = one_page.read_text(encoding="utf-8")
    inputs: list[Path] = [one_page, SAMPLES]
    if as_record:  # the same page as one JSON Lines record
        inputs = [SAMPLES, tmp_path / "records.jsonl"]
        record = {"path": "record/one.txt", "text": text}
        inputs[1].write_text(json.dumps(record, ensure_ascii=False) + "\n", encoding="utf-8")
    large: list[str] = []
    spread = LocalExecutor._large

    def spy(self: LocalExecutor, run: Any, source: Any) -> Any:
        large.append(source.name)
        return spread(self, run, source)

    monkeypatch.setattr(local, "LARGE_PAGE", len(text))
    monkeypatch.setattr(LocalExecutor, "_large", spy)
    pooled = scan_json(run_scan(inputs, options, LocalExecutor(2)))
    # the large page went to the pool (once per reading of the pages), the samples did not
    assert large and {name.rpartition("/")[2] for name in large} == {"one.txt"}
    alone = scan_json(run_scan(inputs, options, LocalExecutor(1)))
    assert pooled == alone
    assert alone.count('"relation"') > 20  # pairs found


# --- one very long English line --------------------------------------------------

_PROSE = (
    "the council said on tuesday that its budget for roads schools and water would rise by three "
    "percent next year after a long debate among members who disagreed about taxes while the mayor "
    "told reporters at city hall that residents will see new parks and bus lines soon"
)


def english_line(chars: int, seed: int = 7) -> str:
    """English sentences, without a single line break, of about ``chars`` characters."""
    rng = random.Random(seed)
    vocabulary = _PROSE.split()
    out: list[str] = []
    size = 0
    while size < chars:
        words = [rng.choice(vocabulary) for _ in range(rng.randint(8, 20))]
        sentence = " ".join(words).capitalize() + ". "
        out.append(sentence)
        size += len(sentence)
    return "".join(out)


def test_hashing_in_pieces_gives_what_the_whole_text_gives(monkeypatch: pytest.MonkeyPatch) -> None:
    texts = [english_line(5_000, seed) for seed in range(3)]
    texts += [p.read_text(encoding="utf-8") for p in sorted(SAMPLES.glob("*.txt"))]
    texts += ["ＡＢＣ１２ def_ghi Σας ﬁne ①② 漢字，English-words", "", "a"]
    options = Options()
    whole = [(word_shingles(t, options), key_text(t), key_text(t, traditional=True)) for t in texts]
    monkeypatch.setattr(dedup.fingerprint, "_WORDS_AT_ONCE", 7)
    monkeypatch.setattr(dedup.normalize, "_KEY_AT_ONCE", 5)
    for t, (shingles, key, folded) in zip(texts, whole, strict=True):
        assert word_shingles(t, options).tolist() == shingles.tolist()
        assert key_text(t) == key and key_text(t, traditional=True) == folded


_PEAK = r"""
import resource, sys, time
import dedup.engines.local, dedup.pages
from dedup.engines.local import scan
from dedup.model import Options
base = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss
start = time.process_time()
result = scan([sys.argv[1]], Options(jobs=1))
assert result.articles == 1, result.articles
print(base, resource.getrusage(resource.RUSAGE_SELF).ru_maxrss, time.process_time() - start)
"""


def _scan_line(page: Path) -> tuple[int, float]:
    """Growth of the peak memory (bytes) and CPU seconds of scanning ``page`` in a fresh process."""
    done = subprocess.run(
        [sys.executable, "-c", _PEAK, str(page)], cwd=ROOT, capture_output=True, text=True, check=True
    )
    base, peak, seconds = done.stdout.split()
    return (int(peak) - int(base)) * 1024, float(seconds)


def test_one_long_english_line_is_linear_and_needs_at_most_ten_times_the_file(tmp_path: Path) -> None:
    small, big = tmp_path / "small.txt", tmp_path / "big.txt"
    small.write_text(english_line(1_500_000), encoding="utf-8")
    big.write_text(english_line(6_000_000), encoding="utf-8")
    assert "\n" not in big.read_text(encoding="utf-8")
    grown, seconds = _scan_line(big)
    assert grown <= 10 * big.stat().st_size, f"{grown / big.stat().st_size:.1f}x the file"
    _, base = min((_scan_line(small) for _ in range(2)), key=lambda r: r[1])
    ratio = min(seconds, _scan_line(big)[1]) / base
    assert ratio < 7, f"4x the text took {ratio:.1f}x the time (linear: 4, quadratic: 16)"


def test_a_long_line_is_one_article_with_its_lines_numbered() -> None:
    text = english_line(200_000)
    start = time.perf_counter()
    articles = split(Document("line.txt", text, "utf-8"))
    assert time.perf_counter() - start < 30
    assert [(a.first_line, a.last_line) for a in articles] == [(1, 1)]
    assert articles[0].paragraphs[0].text == text.strip()
