"""The report for every reader, in a real browser: axe-core finds no accessibility violation in
the page or in a fragment inside a host page; a fragment keeps its own look inside hostile host
CSS (a notebook's and a CMS's); two fragments share a page without a duplicate id.

axe-core is npm's ``axe-core`` (``.ci/run`` installs it into ``node_modules``); Chromium is
driven by Selenium as in ``test_browser.py``. Both skip when missing unless required.
"""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest

import policycmp

from .browser_helpers import axe_or_skip, axe_violations, chromium_or_skip, selenium_driver

pytestmark = pytest.mark.browser

# A notebook's rendered-output rules (written after JupyterLab's, dark theme): class-qualified,
# up to three classes and elements deep, colouring links, rows and cells.
JUPYTER_CSS = """
body { background: #111111; color: #dddddd; font-family: serif; line-height: 1.3; margin: 0; }
.jp-RenderedHTMLCommon { color: rgba(255, 255, 255, 0.87); font-size: 14px; padding: 0 20px; }
.jp-RenderedHTMLCommon a:link, .jp-RenderedHTMLCommon a:visited { color: #8ab4f8; text-decoration: none; }
.jp-RenderedHTMLCommon table { border-collapse: collapse; border: none; color: #dddddd; font-size: 12px;
  table-layout: fixed; margin-left: auto; margin-right: auto; }
.jp-RenderedHTMLCommon td, .jp-RenderedHTMLCommon th, .jp-RenderedHTMLCommon tr { text-align: right;
  vertical-align: middle; padding: 0.5em; line-height: normal; white-space: normal; max-width: none; border: none; }
.jp-RenderedHTMLCommon tbody tr:nth-child(odd) { background: #2a2a2a; }
.jp-RenderedHTMLCommon tbody tr:hover { background: rgba(66, 165, 245, 0.2); }
.jp-RenderedHTMLCommon p { text-align: left; margin: 0 0 0.5em; }
.jp-RenderedHTMLCommon ul:not(.list-inline), .jp-RenderedHTMLCommon ol:not(.list-inline) { padding-left: 2em; }
.jp-RenderedHTMLCommon blockquote { margin: 1em 2em; padding: 0 1em; border-left: 5px solid #555555; }
.jp-RenderedHTMLCommon code { background: #333333; color: #eeeeee; padding: 1px 5px; }
.jp-RenderedHTMLCommon h1, .jp-RenderedHTMLCommon h2, .jp-RenderedHTMLCommon h3, .jp-RenderedHTMLCommon h4,
.jp-RenderedHTMLCommon h5 { line-height: 1.2; font-weight: 500; margin: 1.5em 0 0.5em; color: #ffffff; }
.jp-RenderedHTMLCommon dl dt { float: left; width: 10em; font-weight: bold; }
.jp-RenderedHTMLCommon span { color: #bbbbbb; }
"""

# A plain CMS theme: element and universal rules that reach everything.
CMS_CSS = """
* { color: #555555; font-family: Georgia, serif; box-sizing: content-box; }
body { background: #fdf6e3; line-height: 2; letter-spacing: 0.04em; text-align: justify; margin: 0; }
section { padding: 3em; border: 5px solid #aa0000; }
table { width: 100%; border: 3px double #000000; }
table td { background: #222222; color: #dddddd; padding: 12px; }
table th { background: #000080; color: #ffff00; }
tr:nth-child(even) td { background: #444444; }
dt { float: left; clear: left; width: 40%; font-weight: bold; }
dd { margin-left: 45%; }
a { color: #006600; border-bottom: 2px dotted #006600; text-transform: uppercase; }
span { padding: 3px; background: #eeeeee; }
ul, ol { list-style: square; margin: 2em; }
h1, h2, h3, h4, h5 { font-size: 3em; color: #660066; text-transform: uppercase; }
blockquote { font-style: italic; background: #000000; color: #ffffff; }
p { text-indent: 2em; }
"""

HOSTS = {"jupyter": (JUPYTER_CSS, "jp-RenderedHTMLCommon"), "cms": (CMS_CSS, "entry-content")}

# computed properties that host rules try to change; each must match the standalone page's
PROPERTIES = (
    "color", "background-color", "float", "font-size", "font-weight", "font-style", "text-transform",
    "letter-spacing", "text-align", "text-indent", "padding-left", "border-top-width", "display", "list-style-type",
)  # fmt: skip
SAMPLES = (
    ".pc-badge", ".pc-v-conflict", ".pc-v-agreement", ".pc-v-partial", "dt", "dd", "td.pc-cell", "th.pc-rowhead",
    "h1", "h2", "h3", ".pc-topic-title", "blockquote", "a", "p", "ul", "table", "code", "span.pc-mark",
)  # fmt: skip


def host_page(css: str, wrapper: str, *fragments: str) -> str:
    body = "\n".join(f'<div class="{wrapper}">\n{f}\n</div>' for f in fragments)
    return (
        '<!DOCTYPE html>\n<html lang="en">\n<head>\n<meta charset="utf-8">\n<title>Host page</title>\n'
        f"<style>{css}</style>\n</head>\n<body>\n<main>\n<h1>Host page</h1>\n<p>Some host text.</p>\n"
        f"{body}\n</main>\n</body>\n</html>\n"
    )


@pytest.fixture(scope="module")
def axe() -> str:
    return axe_or_skip()


@pytest.fixture(scope="module")
def driver(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Any]:
    chromium = chromium_or_skip()
    with selenium_driver(chromium, tmp_path_factory.mktemp("profile"), "--window-size=1280,900") as drv:
        yield drv


@pytest.fixture(scope="module")
def report() -> Any:
    return policycmp.load().report()


@pytest.fixture(scope="module")
def pages(report: Any, tmp_path_factory: pytest.TempPathFactory) -> dict[str, Path]:
    root = tmp_path_factory.mktemp("pages")
    out = {"standalone": root / "standalone.html"}
    out["standalone"].write_text(report.to_html(), encoding="utf-8")
    for name, (css, wrapper) in HOSTS.items():
        out[name] = root / f"{name}.html"
        out[name].write_text(host_page(css, wrapper, report.to_html(fragment=True)), encoding="utf-8")
    out["two"] = root / "two.html"
    out["two"].write_text(
        host_page(CMS_CSS, "entry-content", report.to_html(fragment=True), report.to_html(fragment=True)),
        encoding="utf-8",
    )
    return out


def show(driver: Any, page: Path, width: int = 1280) -> None:
    driver.execute_cdp_cmd(
        "Emulation.setDeviceMetricsOverride", {"width": width, "height": 900, "deviceScaleFactor": 1, "mobile": False}
    )
    driver.get(page.as_uri())


def describe(violations: list[dict[str, Any]]) -> str:
    return "\n".join(f"{v['id']} ({v['impact']}): {v['help']} at {v['nodes']}" for v in violations)


@pytest.mark.parametrize("width", [1280, 390])
def test_standalone_report_has_no_axe_violation(driver: Any, axe: str, pages: dict[str, Path], width: int) -> None:
    show(driver, pages["standalone"], width)
    assert driver.find_elements("css selector", "main section.policycmp-report")
    found = axe_violations(driver, axe)
    assert found == [], describe(found)


def test_every_test_corpus_report_has_no_axe_violation(driver: Any, axe: str, tmp_path: Path) -> None:
    """Ungrouped topics, inconsistent actors and quote checks change the headings and marks."""
    corpora = Path(__file__).parent / "corpora"
    for name in ("mini", "semantics", "quotes"):
        page = tmp_path / f"{name}.html"
        page.write_text(policycmp.load(corpora / name).report().to_html(), encoding="utf-8")
        show(driver, page)
        found = axe_violations(driver, axe)
        assert found == [], f"{name}: {describe(found)}"


@pytest.mark.parametrize("host", sorted(HOSTS))
def test_fragment_in_a_host_page_has_no_axe_violation(driver: Any, axe: str, pages: dict[str, Path], host: str) -> None:
    show(driver, pages[host])
    found = axe_violations(driver, axe)
    assert found == [], describe(found)


COMPUTED = """
var root = arguments[0], selectors = arguments[1], props = arguments[2], out = {};
selectors.forEach(function (sel) {
  out[sel] = Array.prototype.slice.call(root.querySelectorAll(sel), 0, 12).map(function (el) {
    var style = getComputedStyle(el);
    return props.map(function (p) { return style.getPropertyValue(p); });
  });
});
return out;
"""

CONTRAST = """
function rgb(text) { var m = text.match(/[\\d.]+/g).map(Number); return {r: m[0], g: m[1], b: m[2], a: m.length > 3 ? m[3] : 1}; }
function lum(c) {
  var f = [c.r, c.g, c.b].map(function (v) { v /= 255; return v <= 0.03928 ? v / 12.92 : Math.pow((v + 0.055) / 1.055, 2.4); });
  return 0.2126 * f[0] + 0.7152 * f[1] + 0.0722 * f[2];
}
function background(el) {
  for (; el; el = el.parentElement) { var c = rgb(getComputedStyle(el).backgroundColor); if (c.a > 0) { return c; } }
  return {r: 255, g: 255, b: 255, a: 1};
}
return Array.prototype.map.call(arguments[0].querySelectorAll(".pc-badge"), function (el) {
  var a = lum(rgb(getComputedStyle(el).color)), b = lum(background(el));
  return [el.textContent.trim(), (Math.max(a, b) + 0.05) / (Math.min(a, b) + 0.05)];
});
"""


@pytest.mark.parametrize("host", sorted(HOSTS))
def test_fragment_keeps_its_look_inside_host_css(driver: Any, pages: dict[str, Path], host: str) -> None:
    """Every sampled element's computed style equals the standalone page's; every chip reads at >= 4.5:1."""
    show(driver, pages["standalone"])
    alone = driver.execute_script(
        COMPUTED, driver.find_element("css selector", ".policycmp-report"), SAMPLES, PROPERTIES
    )
    show(driver, pages[host])
    root = driver.find_element("css selector", ".policycmp-report")
    hosted = driver.execute_script(COMPUTED, root, SAMPLES, PROPERTIES)
    differences = [
        (sel, i, prop, a, b)
        for sel in SAMPLES
        for i, (row_a, row_b) in enumerate(zip(alone[sel], hosted[sel], strict=True))
        for prop, a, b in zip(PROPERTIES, row_a, row_b, strict=True)
        if a != b
    ]
    assert differences == []
    assert all(alone[sel] for sel in SAMPLES)  # every sample was found
    chips = driver.execute_script(CONTRAST, root)
    assert len(chips) > 100
    low = [(text, round(ratio, 2)) for text, ratio in chips if ratio < 4.5]
    assert low == []


def test_two_fragments_share_a_page(driver: Any, pages: dict[str, Path]) -> None:
    show(driver, pages["two"])
    ids = driver.execute_script("return Array.prototype.map.call(document.querySelectorAll('[id]'), e => e.id)")
    assert len(ids) > 200
    assert sorted({i for i in ids if ids.count(i) > 1}) == []
    roots = driver.find_elements("css selector", "section.policycmp-report")
    assert len(roots) == 2
    # every in-page link of a fragment lands inside that same fragment
    stray = driver.execute_script(
        """
        var out = [];
        document.querySelectorAll('section.policycmp-report').forEach(function (root) {
          root.querySelectorAll('a[href^="#"]').forEach(function (a) {
            var target = document.getElementById(a.getAttribute('href').slice(1));
            if (!target || !root.contains(target)) { out.push(a.getAttribute('href')); }
          });
        });
        return out;
        """
    )
    assert stray == []


@pytest.fixture(scope="module")
def large_page(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """A report past the large-report threshold: 30 actors x 100 topics, 3,000 claims."""
    from benchmarks.generate import generate_corpus
    from policycmp.render.report import LARGE_REPORT

    root = tmp_path_factory.mktemp("large")
    claims = generate_corpus(root / "corpus", 30, 100, None, 0)
    assert claims > LARGE_REPORT
    page = root / "large.html"
    policycmp.load(root / "corpus").report().save(page)
    return page


def test_large_report_folds_its_evidence_and_stays_accessible(driver: Any, axe: str, large_page: Path) -> None:
    html = large_page.read_text(encoding="utf-8")
    assert len(html) / html.count("<article") < 1400  # light per-claim markup, all in all
    show(driver, large_page)
    topics = driver.find_elements("css selector", "details.pc-topic")
    assert len(topics) == 100 and not any(t.get_attribute("open") for t in topics)
    found = axe_violations(driver, axe)
    assert found == [], describe(found)
    # a matrix cell leads to its claims: the browser opens the folded topic and scrolls there
    cell = driver.find_element("css selector", "table.pc-matrix tbody td > a")
    target = cell.get_attribute("href").split("#", 1)[1]
    cell.click()
    opened = driver.execute_script(
        "var el = document.getElementById(arguments[0]); return [el.closest('details').open,"
        " el.getBoundingClientRect().top];",
        target,
    )
    assert opened[0] is True and 0 <= opened[1] < 200
    show(driver, large_page, 390)
    assert driver.execute_script("return document.documentElement.scrollWidth") <= 390
