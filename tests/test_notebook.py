"""Results in notebooks: the text table as str()/repr(), and HTML that reads right inside Jupyter.

The end-to-end test runs a real notebook with nbclient (an IPython kernel), exports it with
nbconvert's ``lab`` template (JupyterLab's own stylesheet, light and dark), opens the page in
headless Chromium and computes each verdict chip's contrast from its computed styles.
"""

from __future__ import annotations

import json
import os
import re
from html.parser import HTMLParser
from pathlib import Path

import pytest

import policycmp
from benchmarks.generate import generate_corpus
from policycmp.compare import build_claims

from .browser_helpers import chromium_or_skip, selenium_driver
from .corpus_helpers import MINI

SPECIAL = Path(__file__).resolve().parent / "corpora" / "special"


@pytest.fixture(scope="module")
def bundled() -> policycmp.Corpus:
    return policycmp.load()


def results(corpus: policycmp.Corpus) -> dict[str, object]:
    return {
        "table": corpus.table(),
        "diff": corpus.diff("aws", "parler"),
        "agreement": corpus.agreement(),
        "claims": build_claims(corpus),
    }


@pytest.mark.parametrize("command", ["table", "diff", "agreement", "claims"])
def test_str_and_repr_are_the_text_table(bundled, command):
    result = results(bundled)[command]
    assert str(result) == repr(result) == result.to_text()
    assert "DataFrame" not in repr(result) and "Corpus" not in repr(result) and "frame=" not in repr(result)
    assert len(repr(result)) < 250 * (len(result.grid().rows) + 3)  # the table, not the claims frame behind it


def test_a_huge_result_is_a_summary_line(tmp_path):
    root = tmp_path / "big"
    generate_corpus(root, actors=4, topics=60, claims_per_actor=150, seed=3)
    claims = build_claims(policycmp.load(root))
    assert len(claims.frame) == 600
    text = repr(claims)
    assert text.count("\n") == 1 and text.startswith("600 claims from 4 actors") and "to_text()" in text
    html = claims._repr_html_()
    assert html.count("<tr>") == 201  # the header row and the first 200
    assert "and 400 more rows" in html


class Chips(HTMLParser):
    """The table's rows (cell texts) and the CSS of a notebook repr."""

    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.rows: list[list[str]] = []
        self.cell: list[str] | None = None
        self.style = ""
        self.in_style = False
        self.tags: set[str] = set()

    def handle_starttag(self, tag, attrs):
        self.tags.add(tag)
        self.in_style = tag == "style"
        if tag == "tr":
            self.rows.append([])
        elif tag in ("td", "th") and self.rows:
            self.cell = []

    def handle_endtag(self, tag):
        self.in_style = False
        if tag in ("td", "th") and self.cell is not None:
            self.rows[-1].append(" ".join("".join(self.cell).split()))
            self.cell = None

    def handle_data(self, data):
        if self.in_style:
            self.style += data
        elif self.cell is not None:
            self.cell.append(data)


@pytest.mark.parametrize("which", ["bundled", "special"])
@pytest.mark.parametrize("command", ["table", "diff", "agreement", "claims"])
def test_repr_html_holds_the_grid_with_scoped_styles(which, command):
    corpus = policycmp.load() if which == "bundled" else policycmp.load(SPECIAL)
    result = results(corpus)[command] if which == "bundled" else special(corpus, command)
    html = result._repr_html_()
    page = Chips()
    page.feed(html)
    grid = result.grid()
    assert page.tags <= {"div", "style", "table", "caption", "thead", "tbody", "tr", "th", "td", "span", "p"}
    assert page.rows[0] == [h.strip() for h in grid.headers] or page.rows[0] == grid.headers
    assert len(page.rows) == len(grid.rows) + 1
    for got, row in zip(page.rows[1:], grid.rows, strict=True):
        want = [c.text if i < grid.key_columns or not c.mark or c.mark == c.text else f"{c.mark}{c.text}"
                for i, c in enumerate(row)]  # fmt: skip
        assert got == [" ".join(w.split()) for w in want]
    scope = re.search(r'<div class="pcnb" id="(pcnb-[0-9a-f]+)">', html)
    assert scope is not None
    selectors = [s.strip() for rule in re.findall(r"([^{}]+)\{", page.style) for s in rule.split(",")]
    assert selectors and all(s.startswith(f"#{scope.group(1)}") for s in selectors)


def special(corpus, command):
    if command == "diff":
        return corpus.diff("left", "right")
    return results_of_special(corpus, command)


def results_of_special(corpus, command):
    if command == "table":
        return corpus.table(all=True)
    if command == "agreement":
        return corpus.agreement()
    return build_claims(corpus)


def test_repr_markdown_and_latex(bundled):
    table = bundled.table()
    assert table._repr_markdown_() == table.to_markdown()
    assert "\\begin{longtable}" in table._repr_latex_() and "\\begin{tabularx}" not in table._repr_latex_()


# -- a real notebook: nbclient runs it, nbconvert exports it, Chromium shows it ---------------------

CELLS = [
    "import policycmp\nc = policycmp.load()",
    "c.table()",
    "c.diff('aws', 'parler')",
    "c.agreement()",
    f"policycmp.load({str(MINI)!r}).table(all=True)",
    "print(c.table())",
]

CONTRAST = """
function lum(rgb) {
  var c = rgb.match(/[\\d.]+/g).slice(0, 3).map(function (v) {
    v = v / 255; return v <= 0.03928 ? v / 12.92 : Math.pow((v + 0.055) / 1.055, 2.4); });
  return 0.2126 * c[0] + 0.7152 * c[1] + 0.0722 * c[2];
}
function background(el) {
  for (; el; el = el.parentElement) {
    var bg = getComputedStyle(el).backgroundColor, a = bg.match(/[\\d.]+/g);
    if (a && (a.length < 4 || parseFloat(a[3]) > 0.99)) return bg;
  }
  return 'rgb(255, 255, 255)';
}
var out = [];
document.querySelectorAll('.pcnb-chip').forEach(function (el) {
  var fg = lum(getComputedStyle(el).color), bg = lum(background(el));
  out.push([el.textContent, (Math.max(fg, bg) + 0.05) / (Math.min(fg, bg) + 0.05)]);
});
var heads = [];
document.querySelectorAll('.pcnb thead th').forEach(function (th) {
  var st = getComputedStyle(th), line = parseFloat(st.lineHeight) || 1.2 * parseFloat(st.fontSize);
  heads.push([th.textContent, th.getBoundingClientRect().height, line]);
});
var cells = [];
document.querySelectorAll('.pcnb td').forEach(function (td) { cells.push(getComputedStyle(td).textAlign); });
return [out, heads, cells, document.querySelectorAll('.pcnb').length];
"""


def run_notebook(tmp_path: Path, theme: str) -> Path:
    try:
        import nbformat
        from nbclient import NotebookClient
        from nbconvert import HTMLExporter
    except ImportError:
        if os.environ.get("POLICYCMP_REQUIRE_CLIENTS"):
            pytest.fail("nbclient/nbconvert are not installed and POLICYCMP_REQUIRE_CLIENTS is set")
        pytest.skip("nbclient, nbconvert and ipykernel are not installed")
    nb = nbformat.v4.new_notebook(cells=[nbformat.v4.new_code_cell(src) for src in CELLS])
    NotebookClient(nb, timeout=300, kernel_name="python3", resources={"metadata": {"path": str(tmp_path)}}).execute()
    printed = "".join(o.get("text", "") for o in nb.cells[-1].outputs)
    assert printed == policycmp.load().table().to_text() + "\n"  # print() shows the text table
    for cell in nb.cells[1:5]:
        data = cell.outputs[0]["data"]
        assert {"text/html", "text/plain", "text/markdown", "text/latex"} <= set(data)
        assert "TableResult(" not in data["text/plain"] and "DiffResult(" not in data["text/plain"]
    (tmp_path / "nb.ipynb").write_text(json.dumps(nb), encoding="utf-8")
    html, _ = HTMLExporter(template_name="lab", theme=theme).from_notebook_node(nb)
    assert 'class="jp-' in html  # JupyterLab's stylesheet and markup are there
    page = tmp_path / f"nb-{theme}.html"
    page.write_text(html, encoding="utf-8")
    return page


@pytest.mark.browser
@pytest.mark.parametrize("theme", ["light", "dark"])
def test_notebook_chips_keep_their_contrast_in_jupyterlab_css(tmp_path, theme):
    chromium = chromium_or_skip()
    page = run_notebook(tmp_path, theme)
    with selenium_driver(chromium, tmp_path / "profile", "--window-size=1200,1600") as driver:
        driver.get(page.as_uri())
        chips, heads, aligns, blocks = driver.execute_script(CONTRAST)
        driver.save_screenshot(str(tmp_path / f"notebook-{theme}.png"))
        if os.environ.get("POLICYCMP_SCREENSHOTS"):
            driver.save_screenshot(os.path.join(os.environ["POLICYCMP_SCREENSHOTS"], f"notebook-{theme}.png"))
    assert blocks == 4
    expected = sum(
        1
        for r in (policycmp.load().table(), policycmp.load().diff("aws", "parler"), policycmp.load().agreement(),
                  policycmp.load(MINI).table(all=True))
        for row in r.grid().rows for i, c in enumerate(row)
        if i >= r.grid().key_columns and c.kind not in ("topic", "none", "actor", "count", "")
    )  # fmt: skip
    assert len(chips) == expected
    low = [(text, round(ratio, 2)) for text, ratio in chips if ratio < 4.5]
    assert low == []
    squeezed = [text for text, height, line in heads if height > 1.8 * line]  # a header on one line
    assert squeezed == []
    assert set(aligns) == {"left"}
