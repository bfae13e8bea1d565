"""``report --across CASE``: themed topics link to the same theme in the other cases, and the
report gains an "Across cases" section for the actors the cases share."""

from __future__ import annotations

import re
import subprocess
import sys
from html.parser import HTMLParser
from pathlib import Path

import policycmp
from tests.test_across import write_case


class Links(HTMLParser):
    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.ids: set[str] = set()
        self.hrefs: list[str] = []

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        a = dict(attrs)
        if a.get("id"):
            self.ids.add(str(a["id"]))
        if tag == "a" and a.get("href"):
            self.hrefs.append(str(a["href"]))


def links(html: str) -> Links:
    parser = Links()
    parser.feed(html)
    return parser


def test_bundled_report_links_the_two_cases() -> None:
    parler = policycmp.load("parler-2021")
    epic = policycmp.load("epic-2020")
    html = parler.report(across=[epic]).to_html()
    found = links(html)
    internal = [h[1:] for h in found.hrefs if h.startswith("#")]
    assert internal and all(i in found.ids for i in internal), set(internal) - found.ids  # every link lands
    assert 'id="pc-across"' in html and '<a href="#pc-across">Across cases</a>' in html
    assert '<a href="#pc-theme-equal-application">epic-2020: Rules applied to every developer</a>' in html
    assert "(this topic is phrased against it)" in html  # double-standard is negated
    section = html[html.index('id="pc-across"') :]
    assert 'id="pc-theme-breach-of-terms"' in section
    assert re.search(r"<th scope=\"row\">apple</th><td>shifted</td>", section)
    # without --across nothing of it appears
    plain = parler.report().to_html()
    assert "pc-across" not in plain and "pc-theme" not in plain


def test_report_across_from_the_cli_escapes_theme_text(tmp_path: Path) -> None:
    themes = tmp_path / "t.yaml"
    themes.write_text(
        'themes:\n  evil:\n    label: "<img src=x onerror=alert(1)>"\n    statement: "</section><script>x()</script>"\n',
        encoding="utf-8",
    )
    one = write_case(tmp_path, "one", {"a": {"claims": [("breach", "asserts")]}}, {"breach": "evil"})
    two = write_case(tmp_path, "two", {"a": {"claims": [("breach", "denies")]}}, {"breach": "evil"})
    out = tmp_path / "r.html"
    done = subprocess.run(
        [sys.executable, "-m", "policycmp", "report", "-c", one, "--across", two, "--themes", themes, "-o", out],
        capture_output=True,
        text=True,
        timeout=120,
    )
    assert done.returncode == 0, done.stderr
    html = out.read_text(encoding="utf-8")
    assert "<img src=x" not in html and "<script>x()" not in html
    assert "&lt;img src=x onerror=alert(1)&gt;" in html
    assert re.search(r"<th scope=\"row\">a</th><td>opposite</td>", html)


def test_report_across_its_own_case_is_a_usage_error() -> None:
    done = subprocess.run(
        [sys.executable, "-m", "policycmp", "report", "--across", "parler-2021", "-o", "-"],
        capture_output=True,
        text=True,
        timeout=120,
    )
    assert done.returncode == 2 and "own case" in done.stderr


def test_report_across_has_no_axe_violation(tmp_path: Path) -> None:
    """The "Across cases" section keeps the report accessible, at desktop and phone width."""
    import pytest

    from tests.browser_helpers import axe_or_skip, axe_violations, chromium_or_skip, selenium_driver

    pytest.importorskip("selenium")
    chromium = chromium_or_skip()
    axe = axe_or_skip()
    page = tmp_path / "across.html"
    page.write_text(
        policycmp.load("parler-2021").report(across=[policycmp.load("epic-2020")]).to_html(), encoding="utf-8"
    )
    with selenium_driver(chromium, tmp_path / "profile", "--window-size=1280,900") as driver:
        for width in (1280, 390):
            driver.execute_cdp_cmd(
                "Emulation.setDeviceMetricsOverride",
                {"width": width, "height": 900, "deviceScaleFactor": 1, "mobile": False},
            )
            driver.get(page.as_uri())
            assert driver.find_elements("css selector", "#pc-across table")
            found = axe_violations(driver, axe)
            assert found == [], found
            # the page never scrolls sideways: wide tables scroll inside their own box
            assert driver.execute_script("return document.documentElement.scrollWidth <= window.innerWidth + 1")
