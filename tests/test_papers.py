"""Tables in papers, read back by the programs that typeset them: pdflatex and pdftotext.

Every LaTeX table is compiled twice (as latexmk would: longtable settles its column widths on the
second run) in a default a4 article with exactly the README's preamble; the log must hold no
``Overfull \\hbox`` over 5 pt, and pdftotext must find every actor and topic.
"""

from __future__ import annotations

import html
import os
import re
import subprocess
import zipfile
from pathlib import Path

import pytest

import policycmp
from benchmarks.generate import generate_corpus
from policycmp.compare import build_claims
from policycmp.render.latex import LETTER_RANGES, PREAMBLE, latex_escape
from policycmp.render.markdown import ZWSP

from .corpus_helpers import MINI, copy_mini
from .test_clients import client

DOC = "\\documentclass[a4paper]{article}\n" + PREAMBLE + "\\begin{document}\n%s\n\\end{document}\n"
OVERFULL = re.compile(r"Overfull \\hbox \(([\d.]+)pt too wide\)")


def compile_tex(tmp_path: Path, body: str, name: str = "doc") -> tuple[str, Path]:
    """Compile ``body`` twice; the second run's log and the PDF."""
    pdflatex = client("pdflatex")
    (tmp_path / f"{name}.tex").write_text(DOC % body, encoding="utf-8")
    log = ""
    for _ in range(2):
        proc = subprocess.run(
            [pdflatex, "-interaction=nonstopmode", "-halt-on-error", "-no-shell-escape", f"{name}.tex"],
            cwd=tmp_path, capture_output=True, stdin=subprocess.DEVNULL, timeout=120, check=False,
        )  # fmt: skip
        log = proc.stdout.decode("utf-8", "replace")
        assert proc.returncode == 0, log[-3000:]
    return log, tmp_path / f"{name}.pdf"


def pdf_text(pdf: Path, first: int | None = None, last: int | None = None, raw: bool = False) -> str:
    """The PDF's text with whitespace collapsed (table cells wrap over lines); ``raw``: in the
    order it was drawn, with no words joined across a line-end hyphen."""
    pages = [*(["-f", str(first)] if first else []), *(["-l", str(last)] if last else []), *(["-raw"] if raw else [])]
    done = subprocess.run([client("pdftotext"), *pages, str(pdf), "-"], capture_output=True, check=True, timeout=60)
    return " ".join(done.stdout.decode("utf-8").split())


def found(phrase: str, text: str) -> bool:
    """Whether ``phrase`` is in ``text``, also when a line broke after one of its hyphens or hyphenated it."""
    phrase = " ".join(phrase.split())
    texts = (text, text.replace("- ", "-"), text.replace("- ", ""))  # broken after a hyphen, or hyphenated
    return any(p in t for t in texts for p in (phrase, phrase.replace("'", "\u2019")))


def columns(pdf: Path, headers: list[str]) -> dict[str, str]:
    """Each column's text, read from pdftotext's word boxes below the header row on every page.

    pdftotext reads a page line by line, so cells that wrap are interleaved with their
    neighbours; a column's words (left of the next header) read in order give its cells back.
    """
    done = subprocess.run([client("pdftotext"), "-bbox", str(pdf), "-"], capture_output=True, check=True, timeout=60)
    cells: dict[str, list[tuple[int, float, float, str]]] = {h: [] for h in headers}
    pattern = r'<word xMin="([\d.]+)" yMin="([\d.]+)" xMax="[\d.]+" yMax="[\d.]+">(.*?)</word>'
    for number, page in enumerate(done.stdout.decode("utf-8").split("<page ")[1:]):
        words = [(float(x), float(y), html.unescape(w)) for x, y, w in re.findall(pattern, page)]
        rows = {}
        for x, y, w in words:
            rows.setdefault(round(y), {})[w] = x
        head = next((y for y, row in sorted(rows.items()) if all(h in row for h in headers)), None)
        if head is None:
            continue
        lefts = [rows[head][h] for h in headers]
        for x, y, w in words:
            if y > head + 2:
                i = max((i for i, left in enumerate(lefts) if left <= x + 1), default=0)
                cells[headers[i]].append((number, y, x, w))
    return {h: " ".join(w for *_, w in sorted(found)) for h, found in cells.items()}


def pages(pdf: Path) -> int:
    info = subprocess.run([client("pdfinfo"), str(pdf)], capture_output=True, text=True, check=True, timeout=60)
    match = re.search(r"^Pages:\s+(\d+)", info.stdout, re.M)
    assert match is not None
    return int(match.group(1))


@pytest.fixture(scope="module")
def bundled() -> policycmp.Corpus:
    return policycmp.load()


def result_of(corpus: policycmp.Corpus, command: str):
    if command == "table":
        return corpus.table(all=True)
    if command == "diff":
        return corpus.diff("aws", "parler")
    if command == "agreement":
        return corpus.agreement()
    return build_claims(corpus)


@pytest.mark.parametrize("command", ["table", "diff", "agreement", "claims"])
def test_bundled_latex_fits_a_default_a4_article(bundled, tmp_path, command):
    result = result_of(bundled, command)
    log, pdf = compile_tex(tmp_path, result.to_latex(caption=f"The {command}", label=f"tab:{command}"))
    too_wide = [float(pt) for pt in OVERFULL.findall(log)]
    assert max(too_wide, default=0.0) <= 5.0, too_wide
    text = pdf_text(pdf)
    if command == "claims":
        actors = sorted(set(result.frame["actor"]))
    else:
        actors = result.actors if command in ("table", "agreement") else [result.left, result.right]
    if command == "claims":
        cols = columns(pdf, list(result.grid().headers))
        for column in ("claim", "topic"):
            missing = [c for c in result.frame[column] if not found(c, cols[column])]
            assert missing == [], column
    missing = [a for a in actors if not found(a, text)]
    assert missing == []
    if command in ("table", "diff"):
        topics = columns(pdf, ["topic", "verdict" if command == "table" else "status"])["topic"]
        missing = [label for label in result.frame["label"] if not found(label, topics)]
        assert missing == []
    assert f"The {command}" in text


def test_the_check_can_fail(tmp_path):
    """A table wider than the line is seen: the overfull box is in the log."""
    wide = "\\begin{tabular}{ll}" + "x" * 200 + " & y \\\\ \\end{tabular}"
    log, _ = compile_tex(tmp_path, wide)
    assert max(float(pt) for pt in OVERFULL.findall(log)) > 5.0


def test_a_150_topic_table_spans_pages_with_every_row(tmp_path):
    root = tmp_path / "big"
    generate_corpus(root, actors=5, topics=150, claims_per_actor=150, seed=1)
    result = policycmp.load(root).table(all=True)
    assert len(result.frame) == 150
    latex = result.to_latex()
    assert "\\begin{longtable}" in latex  # chosen on its own: the table is long
    log, pdf = compile_tex(tmp_path, latex)
    assert max((float(pt) for pt in OVERFULL.findall(log)), default=0.0) <= 5.0
    assert pages(pdf) >= 3
    first_page = pdf_text(pdf, 1, 1)
    assert found(result.frame["label"].iloc[0], first_page)  # no blank first page
    text = pdf_text(pdf)
    topics = columns(pdf, ["topic", "verdict"])["topic"]
    missing = [label for label in result.frame["label"] if not found(label, topics)]
    assert missing == []
    # the header row repeats on every page
    assert len(re.findall(r"\btopic verdict\b", text)) == pages(pdf)


def test_names_keep_their_letters(tmp_path):
    names = ["Łódź", "Dvořák", "Erdoğan", "Đoković"]
    case = (MINI / "case.yaml").read_text(encoding="utf-8")
    for old, new in zip(["Violent content", "Warnings given", "Political motive", "Moderation adequate"], names,
                        strict=True):  # fmt: skip
        case = case.replace(f"label: {old}", f"label: {new} speaks")
    root = copy_mini(tmp_path, files={"case.yaml": case})
    latex = policycmp.load(root).table(all=True).to_latex()
    assert "[U+" not in latex
    _, pdf = compile_tex(tmp_path, latex)
    text = pdf_text(pdf)
    for name in names:
        # T1 has one glyph for Đ (U+0110) and Ð (U+00D0); pdftotext names it by the latter
        assert name in text or name.replace("Đ", "Ð") in text, (name, text)


def test_every_letter_in_the_table_compiles(tmp_path):
    """The generated letter table holds: each character sets without an error or a missing glyph."""
    chars = [chr(c) for a, b in LETTER_RANGES for c in range(a, b + 1)]
    body = "\\tracinglostchars=3\n" + "\n".join(f"{latex_escape(ch)}\\par" for ch in chars)
    log, _ = compile_tex(tmp_path, body)
    assert "Missing character" not in log


@pytest.mark.parametrize(("char", "code"), [("Ж", "[U+0416]"), ("α", "[U+03B1]"), ("😀", "[U+1F600]")])
def test_what_the_preamble_cannot_set_falls_back(char, code):
    assert latex_escape(f"a{char}b") == f"a{code}b"


def test_letters_are_composed_first():
    assert latex_escape("Dvor\u030cák") == "Dvořák"  # r + combining caron: one letter


def test_ligatures_of_t1_are_broken():
    assert latex_escape("a--b ''x'' ,,y") == "a-{}-b '{}'x'{}' ,{},y"


def test_caption_is_escaped_and_label_kept(bundled, tmp_path):
    latex = bundled.diff("aws", "parler").to_latex(caption="100% of $claims & #notes_", label="tab:aws.parler-1")
    assert "\\caption{100\\% of \\$claims \\& \\#notes\\_}\\label{tab:aws.parler-1}" in latex
    _, pdf = compile_tex(tmp_path, latex)
    assert "100% of $claims & #notes_" in pdf_text(pdf)


@pytest.mark.parametrize("env", ["tabular", "longtable"])
def test_latex_env_is_honoured(bundled, tmp_path, env):
    latex = bundled.table().to_latex(env=env)
    assert f"\\begin{{{'longtable' if env == 'longtable' else 'tabularx'}}}" in latex
    log, _ = compile_tex(tmp_path, latex)
    assert max((float(pt) for pt in OVERFULL.findall(log)), default=0.0) <= 5.0


@pytest.mark.parametrize(
    ("args", "message"),
    [
        (["--caption", "x", "--label", "tab one"], "use only letters"),
        (["--caption", "x", "--label", "tab:{x}"], "use only letters"),
        (["--label", "tab:x"], "give --caption"),
        (["--latex-env", "tabularx"], "tabularx"),
    ],
)
def test_bad_label_or_env_is_a_usage_error(cli, args, message):
    res = cli("table", "-f", "latex", *args)
    assert res.exit_code == 2
    assert message in res.stderr
    assert res.stdout == ""


def test_cli_writes_a_captioned_longtable(cli, tmp_path):
    out = tmp_path / "t.tex"
    res = cli(
        "table", "-f", "latex", "--latex-env", "longtable", "--caption", "Positions", "--label", "tab:p", "-o", out
    )
    assert res.exit_code == 0, res.stderr
    text = out.read_text(encoding="utf-8")
    assert "\\begin{longtable}" in text and "\\caption{Positions}\\label{tab:p} \\\\" in text


# -- Typst, compiled by the Typst compiler (the typst package on PyPI) ---------------------------


def typst_compile(tmp_path: Path, source: str) -> Path:
    try:
        import typst
    except ImportError:
        if os.environ.get("POLICYCMP_REQUIRE_CLIENTS"):
            pytest.fail("the typst package is not installed and POLICYCMP_REQUIRE_CLIENTS is set")
        pytest.skip("the typst package is not installed")
    (tmp_path / "doc.typ").write_text(source, encoding="utf-8")
    pdf, warnings = typst.compile_with_warnings(str(tmp_path / "doc.typ"))
    assert warnings == []
    (tmp_path / "doc.pdf").write_bytes(pdf)
    return tmp_path / "doc.pdf"


@pytest.mark.parametrize("command", ["table", "diff", "agreement", "claims"])
@pytest.mark.parametrize("caption", [None, "The table"])
def test_typst_compiles_and_shows_every_row(bundled, tmp_path, command, caption):
    result = result_of(bundled, command)
    label = "tab:x" if caption else None
    source = result.to_typst(caption=caption, label=label) + ("\nSee @tab:x.\n" if caption else "")
    pdf = typst_compile(tmp_path, source)
    text = pdf_text(pdf)
    if command == "claims":
        actors = sorted(set(result.frame["actor"]))
    else:
        actors = result.actors if command in ("table", "agreement") else [result.left, result.right]
    assert [a for a in actors if not found(a, text)] == []
    if command in ("table", "diff"):
        topics = columns(pdf, ["topic", "verdict" if command == "table" else "status"])["topic"]
        assert [lb for lb in result.frame["label"] if not found(lb, topics)] == []
    if caption:
        assert "Table 1: The table" in text and "See Table 1." in text


def test_typst_strings_are_never_markup(tmp_path):
    from policycmp.render.typst import typst_string

    hostile = ['#panic("x")', '"] #panic("y") ["', "\\", "<lbl> @ref $x^2$ *bold* _em_ `raw` = head", "a\nb\x07c"]
    pdf = typst_compile(tmp_path, "\n\n".join(f"#{typst_string(h)}" for h in hostile))
    text = pdf_text(pdf)
    for h in hostile[:4]:
        assert " ".join(h.split()) in text
    assert typst_string("a\nb\x07c") == '"a\\nb\\u{7}c"'


def test_typst_long_table_breaks_across_pages(tmp_path):
    root = tmp_path / "big"
    generate_corpus(root, actors=3, topics=150, claims_per_actor=150, seed=2)
    result = policycmp.load(root).table(all=True)
    pdf = typst_compile(tmp_path, result.to_typst(caption="All topics", label="tab:all"))
    assert pages(pdf) >= 3
    topics = columns(pdf, ["topic", "verdict"])["topic"]
    assert [lb for lb in result.frame["label"] if not found(lb, topics)] == []


def test_cli_writes_typst(cli):
    res = cli("table", "-f", "typst", "--caption", "Positions", "--label", "tab:p")
    assert res.exit_code == 0, res.stderr
    assert res.stdout.rstrip().endswith("<tab:p>\n]".strip()) or "<tab:p>" in res.stdout


# -- Markdown through pandoc: its PDF (via LaTeX) and its Word document ---------------------------


def pandoc_pdf(tmp_path: Path, markdown: str) -> tuple[str, Path]:
    """pandoc's own standalone LaTeX of the Markdown, compiled twice: the log and the PDF."""
    pandoc = client("pandoc")
    (tmp_path / "t.md").write_text(markdown, encoding="utf-8")
    subprocess.run([pandoc, "-s", "t.md", "-t", "latex", "-o", "t.tex"], cwd=tmp_path, check=True, timeout=60)
    log = ""
    for _ in range(2):
        proc = subprocess.run(
            [client("pdflatex"), "-interaction=nonstopmode", "-halt-on-error", "t.tex"],
            cwd=tmp_path, capture_output=True, stdin=subprocess.DEVNULL, timeout=120, check=False,
        )  # fmt: skip
        log = proc.stdout.decode("utf-8", "replace")
        assert proc.returncode == 0, log[-3000:]
    return log, tmp_path / "t.pdf"


def glued(text: str, markdown: str) -> list[str]:
    """Words of the PDF that are no word of the Markdown: two cells run together ("agreementasserts")."""
    edges = "|\"\u201c\u201d\u2018\u2019'.,;:()"  # quotes pandoc makes curly, punctuation
    import html  # Markdown writes '&', '<' and '>' as entities

    # a zero-width space is a place a word may break without a hyphen: each piece is a word too
    curly = markdown.replace("'", "\u2019")
    words = curly.replace(ZWSP, "").split()
    for word in curly.split():  # so is each run of the pieces a line may hold
        pieces = word.split(ZWSP)
        words += ["".join(pieces[a:b]) for a in range(len(pieces)) for b in range(a + 1, len(pieces) + 1)]
    source = {html.unescape(w.replace("\\", "")).strip(edges) for w in words} - {""}
    bad = []
    for word in (w.strip(edges) for w in text.split()):
        if not word:
            continue
        if word.isdigit() or word in source or any(w.endswith(word) for w in source):  # page numbers too
            continue  # a word, or what follows a hyphenation or a break after a hyphen
        if word.endswith("-") and any(word in w or w.startswith(word[:-1]) for w in source):
            continue
        bad.append(word)
    return bad


@pytest.mark.parametrize("which", ["bundled", "mini"])  # pdflatex has no CJK: the special corpus needs xelatex
@pytest.mark.parametrize("command", ["table", "diff", "agreement", "claims"])
def test_pandoc_pdf_of_the_markdown_has_no_overfull_boxes_or_glued_words(tmp_path, which, command):
    corpus = policycmp.load() if which == "bundled" else policycmp.load(MINI)
    result = result_of(corpus, command) if which == "bundled" else mini_result(corpus, command)
    markdown = result.to_markdown()
    log, pdf = pandoc_pdf(tmp_path, markdown)
    too_wide = [float(pt) for pt in OVERFULL.findall(log)]
    assert too_wide == []
    assert glued(pdf_text(pdf, raw=True), markdown) == []


def mini_result(corpus, command):
    if command == "diff":
        return corpus.diff("host", "forum")
    return result_of(corpus, command)


def test_glued_words_are_seen():
    assert glued("conflict agreementasserts", "| conflict | agreement | asserts |") == ["agreementasserts"]


@pytest.mark.parametrize("command", ["table", "diff", "agreement", "claims"])
def test_pandoc_word_columns_hold_their_longest_word(bundled, tmp_path, command):
    """Each column of pandoc's docx is wide enough for its longest word (12 pt Cambria)."""
    from policycmp.render.layout import longest_word
    from policycmp.render.markdown import CAMBRIA, WORD_EM, WORD_MARGINS, WORD_WIDTH

    result = result_of(bundled, command)
    markdown = result.to_markdown()
    (tmp_path / "t.md").write_text(markdown, encoding="utf-8")
    subprocess.run([client("pandoc"), "t.md", "-o", "t.docx"], cwd=tmp_path, check=True, timeout=60)
    with zipfile.ZipFile(tmp_path / "t.docx") as docx:
        xml = docx.read("word/document.xml").decode("utf-8")
    grid = [int(w) for w in re.findall(r'<w:gridCol w:w="(\d+)"', xml)]
    assert len(grid) == len(result.grid().headers)
    table = [line.strip("|").split(" | ") for line in markdown.splitlines() if line.startswith("| ")]
    for i, twips in enumerate(grid):
        words = [cell[i].strip().replace("\\", "").replace(ZWSP, " ") for cell in table]  # it may break there
        content = twips / sum(grid) * WORD_WIDTH - WORD_MARGINS
        need = max(longest_word(w) for w in words) * WORD_EM * CAMBRIA
        # Cambria is not installed here: its widths are Latin Modern's, scaled, good to a few per cent
        assert content >= 0.9 * need, (i, words[0], content, need)
    assert min(grid) / sum(grid) * WORD_WIDTH >= 0.3 * 72  # no column squeezed below 0.3 in


def test_markdown_caption_is_pandocs_table_caption(bundled):
    markdown = bundled.table().to_markdown(caption="Who *said* what", label="tbl-positions")
    html = subprocess.run([client("pandoc"), "-f", "markdown", "-t", "html"], input=markdown, capture_output=True,
                          text=True, check=True, timeout=60).stdout  # fmt: skip
    assert "<caption>Who *said* what {#tbl-positions}</caption>" in html  # escaped: no emphasis
