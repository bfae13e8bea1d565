"""The report in a real browser: headless Chromium loads the page, runs its script, logs no
error, fetches nothing from the network, and lays out at desktop and phone widths.

Skipped only when Chromium is not installed and ``POLICYCMP_REQUIRE_BROWSER`` is unset; with
that variable set, a missing browser fails. Selenium drives the system chromedriver (never a
downloaded one). ``POLICYCMP_SCREENSHOT_DIR`` keeps the screenshots for a human to look at.
"""

from __future__ import annotations

import base64
import os
import shutil
import struct
import subprocess
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest

import policycmp
from benchmarks.chromium import chromium_flags

from .browser_helpers import chromium_or_skip, selenium_driver

pytestmark = pytest.mark.browser

SCREEN = ("--hide-scrollbars",)  # screenshots and layout checks without scrollbar widths


def png_size(path: Path) -> tuple[int, int]:
    data = path.read_bytes()[:24]
    assert data[:8] == b"\x89PNG\r\n\x1a\n", f"{path} is not a PNG"
    width, height = struct.unpack(">II", data[16:24])
    return width, height


@pytest.fixture(scope="module")
def chromium() -> str:
    return chromium_or_skip()


@pytest.fixture(scope="module")
def report_file(tmp_path_factory: pytest.TempPathFactory) -> Path:
    path = tmp_path_factory.mktemp("report") / "report.html"
    policycmp.load().report().save(path)
    return path


@pytest.fixture(scope="module")
def shots(tmp_path_factory: pytest.TempPathFactory) -> Path:
    keep = os.environ.get("POLICYCMP_SCREENSHOT_DIR")
    if keep:
        Path(keep).mkdir(parents=True, exist_ok=True)
        return Path(keep)
    return tmp_path_factory.mktemp("shots")


@pytest.fixture(scope="module")
def driver(chromium: str, tmp_path_factory: pytest.TempPathFactory) -> Iterator[Any]:
    profile = tmp_path_factory.mktemp("profile")
    with selenium_driver(chromium, profile, *SCREEN, "--window-size=1280,900", logs=("browser", "performance")) as drv:
        yield drv


def load(drv: Any, page: Path, width: int, height: int = 900, mobile: bool = False) -> None:
    drv.execute_cdp_cmd(
        "Emulation.setDeviceMetricsOverride",
        {"width": width, "height": height, "deviceScaleFactor": 1, "mobile": mobile},
    )
    drv.get_log("browser")  # drop what earlier pages logged
    drv.get_log("performance")
    drv.get(page.as_uri())


def full_page_screenshot(drv: Any, path: Path) -> tuple[int, int]:
    size = drv.execute_cdp_cmd("Page.getLayoutMetrics", {})["cssContentSize"]
    width, height = int(size["width"]), int(size["height"])
    shot = drv.execute_cdp_cmd(
        "Page.captureScreenshot",
        {"format": "png", "captureBeyondViewport": True,
         "clip": {"x": 0, "y": 0, "width": width, "height": height, "scale": 1}},
    )  # fmt: skip
    path.write_bytes(base64.b64decode(shot["data"]))
    return width, height


def test_dump_dom_holds_matrix_and_evidence(chromium: str, report_file: Path, tmp_path: Path) -> None:
    """Chromium's own DOM after load (and after the script ran), without any driver."""
    dom = subprocess.run(
        [chromium, *chromium_flags(tmp_path / "profile", *SCREEN), "--dump-dom", report_file.as_uri()],
        capture_output=True, text=True, timeout=120, check=True,
    ).stdout  # fmt: skip
    assert '<table class="pc-matrix">' in dom
    assert dom.count('<section class="pc-topic ') == len(policycmp.load().table().frame)
    assert 'class="pc-filter"' in dom  # the script ran and added its controls


@pytest.mark.parametrize(("width", "height"), [(1280, 900), (390, 844)])
def test_command_line_screenshot(chromium: str, report_file: Path, shots: Path, width: int, height: int) -> None:
    out = shots / f"report-cli-{width}.png"
    out.unlink(missing_ok=True)
    subprocess.run(
        [chromium, *chromium_flags(out.parent / f"profile-{width}", *SCREEN), f"--screenshot={out}",
         f"--window-size={width},{height}", report_file.as_uri()],
        capture_output=True, timeout=120, check=True,
    )  # fmt: skip
    shutil.rmtree(out.parent / f"profile-{width}", ignore_errors=True)
    assert png_size(out)[0] == width


def test_page_loads_without_errors_or_fetches(driver: Any, report_file: Path) -> None:
    load(driver, report_file, 1280)
    assert driver.find_elements("css selector", "table.pc-matrix tr.pc-row")
    assert len(driver.find_elements("css selector", "section.pc-topic")) == len(policycmp.load().table().frame)
    errors = [e for e in driver.get_log("browser") if e["level"] == "SEVERE"]
    assert errors == []
    import json

    urls = set()
    for entry in driver.get_log("performance"):
        message = json.loads(entry["message"])["message"]
        if message["method"] == "Network.requestWillBeSent":
            urls.add(message["params"]["request"]["url"])
    assert urls == {report_file.as_uri()}


def test_desktop_full_page(driver: Any, report_file: Path, shots: Path) -> None:
    load(driver, report_file, 1280)
    out = shots / "report-1280.png"
    width, height = full_page_screenshot(driver, out)
    assert png_size(out) == (1280, height)
    assert width == 1280
    assert driver.execute_script("return document.documentElement.scrollWidth") <= 1280
    # the matrix fits the desktop page without scrolling sideways
    scroll = driver.find_element("css selector", ".pc-matrix-box")
    assert driver.execute_script("return arguments[0].scrollWidth <= arguments[0].clientWidth", scroll)


def test_phone_width(driver: Any, report_file: Path, shots: Path) -> None:
    load(driver, report_file, 390, 844, mobile=True)
    assert driver.execute_script("return window.innerWidth") == 390
    # nothing but the matrix and table containers scrolls sideways: the page itself fits
    assert driver.execute_script("return document.documentElement.scrollWidth") <= 390
    scroll = driver.find_element("css selector", ".pc-matrix-box")
    assert driver.execute_script("return arguments[0].clientWidth", scroll) <= 390
    out = shots / "report-390.png"
    _, height = full_page_screenshot(driver, out)
    assert png_size(out) == (390, height)
    viewport = shots / "report-390-top.png"
    driver.save_screenshot(str(viewport))
    assert png_size(viewport)[0] == 390
    errors = [e for e in driver.get_log("browser") if e["level"] == "SEVERE"]
    assert errors == []


def test_phone_matrix_scrolls_in_its_box_with_sticky_headers(driver: Any, report_file: Path) -> None:
    """At 390 px: the matrix box scrolls both ways inside itself, the topic column and the header row stay."""
    load(driver, report_file, 390, 844, mobile=True)
    js = driver.execute_script
    box = driver.find_element("css selector", ".pc-matrix-box")
    page_width = js("return document.documentElement.scrollWidth")
    assert page_width <= 390
    assert js("return arguments[0].scrollWidth > arguments[0].clientWidth", box)  # the box, not the page, scrolls
    # the matrix starts on the first screen: its header row is visible without scrolling the page
    head = driver.find_element("css selector", "table.pc-matrix thead th.pc-col-topic")
    assert js("return arguments[0].getBoundingClientRect().bottom", head) < 844
    # the case's subject is the first actor column, fully visible next to the topic column
    first = driver.find_element("css selector", "table.pc-matrix thead th.pc-col-actor")
    assert first.get_attribute("data-actor") == "parler"
    assert js("return arguments[0].getBoundingClientRect().right", first) <= 390
    # no actor header is cut: each shows its whole name
    for th in driver.find_elements("css selector", "table.pc-matrix thead th.pc-col-actor"):
        assert js("return arguments[0].scrollWidth <= arguments[0].clientWidth + 1", th), th.text
        assert js("return arguments[0].scrollHeight <= arguments[0].clientHeight + 1", th), th.text
        link = th.find_element("css selector", "a")
        assert js("return getComputedStyle(arguments[0]).textOverflow", link) != "ellipsis"
    rowhead = driver.find_element("css selector", "table.pc-matrix th.pc-rowhead")
    box_left = js("return arguments[0].getBoundingClientRect().left", box)
    before = js("return arguments[0].getBoundingClientRect().left", rowhead)
    js("arguments[0].scrollLeft = arguments[0].scrollWidth", box)
    assert js("return arguments[0].scrollLeft", box) > 100
    assert js("return document.documentElement.scrollWidth") == page_width
    after = js("return arguments[0].getBoundingClientRect().left", rowhead)
    assert abs(after - before) < 1 and after >= box_left  # the topic column stayed
    last = driver.find_elements("css selector", "table.pc-matrix thead th.pc-col-actor")[-1]
    assert js("return arguments[0].getBoundingClientRect().right", last) <= 390  # the last column came into view
    # the header row sticks to the top of the box while the rows scroll under it
    top = js("return arguments[0].getBoundingClientRect().top", head)
    js("arguments[0].scrollTop = 300", box)
    assert js("return arguments[0].scrollTop", box) > 0
    assert abs(js("return arguments[0].getBoundingClientRect().top", head) - top) < 1


def test_verdict_filter_and_static_fallback(driver: Any, report_file: Path) -> None:
    load(driver, report_file, 1280)
    rows = driver.find_elements("css selector", "tr.pc-row")
    conflicts = [r for r in rows if r.get_attribute("data-verdict") == "conflict"]
    driver.find_element("css selector", '.pc-filter button[data-verdict="conflict"]').click()
    visible = [r for r in rows if r.is_displayed()]
    assert visible == conflicts
    topics = driver.find_elements("css selector", "section.pc-topic")
    assert all(t.is_displayed() == (t.get_attribute("data-verdict") == "conflict") for t in topics)
    driver.find_element("css selector", '.pc-filter button[data-verdict=""]').click()
    assert all(r.is_displayed() for r in rows)
    assert [e for e in driver.get_log("browser") if e["level"] == "SEVERE"] == []


def test_anchor_navigation_reaches_the_evidence(driver: Any, report_file: Path) -> None:
    load(driver, report_file, 1280)
    cell = driver.find_element("css selector", "td.pc-cell a")
    target = cell.get_attribute("href").split("#", 1)[1]
    cell.click()
    assert driver.execute_script("return location.hash") == "#" + target
    top = driver.execute_script("return document.getElementById(arguments[0]).getBoundingClientRect().top", target)
    assert 0 <= top < 100
