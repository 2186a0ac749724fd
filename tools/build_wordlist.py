#!/usr/bin/env python3
"""Derive the word list ``dedup/data/words.txt`` from jieba's dictionary.

Run by hand (the generated list is committed; dedup does not need jieba)::

    pip install jieba==0.42.1
    python tools/build_wordlist.py                       # writes dedup/data/words.txt
    python tools/build_wordlist.py --dict path/dict.txt  # from a given copy of dict.txt

Source: ``jieba/dict.txt`` of jieba 0.42.1 (https://github.com/fxsjy/jieba),
about 350,000 Chinese words, one ``word frequency tag`` line each. jieba is
released under the MIT License, Copyright (c) 2013 Sun Junyi; the licence
text is copied into the header of the generated file, so it travels with the
data. jieba itself is never imported: only its dictionary file is read.

What is kept: every distinct word of ``lexicon.MIN_WORD`` to
``lexicon.MAX_WORD`` (2 to 4) characters, the only lengths ``dedup.lexicon``
looks up, sorted by code point, one a line. The frequencies and part-of-speech
tags are dropped: the lexicon only asks whether a string is a word. The plain
file is about 3 MB, so it is not compressed (a gzip file would be a binary
blob in every diff for about 2 MB saved).

Header lines start with ``"# "``; no word starts with ``#`` (the build checks).
"""

from __future__ import annotations

import argparse
import hashlib
import importlib.util
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from dedup.lexicon import MAX_WORD, MIN_WORD  # noqa: E402

OUT = ROOT / "dedup" / "data" / "words.txt"
COMMON = ROOT / "dedup" / "data" / "common_words.txt"
# The common words are the most frequent ones that together make this share of
# all the dictionary's word occurrences (jieba's frequencies).
COMMON_SHARE = 0.6

MIT_NOTICE = """\
The MIT License (MIT)

Copyright (c) 2013 Sun Junyi

Permission is hereby granted, free of charge, to any person obtaining a copy of
this software and associated documentation files (the "Software"), to deal in
the Software without restriction, including without limitation the rights to
use, copy, modify, merge, publish, distribute, sublicense, and/or sell copies of
the Software, and to permit persons to whom the Software is furnished to do so,
subject to the following conditions:

The above copyright notice and this permission notice shall be included in all
copies or substantial portions of the Software.

THE SOFTWARE IS PROVIDED "AS IS", WITHOUT WARRANTY OF ANY KIND, EXPRESS OR
IMPLIED, INCLUDING BUT NOT LIMITED TO THE WARRANTIES OF MERCHANTABILITY, FITNESS
FOR A PARTICULAR PURPOSE AND NONINFRINGEMENT. IN NO EVENT SHALL THE AUTHORS OR
COPYRIGHT HOLDERS BE LIABLE FOR ANY CLAIM, DAMAGES OR OTHER LIABILITY, WHETHER
IN AN ACTION OF CONTRACT, TORT OR OTHERWISE, ARISING FROM, OUT OF OR IN
CONNECTION WITH THE SOFTWARE OR THE USE OR OTHER DEALINGS IN THE SOFTWARE."""


def jieba_dict() -> tuple[Path, str]:
    """The installed jieba's ``dict.txt`` and jieba's version, found without importing jieba.

    Raises:
        SystemExit: jieba is not installed.
    """
    spec = importlib.util.find_spec("jieba")
    if spec is None or not spec.submodule_search_locations:
        raise SystemExit("jieba is not installed: pip install jieba==0.42.1, or pass --dict")
    from importlib.metadata import version

    return Path(next(iter(spec.submodule_search_locations))) / "dict.txt", version("jieba")


def read_words(path: Path) -> list[str]:
    """The distinct dictionary words of ``MIN_WORD`` to ``MAX_WORD`` characters, sorted."""
    found: set[str] = set()
    with path.open(encoding="utf-8") as fh:
        for line in fh:
            word = line.split(" ", 1)[0].strip()
            if MIN_WORD <= len(word) <= MAX_WORD:
                found.add(word)
    bad = [w for w in found if w.startswith("#") or any(c.isspace() for c in w)]
    if bad:
        raise SystemExit(f"words that the list format cannot hold: {bad[:5]}")
    return sorted(found)


def read_common(path: Path, share: float = COMMON_SHARE) -> list[str]:
    """The most frequent words (``MIN_WORD`` to ``MAX_WORD`` characters) that make ``share`` of all.

    jieba counts how often each word occurs in its corpus; the words are taken
    from the most frequent down until their counts reach ``share`` of the
    total. An editor's word swap mostly trades one such word for another
    (推进/推动, 通过/经过); a misreading that happens to leave a word mostly
    leaves a rare one (营建, 曲牌).
    """
    freq: dict[str, int] = {}
    with path.open(encoding="utf-8") as fh:
        for line in fh:
            parts = line.split()
            if len(parts) >= 2 and MIN_WORD <= len(parts[0]) <= MAX_WORD:
                freq[parts[0]] = max(freq.get(parts[0], 0), int(parts[1]))
    ranked = sorted(freq.items(), key=lambda wn: (-wn[1], wn[0]))
    total, seen, out = sum(freq.values()), 0, []
    for word, n in ranked:
        if seen >= share * total:
            break
        out.append(word)
        seen += n
    return sorted(out)


def render(words: list[str], source: str, digest: str, what: str = "") -> str:
    """The text of the word list: the header (source, licence), then one word a line."""
    header = [
        f"word list for dedup.lexicon: the {what}{MIN_WORD}- to {MAX_WORD}-character words of {source}",
        "(https://github.com/fxsjy/jieba), sorted, one a line; frequencies and tags dropped.",
        f"dict.txt sha256 {digest}; {len(words)} words; built by tools/build_wordlist.py.",
        "jieba is distributed under the MIT License:",
        "",
        *MIT_NOTICE.splitlines(),
    ]
    lines = [f"# {h}".rstrip() for h in header]
    return "\n".join([*lines, *words]) + "\n"


def main(argv: list[str] | None = None) -> int:
    """Build the word list; print what was written."""
    ap = argparse.ArgumentParser(description=__doc__.split("\n")[0] if __doc__ else None)
    ap.add_argument("--dict", type=Path, help="jieba's dict.txt (default: the installed jieba's)")
    ap.add_argument("--out", type=Path, default=OUT, help=f"output file (default: {OUT})")
    ap.add_argument("--common", type=Path, default=COMMON, help=f"common words (default: {COMMON})")
    args = ap.parse_args(argv)
    if args.dict is not None:
        path, source = args.dict, f"jieba's dict.txt ({args.dict.name})"
    else:
        path, ver = jieba_dict()
        source = f"jieba {ver} jieba/dict.txt"
    digest = hashlib.sha256(path.read_bytes()).hexdigest()
    words = read_words(path)
    args.out.write_text(render(words, source, digest), encoding="utf-8", newline="\n")
    print(f"{args.out}: {len(words)} words, {args.out.stat().st_size} bytes")
    common = read_common(path)
    what = f"most frequent ({COMMON_SHARE:.0%} of all occurrences) "
    args.common.write_text(render(common, source, digest, what), encoding="utf-8", newline="\n")
    print(f"{args.common}: {len(common)} words")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
