"""The reports in a real browser: toggles, next/previous, hover, sorting, no script errors, no XSS.

Every test opens ``file://`` pages in headless Chromium (see ``conftest.browser``)
and saves a screenshot into ``tests/output/`` for a person to look at.
"""

from __future__ import annotations

import time
from collections.abc import Callable
from pathlib import Path
from typing import Any

import pytest

from dedup.report.html import report_name
from tests.report.conftest import OUTPUT

pytestmark = pytest.mark.browser

LEAD = ("000_eb4e53a3a7b005b7.txt#1", "001_86c1b19793689044.txt#1")

# Marks drawn with their type's style (the stylesheet removes it when a type is off).
_DRAWN = """
return Array.from(document.querySelectorAll(arguments[0])).filter(el => {
  const s = getComputedStyle(el);
  const line = s.textDecorationLine !== "none";
  const box = s.outlineStyle !== "none" || s.borderTopStyle !== "none";
  const fill = s.backgroundColor !== "rgba(0, 0, 0, 0)" || s.backgroundImage !== "none";
  return line || box || fill;
}).length;
"""


def open_page(driver: Any, path: Path) -> None:
    driver.get("about:blank")
    driver.get_log("browser")  # drop what earlier pages logged
    driver.get(path.resolve().as_uri())
    wait_for(lambda: driver.execute_script("return document.readyState") == "complete")


def wait_for(check: Callable[[], bool], timeout: float = 10.0) -> None:
    deadline = time.monotonic() + timeout
    while not check():
        if time.monotonic() > deadline:
            raise AssertionError("timed out waiting for the page")
        time.sleep(0.05)


def severe(driver: Any) -> list[str]:
    return [e["message"] for e in driver.get_log("browser") if e["level"] == "SEVERE"]


def no_alert(driver: Any) -> bool:
    from selenium.common.exceptions import NoAlertPresentException

    try:
        driver.switch_to.alert.dismiss()
    except NoAlertPresentException:
        return True
    return False


def screenshot(driver: Any, name: str, full: bool = True) -> Path:
    """Save the page (its whole height when ``full``) as tests/output/<name>.png."""
    OUTPUT.mkdir(parents=True, exist_ok=True)
    target = OUTPUT / f"{name}.png"
    if full:
        height = int(driver.execute_script("return document.documentElement.scrollHeight"))
        driver.set_window_size(1400, min(max(height + 140, 1000), 12000))
        time.sleep(0.3)
    driver.save_screenshot(str(target))
    driver.set_window_size(1400, 1000)
    return target


def count(driver: Any) -> str:
    return str(driver.find_element("id", "nav-count").text)


def press(driver: Any, key: str) -> None:
    from selenium.webdriver.common.action_chains import ActionChains

    ActionChains(driver).send_keys(key).perform()


def test_index_opens_sorts_and_links(browser: Any, sample_reports: Path) -> None:
    open_page(browser, sample_reports / "index.html")
    assert severe(browser) == []
    rows = browser.find_elements("css selector", "#pairs-table tbody tr")
    order = [r.find_element("css selector", "td").text for r in rows]
    assert order == ["1", "2"]
    heading = browser.find_element("css selector", "#pairs th[data-key='similarity']")
    heading.click()  # ascending: the least similar pair first

    def sims() -> list[float]:
        return [
            float(r.find_elements("css selector", "td")[5].text)
            for r in browser.find_elements("css selector", "#pairs-table tbody tr")
        ]

    assert sims() == sorted(sims())
    heading.click()
    assert sims() == sorted(sims(), reverse=True)
    assert heading.get_attribute("aria-sort") == "descending"
    titles = browser.find_element("css selector", "#articles th[data-key='title']")
    titles.click()
    shown = [r.find_elements("css selector", "td")[2].text for r in
             browser.find_elements("css selector", "#articles-table tbody tr")]
    assert len(shown) == _matched(browser, "articles") > 10
    assert shown == sorted(shown, key=lambda t: "" if t == "–" else t)
    screenshot(browser, "index")
    link = browser.find_element("css selector", "#pairs-table a[href^='pairs/']")
    link.click()
    wait_for(lambda: "pairs/" in browser.current_url)
    assert browser.find_elements("css selector", "section.pair")
    assert severe(browser) == []


def test_pair_report_toggles_navigation_and_hover(browser: Any, sample_reports: Path) -> None:
    from selenium.webdriver.common.action_chains import ActionChains

    open_page(browser, sample_reports / "pairs" / report_name(*LEAD))
    assert severe(browser) == []
    assert browser.find_element("id", "nav").is_displayed()
    assert count(browser) == "– / 13"  # ocr 3, inversion 3, wording 6, truncation 1

    # punctuation starts hidden: its 80 marks are plain text until its box is ticked
    assert browser.execute_script(_DRAWN, ".cell .t-punctuation") == 0
    before = browser.execute_script(_DRAWN, ".cell .d")
    browser.find_element("id", "show-punctuation").click()
    assert browser.execute_script(_DRAWN, ".cell .t-punctuation") == 160
    assert browser.execute_script(_DRAWN, ".cell .d") == before + 160
    assert count(browser) == "– / 93"
    browser.find_element("id", "show-punctuation").click()
    assert count(browser) == "– / 13"
    # wording can be switched off too
    browser.find_element("id", "show-wording").click()
    assert browser.execute_script(_DRAWN, ".cell .t-wording") == 0
    assert count(browser) == "– / 7"
    browser.find_element("id", "show-wording").click()
    assert browser.execute_script(_DRAWN, ".cell .t-wording") == 12

    # next / previous, by button and by key
    browser.find_element("id", "nav-next").click()
    assert count(browser) == "1 / 13"
    current = browser.find_elements("css selector", ".d.cur")
    assert len(current) == 2  # the difference on both sides
    assert {c.get_attribute("id")[-1] for c in current} == {"a", "b"}
    press(browser, "n")
    assert count(browser) == "2 / 13"
    press(browser, "j")
    assert count(browser) == "3 / 13"
    press(browser, "k")
    assert count(browser) == "2 / 13"
    browser.find_element("id", "nav-prev").click()
    assert count(browser) == "1 / 13"
    press(browser, "p")
    assert count(browser) == "13 / 13"  # wraps to the last: the cut
    last = browser.find_element("css selector", ".d.cur.t-truncation")
    assert last.text == "（下转第二版）"
    # stepping onto a mark inside the folded tail unfolds it
    tail = browser.find_element("css selector", "details.tail")
    assert tail.get_attribute("open") is not None

    # hovering a change lights up its counterpart
    mark = browser.find_element("xpath", "//div[contains(@class,'cell a')]//span[.='论']")
    ActionChains(browser).move_to_element(mark).perform()
    partner = browser.find_element("id", mark.get_attribute("id")[:-1] + "b")
    assert "hl" in partner.get_attribute("class").split() and partner.text == "训"
    assert "论" in mark.get_attribute("title") and "训" in mark.get_attribute("title")

    # the moved byline links to its other place
    link = browser.find_element("css selector", ".cell.b a.moved-link")
    browser.execute_script("arguments[0].scrollIntoView({block: 'center'})", link)
    link.click()
    assert browser.current_url.endswith(link.get_attribute("href").rsplit("#", 1)[1])
    assert severe(browser) == []


def test_sample_pair_reports_screenshots(browser: Any, sample_reports: Path) -> None:
    reports = sorted((sample_reports / "pairs").glob("*.html"))
    assert len(reports) == 2
    for path in reports:
        open_page(browser, path)
        assert severe(browser) == []
        top = browser.find_element("css selector", ".grid .row:not(.colhead)")
        assert top.is_displayed()
        shot = screenshot(browser, f"pair-{path.stem}")
        assert shot.stat().st_size > 10_000


def test_compare_page_navigates_across_pairs(browser: Any, tmp_path: Path) -> None:
    from dedup.compare import compare_files
    from dedup.report.build import compare_report
    from tests.conftest import sample

    page = tmp_path / "compare.html"
    page.write_bytes(compare_report(compare_files(sample("000"), sample("001"))))
    open_page(browser, page)
    assert count(browser) == "– / 22"  # 13 in the lead story, 9 in the second
    for _ in range(14):
        press(browser, "n")
    current = browser.find_element("css selector", ".cell.a .d.cur")
    assert current.get_attribute("id").startswith("p2-")
    assert severe(browser) == []
    screenshot(browser, "compare-000-001")


def test_page_works_without_its_script(browser: Any, sample_reports: Path) -> None:
    browser.execute_cdp_cmd("Emulation.setScriptExecutionDisabled", {"value": True})
    try:
        open_page(browser, sample_reports / "pairs" / report_name(*LEAD))
        assert not browser.find_element("id", "nav").is_displayed()
        assert browser.execute_script is not None
        marks = browser.find_elements("css selector", ".cell .t-ocr")
        assert marks and marks[0].value_of_css_property("text-decoration-line") != "none"
        browser.find_element("id", "show-ocr").click()  # CSS alone switches the type off
        assert marks[0].value_of_css_property("text-decoration-line") == "none"
        browser.find_element("css selector", "details.tail summary").click()
        assert browser.find_element("css selector", "details.tail").get_attribute("open") is not None
    finally:
        browser.execute_cdp_cmd("Emulation.setScriptExecutionDisabled", {"value": False})


def test_hostile_pages_run_nothing(browser: Any, xss_report: Path) -> None:
    from selenium.webdriver.common.action_chains import ActionChains

    pages = [xss_report / "compare.html", *sorted((xss_report / "scan").rglob("*.html"))]
    assert len(pages) == 3
    for path in pages:
        open_page(browser, path)
        for el in browser.find_elements("css selector", ".cell, h2, td")[:40]:
            ActionChains(browser).move_to_element(el).perform()
        assert no_alert(browser)
        assert browser.execute_script("return window.pwnedFlag === undefined")
        assert browser.execute_script("return document.images.length") == 0
        assert "<script>alert(1)" in browser.find_element("tag name", "body").text
        assert severe(browser) == []
        if path.name == "compare.html":
            screenshot(browser, "xss-compare", full=False)


# ------------------------------------------------------------------ index at scale

_LOADED = """
const n = performance.getEntriesByType("navigation")[0];
return n && n.loadEventEnd ? n.loadEventEnd : 0;
"""


def _matched(driver: Any, view: str) -> int:
    return int(driver.find_element("id", view).get_attribute("data-matched"))


def _set(driver: Any, element_id: str, value: str) -> None:
    """Type ``value`` into a filter box and let the page re-filter."""
    box = driver.find_element("id", element_id)
    box.clear()
    box.send_keys(value)
    driver.execute_script("arguments[0].dispatchEvent(new Event('change'))", box)


def test_index_of_100k_articles_loads_fast_and_narrows(browser: Any, tmp_path: Path) -> None:
    """A synthetic 100,000-article index: under 3 s to load, every page small, filters exact."""
    from bench.index_corpus import write_index

    documents, clusters, pairs = write_index(tmp_path, 100_000)
    assert all(p.stat().st_size < 2_000_000 for p in tmp_path.iterdir())
    open_page(browser, tmp_path / "index.html")
    wait_for(lambda: browser.execute_script(_LOADED) > 0)
    load = browser.execute_script(_LOADED) / 1000.0
    assert severe(browser) == []
    print(f"100k-article index: load event after {load:.2f} s")
    assert load < 3.0, f"index load took {load:.2f} s"
    assert _matched(browser, "articles") == 100_000
    assert _matched(browser, "pairs") == len(pairs)
    assert len(browser.find_elements("css selector", "#articles-table tbody tr")) == 100

    titles = {a["id"]: a["title"] for d in documents for a in d["articles"]}
    probe = titles[pairs[10].b][:3]
    expect = [
        p for p in pairs
        if probe in "\n".join([p.a, titles[p.a], p.b, titles[p.b], p.cluster])
    ]
    _set(browser, "pairs-q", probe)
    wait_for(lambda: _matched(browser, "pairs") == len(expect))
    shown = browser.find_elements("css selector", "#pairs-table tbody tr")
    assert len(shown) == min(100, len(expect)) and all(probe in r.text for r in shown)
    _set(browser, "pairs-q", "")

    _set(browser, "pairs-smin", "0.8")
    _set(browser, "pairs-smax", "0.95")
    browser.find_element("css selector", "#pairs-relation option[value='partial']").click()
    browser.find_element("css selector", "#pairs input[data-f='type'][value='wording']").click()
    expect = [
        p for p in pairs
        if p.relation == "partial" and 0.8 <= p.similarity <= 0.95 and dict(p.counts).get("wording", 0) > 0
    ]
    assert 0 < len(expect) < len(pairs)
    wait_for(lambda: _matched(browser, "pairs") == len(expect))
    heading = browser.find_element("css selector", "#pairs th[data-key='similarity']")
    heading.click()
    cells = [r.find_elements("css selector", "td") for r in browser.find_elements("css selector", "#pairs-table tbody tr")]
    sims = [float(c[5].text) for c in cells]
    assert sims == sorted(p.similarity for p in expect)[: len(sims)]
    assert all(c[3].text == "partial" and c[10].text not in ("0", "–") for c in cells)
    browser.execute_script("document.getElementById('pairs').scrollIntoView()")
    screenshot(browser, "index-100k-pairs", full=False)

    browser.get("about:blank")
    browser.get((tmp_path / "index.html").resolve().as_uri() + f"#cluster-{clusters[3].id}")
    wait_for(lambda: _matched(browser, "clusters") == 1)
    assert _matched(browser, "pairs") == sum(1 for p in pairs if p.cluster == clusters[3].id)


def test_pair_report_lists_unpaired_and_holds_from_700_px_to_wide(browser: Any, sample_reports: Path) -> None:
    page = sample_reports / "pairs" / report_name(*LEAD)
    for width in (700, 1000, 1920):
        browser.set_window_size(width, 1000)
        open_page(browser, page)
        over = browser.execute_script(
            "return document.documentElement.scrollWidth - document.documentElement.clientWidth"
        )
        assert over <= 0, f"{over} px too wide at {width} px"
        screenshot(browser, f"pair-report-{width}", full=False)
    browser.set_window_size(1400, 1000)
    unpaired = [p.text for p in browser.find_elements("css selector", "p.unpaired")]
    assert len(unpaired) == 2
    assert "000_eb4e53a3a7b005b7.txt#2" in unpaired[0] and "为经济高质量发展注入新动力" in unpaired[0]
    assert "000_eb4e53a3a7b005b7.txt#6" not in unpaired[0]  # paired with 001#4
    assert "001_86c1b19793689044.txt#2" in unpaired[1] and "001_86c1b19793689044.txt#1" not in unpaired[1]
