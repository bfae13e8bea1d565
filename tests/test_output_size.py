"""Output size stays proportional to the data: one huge cell must not pad every other row."""

from __future__ import annotations

from pathlib import Path

import policycmp

from .corpus_helpers import copy_mini

ROWS = 300
HUGE = 200_000


def corpus_with_one_huge_summary(tmp_path: Path) -> policycmp.Corpus:
    claims = "".join(
        f"  - topic: {'political' if i % 2 else 'warned'}\n    stance: denies\n"
        f"    summary: {'x' * HUGE if i == 0 else f'Claim {i}.'}\n    source: order\n"
        for i in range(ROWS)
    )
    court = (
        "actor: court\nname: The Court\nrole: court\nsources:\n  order:\n    title: Order\n"
        "    type: order\n    date: 2021-01-21\nclaims:\n" + claims
    )
    return policycmp.load(copy_mini(tmp_path, files={"court.yaml": court}))


def test_markdown_and_text_stay_proportional_to_the_data(tmp_path: Path) -> None:
    claims = corpus_with_one_huge_summary(tmp_path).select_claims()
    data = len(claims.render("csv"))
    for fmt in ("md", "text"):
        out = claims.render(fmt)
        assert len(out) < 2 * data + 500 * ROWS, (fmt, len(out), data)


def test_the_huge_cell_is_kept_whole_in_markdown_and_marked_where_text_cuts_it(tmp_path: Path) -> None:
    claims = corpus_with_one_huge_summary(tmp_path).select_claims()
    assert "x" * HUGE in claims.render("md").replace("\u200b", "")  # with places where it may break
    text = claims.render("text")
    assert "x" * HUGE not in text
    assert "x…" in text  # the cut is marked


LATEX_DOC = r"""\documentclass{article}
\usepackage[T1]{fontenc}
\usepackage[utf8]{inputenc}
\usepackage{lmodern}
\usepackage{booktabs,longtable,array,tabularx}
\pdfpagewidth=500cm \pdfpageheight=500cm \textwidth=480cm \textheight=480cm
\begin{document}
\input{claims.tex}
\end{document}
"""


def test_latex_with_a_huge_string_compiles(tmp_path: Path) -> None:
    """pdflatex reads at most 200,000 characters a line; long text is broken over lines."""
    import shutil
    import subprocess

    from .test_clients import client

    pdflatex = client("pdflatex")
    claims = corpus_with_one_huge_summary(tmp_path).select_claims()
    latex = claims.render("latex")
    assert max(len(line) for line in latex.splitlines()) <= 2000
    work = tmp_path / "tex"
    work.mkdir()
    (work / "claims.tex").write_text(latex, encoding="utf-8")
    (work / "doc.tex").write_text(LATEX_DOC, encoding="utf-8")
    done = subprocess.run([pdflatex, "-interaction=nonstopmode", "-halt-on-error", "doc.tex"], cwd=work,
                          capture_output=True, text=True, timeout=600)  # fmt: skip
    assert done.returncode == 0, done.stdout[-2000:]
    pdftotext = shutil.which("pdftotext")
    if pdftotext:  # the long text is there, unbroken by the line breaks of the source
        text = subprocess.run([pdftotext, "-layout", "doc.pdf", "-"], cwd=work, capture_output=True, text=True).stdout
        assert "x" * 1000 in text.replace("\n", "").replace(" ", "")
