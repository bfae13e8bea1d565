"""Outputs read back by the programs people feed them to: pandoc, pdflatex, pandas, json.

A missing pandoc or pdflatex skips its tests, unless POLICYCMP_REQUIRE_CLIENTS is set: then
it fails them, so that a CI machine cannot pass without the real clients.
"""

from __future__ import annotations

import io
import json
import math
import os
import shutil
import subprocess
from html.parser import HTMLParser
from pathlib import Path

import pandas as pd
import pytest

import policycmp
from policycmp.compare import build_claims
from policycmp.render.csvout import neutralize
from policycmp.render.latex import PREAMBLE as LATEX_PREAMBLE
from policycmp.selection import Selection

CORPORA = Path(__file__).resolve().parent / "corpora"


def client(name: str) -> str:
    """The path of a client program; skip (or fail, when clients are required) if missing."""
    path = shutil.which(name)
    if path is None:
        if os.environ.get("POLICYCMP_REQUIRE_CLIENTS"):
            pytest.fail(f"{name} is not installed and POLICYCMP_REQUIRE_CLIENTS is set")
        pytest.skip(f"{name} is not installed")
    return path


@pytest.fixture(scope="module")
def corpora() -> dict[str, policycmp.Corpus]:
    return {
        "bundled": policycmp.load(),
        "mini": policycmp.load(CORPORA / "mini"),
        "special": policycmp.load(CORPORA / "special"),
    }


PAIRS = {"bundled": ("aws", "parler"), "mini": ("host", "forum"), "special": ("left", "right")}


def make(corpora, which: str, command: str):
    corpus = corpora[which]
    if command == "table":
        return corpus.table(all=True)
    if command == "diff":
        return corpus.diff(*PAIRS[which])
    if command == "agreement":
        return corpus.agreement()
    return build_claims(corpus)


# -- Markdown through pandoc -------------------------------------------------------------------


class TableParser(HTMLParser):
    """Every <table> in an HTML document: header rows and body rows, each a list of cell texts."""

    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.tables: list[dict[str, list[list[str]]]] = []
        self.section = "tbody"
        self.row: list[str] | None = None
        self.cell: list[str] | None = None

    def handle_starttag(self, tag, attrs):
        if tag == "table":
            self.tables.append({"thead": [], "tbody": []})
            self.section = "tbody"
        elif tag in ("thead", "tbody"):
            self.section = tag
        elif tag == "tr":
            self.row = []
        elif tag in ("td", "th"):
            self.cell = []

    def handle_endtag(self, tag):
        if tag in ("td", "th") and self.row is not None and self.cell is not None:
            self.row.append("".join(self.cell).strip())
            self.cell = None
        elif tag == "tr" and self.row is not None:
            self.tables[-1][self.section].append(self.row)
            self.row = None
        elif tag == "thead":
            self.section = "tbody"

    def handle_data(self, data):
        if self.cell is not None:
            self.cell.append(data)


def parse_tables(html: str) -> list[dict[str, list[list[str]]]]:
    parser = TableParser()
    parser.feed(html)
    parser.close()
    return parser.tables


def unsmart(text: str) -> str:
    """Undo pandoc's smart punctuation (on by default for -f markdown), and drop the zero-width
    spaces where ``-f md`` lets a word too long for its column break."""
    pairs = (("\u2019", "'"), ("\u2018", "'"), ("\u201c", '"'), ("\u201d", '"'), ("\u2026", "..."), ("\u200b", ""))
    for curly, plain in pairs:
        text = text.replace(curly, plain)
    return " ".join(text.split())


def pandoc_html(markdown: str, reader: str) -> str:
    """``markdown`` read by pandoc's ``reader`` and written as HTML (the test fails on pandoc's error)."""
    proc = subprocess.run(
        [client("pandoc"), "-f", reader, "-t", "html"],
        input=markdown,
        capture_output=True,
        text=True,
        encoding="utf-8",
        timeout=120,
        check=False,
    )
    assert proc.returncode == 0, proc.stderr
    return proc.stdout


@pytest.mark.parametrize("reader", ["markdown", "gfm"])
@pytest.mark.parametrize("which", ["bundled", "mini", "special"])
@pytest.mark.parametrize("command", ["table", "diff", "agreement"])
def test_markdown_is_a_pandoc_table(corpora, reader, which, command):
    result = make(corpora, which, command)
    grid = result.grid()
    html = pandoc_html(result.to_markdown(), reader)
    tables = parse_tables(html)
    assert len(tables) == 1, html
    table = tables[0]
    assert len(table["thead"]) == 1
    assert len(table["tbody"]) == len(grid.rows)
    assert len(grid.rows) == (len(result.actors) if command == "agreement" else len(result.frame))
    assert [unsmart(h) for h in table["thead"][0]] == [h.strip() for h in grid.headers]
    for got, row in zip(table["tbody"], grid.rows, strict=True):
        assert len(got) == len(grid.headers)
        # a cell shows its text, or its mark when the words do not fit the page (a legend follows)
        assert all(unsmart(g) in (unsmart(c.text), c.mark) for g, c in zip(got, row, strict=True))


# -- LaTeX through pdflatex --------------------------------------------------------------------

# The README's preamble, in a plain article and in a default a4 one
PREAMBLE = "\\documentclass{article}\n" + LATEX_PREAMBLE + "\\begin{document}\n"
A4 = "\\documentclass[a4paper]{article}\n" + LATEX_PREAMBLE + "\\begin{document}\n"
PLAIN = A4  # a default a4 article: the least a table needs is the README's preamble


def compile_latex(tmp_path: Path, body: str, preamble: str = PREAMBLE) -> subprocess.CompletedProcess:
    pdflatex = client("pdflatex")
    (tmp_path / "doc.tex").write_text(preamble + body + "\\end{document}\n", encoding="utf-8")
    return subprocess.run(
        [pdflatex, "-interaction=nonstopmode", "-halt-on-error", "-no-shell-escape", "doc.tex"],
        cwd=tmp_path,
        capture_output=True,
        stdin=subprocess.DEVNULL,
        timeout=120,
        check=False,
    )


@pytest.mark.parametrize("preamble", [PREAMBLE, A4], ids=["letter", "a4"])
@pytest.mark.parametrize(
    ("which", "command"),
    [("bundled", "table"), ("bundled", "diff"), ("bundled", "claims"), ("special", "table"), ("special", "diff"),
     ("special", "claims"), ("mini", "agreement")],
)  # fmt: skip
def test_latex_compiles_in_a_plain_article(corpora, tmp_path, which, command, preamble):
    result = make(corpora, which, command)
    proc = compile_latex(tmp_path, result.to_latex(), preamble)
    log = proc.stdout.decode("utf-8", "replace")
    assert proc.returncode == 0, log[-3000:]
    assert (tmp_path / "doc.pdf").stat().st_size > 0


def test_latex_broken_input_fails(tmp_path):
    """The compile check can fail: an unbalanced table does not compile."""
    proc = compile_latex(tmp_path, "\\begin{tabular}{ll}\n\\midrule\n[oops] & x \\\\\n\\end{tabular}\n")
    assert proc.returncode != 0
    assert not (tmp_path / "doc.pdf").exists()


# -- CSV and JSON read back --------------------------------------------------------------------


def as_text(value) -> str:
    """How a value reads back from CSV as text (missing values as empty strings)."""
    if value is None or (isinstance(value, float) and math.isnan(value)):
        return ""
    return str(value)


def rows_of(frame: pd.DataFrame) -> list[list[object]]:
    """A frame's rows with missing values as None and numpy scalars as Python values."""
    out = []
    for rec in frame.itertuples(index=False):
        row = []
        for v in rec:
            if v is None or v is pd.NA or (isinstance(v, float) and math.isnan(v)):
                row.append(None)
            else:
                row.append(v.item() if hasattr(v, "item") else v)
        out.append(row)
    return out


@pytest.mark.parametrize("which", ["bundled", "mini", "special"])
@pytest.mark.parametrize("command", ["table", "diff", "agreement", "claims"])
@pytest.mark.parametrize("escape", [True, False])
def test_csv_reads_back_as_the_frame(corpora, which, command, escape):
    result = make(corpora, which, command)
    expected = result.csv_frame()
    text = result.to_csv(escape_formulas=escape)
    back = pd.read_csv(io.StringIO(text), dtype=str, keep_default_na=False)
    assert list(back.columns) == [str(c) for c in expected.columns]
    assert len(back) == len(expected)
    want = [[as_text(neutralize(v) if escape else v) for v in row] for row in rows_of(expected)]
    assert back.to_numpy().tolist() == want


def test_csv_neutralizes_formulas(corpora):
    claims = build_claims(corpora["special"], Selection.of(actors=["left"]))
    escaped = pd.read_csv(io.StringIO(claims.to_csv()), keep_default_na=False)
    raw = pd.read_csv(io.StringIO(claims.to_csv(escape_formulas=False)), keep_default_na=False)
    firsts = sorted(s[0] for s in escaped["summary"])
    assert "=" not in firsts and "-" not in firsts and "@" not in firsts
    assert sorted(s[0] for s in raw["summary"]).count("=") == 1
    assert "first line\nsecond line" in raw.loc[raw["claim"] == "tex-1", "quote"].item()


def test_csv_numbers_read_back_as_numbers(corpora):
    result = corpora["bundled"].agreement()
    back = pd.read_csv(io.StringIO(result.to_csv()))
    pd.testing.assert_frame_equal(back, result.frame.reset_index(drop=True), check_dtype=False)


def rebuild(command: str, data) -> pd.DataFrame:
    """The result frame from its JSON, as a reader of the README's JSON shapes would build it."""
    if command == "table":
        records = [{"label": t["label"], "group": t["group"], "verdict": t["verdict"], **t["positions"]}
                   for t in data["topics"]]  # fmt: skip
        index = [t["topic"] for t in data["topics"]]
        return pd.DataFrame(records, index=pd.Index(index, name="topic"), dtype=object)
    if command == "diff":
        records = [{"status": r["status"], "label": r["label"], "left": r["left"]["position"],
                    "right": r["right"]["position"]} for r in data["rows"]]  # fmt: skip
        index = [r["topic"] for r in data["rows"]]
        return pd.DataFrame(records, index=pd.Index(index, name="topic"), dtype=object)
    if command == "agreement":
        return pd.DataFrame(data["pairs"])
    return pd.DataFrame(data)


@pytest.mark.parametrize("which", ["bundled", "mini", "special"])
@pytest.mark.parametrize("command", ["table", "diff", "agreement", "claims"])
def test_json_reads_back_as_the_dict_and_the_frame(corpora, which, command):
    result = make(corpora, which, command)
    data = json.loads(result.to_json())
    assert data == result.to_dict()
    frame = rebuild(command, data)
    assert list(frame.columns) == list(result.frame.columns)
    assert [str(i) for i in frame.index] == [str(i) for i in result.frame.index]
    assert rows_of(frame) == rows_of(result.frame)
    if command == "diff":
        claims = result.claims
        for row in data["rows"]:
            for side, actor in (("left", result.left), ("right", result.right)):
                mine = claims[(claims["actor"] == actor) & (claims["topic"] == row["topic"])]
                assert [c["claim"] for c in row[side]["claims"]] == list(mine["claim"])


# -- our own HTML fragment ---------------------------------------------------------------------


@pytest.mark.parametrize("which", ["bundled", "special"])
@pytest.mark.parametrize("command", ["table", "diff", "agreement", "claims"])
def test_html_fragment_holds_the_grid(corpora, which, command):
    result = make(corpora, which, command)
    grid = result.grid()
    tables = parse_tables(result.to_html())
    assert len(tables) == 1
    assert [h.strip() for h in tables[0]["thead"][0]] == [h.strip() for h in grid.headers]
    body = tables[0]["tbody"]
    assert len(body) == len(grid.rows)
    for got, row in zip(body, grid.rows, strict=True):
        # a styled cell shows its mark before its text; the leading key columns show the text only
        want = [
            f"{c.mark} {c.text}" if i >= grid.key_columns and c.mark and c.mark != c.text else c.text
            for i, c in enumerate(row)
        ]
        assert [" ".join(g.split()) for g in got] == [" ".join(w.split()) for w in want]
