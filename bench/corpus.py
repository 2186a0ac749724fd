"""Deterministic generator of synthetic Chinese newspaper corpora with planted duplicates.

Why: the scan benchmark and the tests need corpora of any size (up to 100,000
articles, about 500 MB) whose ground truth is known exactly: which articles are
reprints of the same story and which are unrelated. Real pages cannot give that
at scale, so this module builds pages from two kinds of stories:

* *sample stories* harvested from the real pages in ``samples/`` (Markdown
  markers, bylines, captions and page furniture stripped, near-duplicate
  paragraphs between the sample pages removed so that no unplanted duplicate
  sneaks in), each used at most once as the base of a planted group;
* *generated stories*: new text sampled from a word vocabulary built with a
  character-bigram model trained on the samples. The vocabulary is large and
  flat enough that two generated stories share only chance-level character
  5-grams with each other and with the sample stories.

Planted duplicates are 1-3 variants of a base story, each with a random,
parameter-controlled combination of OCR noise (look-alike substitutions,
insertions, deletions at a given character error rate), punctuation width
changes, paragraph re-breaking, truncation ending in a jump marker
(``（下转第二版）``), small wording edits and a slightly different title.

Every article's text depends only on ``seed`` and its place in the plan, so the
output is byte-identical across runs and across any number of worker processes.

Page layout (what a page splitter must recognise)::

    ## <title>
    <blank line>
    本报记者 <name>[ <name>]
    <blank line>
    <paragraph>
    <blank line>
    ...
    [（下转第X版）]          <- only for truncated variants, its own paragraph
    <blank line>
    ## <next title>
    ...

A page starts with its first ``## `` line; an article runs until the next line
starting with ``## `` or the end of the file; there is no page furniture. Body
paragraphs never start with ``#`` nor with ``本报``.

CLI::

    python bench/corpus.py OUT_DIR --articles N --seed S [--cer 0.08 | --cer 0,0.08]
        [--min-keep 0.3] [--dup-fraction 0.1] [--mean-chars 1700] [--jsonl FILE [--no-txt]]
        [--jobs 2]

writes ``OUT_DIR/000/000000.txt`` ... (1,000 pages per sub-folder, ~4 articles
per page), ``OUT_DIR/truth.json`` (sorted list of ``["relpath#k", "relpath#k"]``
pairs, every pair of articles of one planted group, ``k`` 1-based) and
``OUT_DIR/manifest.json`` (parameters and, per group, each member's edits).
With ``--jsonl FILE`` the pages also go to FILE as ``{"path", "text"}`` lines,
in page order. 100,000 articles (≈ 500 MB) take about 20 s with two workers.

The output depends on ``seed``, the parameters, the sample pages and
``dedup/data/confusables.tsv`` (used when present; its digest is recorded in
the manifest).
"""

from __future__ import annotations

import argparse
import contextlib
import hashlib
import itertools
import json
import math
import multiprocessing
import os
import re
import sys
import time
from collections import Counter
from collections.abc import Callable, Iterator, Sequence
from dataclasses import asdict, dataclass, field
from pathlib import Path
from typing import IO

import numpy as np

ROOT = Path(__file__).resolve().parent.parent
CONFUSABLES_PATH = ROOT / "dedup" / "data" / "confusables.tsv"

# Domains for per-purpose random streams: np.random.default_rng([seed, DOMAIN, i]).
_D_VOCAB, _D_PLAN, _D_STORY, _D_VARIANT, _D_TITLE, _D_PAGE = 1, 2, 3, 4, 5, 6
_D_PHRASES, _D_DECORATE = 7, 8

# Used when no sample pages are found, so that the generator still works anywhere.
_FALLBACK_CHARS = (
    "的一是在不了有和人这中大为上个国我以要他时来用们生到作地于出就分对成会可主发年动同工也能下"
    "过子说产种面而方后多定行学法所民得经十三之进着等部度家电力里如水化高自二理起小物现实加量都两"
    "体制机当使点从业本去把性好应开它合还因由其些然前外天政四日那社义事平形相全表间样与关各重新线"
    "内数正心反你明看原又么利比或但质气第向道命此变条只没结解问意建月公无系军很情者最立代想已通并"
    "提直题党程展五果料象员革位入常文总次品式活设及管特件长求老头基资边流路级少图山统接知较将组见"
    "计别她手角期根论运农指几九区强放决西被干做必战先回则任取据处队南给色光门即保治北造百规热领七"
    "海口东导器压志世金增争济阶油思术极交受联什认六共权收证改清己美再采转更单风切打白教速花带安场"
    "身车例真务具万每目至达走积示议声报斗完类八离华名确才科张信马节话米整空元况今集温传土许步群广"
    "石记需段研界拉林律叫且究观越织装影算低持音众书布复容儿须际商非验连断深难近矿千周委素技备半办"
    "青省列习响约支般史感劳便团往酸历市克何除消构府称太准精值号率族维划选标写存候毛亲快效斯院查江"
    "型眼王按格养易置派层片始却专状育厂京识适属圆包火住调满县局照参红细引听该铁价严龙飞"
)
_SURNAMES = (
    "王李张刘陈杨黄赵吴周徐孙马朱胡郭何高林罗郑梁谢宋唐许韩冯邓曹彭曾肖田董袁潘于蒋蔡余杜叶程苏魏"
    "吕丁任沈姚卢姜崔钟谭陆汪范金石廖贾夏韦付方白邹孟熊秦邱江尹薛闫段雷侯龙史陶黎贺顾毛郝龚邵万钱"
)
_GIVEN = (
    "伟芳娜秀敏静丽强磊军洋勇艳杰娟涛明超霞平刚桂英华玉兰萍红鹏飞宇浩然思雨欣怡佳琪子轩梓涵博文晨"
    "阳婷雪梅建国志海波晓东岩松丹蕾颖慧鑫凯帅琳瑶婉馨悦航毅彬斌楠柳嫄奥添球博"
)
_FUNCTION_WORDS = (
    ("的", 0.040),
    ("了", 0.006),
    ("在", 0.010),
    ("和", 0.010),
    ("是", 0.006),
    ("对", 0.004),
    ("将", 0.003),
    ("为", 0.005),
    ("把", 0.002),
    ("从", 0.002),
    ("与", 0.004),
    ("等", 0.003),
    ("中", 0.004),
    ("上", 0.002),
    ("以", 0.003),
    ("并", 0.002),
    ("也", 0.002),
    ("都", 0.002),
)
_UNITS = (
    "个",
    "家",
    "人",
    "名",
    "元",
    "万元",
    "亿元",
    "项",
    "次",
    "公里",
    "吨",
    "户",
    "%",
    "年",
    "天",
    "期",
    "件",
    "所",
    "处",
    "万人",
    "平方米",
    "台",
    "批",
    "余人",
    "个百分点",
    "亩",
)
# Separators emitted after each word; the last three are sentence ends + paragraph break.
# The last one ends an article inside a batch (the NUL is where the batch is cut apart).
_SEPS = ("", "，", "、", "；", "：", "。", "！", "？", "。\n\n", "！\n\n", "？\n\n", "。\0")
_SEP_P = (0.788, 0.115, 0.02, 0.006, 0.004, 0.060, 0.0035, 0.0035, 0.0, 0.0, 0.0, 0.0)
_SEP_BREAK = np.array([0, 0, 0, 0, 0, 8, 9, 10, 8, 9, 10, 11], dtype=np.int64)
_SEP_ARTICLE_END = 11
_SEP_IS_END = np.array([s in ("。", "！", "？") for s in _SEPS])
_SEP_ENDS_SENTENCE = _SEP_IS_END.copy()
_SEP_ENDS_SENTENCE[_SEP_ARTICLE_END] = True
_P_PARAGRAPH_BREAK = 0.16  # chance that a sentence end also ends the paragraph
_MIN_PARAGRAPH = 60  # characters; shorter paragraphs are merged with the next one
_TABLE_SIZE = 1 << 20  # resolution of the inverse-CDF tables used to draw words

_FULL_TO_HALF = {
    "，": ",",
    "；": ";",
    "：": ":",
    "（": "(",
    "）": ")",
    "！": "!",
    "？": "?",
    "“": '"',
    "”": '"',
}
_TO_HALF = str.maketrans(_FULL_TO_HALF)
_TO_FULL = str.maketrans(
    {",": "，", ";": "；", ":": "：", "(": "（", ")": "）", "!": "！", "?": "？"}
)
_JUMP_PAGES = "二三四五六七八"
_TITLE_PREFIXES = ("聚焦：", "关注｜", "【要闻】", "特写：", "综述：")
_SENTENCE_END = re.compile(r"[。！？!?][”’\"]?")
_CLAUSE_START = re.compile(r"[。！？](?![\n”’])|\n\n")
_CJK = re.compile(r"[\u4e00-\u9fff]")
_BYLINE_LINE = re.compile(
    r"^(本报记者|记者|新华社记者|本版编辑|吉林日报记者|\S{0,8}全媒体记者|\S{0,6}通讯员)"
)
_BAOXUN = re.compile(r"^本报(\d+月\d+日)?讯\s*[（(]([^）)]*)[）)]")
_FURNITURE = re.compile(r"^(（上接|\(上接|（下转|\(下转|导读|▶|新闻走廊)")
_TERMINAL = '。！？”…!?"'
_JUMP_INLINE = re.compile(r"[（(](下转|上接|转)第?.{1,3}版[）)]")


def _is_cjk_array(cp: np.ndarray) -> np.ndarray:
    """Mask of CJK unified ideographs in a code-point array."""
    return (cp >= 0x4E00) & (cp <= 0x9FFF)


def _codepoints(text: str) -> np.ndarray:
    """Text as a uint32 array of code points (fast, via UTF-32)."""
    return np.frombuffer(text.encode("utf-32-le"), dtype=np.uint32)


def _from_codepoints(cp: np.ndarray) -> str:
    """Inverse of :func:`_codepoints`."""
    return np.ascontiguousarray(cp, dtype=np.uint32).tobytes().decode("utf-32-le")


def _rng(seed: int, domain: int, *index: int) -> np.random.Generator:
    """Independent random stream for one purpose and one item, so any item can be rebuilt alone."""
    return np.random.default_rng([seed & 0xFFFFFFFF, (seed >> 32) & 0xFFFFFFFF, domain, *index])


def _shingles(text: str, n: int = 5) -> set[str]:
    """Character n-grams of the CJK/alphanumeric content (punctuation width ignored)."""
    t = re.sub(r"\s+", "", text.translate(_TO_FULL))
    return {t[i : i + n] for i in range(len(t) - n + 1)}


# --------------------------------------------------------------------------- samples


@dataclass(frozen=True)
class SampleStory:
    """A story cut out of a real sample page: title ('' if none found), byline names, paragraphs."""

    source: str
    title: str
    byline: str
    paragraphs: tuple[str, ...]


def find_samples_dir() -> Path | None:
    """Locate the sample pages: $DEDUP_SAMPLES_DIR, ./samples in the repo, or shared/samples beside it."""
    candidates = []
    env = os.environ.get("DEDUP_SAMPLES_DIR")
    if env:
        candidates.append(Path(env))
    candidates += [
        ROOT / "samples",
        ROOT.parent / "shared" / "samples",
        Path("/work/shared/samples"),
    ]
    for c in candidates:
        if c.is_dir() and any(c.glob("*.txt")):
            return c
    return None


def _clean_line(line: str) -> tuple[int, str]:
    """Strip Markdown markers from a line; return (heading level or 0, text)."""
    s = line.strip()
    level = 0
    m = re.match(r"^(#{1,6})\s*", s)
    if m:
        level = len(m.group(1))
        s = s[m.end() :]
    s = s.replace("**", "").replace("__", "").strip()
    s = re.sub(r"^[>*\-]\s+", "", s)
    return level, s.strip()


class _PageCutter:
    """State while cutting one sample page into stories (see :func:`harvest_samples`)."""

    def __init__(self, source: str) -> None:
        self.source = source
        self.stories: list[SampleStory] = []
        self.title = ""
        self.byline = ""
        self.paras: list[str] = []

    def close(self) -> None:
        """End the current story (if it has paragraphs) and reset the header fields."""
        if self.paras:
            self.stories.append(
                SampleStory(self.source, self.title, self.byline, tuple(self.paras))
            )
        self.paras = []
        self.title = ""
        self.byline = ""


def _harvest_page(source: str, text: str, seen: set[str]) -> list[SampleStory]:
    """Stories of one sample page; ``seen`` collects the 5-grams of paragraphs kept so far."""
    cut = _PageCutter(source)
    for raw in text.splitlines():
        level, s = _clean_line(raw)
        if not s:
            continue
        if level and level <= 2:
            cut.close()
            cut.title = s.strip("—- ")
            continue
        if _BYLINE_LINE.match(s) and len(s) < 30:
            if cut.paras:
                cut.close()
            if s.startswith("本报记者"):
                cut.byline = s[4:].strip()
            continue
        if _FURNITURE.match(s):
            cut.close()
            continue
        m = _BAOXUN.match(s)
        if m:
            title = cut.title if not cut.paras else ""
            cut.close()
            cut.title = title
            cut.byline = re.sub(r"^.*?记者", "", m.group(2)).strip()
            s = s[m.end() :].strip()
        is_body = len(s) >= 40 or (len(s) >= 15 and s.endswith(tuple(_TERMINAL)))
        if level or not is_body:
            if not cut.paras and not level and len(s) <= 30 and not s.endswith(tuple(_TERMINAL)):
                cut.title = s.strip("—- ")
            continue
        s = _JUMP_INLINE.sub("", s).strip()
        if s.startswith(("本报", "#")) or len(s) < 15:
            continue
        grams = _shingles(s)
        if grams and len(grams & seen) > 0.2 * len(grams):
            continue
        seen |= grams
        cut.paras.append(s)
    cut.close()
    return cut.stories


def harvest_samples(samples_dir: Path | str | None) -> list[SampleStory]:
    """Cut the sample pages into stories of clean body paragraphs.

    Paragraphs that are near-copies (5-gram containment > 20 %) of an earlier
    harvested paragraph are dropped: the sample pages reprint each other, and
    using both copies would plant duplicates the ground truth does not know of.
    Stories shorter than 3 paragraphs or 600 characters are dropped.
    """
    if samples_dir is None:
        return []
    stories: list[SampleStory] = []
    seen: set[str] = set()
    for path in sorted(Path(samples_dir).glob("*.txt")):
        text = path.read_text(encoding="utf-8", errors="replace")
        stories += _harvest_page(path.name, text, seen)
    out = []
    for st in stories:
        if len(st.paragraphs) >= 3 and sum(map(len, st.paragraphs)) >= 600:
            title = st.title if 4 <= len(st.title) <= 30 and not st.title.endswith("。") else ""
            out.append(SampleStory(st.source, title, st.byline, st.paragraphs))
    return out


# --------------------------------------------------------------------------- text model


class TextModel:
    """Samples unrelated Chinese-looking text, titles and names.

    A vocabulary of ~80,000 distinct "words" is drawn from a character-bigram
    chain trained on the samples (plus numbers and quoted terms); word use
    follows a flat Zipf law (exponent 0.6) with a few frequent function words.
    Flatness matters: it keeps shared 5-grams between unrelated articles at
    chance level, which a plain character-bigram text generator would not.
    Generation is vectorised (numpy) per article.
    """

    def __init__(self, corpus_text: str, seed: int = 0, vocab_size: int = 80_000) -> None:
        rng = _rng(seed, _D_VOCAB, 0)
        chars = _CJK.findall(corpus_text) or list(_FALLBACK_CHARS)
        if len(set(chars)) < 300:
            chars += list(_FALLBACK_CHARS)
        uni = Counter(chars)
        self.chars = [c for c, _ in uni.most_common()]
        index = {c: i for i, c in enumerate(self.chars)}
        w = np.array([uni[c] for c in self.chars], dtype=np.float64) ** 0.7
        uni_cdf = np.cumsum(w / w.sum())
        # Character-bigram successors in CSR form, for vectorised chain sampling.
        bigrams: Counter[tuple[int, int]] = Counter()
        for run in re.findall(r"[\u4e00-\u9fff]+", corpus_text):
            ids = [index[c] for c in run]
            bigrams.update(itertools.pairwise(ids))
        nch = len(self.chars)
        succ_lists: list[list[tuple[int, int]]] = [[] for _ in range(nch)]
        for (a, b), cnt in bigrams.items():
            succ_lists[a].append((b, cnt))
        ptr = np.zeros(nch + 1, dtype=np.int64)
        succ: list[int] = []
        gcdf: list[float] = []
        for a in range(nch):
            lst = sorted(succ_lists[a])
            tot = sum(c for _, c in lst)
            acc = 0.0
            for j, (b, c) in enumerate(lst):
                acc = 1.0 if j == len(lst) - 1 else acc + c / tot  # segment ends exactly at a + 1
                succ.append(b)
                gcdf.append(a + acc)
            ptr[a + 1] = len(succ)
        succ_arr = np.array(succ, dtype=np.int64)
        gcdf_arr = np.array(gcdf, dtype=np.float64)
        has_succ = np.diff(ptr) > 0

        words: list[str] = []
        seen_words: set[str] = set(w for w, _ in _FUNCTION_WORDS)
        while len(words) < vocab_size:
            m = vocab_size - len(words) + 1000
            lens = rng.choice([1, 2, 3, 4], size=m, p=[0.06, 0.56, 0.26, 0.12])
            cur = np.searchsorted(uni_cdf, rng.random(m) * uni_cdf[-1], side="right")
            cur = np.minimum(cur, nch - 1)
            cols = [cur]
            for _ in range(3):
                r = 1.0 - rng.random(m)  # in (0, 1]: lands inside the segment of ``cur``
                use_chain = has_succ[cur] & (rng.random(m) < 0.8)
                nxt_chain = (
                    succ_arr[
                        np.minimum(
                            np.searchsorted(gcdf_arr, cur + r, side="left"), len(succ_arr) - 1
                        )
                    ]
                    if len(succ_arr)
                    else cur
                )
                nxt_uni = np.minimum(
                    np.searchsorted(uni_cdf, r * uni_cdf[-1], side="right"), nch - 1
                )
                cur = np.where(use_chain, nxt_chain, nxt_uni)
                cols.append(cur)
            mat = np.stack(cols, axis=1)
            for row, n in zip(mat.tolist(), lens.tolist(), strict=True):
                word = "".join(self.chars[i] for i in row[:n])
                if word not in seen_words and not word.startswith("本报"):
                    seen_words.add(word)
                    words.append(word)
        words = words[:vocab_size]
        self.plain_words = words
        # Specials: numbers and quoted terms, replacing some vocabulary entries.
        n_num = vocab_size // 30
        n_quote = vocab_size // 50
        n_book = vocab_size // 100
        n_paren = vocab_size // 200
        specials: list[str] = []
        for i in range(n_num):
            v = int(rng.integers(1, 10_000))
            if rng.random() < 0.25:
                num = f"{v / 10:.1f}"
            elif rng.random() < 0.15:
                specials.append(f"{int(rng.integers(1990, 2031))}年{int(rng.integers(1, 13))}月")
                continue
            else:
                num = str(v)
            specials.append(num + _UNITS[i % len(_UNITS)])
        pos = 0
        for count, (lq, rq) in (
            (n_quote, ("“", "”")),
            (n_book, ("《", "》")),
            (n_paren, ("（", "）")),
        ):
            for _ in range(count):
                specials.append(lq + words[pos % len(words)] + words[(pos + 7) % len(words)] + rq)
                pos += 13
        vocab = words[: vocab_size - len(specials)] + specials
        order = rng.permutation(len(vocab))
        vocab = [vocab[i] for i in order]
        ranks = np.arange(1, len(vocab) + 1, dtype=np.float64)
        probs = ranks**-0.6
        fw_total = sum(p for _, p in _FUNCTION_WORDS)
        probs = probs / probs.sum() * (1.0 - fw_total)
        vocab += [w for w, _ in _FUNCTION_WORDS]
        probs = np.concatenate([probs, [p for _, p in _FUNCTION_WORDS]])
        self.n_words = len(vocab)
        self.vocab = vocab
        self.word_cdf = np.cumsum(probs)
        self.word_cdf /= self.word_cdf[-1]
        # Inverse-CDF lookup tables: one integer draw + one gather per token.
        grid = (np.arange(_TABLE_SIZE, dtype=np.float64) + 0.5) / _TABLE_SIZE
        self.word_table = np.minimum(np.searchsorted(self.word_cdf, grid), len(vocab) - 1).astype(
            np.int32
        )
        self.title_words = [w for w in words if len(w) >= 2]
        # Flat code-point table: vocabulary entries then separators.
        entries = vocab + list(_SEPS)
        self.lens = np.array([len(e) for e in entries], dtype=np.int64)
        self.offs = np.concatenate([[0], np.cumsum(self.lens)[:-1]]).astype(np.int64)
        self.flat = _codepoints("".join(entries))
        sep_p = np.array(_SEP_P, dtype=np.float64)
        self.sep_cdf = np.cumsum(sep_p / sep_p.sum())
        self.sep_table = np.minimum(np.searchsorted(self.sep_cdf, grid), len(_SEPS) - 1).astype(
            np.int64
        )
        self.unit_mean = float(
            (self.lens[: self.n_words] * np.diff(np.concatenate([[0.0], self.word_cdf]))).sum()
            + (self.lens[self.n_words :] * sep_p / sep_p.sum()).sum()
        )
        self.noise_chars = _codepoints("".join(self.chars[:3000]))

    # -- pieces ------------------------------------------------------------
    def word(self, rng: np.random.Generator, min_len: int = 2) -> str:
        """One plain vocabulary word of at least ``min_len`` characters."""
        while True:
            w = self.plain_words[int(rng.integers(len(self.plain_words)))]
            if len(w) >= min_len:
                return w

    def titles(self, rng: np.random.Generator, n: int) -> list[str]:
        """``n`` headlines: one phrase of 3-4 words, or two phrases of 2-3 words separated by a space."""
        tw = self.title_words
        ids = rng.integers(len(tw), size=(n, 6)).tolist()
        two = (rng.random(n) < 0.5).tolist()
        k1 = rng.integers(2, 4, size=n).tolist()
        k2 = rng.integers(2, 4, size=n).tolist()
        k0 = rng.integers(3, 5, size=n).tolist()
        out = []
        for row, t, a, b, c in zip(ids, two, k1, k2, k0, strict=True):
            if t:
                out.append(
                    "".join(tw[i] for i in row[:a]) + " " + "".join(tw[i] for i in row[3 : 3 + b])
                )
            else:
                out.append("".join(tw[i] for i in row[:c]))
        return out

    @staticmethod
    def names(rng: np.random.Generator, n: int) -> list[str]:
        """``n`` bylines of one or two reporter names (space separated)."""
        sur = rng.integers(len(_SURNAMES), size=(n, 2)).tolist()
        giv = rng.integers(len(_GIVEN), size=(n, 4)).tolist()
        glen = rng.integers(1, 3, size=(n, 2)).tolist()
        two = (rng.random(n) < 0.3).tolist()
        out = []
        for s, g, gl, t in zip(sur, giv, glen, two, strict=True):
            first = _SURNAMES[s[0]] + "".join(_GIVEN[i] for i in g[: gl[0]])
            if t:
                first += " " + _SURNAMES[s[1]] + "".join(_GIVEN[i] for i in g[2 : 2 + gl[1]])
            out.append(first)
        return out

    def body(self, rng: np.random.Generator, n_chars: int) -> str:
        """About ``n_chars`` characters of paragraphs separated by blank lines."""
        return self.bodies(rng, [n_chars])[0]

    def bodies(self, rng: np.random.Generator, lengths: Sequence[int]) -> list[str]:
        """One body per entry of ``lengths`` (characters), drawn in one vectorised pass.

        Batching matters for speed: numpy's per-call overhead, not the data,
        dominates for a single 1,700-character article.
        """
        if not lengths:
            return []
        counts = [max(8, int(length / self.unit_mean) + 1) for length in lengths]
        n = sum(counts)
        draws = rng.integers(_TABLE_SIZE, size=2 * n)
        words = self.word_table[draws[:n]]
        seps = self.sep_table[draws[n:]]
        last = [x - 1 for x in itertools.accumulate(counts)]
        seps[last] = _SEP_ARTICLE_END
        ends = np.flatnonzero(_SEP_ENDS_SENTENCE[seps])
        cum = np.cumsum(self.lens[words] + self.lens[self.n_words + seps])
        wanted = (rng.random(len(ends)) < _P_PARAGRAPH_BREAK).tolist()
        # Paragraph breaks at chosen sentence ends, none leaving a paragraph shorter
        # than _MIN_PARAGRAPH (a plain loop: ~45 sentence ends per article, cheaper
        # than a dozen tiny numpy calls).
        brk: list[int] = []
        art_ends = iter(cum[last].tolist())
        art_end = next(art_ends)
        prev = 0
        for i, pos, want in zip(ends.tolist(), cum[ends].tolist(), wanted, strict=True):
            if pos >= art_end:  # the article's last sentence
                prev = pos
                art_end = next(art_ends, 0)
            elif want and pos - prev >= _MIN_PARAGRAPH and art_end - pos >= _MIN_PARAGRAPH:
                brk.append(i)
                prev = pos
        if brk:
            seps[brk] = _SEP_BREAK[seps[brk]]
        tok = np.empty(2 * n, dtype=np.int64)
        tok[0::2] = words
        tok[1::2] = seps + self.n_words
        lens = self.lens[tok]
        total = int(lens.sum())
        starts = np.cumsum(lens) - lens
        idx = np.repeat(self.offs[tok] - starts, lens) + np.arange(total)
        return _from_codepoints(self.flat[idx]).split("\0")[:-1]


# --------------------------------------------------------------------------- shared phrases

# Boilerplate of the Chinese press, written for this generator: offices that precede an
# official's name, slogans, formulaic ledes and closings, credits. Unrelated stories of
# a real paper repeat such clauses word for word; a corpus without them flatters any
# candidate selection that counts shared shingles.
_OFFICES = (
    "中共中央政治局常委、国务院总理", "中共中央政治局委员、中央书记处书记", "全国人大常委会副委员长",
    "全国政协副主席", "国务院副总理", "省委书记、省人大常委会主任", "省委副书记、省长",
    "省委常委、常务副省长", "省委常委、组织部部长", "省委常委、宣传部部长", "省委常委、政法委书记",
    "省政协主席", "副省长", "市委书记", "市委副书记、市长", "市委常委、秘书长", "区委书记",
    "县委书记", "省发展改革委主任", "省教育厅厅长", "省卫生健康委主任", "省生态环境厅厅长",
)
_SLOGANS = (
    "习近平新时代中国特色社会主义思想", "以人民为中心的发展思想", "全面建设社会主义现代化国家",
    "推动高质量发展", "坚持稳中求进工作总基调", "完整准确全面贯彻新发展理念", "加快构建新发展格局",
    "全面推进乡村振兴", "坚定不移走中国特色社会主义政治发展道路", "铸牢中华民族共同体意识",
    "统筹发展和安全", "深入学习贯彻党的二十大精神", "增强“四个意识”、坚定“四个自信”、做到“两个维护”",
    "坚持和加强党的全面领导", "以党的自我革命引领社会革命", "全面从严治党向纵深发展",
    "扎实推进共同富裕", "建设人与自然和谐共生的现代化", "持续深化“放管服”改革", "优化营商环境",
    "守住不发生规模性返贫的底线", "弘扬伟大建党精神", "推进国家治理体系和治理能力现代化",
)
_LEDES = (
    "记者从省委宣传部获悉", "日前，记者从有关部门了解到", "据新华社北京电", "近日，记者走进",
    "在习近平新时代中国特色社会主义思想指引下", "今年以来，我省坚持以人民为中心",
    "党的二十大以来，各地各部门认真贯彻落实党中央决策部署", "连日来，我市上下",
    "记者从市政府新闻办召开的新闻发布会上获悉", "为深入贯彻落实省委、省政府决策部署",
)
_CLOSINGS = (
    "为推动经济社会高质量发展作出新的更大贡献", "奋力谱写中国式现代化新篇章",
    "以实际行动迎接党的二十大胜利召开", "不断增强人民群众的获得感、幸福感、安全感",
    "为全面建设社会主义现代化国家贡献力量", "确保各项工作落地见效", "会议以视频形式召开",
    "各市（州）、县（市、区）设分会场", "省直有关部门负责同志参加会议", "会议由省委副书记主持",
)
_CREDITS = (
    "新华社记者摄", "本报记者摄", "来源：人民日报客户端", "据央视新闻客户端报道", "图为活动现场",
    "责任编辑：", "通讯员供图", "数据来源：国家统计局",
)


@dataclass(frozen=True)
class PhrasePool:
    """Boilerplate clauses and the share of articles that print each one.

    ``decorate`` puts into one article every clause whose coin (drawn with
    that clause's share) comes up, at sentence starts, so that over many
    articles each clause appears in about its share of them and two unrelated
    articles share only the clauses both happened to draw.
    """

    phrases: tuple[str, ...]
    shares: np.ndarray = field(repr=False)

    @classmethod
    def build(
        cls,
        seed: int,
        samples: Sequence[SampleStory],
        *,
        size: int = 1200,
        shares: tuple[float, float] = (0.005, 0.05),
    ) -> PhrasePool:
        """``size`` clauses (5-25 characters): the lists above, officials with names, sample clauses.

        Shares are log-uniform in ``shares``; the pool depends only on ``seed``
        and the samples.
        """
        rng = _rng(seed, _D_PHRASES, 0)
        fixed = list(_SLOGANS + _LEDES + _CLOSINGS + _CREDITS)
        clauses = sorted(
            {
                c
                for st in samples
                for p in st.paragraphs
                for c in re.split(r"[，。；：！？、“”（）《》\s]", p)
                if 6 <= len(c) <= 25 and _CJK.match(c[0]) and not c.startswith("本报")
            }
        )
        clauses = [clauses[i] for i in rng.permutation(len(clauses))]
        names = TextModel.names(rng, len(_OFFICES))
        officials = [(o + n.split(" ")[0])[:25] for o, n in zip(_OFFICES, names, strict=True)]
        pool: list[str] = []
        for phrase in itertools.chain(fixed, officials, clauses):
            # a clause inside another would be printed with both shares
            if 5 <= len(phrase) <= 25 and not any(phrase in q or q in phrase for q in pool):
                pool.append(phrase)
            if len(pool) == size:
                break
        lo, hi = shares
        drawn = np.exp(rng.uniform(math.log(lo), math.log(hi), size=len(pool)))
        return cls(tuple(pool), drawn)

    def decorate(self, body: str, rng: np.random.Generator) -> str:
        """``body`` with its drawn clauses, each opening a sentence (``clause，``)."""
        chosen = np.flatnonzero(rng.random(len(self.phrases)) < self.shares)
        if not chosen.size:
            return body
        cuts = [0] + [m.end() for m in _CLAUSE_START.finditer(body) if m.end() < len(body)]
        where = np.sort(np.asarray(cuts)[rng.integers(len(cuts), size=chosen.size)])
        out: list[str] = []
        at = 0
        for pos, k in zip(where.tolist(), rng.permutation(chosen).tolist(), strict=True):
            out += [body[at:pos], self.phrases[k], "，"]
            at = pos
        out.append(body[at:])
        return "".join(out)


# --------------------------------------------------------------------------- OCR noise


class Confusables:
    """Look-alike substitution table (``a<TAB>b<TAB>score`` lines, used both ways) with a random fallback."""

    def __init__(self, path: Path | None, fallback: np.ndarray) -> None:
        self.fallback = fallback
        self.source = ""
        if path is not None and path.is_file():
            shown = path.resolve()
            shown_s = (
                shown.relative_to(ROOT).as_posix() if shown.is_relative_to(ROOT) else path.name
            )
            digest = hashlib.sha256(path.read_bytes()).hexdigest()[:16]
            self.source = f"{shown_s} sha256:{digest}"
        pairs: dict[int, dict[int, float]] = {}
        if path is not None and path.is_file():
            for line in path.read_text(encoding="utf-8").splitlines():
                parts = line.rstrip("\n").split("\t")
                if len(parts) < 2 or line.startswith("#"):
                    continue
                a, b = parts[0].strip(), parts[1].strip()
                if len(a) != 1 or len(b) != 1 or a == b:
                    continue
                try:
                    score = float(parts[2]) if len(parts) > 2 else 1.0
                except ValueError:
                    continue
                score = max(score, 1e-6)
                for x, y in ((a, b), (b, a)):
                    d = pairs.setdefault(ord(x), {})
                    d[ord(y)] = max(d.get(ord(y), 0.0), score)
        keys = sorted(pairs)
        self.keys = np.array(keys, dtype=np.uint32)
        alts: list[int] = []
        gcdf: list[float] = []
        for k_i, k in enumerate(keys):
            items = sorted(pairs[k].items())
            tot = sum(s for _, s in items)
            acc = 0.0
            for j, (ch, s) in enumerate(items):
                acc = 1.0 if j == len(items) - 1 else acc + s / tot  # segment ends at k_i + 1
                alts.append(ch)
                gcdf.append(k_i + acc)
        self.alts = np.array(alts, dtype=np.uint32)
        self.gcdf = np.array(gcdf, dtype=np.float64)

    def substitute(self, chars: np.ndarray, rng: np.random.Generator) -> np.ndarray:
        """A look-alike (or, failing that, a random common character) for each CJK char."""
        fb = self.fallback
        idx = rng.integers(len(fb), size=len(chars))
        out = fb[idx]
        same = out == chars
        out[same] = fb[(idx[same] + 1) % len(fb)]  # fallback characters are distinct
        if len(self.keys) and len(chars):
            i = np.minimum(np.searchsorted(self.keys, chars), len(self.keys) - 1)
            hit = self.keys[i] == chars
            if hit.any():
                r = 1.0 - rng.random(int(hit.sum()))  # in (0, 1]: lands inside key i's segment
                j = np.searchsorted(self.gcdf, i[hit] + r, side="left")
                j = np.minimum(j, len(self.alts) - 1)
                out[hit] = self.alts[j]
        return out


def ocr_noise(
    text: str, rate: float, rng: np.random.Generator, table: Confusables
) -> tuple[str, int]:
    """Apply OCR-like errors at character error rate ``rate``; return (text, number of edits).

    The number of edits is Binomial(non-space length, rate); 70 % are
    substitutions (look-alikes for CJK, other digits/letters), 15 % deletions,
    15 % insertions of a random common character. Only CJK characters, digits
    and ASCII letters are touched; whitespace (paragraph breaks) never is.
    """
    if rate <= 0 or not text:
        return text, 0
    cp = _codepoints(text).copy()
    n_visible = int(np.count_nonzero(cp > 0x20))
    cjk = _is_cjk_array(cp)
    digit = (cp >= 0x30) & (cp <= 0x39)
    letter = ((cp | 0x20) >= 0x61) & ((cp | 0x20) <= 0x7A)
    eligible = np.flatnonzero(cjk | digit | letter)
    k = min(int(rng.binomial(n_visible, rate)), len(eligible))
    if k == 0:
        return text, 0
    pos = np.sort(rng.choice(eligible, size=k, replace=False))
    kind = rng.random(k)
    sub = pos[kind < 0.70]
    dele = pos[(kind >= 0.70) & (kind < 0.85)]
    ins = pos[kind >= 0.85]
    if len(sub):
        c = cp[sub]
        new = c.copy()
        m = _is_cjk_array(c)
        if m.any():
            new[m] = table.substitute(c[m], rng)
        d = (c >= 0x30) & (c <= 0x39)
        if d.any():
            new[d] = (
                0x30 + (c[d] - 0x30 + rng.integers(1, 10, size=int(d.sum())).astype(np.uint32)) % 10
            )
        le = ~(m | d)
        if le.any():
            base = np.where(c[le] >= 0x61, 0x61, 0x41).astype(np.uint32)
            new[le] = (
                base
                + (c[le] - base + rng.integers(1, 26, size=int(le.sum())).astype(np.uint32)) % 26
            )
        cp[sub] = new
    counts = np.ones(len(cp), dtype=np.int64)
    counts[dele] = 0
    counts[ins] = 2
    out = np.repeat(cp, counts)
    if len(ins):
        starts = np.cumsum(counts) - counts
        out[starts[ins]] = table.fallback[rng.integers(len(table.fallback), size=len(ins))]
    return _from_codepoints(out), k


# --------------------------------------------------------------------------- plan


@dataclass(frozen=True)
class ArticleSpec:
    """How to build one article: its story, which version, and the edits of a variant.

    ``variant`` 0 is the base (unchanged) text; ``keep`` < 1 means truncated to
    that share of the body, ending with a jump marker; ``cer`` is the OCR
    character error rate; ``edits`` the number of replaced words; ``title_op``
    0 keeps the title, 1-4 alter it slightly.
    """

    story: int
    variant: int = 0
    cer: float = 0.0
    keep: float = 1.0
    punct: bool = False
    rebreak: bool = False
    edits: int = 0
    title_op: int = 0


@dataclass(frozen=True)
class StorySpec:
    """A base story: generated text of ``length`` characters, or sample story ``sample``."""

    index: int
    title: str
    byline: str
    length: int
    sample: int = -1


@dataclass(frozen=True)
class PagePlan:
    """One output file: its relative path (posix) and its articles in page order."""

    path: str
    articles: tuple[ArticleSpec, ...]


@dataclass(frozen=True)
class Group:
    """A planted duplicate group: one story printed several times; ``members`` are article ids."""

    story: int
    source: str
    members: tuple[str, ...]
    specs: tuple[ArticleSpec, ...]


@dataclass(frozen=True)
class ArticleText:
    """One rendered article, as placed on its page (``id`` is ``path#k``, k 1-based)."""

    id: str
    story: int
    variant: int
    title: str
    byline: str
    body: str

    def render(self) -> str:
        """The article's block of page text (no trailing newline)."""
        return f"## {self.title}\n\n本报记者 {self.byline}\n\n{self.body}"


@dataclass
class Corpus:
    """A planned corpus; texts are produced lazily (``iter_pages``) so any size streams.

    Fields: ``pages`` (file plans), ``stories`` (base stories), ``groups``
    (planted duplicate groups) and ``pairs`` (sorted ground truth: every pair of
    article ids in the same group, each pair sorted).
    """

    seed: int
    params: dict[str, object]
    pages: tuple[PagePlan, ...]
    stories: tuple[StorySpec, ...]
    groups: tuple[Group, ...]
    pairs: tuple[tuple[str, str], ...]
    model: TextModel = field(repr=False)
    samples: tuple[SampleStory, ...] = field(repr=False)
    confusables: Confusables = field(repr=False)
    phrases: PhrasePool | None = field(default=None, repr=False)

    @property
    def n_articles(self) -> int:
        """Number of articles over all pages."""
        return sum(len(p.articles) for p in self.pages)

    def __iter__(self) -> Iterator[tuple[str, str]]:
        return self.iter_pages()

    def iter_pages(self) -> Iterator[tuple[str, str]]:
        """Yield ``(relative path, page text)`` for every page, in order."""
        for i in range(len(self.pages)):
            yield self.pages[i].path, self.render_page(i)

    def article_ids(self) -> list[str]:
        """Every article id ``path#k`` in page order."""
        return [f"{p.path}#{k}" for p in self.pages for k in range(1, len(p.articles) + 1)]

    def truth(self) -> list[list[str]]:
        """Ground truth as JSON-ready sorted list of ``[id_a, id_b]`` pairs (id_a < id_b)."""
        return [list(p) for p in self.pairs]

    def base_text(self, story: int) -> tuple[str, str, list[str]]:
        """(title, byline, paragraphs) of a story's base version."""
        st = self.stories[story]
        if st.sample >= 0:
            return st.title, st.byline, list(self.samples[st.sample].paragraphs)
        body = self._decorate(story, self.model.body(_rng(self.seed, _D_STORY, story), st.length))
        return st.title, st.byline, body.split("\n\n")

    def _decorate(self, story: int, body: str) -> str:
        """A generated story's body with its boilerplate clauses (shared-phrase corpora)."""
        if self.phrases is None:
            return body
        return self.phrases.decorate(body, _rng(self.seed, _D_DECORATE, story))

    def article(self, page: int, k: int) -> ArticleText:
        """Render article ``k`` (1-based) of page number ``page``."""
        return self.page_articles(page)[k - 1]

    def page_articles(self, page: int) -> list[ArticleText]:
        """Render every article of page number ``page``.

        Stories of planted groups come from their own random stream (every
        member rebuilds the same base); unrelated stories, printed once, are
        drawn together from the page's stream, which is faster.
        """
        plan = self.pages[page]
        n_groups = len(self.groups)
        singles = [a.story for a in plan.articles if a.story >= n_groups]
        rng = _rng(self.seed, _D_PAGE, page)
        single_bodies = dict(
            zip(
                singles,
                self.model.bodies(rng, [self.stories[s].length for s in singles]),
                strict=True,
            )
        )
        out = []
        for k, spec in enumerate(plan.articles, 1):
            st = self.stories[spec.story]
            if spec.story >= n_groups:
                body = self._decorate(spec.story, single_bodies[spec.story])
                title, byline = st.title, st.byline
            else:
                title, byline, paras = self.base_text(spec.story)
                if spec.variant:
                    vrng = _rng(self.seed, _D_VARIANT, spec.story, spec.variant)
                    title, paras = _make_variant(
                        title, paras, spec, vrng, self.model, self.confusables
                    )
                body = "\n\n".join(paras)
            out.append(
                ArticleText(f"{plan.path}#{k}", spec.story, spec.variant, title, byline, body)
            )
        return out

    def iter_articles(self) -> Iterator[ArticleText]:
        """Every article in page order."""
        for i in range(len(self.pages)):
            yield from self.page_articles(i)

    def render_page(self, page: int) -> str:
        """Full text of one page: its articles separated by blank lines, ending with a newline."""
        return "\n\n".join(a.render() for a in self.page_articles(page)) + "\n"

    def manifest(self) -> dict[str, object]:
        """Parameters, counts and the planted groups with each member's edits (for analysis)."""
        return {
            "params": self.params,
            "articles": self.n_articles,
            "pages": len(self.pages),
            "pairs": len(self.pairs),
            "confusables": self.confusables.source,
            "samples_used": sum(1 for s in self.stories if s.sample >= 0),
            "groups": [
                {
                    "story": g.story,
                    "source": g.source,
                    "members": [
                        dict(id=m, **_spec_public(s))
                        for m, s in zip(g.members, g.specs, strict=True)
                    ],
                }
                for g in self.groups
            ],
        }

    def write(
        self,
        out_dir: str | Path,
        *,
        jsonl: str | Path | None = None,
        txt: bool = True,
        jobs: int = 1,
    ) -> dict[str, int]:
        """Write pages (``.txt`` under ``out_dir`` and/or JSON Lines), ``truth.json`` and ``manifest.json``.

        Pages are rendered and written in a streaming way, by ``jobs`` forked
        worker processes; the output does not depend on ``jobs``. Returns counts
        of pages and bytes written.
        """
        out = Path(out_dir)
        out.mkdir(parents=True, exist_ok=True)
        if txt:
            for folder in sorted({p.path.rsplit("/", 1)[0] for p in self.pages}):
                (out / folder).mkdir(parents=True, exist_ok=True)
        stats = {"pages": 0, "txt_bytes": 0, "jsonl_bytes": 0}
        step = 16
        chunks = [
            (i, min(i + step, len(self.pages)), str(out) if txt else None, jsonl is not None)
            for i in range(0, len(self.pages), step)
        ]
        with contextlib.ExitStack() as stack:
            jf: IO[str] | None = None
            if jsonl is not None:
                jf = stack.enter_context(open(jsonl, "w", encoding="utf-8", newline="\n"))
            for batch in self._map(_render_chunk, chunks, jobs):
                for path, text, size in batch:
                    stats["pages"] += 1
                    stats["txt_bytes"] += size
                    if jf is not None and text is not None:
                        line = json.dumps({"path": path, "text": text}, ensure_ascii=False) + "\n"
                        jf.write(line)
                        stats["jsonl_bytes"] += len(line.encode("utf-8"))
        truth = "[\n" + ",\n".join(json.dumps(list(p), ensure_ascii=False) for p in self.pairs)
        (out / "truth.json").write_text(
            truth + ("\n]\n" if self.pairs else "]\n"), encoding="utf-8"
        )
        (out / "manifest.json").write_text(
            json.dumps(self.manifest(), ensure_ascii=False, indent=1) + "\n", encoding="utf-8"
        )
        return stats

    def _map(
        self, func: Callable[[_Chunk], _Batch], chunks: list[_Chunk], jobs: int
    ) -> Iterator[_Batch]:
        """``map(func, chunks)`` in order, over ``jobs`` forked workers that inherit this corpus."""
        global _WORKER_CORPUS
        _WORKER_CORPUS = self
        try:
            if (
                jobs <= 1
                or len(chunks) < 4
                or "fork" not in multiprocessing.get_all_start_methods()
            ):
                yield from map(func, chunks)
                return
            with multiprocessing.get_context("fork").Pool(jobs) as pool:
                yield from pool.imap(func, chunks, chunksize=1)
        finally:
            _WORKER_CORPUS = None


_Chunk = tuple[int, int, "str | None", bool]
_Batch = list[tuple[str, "str | None", int]]
_WORKER_CORPUS: Corpus | None = None


def _render_chunk(chunk: _Chunk) -> _Batch:
    """Render pages ``start..stop-1`` of the inherited corpus; write .txt files if given a folder.

    Returns (path, text if wanted else None, bytes written) per page.
    """
    start, stop, out_dir, want_text = chunk
    corpus = _WORKER_CORPUS
    assert corpus is not None
    result: _Batch = []
    for i in range(start, stop):
        path = corpus.pages[i].path
        text = corpus.render_page(i)
        size = 0
        if out_dir is not None:
            data = text.encode("utf-8")
            with open(os.path.join(out_dir, path), "wb") as fh:
                fh.write(data)
            size = len(data)
        result.append((path, text if want_text else None, size))
    return result


def _spec_public(spec: ArticleSpec) -> dict[str, object]:
    """ArticleSpec as a JSON-ready dict without the story index."""
    d = asdict(spec)
    d.pop("story")
    return d


# --------------------------------------------------------------------------- variants


def _replace_words(
    paras: list[str], n: int, rng: np.random.Generator, model: TextModel
) -> list[str]:
    """Replace ``n`` two-character CJK spans with random vocabulary words (small wording edits)."""
    paras = list(paras)
    for _ in range(n):
        for _attempt in range(20):
            pi = int(rng.integers(len(paras)))
            p = paras[pi]
            if len(p) < 4:
                continue
            i = int(rng.integers(len(p) - 2))
            if _CJK.match(p[i]) and _CJK.match(p[i + 1]):
                paras[pi] = p[:i] + model.word(rng) + p[i + 2 :]
                break
    return paras


def _truncate(paras: list[str], keep: float, rng: np.random.Generator) -> list[str]:
    """Keep the first ``keep`` share of the body, cut after a sentence end, then add a jump marker."""
    total = sum(map(len, paras))
    target = math.ceil(total * keep)
    out: list[str] = []
    used = 0
    for p in paras:
        if used + len(p) < target:
            out.append(p)
            used += len(p)
            continue
        need = target - used
        m = _SENTENCE_END.search(p, max(need - 1, 0))
        cut = p if m is None else p[: m.end()]
        out.append(cut)
        break
    if sum(map(len, out)) >= total:
        return list(paras)
    out.append(f"（下转第{_JUMP_PAGES[int(rng.integers(len(_JUMP_PAGES)))]}版）")
    return out


def _rebreak(paras: list[str], rng: np.random.Generator) -> list[str]:
    """Split some paragraphs mid-sentence and join some neighbours, like a different layout."""
    paras = list(paras)
    ops = max(1, len(paras) // 4)
    for _ in range(ops):
        if rng.random() < 0.5 or len(paras) < 2:
            cands = [
                i for i, p in enumerate(paras) if len(p) >= 2 * _MIN_PARAGRAPH and p[0] != "（"
            ]
            if not cands:
                continue
            i = cands[int(rng.integers(len(cands)))]
            p = paras[i]
            j = int(rng.integers(int(len(p) * 0.3), int(len(p) * 0.7) + 1))
            for jj in range(j, len(p) - 20):  # cut between two CJK characters: mid-sentence
                if _CJK.match(p[jj - 1]) and _CJK.match(p[jj]):
                    paras[i : i + 1] = [p[:jj], p[jj:]]
                    break
        else:
            cands = [
                i for i in range(len(paras) - 1) if not paras[i + 1].startswith(("（下转", "(下转"))
            ]
            if not cands:
                continue
            i = cands[int(rng.integers(len(cands)))]
            paras[i : i + 2] = [paras[i] + paras[i + 1]]
    return paras


def _vary_title(title: str, op: int, rng: np.random.Generator, model: TextModel) -> str:
    """Slightly different headline, as reprints often have: 1 word swap, 2 separator, 3 prefix, 4 shorten."""
    if op == 1:
        spans = [
            i for i in range(len(title) - 1) if _CJK.match(title[i]) and _CJK.match(title[i + 1])
        ]
        if spans:
            i = spans[int(rng.integers(len(spans)))]
            return title[:i] + model.word(rng) + title[i + 2 :]
    if op == 2:
        if " " in title:
            return title.replace(" ", "，" if rng.random() < 0.5 else "——", 1)
        return title + "——" + model.word(rng) + model.word(rng)
    if op == 3:
        return _TITLE_PREFIXES[int(rng.integers(len(_TITLE_PREFIXES)))] + title
    if op == 4:
        if " " in title:
            return title.split(" ", 1)[0]
        return title[: max(4, len(title) * 2 // 3)]
    return title


def _make_variant(
    title: str,
    paras: list[str],
    spec: ArticleSpec,
    rng: np.random.Generator,
    model: TextModel,
    table: Confusables,
) -> tuple[str, list[str]]:
    """Apply a variant's edits in print order: wording, truncation, layout, OCR noise, punctuation."""
    if spec.edits:
        paras = _replace_words(paras, spec.edits, rng, model)
    jump = ""
    if spec.keep < 1.0:
        paras = _truncate(paras, spec.keep, rng)
        if paras[-1].startswith("（下转"):
            jump = paras.pop()
    if spec.rebreak:
        paras = _rebreak(paras, rng)
    if spec.cer > 0:
        text, _ = ocr_noise("\n\n".join(paras), spec.cer, rng, table)
        paras = [p for p in text.split("\n\n") if p]
    if jump:
        paras.append(jump)
    title = _vary_title(title, spec.title_op, rng, model)
    if spec.punct:  # switch the dominant width: full → half, or half → full
        body = "".join(paras)
        table = _TO_FULL if body.count(",") > body.count("，") else _TO_HALF
        paras = [p.translate(table) for p in paras]
        title = title.translate(table)
    return title, paras


# --------------------------------------------------------------------------- generate

# Text models by digest of the training text (building one takes about a second). The
# vocabulary is the same for every corpus seed: it is the "language"; the seed picks the texts.
_MODELS: dict[str, TextModel] = {}


def generate(
    n_articles: int,
    *,
    seed: int = 0,
    dup_fraction: float = 0.1,
    cer: float | tuple[float, float] = 0.02,
    min_keep: float = 0.3,
    mean_chars: int = 1700,
    max_variants: int = 3,
    p_truncate: float = 0.3,
    p_punct: float = 0.3,
    p_rebreak: float = 0.5,
    p_edit: float = 0.5,
    p_title: float = 0.5,
    p_noise: float = 1.0,
    articles_per_page: tuple[int, int] = (2, 6),
    samples_dir: str | Path | bool | None = None,
    confusables: str | Path | bool | None = None,
    shared_phrases: bool = False,
    phrase_shares: tuple[float, float] = (0.005, 0.05),
) -> Corpus:
    """Plan a corpus of ``n_articles`` articles (cheap; texts are rendered lazily).

    ``dup_fraction``: share of articles that belong to planted groups (bases
    included). Each group has a base and 1..``max_variants`` variants.
    ``cer``: OCR character error rate of a noisy variant, or a (low, high)
    range drawn uniformly per variant; ``p_noise`` is the share of variants
    that get noise. ``min_keep``: truncated variants keep a uniform share in
    [min_keep, 1) of the body (``p_truncate`` of variants are truncated;
    ``min_keep >= 1`` disables truncation). ``p_punct``/``p_rebreak``/
    ``p_edit``/``p_title``: chance of a punctuation-width switch, paragraph
    re-breaking, 1-3 word replacements, a changed title. ``mean_chars``: mean
    length of a generated article body in characters (log-normal; the default
    ≈ 5 kB of UTF-8, i.e. 100k articles ≈ 500 MB). ``samples_dir``: sample pages
    (None = search, False = don't use samples). ``confusables``: look-alike
    table (None = ``dedup/data/confusables.tsv`` if it exists, False = random
    substitution only). ``shared_phrases``: every generated story also prints
    boilerplate clauses (``PhrasePool``), each in a share of the articles drawn
    log-uniformly from ``phrase_shares``, so that unrelated stories share many
    short phrases but little of their text.
    """
    if n_articles < 0:
        raise ValueError("n_articles must be >= 0")
    if max_variants < 1:
        raise ValueError("max_variants must be >= 1")
    if not 0.0 <= dup_fraction <= 1.0:
        raise ValueError("dup_fraction must be in 0..1")
    cer_lo, cer_hi = (float(cer), float(cer)) if isinstance(cer, (int, float)) else map(float, cer)
    if not 0.0 <= cer_lo <= cer_hi < 1.0:
        raise ValueError("cer must be in [0, 1)")
    lo_page, hi_page = articles_per_page
    if not 1 <= lo_page <= hi_page:
        raise ValueError("articles_per_page must be (low, high) with 1 <= low <= high")
    if samples_dir is False:
        sdir = None
    elif samples_dir is None or samples_dir is True:
        sdir = find_samples_dir()
    else:
        sdir = Path(samples_dir)
    samples = tuple(harvest_samples(sdir))
    corpus_text = "\n".join("\n".join(s.paragraphs) for s in samples)
    if sdir is not None and not corpus_text:
        corpus_text = "\n".join(
            p.read_text(encoding="utf-8", errors="replace") for p in sorted(sdir.glob("*.txt"))
        )
    key = hashlib.sha256(corpus_text.encode("utf-8")).hexdigest()
    model = _MODELS.get(key)
    if model is None:
        model = _MODELS[key] = TextModel(corpus_text)
        while len(_MODELS) > 4:
            del _MODELS[next(iter(_MODELS))]
    if confusables is False:
        cpath = None
    elif confusables is None or confusables is True:
        cpath = CONFUSABLES_PATH if CONFUSABLES_PATH.is_file() else None
    else:
        cpath = Path(confusables)
    table = Confusables(cpath, np.sort(model.noise_chars))

    rng = _rng(seed, _D_PLAN, 0)
    # Group sizes: base + 1..max_variants variants, until dup members reach the target.
    target = round(n_articles * dup_fraction)
    sizes: list[int] = []
    left = target
    while left >= 2:
        v = int(rng.choice(np.arange(1, max_variants + 1), p=_variant_probs(max_variants)))
        s = min(v + 1, left)
        if left - s == 1:  # a lone leftover cannot form a group: grow or shrink this one
            if s + 1 <= max_variants + 1:
                s += 1
            elif s > 2:
                s -= 1
        sizes.append(s)
        left -= s
    n_members = sum(sizes)
    n_single = n_articles - n_members
    n_stories = len(sizes) + n_single

    # Base stories: the first groups take the sample stories (at most half of the groups).
    use_samples = min(len(samples), len(sizes) // 2 if len(sizes) > 1 else len(sizes))
    used_titles: set[str] = set()
    stories: list[StorySpec] = []
    lengths = np.exp(rng.normal(math.log(mean_chars) - 0.125, 0.5, size=n_stories))
    lengths = np.clip(lengths, min(400, mean_chars), 4 * mean_chars).astype(np.int64)
    trng = _rng(seed, _D_TITLE, 0)
    titles = model.titles(trng, n_stories)
    bylines = model.names(trng, n_stories)
    for s in range(n_stories):
        title, byline, length, sample = titles[s], bylines[s], int(lengths[s]), -1
        if s < use_samples:
            sample = s
            smp = samples[s]
            title = smp.title if smp.title and smp.title not in used_titles else title
            byline = smp.byline or byline
            length = sum(map(len, smp.paragraphs))
        while title in used_titles:  # vanishingly rare for generated titles
            title = model.titles(trng, 1)[0]
        used_titles.add(title)
        stories.append(StorySpec(s, title, byline, length, sample))

    specs: list[ArticleSpec] = []
    group_specs: list[list[ArticleSpec]] = []
    for g, size in enumerate(sizes):
        members = [ArticleSpec(g)]
        for v in range(1, size):
            noisy = rng.random() < p_noise
            rate = float(rng.uniform(cer_lo, cer_hi)) if noisy else 0.0
            trunc = min_keep < 1.0 and rng.random() < p_truncate
            keep = round(float(rng.uniform(min_keep, 1.0)), 3) if trunc else 1.0
            members.append(
                ArticleSpec(
                    story=g,
                    variant=v,
                    cer=round(rate, 4),
                    keep=keep,
                    punct=bool(rng.random() < p_punct),
                    rebreak=bool(rng.random() < p_rebreak),
                    edits=int(rng.integers(1, 4)) if rng.random() < p_edit else 0,
                    title_op=int(rng.integers(1, 5)) if rng.random() < p_title else 0,
                )
            )
        group_specs.append(members)
        specs += members
    specs += [ArticleSpec(len(sizes) + i) for i in range(n_single)]

    # Shuffle onto pages, then move apart members of one group that share a page.
    order = rng.permutation(len(specs))
    shuffled = [specs[i] for i in order]
    page_lists: list[list[ArticleSpec]] = []
    pos = 0
    while pos < len(shuffled):
        k = int(rng.integers(lo_page, hi_page + 1))
        page_lists.append(shuffled[pos : pos + k])
        pos += k
    _separate_groups(page_lists, len(sizes), rng)

    pages = tuple(
        PagePlan(f"{i // 1000:03d}/{i:06d}.txt", tuple(arts)) for i, arts in enumerate(page_lists)
    )
    where: dict[tuple[int, int], str] = {}
    for p in pages:
        for k, a in enumerate(p.articles, 1):
            if a.story < len(sizes):
                where[(a.story, a.variant)] = f"{p.path}#{k}"
    groups = []
    pairs: list[tuple[str, str]] = []
    for g, members in enumerate(group_specs):
        ids = tuple(where[(m.story, m.variant)] for m in members)
        groups.append(
            Group(g, "sample" if stories[g].sample >= 0 else "generated", ids, tuple(members))
        )
        pairs += [(a, b) if a < b else (b, a) for a, b in itertools.combinations(ids, 2)]
    params: dict[str, object] = dict(
        n_articles=n_articles,
        seed=seed,
        dup_fraction=dup_fraction,
        cer=[cer_lo, cer_hi],
        min_keep=min_keep,
        mean_chars=mean_chars,
        max_variants=max_variants,
        p_truncate=p_truncate,
        p_punct=p_punct,
        p_rebreak=p_rebreak,
        p_edit=p_edit,
        p_title=p_title,
        p_noise=p_noise,
        articles_per_page=[lo_page, hi_page],
    )
    phrases = None
    if shared_phrases:
        phrases = PhrasePool.build(seed, samples, shares=phrase_shares)
        params["shared_phrases"] = list(phrase_shares)
    return Corpus(
        seed,
        params,
        pages,
        tuple(stories),
        tuple(groups),
        tuple(sorted(pairs)),
        model,
        samples,
        table,
        phrases,
    )


def _variant_probs(max_variants: int) -> list[float]:
    """Chance of 1, 2, 3, ... variants per group (favouring fewer)."""
    w = np.array([0.5, 0.3, 0.2] + [0.1] * max(0, max_variants - 3), dtype=np.float64)[
        :max_variants
    ]
    return list(w / w.sum())


def _separate_groups(
    pages: list[list[ArticleSpec]], n_groups: int, rng: np.random.Generator
) -> None:
    """Swap articles so that no page holds two members of the same planted group."""
    if n_groups == 0 or len(pages) < 2:
        return

    def stories(page: list[ArticleSpec]) -> list[int]:
        return [a.story for a in page if a.story < n_groups]

    for pi, page in enumerate(pages):
        k = 0
        while k < len(page):
            st = page[k].story
            if st < n_groups and stories(page).count(st) > 1:
                for _attempt in range(1000):
                    pj = int(rng.integers(len(pages)))
                    if pj == pi or not pages[pj]:
                        continue
                    kj = int(rng.integers(len(pages[pj])))
                    other = pages[pj][kj]
                    if st in stories(pages[pj]):
                        continue
                    if other.story < n_groups and other.story in stories(page):
                        continue
                    page[k], pages[pj][kj] = other, page[k]
                    break
            k += 1


# --------------------------------------------------------------------------- CLI


def _parse_cer(text: str) -> float | tuple[float, float]:
    """``0.08`` or ``0,0.08`` (a range drawn per variant)."""
    if "," in text:
        lo, hi = (float(x) for x in text.split(",", 1))
        return lo, hi
    return float(text)


def main(argv: Sequence[str] | None = None) -> int:
    """Command line: write a corpus to OUT_DIR and report size and speed on stderr."""
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("out_dir", help="output folder (pages in sub-folders of <= 1000 files)")
    ap.add_argument("--articles", type=int, required=True, help="number of articles")
    ap.add_argument("--seed", type=int, default=0)
    ap.add_argument("--dup-fraction", type=float, default=0.1)
    ap.add_argument("--cer", type=_parse_cer, default=0.02, help="OCR error rate, or LO,HI range")
    ap.add_argument("--min-keep", type=float, default=0.3)
    ap.add_argument(
        "--mean-chars", type=int, default=1700, help="mean article length in characters"
    )
    ap.add_argument("--max-variants", type=int, default=3)
    ap.add_argument("--jsonl", help="also write pages as JSON Lines {path, text} to this file")
    ap.add_argument("--no-txt", action="store_true", help="do not write .txt pages (with --jsonl)")
    ap.add_argument("--samples", help="sample pages folder (default: search)")
    ap.add_argument("--no-samples", action="store_true", help="generated stories only")
    ap.add_argument(
        "--shared-phrases",
        action="store_true",
        help="unrelated stories share boilerplate clauses (0.5-5 %% of articles each)",
    )
    ap.add_argument("--jobs", type=int, default=os.cpu_count() or 1, help="worker processes")
    args = ap.parse_args(argv)
    if args.no_txt and not args.jsonl:
        ap.error("--no-txt needs --jsonl")
    t0 = time.perf_counter()
    corpus = generate(
        args.articles,
        seed=args.seed,
        dup_fraction=args.dup_fraction,
        cer=args.cer,
        min_keep=args.min_keep,
        mean_chars=args.mean_chars,
        max_variants=args.max_variants,
        samples_dir=False if args.no_samples else args.samples,
        shared_phrases=args.shared_phrases,
    )
    t1 = time.perf_counter()
    stats = corpus.write(args.out_dir, jsonl=args.jsonl, txt=not args.no_txt, jobs=args.jobs)
    t2 = time.perf_counter()
    mb = (stats["txt_bytes"] or stats["jsonl_bytes"]) / 1e6
    print(
        f"{corpus.n_articles} articles, {stats['pages']} pages, {len(corpus.pairs)} planted pairs "
        f"in {len(corpus.groups)} groups; {mb:.1f} MB; plan {t1 - t0:.1f}s, write {t2 - t1:.1f}s "
        f"({mb / max(t2 - t1, 1e-9):.0f} MB/s, jobs={args.jobs})",
        file=sys.stderr,
    )
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
