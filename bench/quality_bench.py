"""Measure splitting, pairing, clustering, alignment and typing on the labelled pages.

Scans each development corpus in ``../shared/eval-dev/`` with ``python -m dedup
scan DIR --out OUT --format json``, converts the scan with the corpus set's own
``scan_to_pred.py`` and scores it with its ``score.py`` (both run unchanged, as
subprocesses, so figures stay comparable from change to change), and prints
one table per corpus.

    python bench/quality_bench.py                  # corpus-a and corpus-b
    python bench/quality_bench.py --corpora corpus-a --keep /tmp/q
"""

from __future__ import annotations

import argparse
import json
import subprocess
import sys
import tempfile
import time
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parent.parent
EVAL = ROOT.parent / "shared" / "eval-dev"


def _run(args: list[str], out: Path | None = None) -> None:
    """Run one command from the repository root; its stdout goes to ``out`` if given."""
    if out is None:
        subprocess.run(args, cwd=ROOT, check=True, stdout=subprocess.DEVNULL)
        return
    with out.open("w", encoding="utf-8") as f:
        subprocess.run(args, cwd=ROOT, check=True, stdout=f)


def measure(corpus: Path, work: Path) -> dict[str, Any]:
    """Scan, convert and score one corpus; the scorer's metrics plus the scan time."""
    work.mkdir(parents=True, exist_ok=True)
    start = time.perf_counter()
    _run([sys.executable, "-m", "dedup", "scan", str(corpus), "--out", str(work), "--format", "json", "-q"])
    seconds = time.perf_counter() - start
    pred = work / "pred.json"
    _run([sys.executable, str(EVAL / "scan_to_pred.py"), str(work / "scan.json")], pred)
    metrics = work / "metrics.json"
    _run([sys.executable, str(EVAL / "score.py"), str(corpus), str(pred), "--json", str(metrics)])
    result: dict[str, Any] = json.loads(metrics.read_text(encoding="utf-8"))
    result["seconds"] = seconds
    result["split_found"] = _split_found(corpus, work, pred)
    return result


def _split_found(corpus: Path, work: Path, pred: Path) -> int:
    """Printings found as articles, counting stories printed only once.

    The scorer counts only the articles in a predicted cluster, so a story
    with a single printing is never "found", however well it is split. Here
    every story article of the scan that is in no cluster is added to the
    prediction as a cluster of one (which makes no pair, so changes no other
    figure) and the prediction is scored again.
    """
    scan = json.loads((work / "scan.json").read_text(encoding="utf-8"))
    clustered = {i for c in scan["clusters"] for i in c["articles"]}
    data = json.loads(pred.read_text(encoding="utf-8"))
    for doc in scan["documents"]:
        name = doc["path"].split("/")[-1]
        for a in doc["articles"]:
            if a["kind"] != "furniture" and a["id"] not in clustered:
                data["clusters"].append([{"file": name, "start": a["start"], "end": a["end"]}])
    every = work / "pred_every_article.json"
    every.write_text(json.dumps(data), encoding="utf-8")
    scored = work / "metrics_every_article.json"
    _run([sys.executable, str(EVAL / "score.py"), str(corpus), str(every), "--json", str(scored)])
    found: int = json.loads(scored.read_text(encoding="utf-8"))["spans"]["gold_matched"]
    return found


def rows(m: dict[str, Any]) -> list[tuple[str, str]]:
    """The table's rows: name and formatted value."""
    pairs, spans, near, align = m["pairs"], m["spans"], m["near_miss"], m["alignment"]
    typed, per = m["diffs"]["typed"], m["diffs"]["per_type"]

    def pr(d: dict[str, Any]) -> str:
        return f"{d['precision']:.3f} / {d['recall']:.3f}"

    return [
        ("pair P / R", pr(pairs)),
        ("pair F1", f"{pairs['f1']:.3f}"),
        ("ARI", f"{m['ari']:.3f}"),
        ("near-miss merged", f"{near['wrongly_merged']} / {near['pairs']}"),
        ("articles matched", f"{spans['gold_matched']} / {spans['gold_articles']}"),
        ("articles split right", f"{m['split_found']} / {spans['gold_articles']}"),
        ("alignment F1", f"{align['edge_f1']:.3f}"),
        ("paragraph accuracy", f"{align['paragraph_accuracy']:.3f}"),
        ("detection P / R", pr(m["diffs"]["detection"])),
        ("typed P / R", pr(typed)),
        ("ocr P / R", pr(per["ocr"])),
        ("wording P / R", pr(per["wording-edit"])),
        ("scan seconds", f"{m['seconds']:.1f}"),
    ]


def table(name: str, m: dict[str, Any]) -> str:
    """One Markdown table for one corpus."""
    lines = [f"| {name} | |", "| --- | --- |"]
    lines += [f"| {k} | {v} |" for k, v in rows(m)]
    return "\n".join(lines)


def main(argv: list[str] | None = None) -> int:
    """Measure the chosen corpora and print one table each."""
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--corpora", default="corpus-a,corpus-b", help="comma-separated folders of eval-dev")
    parser.add_argument("--keep", type=Path, help="write scans and scores here instead of a temporary folder")
    args = parser.parse_args(argv)
    with tempfile.TemporaryDirectory() as tmp:
        base = args.keep or Path(tmp)
        for name in args.corpora.split(","):
            print(table(name, measure(EVAL / name, base / name)), end="\n\n")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
