"""``policycmp across`` on the bundled pair, read back by its real clients: pandoc, pdflatex,
pandas, json and headless Chromium (skipped when missing, failed when clients are required)."""

from __future__ import annotations

import io
import json
import subprocess
from pathlib import Path

import pandas as pd
import pytest

import policycmp
from policycmp.crosscase import AcrossResult
from tests.browser_helpers import chromium_or_skip, selenium_driver
from tests.test_clients import PLAIN, PREAMBLE, client, compile_latex, pandoc_html, parse_tables, unsmart
from tests.test_papers import columns


@pytest.fixture(scope="module")
def pair() -> AcrossResult:
    return policycmp.across(["parler-2021", "epic-2020"])


@pytest.mark.parametrize("reader", ["markdown", "gfm"])
def test_markdown_is_a_pandoc_table(pair: AcrossResult, reader: str) -> None:
    grid = pair.grid()
    (table,) = parse_tables(pandoc_html(pair.to_markdown(), reader))
    assert [unsmart(h) for h in table["thead"][0]] == grid.headers
    assert len(table["tbody"]) == len(grid.rows) == len(pair.frame) > 0
    for got, row in zip(table["tbody"], grid.rows, strict=True):
        # a cell shows its text, or its mark when the words do not fit the page (a legend follows)
        assert all(unsmart(g) in (unsmart(c.text), c.mark) for g, c in zip(got, row, strict=True))


@pytest.mark.parametrize("preamble", [PREAMBLE, PLAIN], ids=["t1", "plain"])
def test_latex_compiles_and_holds_the_rows(pair: AcrossResult, tmp_path: Path, preamble: str) -> None:
    proc = compile_latex(tmp_path, pair.to_latex(), preamble)
    assert proc.returncode == 0, proc.stdout.decode("utf-8", "replace")[-3000:]
    pdftotext = client("pdftotext")
    text = subprocess.run(
        [pdftotext, "-layout", "doc.pdf", "-"], cwd=tmp_path, capture_output=True, text=True, timeout=60, check=True
    ).stdout
    cols = columns(tmp_path / "doc.pdf", ["actor", "theme", "consistency", *pair.cases])  # cells wrap
    assert "Breach of the provider" in cols["theme"]
    assert "path-to-reinstatement" in " ".join(cols[c] for c in pair.cases).replace("- ", "-")
    assert text.count("apple") >= sum(1 for a, _ in pair.frame.index if a == "apple")


def test_typst_compiles_and_holds_the_rows(pair: AcrossResult, tmp_path: Path) -> None:
    from tests.test_papers import typst_compile

    pdf = typst_compile(tmp_path, pair.to_typst(caption="Apple and Google across two cases", label="tab:across"))
    pdftotext = client("pdftotext")
    text = subprocess.run(
        [pdftotext, "-layout", str(pdf), "-"], capture_output=True, text=True, timeout=60, check=True
    ).stdout
    assert "Apple and Google across two cases" in text
    assert "Retaliation" in text and "shifted" in text and "(store-safety)" in text  # cells wrap: short ones
    assert text.count("google") == sum(1 for a, _ in pair.frame.index if a == "google")


def test_csv_reads_back_in_pandas(pair: AcrossResult) -> None:
    frame = pd.read_csv(io.StringIO(pair.to_csv()), keep_default_na=False)
    expected = pair.csv_frame().fillna("")
    assert list(frame.columns) == list(expected.columns)
    assert frame.astype(str).values.tolist() == expected.astype(str).values.tolist()
    assert set(frame["consistency"]) <= {"same", "opposite", "shifted", "one-case"}


def test_json_reads_back(pair: AcrossResult) -> None:
    data = json.loads(pair.to_json())
    assert data == json.loads(json.dumps(pair.to_dict()))
    assert sum(data["summary"].values()) == len(data["rows"]) == len(pair.frame)
    for row in data["rows"]:
        for case, cell in row["positions"].items():
            assert case in data["cases"]
            if cell is not None:
                assert cell["position"] == pair.frame.loc[(row["actor"], row["theme"]), case]
                assert cell["claims"], row


@pytest.mark.browser
def test_html_fragment_in_chromium(pair: AcrossResult, tmp_path: Path) -> None:
    chromium = chromium_or_skip()
    page = tmp_path / "across.html"
    page.write_text(
        "<!doctype html><html lang='en'><head><meta charset='utf-8'><title>across</title></head><body>"
        + pair.to_html()
        + "</body></html>",
        encoding="utf-8",
    )
    with selenium_driver(chromium, tmp_path / "profile") as driver:
        driver.get(page.as_uri())
        rows = driver.find_elements("css selector", "table tbody tr")
        assert len(rows) == len(pair.frame)
        headers = [th.text for th in driver.find_elements("css selector", "table thead th")]
        assert headers == pair.grid().headers
        first = [c.text for c in rows[0].find_elements("css selector", "th, td")]
        assert first[0] == "apple" and "same" in first[2]
        driver.save_screenshot(str(tmp_path / "across.png"))
        assert (tmp_path / "across.png").stat().st_size > 0
