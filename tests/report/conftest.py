"""Fixtures of the report tests: sample reports, a hostile page, and a headless Chromium.

The browser tests need Debian's ``chromium`` and ``chromium-driver`` and the
``selenium`` package. Without them they are skipped on a developer's machine
and fail in CI (``CI`` set), so that a missing install step cannot hide them.
"""

from __future__ import annotations

import os
import shutil
import tempfile
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest

from dedup.compare import compare, compare_files
from dedup.model import Document, Options
from dedup.pairing import pair_articles
from dedup.report.html import PairInput
from dedup.scan import scan_paths, write_outputs
from dedup.segment import split
from tests.conftest import ROOT, SAMPLES

OUTPUT = ROOT / "tests" / "output"
CHROMIUM = os.environ.get("DEDUP_CHROMIUM", "/usr/bin/chromium")
CHROMEDRIVER = os.environ.get("DEDUP_CHROMEDRIVER", "/usr/bin/chromedriver")

# Titles and body text that would run script if they were not escaped.
XSS_SCRIPT = "<script>alert(1);window.pwnedFlag=1</script>"
XSS_IMG = '"><img src=x onerror="alert(1);window.pwnedFlag=2">'
XSS_ATTR = "' onmouseover='window.pwnedFlag=3' x='"


def pair_of(text_a: str, text_b: str, names: tuple[str, str] = ("a.txt", "b.txt")) -> PairInput:
    """The first article pair of two pages given as text, ready to render."""
    doc_a = Document(names[0], text_a, "utf-8")
    doc_b = Document(names[1], text_b, "utf-8")
    pairs = pair_articles(split(doc_a), split(doc_b), Options())
    assert pairs, "the two pages share no story"
    x, y = pairs[0]
    c = compare(x, y, text_a=text_a, text_b=text_b)
    return PairInput(c, x, y, text_a, text_b, relation="duplicate", containment=1.0)


PARAS = [
    "## 测试标题一二三",
    "本报记者 张三",
    "第一段：党的基层组织是党的肌体神经末梢，是党的全部工作和战斗力的基础，必须长期坚持。",
    "第二段：近年来我省牢固树立以人民为中心的发展思想，全面落实新时代党的建设总要求。",
    "第三段：走进吉林长春社区干部学院，随处可见党建元素和红色文化融入进校园门庭廊道。",
    "第四段：这里是一所专门培养社区工作者的学校，也是全国首个独立设置的社区干部培训基地。",
    "第五段：截至今年十月底，学院通过线上加线下培训模式，圆满完成各级各类培训班一百多期。",
    "第六段：基层治理关键在人，去年全省高质量完成村社区两委换届，成员学历年龄一升一降。",
    "第七段：天气越来越冷但我的心是暖暖的，家住长春市南关区的独居老人拉着社区书记的手说。",
    "第八段：九圣祠社区地处老城区，物业弃管小区体量占比很高，矛盾多发投诉不断的情况常见。",
]
EXTRA = "新增段：目光转向白山市，走进浑江区城南街道平台社区党群服务中心，一个圆形转盘设计新颖。"


def shapes_pages() -> tuple[str, str]:
    """Two pages whose alignment has every row shape but the cut: A-only, B-only, 1:n, moved."""
    a = "\n\n".join(PARAS) + "\n"
    bp = list(PARAS)
    del bp[4]  # 第三段 only in A
    moved = bp.pop(4)  # 第四段 printed last in B
    bp.append(moved)
    i = bp.index(PARAS[7])
    bp[i : i + 1] = [PARAS[7][:20], PARAS[7][20:]]  # 第六段 split in two in B
    bp.insert(3, EXTRA)  # only in B
    bp[2] = bp[2].replace("基础", "基石")
    return a, "\n\n".join(bp) + "\n"


def xss_pages() -> tuple[str, str]:
    """Two printings of a story whose title and body carry script payloads."""
    body = [
        f"第一段正文讲述了一个很长的故事，内容足够长以便配对。{XSS_SCRIPT}另外还有一些文字继续写下去。",
        f"第二段正文也很长，{XSS_IMG}这里有更多的内容用来比较两个版本之间的差异，{XSS_ATTR}。",
        "第三段正文继续讲述故事的后续发展情况和相关背景，并且给出了更多的细节。",
    ]
    a = "\n\n".join([f"## 标题{XSS_SCRIPT}{XSS_IMG}", "本报记者 张三", *body]) + "\n"
    # the body's payload changes its quotes, so that edit reasons quote both kinds
    b = a.replace(f"很长，{XSS_IMG}", "很长，" + XSS_IMG.replace('"', "'"))
    b = b.replace("，", ",").replace("很长的故事", "很长的新故事").replace("更多的细节", "更多细节")
    return a, b


@pytest.fixture(scope="session")
def sample_reports(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """``dedup scan samples`` HTML output (index.html, pairs/*.html) in a temp folder."""
    out = tmp_path_factory.mktemp("reports")
    write_outputs(scan_paths([SAMPLES], Options(jobs=1)), out, {"html"})
    return out


@pytest.fixture(scope="session")
def xss_report(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """A compare report of the hostile pages, and a scan of them beside it."""
    from dedup.report.build import compare_report

    root = tmp_path_factory.mktemp("xss")
    pages = root / "pages"
    pages.mkdir()
    a, b = xss_pages()
    (pages / "a.txt").write_text(a, encoding="utf-8")
    (pages / "b.txt").write_text(b, encoding="utf-8")
    (root / "compare.html").write_bytes(compare_report(compare_files(pages / "a.txt", pages / "b.txt")))
    write_outputs(scan_paths([pages], Options(jobs=1)), root / "scan", {"html"})
    return root


def _ci() -> bool:
    return os.environ.get("CI", "").strip().lower() not in ("", "0", "false", "no")


def _missing() -> str | None:
    try:
        import selenium  # noqa: F401
    except ImportError:
        return "the selenium package is not installed (pip install selenium)"
    for path in (CHROMIUM, CHROMEDRIVER):
        if not (Path(path).exists() or shutil.which(path)):
            return f"{path} is missing (apt-get install -y chromium chromium-driver)"
    return None


@pytest.fixture(scope="session")
def browser() -> Iterator[Any]:
    """A headless Chromium with a fresh profile; fails in CI when it cannot start."""
    problem = _missing()
    if problem:
        if _ci():
            pytest.fail(f"browser tests cannot run in CI: {problem}")
        pytest.skip(problem)
    from selenium import webdriver
    from selenium.webdriver.chrome.service import Service

    profile = tempfile.mkdtemp(prefix="dedup-chromium-")
    opts = webdriver.ChromeOptions()
    opts.binary_location = CHROMIUM
    for flag in (
        "--headless=new",
        "--no-sandbox",
        "--disable-gpu",
        "--disable-background-networking",
        "--disable-component-update",
        "--disable-sync",
        "--no-first-run",
        "--disable-dev-shm-usage",
        f"--user-data-dir={profile}",
        "--window-size=1400,1000",
        "--lang=en-US",
    ):
        opts.add_argument(flag)
    opts.set_capability("goog:loggingPrefs", {"browser": "ALL"})
    driver = webdriver.Chrome(service=Service(CHROMEDRIVER), options=opts)
    driver.set_page_load_timeout(60)
    try:
        yield driver
    finally:
        driver.quit()
        shutil.rmtree(profile, ignore_errors=True)
