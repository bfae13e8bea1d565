"""Render the README's "Tables in papers" pictures: the bundled table as each client sets it.

Run ``python docs/make_images.py`` from the repository root (needs pdflatex, pandoc, pdftoppm,
ImageMagick's ``convert`` and the ``typst`` package). Writes ``docs/images/*.png``: the top of
the first page of each PDF, trimmed.
"""

from __future__ import annotations

import subprocess
import sys
import tempfile
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

import policycmp  # noqa: E402
from policycmp.render.latex import PREAMBLE  # noqa: E402

OUT = ROOT / "docs" / "images"


def page_png(pdf: Path, name: str, height: int) -> None:
    """The top ``height`` pixels of the PDF's first page at 100 dpi, trimmed, as ``name``.png."""
    stem = pdf.with_suffix("")
    subprocess.run(["pdftoppm", "-png", "-r", "100", "-f", "1", "-l", "1", "-singlefile", pdf, stem], check=True)
    subprocess.run(
        ["convert", f"{stem}.png", "-crop", f"x{height}+0+0", "-trim", "-bordercolor", "white", "-border", "12",
         "-colors", "64", OUT / f"{name}.png"],
        check=True,
    )  # fmt: skip


def main() -> None:
    OUT.mkdir(parents=True, exist_ok=True)
    table = policycmp.load().table()
    with tempfile.TemporaryDirectory() as tmp:
        work = Path(tmp)
        body = table.to_latex(caption="Who said what", label="tab:positions")
        doc = "\\documentclass[a4paper]{article}\n" + PREAMBLE + "\\begin{document}\n" + body + "\\end{document}\n"
        (work / "latex.tex").write_text(doc, encoding="utf-8")
        for _ in range(2):
            subprocess.run(["pdflatex", "-interaction=nonstopmode", "latex.tex"], cwd=work, check=True,
                           capture_output=True)  # fmt: skip
        page_png(work / "latex.pdf", "latex-table", 800)

        (work / "t.md").write_text(table.to_markdown(caption="Who said what"), encoding="utf-8")
        subprocess.run(["pandoc", "t.md", "-o", "pandoc.pdf"], cwd=work, check=True)
        page_png(work / "pandoc.pdf", "pandoc-table", 1100)

        import typst

        (work / "t.typ").write_text(table.to_typst(caption="Who said what", label="tab:positions"), encoding="utf-8")
        (work / "typst.pdf").write_bytes(typst.compile(str(work / "t.typ")))
        page_png(work / "typst.pdf", "typst-table", 700)
    print(f"wrote {', '.join(sorted(p.name for p in OUT.glob('*.png')))}")


if __name__ == "__main__":
    main()
