"""Headless Chromium for the tests: found or skipped (failed when required), and driven by Selenium.

The command line itself is ``benchmarks/chromium.py``, shared with the benchmark. Selenium is
given the system chromedriver explicitly, so Selenium Manager never runs and nothing is
downloaded.
"""

from __future__ import annotations

import os
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import Any

import pytest

from benchmarks.chromium import chromium_flags, find_chromedriver, find_chromium

REQUIRED = bool(os.environ.get("POLICYCMP_REQUIRE_BROWSER"))


def chromium_or_skip() -> str:
    """Chromium's path; skip the test when it is missing (fail when POLICYCMP_REQUIRE_BROWSER is set)."""
    found = find_chromium()
    if found is None:
        if REQUIRED:
            pytest.fail("POLICYCMP_REQUIRE_BROWSER is set but no Chromium is installed")
        pytest.skip("Chromium is not installed (set POLICYCMP_REQUIRE_BROWSER=1 to require it)")
    return found


@contextmanager
def selenium_driver(chromium: str, profile: Path, *flags: str, logs: tuple[str, ...] = ("browser",)) -> Iterator[Any]:
    """A Selenium session on ``chromium`` with the shared flags plus ``flags``, keeping ``logs``."""
    try:
        from selenium import webdriver
        from selenium.webdriver.chrome.service import Service
    except ImportError:
        pytest.fail("Chromium is installed but selenium is not: pip install selenium (in the test extras)")
    driver_path = find_chromedriver()
    if driver_path is None:
        pytest.fail("Chromium is installed but chromedriver is not (install the distribution's chromium driver)")
    options = webdriver.ChromeOptions()
    options.binary_location = chromium
    for flag in chromium_flags(profile, *flags):
        options.add_argument(flag)
    options.set_capability("goog:loggingPrefs", dict.fromkeys(logs, "ALL"))
    driver = webdriver.Chrome(service=Service(executable_path=driver_path), options=options)
    try:
        yield driver
    finally:
        driver.quit()


AXE_SCRIPT = Path(__file__).resolve().parent.parent / "node_modules" / "axe-core" / "axe.min.js"


def axe_or_skip() -> str:
    """axe-core's browser script (npm ``axe-core``, installed by ``.ci/run`` into ``node_modules``).

    ``POLICYCMP_AXE`` may name another ``axe.min.js``. Skipped when missing, failed when the
    clients are required.
    """
    path = Path(os.environ.get("POLICYCMP_AXE") or AXE_SCRIPT)
    if not path.is_file():
        if REQUIRED or os.environ.get("POLICYCMP_REQUIRE_CLIENTS"):
            pytest.fail(f"axe-core is required but {path} is missing: npm install --no-save axe-core")
        pytest.skip("axe-core is not installed (npm install --no-save axe-core)")
    return path.read_text(encoding="utf-8")


def axe_violations(driver: Any, script: str, context: str = "document") -> list[dict[str, Any]]:
    """Run axe-core (every rule that applies, any impact) on the loaded page; its violations."""
    driver.set_script_timeout(180)
    driver.execute_script(script)
    result = driver.execute_async_script(
        "var done = arguments[arguments.length - 1];"
        f"axe.run({context}, {{resultTypes: ['violations']}})"
        ".then(function (r) { done(r.violations); }, function (e) { done('axe failed: ' + e); });"
    )
    assert isinstance(result, list), result
    return [
        {"id": v["id"], "impact": v["impact"], "help": v["help"], "nodes": [n["target"] for n in v["nodes"][:5]]}
        for v in result
    ]
