"""Markdown pipe tables (GitHub and pandoc), every cell escaped, sized for pandoc's PDF and Word output."""

from __future__ import annotations

import math
import re

from ..results import Result
from .grid import Cell, Grid, grid_of, several_grids
from .layout import Layout, check_label, shrinks

# '&', '<' and '>' become entities, which every Markdown reader shows as text (markdown_strict
# and Parsedown pass '\<img ...>' through as HTML). The other ASCII punctuation that means
# something inline is backslash-escaped (CommonMark and pandoc accept a backslash before any).
_ENTITIES = str.maketrans({"&": "&amp;", "<": "&lt;", ">": "&gt;"})
_SPECIAL = re.compile(r"([\\`*_{}\[\]#|~^$@])")
_NEWLINES = re.compile(r"[\r\n\u2028\u2029\x0b\x0c\x85]+")
SEPARATOR = 120  # dashes in the separator line: over pandoc's 72 columns, so pandoc reads widths from it
MAX_SEPARATOR = 400
PAD_LIMIT = 80  # characters a cell is padded to at most when the columns cannot line up
LEGEND = "+ asserts, - denies, ~ qualifies, ± inconsistent"  # after a word: a leading + would start a list
_CONTROL = re.compile(r"[\x00-\x08\x0e-\x1f\x7f-\x84\x86-\x9f]")


def md_escape(text: str) -> str:
    text = _CONTROL.sub("\ufffd", _NEWLINES.sub(" ", text))
    return _SPECIAL.sub(r"\\\1", text).translate(_ENTITIES).strip()


def render_markdown(grid: Grid, caption: str | None = None, label: str | None = None) -> str:
    """A pipe table; its separator's dashes give pandoc each column's share of the line.

    The shares come from the shared layout (every column at least as wide as its longest word,
    free text wrapping), and the separator is always longer than pandoc's 72 columns, so that
    pandoc sets the widths from it: in its PDF (LaTeX ``p{}`` columns) and Word output alike.
    When words do not fit, positions shrink to their marks and a legend line follows.
    """
    check_label(label, caption)
    ncols = len(grid.headers)
    start = 0
    while True:  # the first layout whose words fit both pandoc's PDF and its Word document
        layout = Layout(grid, smaller=False, pandoc=True, start=start)
        shares, fit = _shares(layout, ncols)
        if fit or layout.last:
            break
        start += 1
    headers = [md_escape(h) or " " for h in grid.headers]
    rows = [[md_escape(_cell_text(c, i, layout)) for i, c in enumerate(row)] for row in grid.rows]
    content = [max([len(headers[i]), *(len(r[i]) for r in rows)]) for i in range(ncols)]
    # as many dashes as keep every column's text within its own (an aligned source), within reason
    total = min(MAX_SEPARATOR, max(SEPARATOR, *(math.ceil((c + 2) / f) for c, f in zip(content, shares, strict=True))))
    dashes = [max(3, round(total * f)) for f in shares]  # each column's share, +2 for the spaces around it
    aligned = all(c <= d for c, d in zip(content, dashes, strict=True))
    # unaligned, a column is padded up to PAD_LIMIT at most: one long cell must not pad every other
    # row of its column (2,000 rows and a 1 MB summary made a 2 GB file)
    pad = [d - 2 for d in dashes] if aligned else [min(c, PAD_LIMIT) for c in content]

    def line(cells: list[str]) -> str:
        return "| " + " | ".join(c.ljust(w) for c, w in zip(cells, pad, strict=True)) + " |"

    separator = "|" + "|".join(":" + "-" * (d - 1) for d in dashes) + "|"
    lines = [md_escape(grid.summary), "", line(headers), separator]
    lines += [line(r) for r in rows]
    if caption is not None:
        lines += ["", f": {md_escape(caption)}" + (f" {{#{label}}}" if label else "")]
    if layout.compact or layout.verdicts:
        seen = {
            c.mark: c.text for r in grid.rows for i, c in enumerate(r) if layout.verdicts and i in layout.verdict_cols
        }
        legend = [", ".join(f"{mark} {text}" for mark, text in seen.items())] if seen else []
        lines += ["", md_escape("Marks: " + "; ".join([*legend, LEGEND]))]
    return "\n".join(lines) + "\n"


# Word (pandoc's reference.docx): 12 pt Cambria, about 5 % wider than Latin Modern, in a table
# a table as wide as the text (6.5 in on a Letter page with 1 in margins), each cell with 0.075 in of
# margin on either side
WORD_EM, WORD_WIDTH, WORD_MARGINS, CAMBRIA = 12.0, 468.0, 10.8, 1.05


def _shares(layout: Layout, ncols: int) -> tuple[list[float], bool]:
    """Each column's share of the line, and whether that leaves room for every longest word
    both in pandoc's PDF and in its Word document."""

    def need(em: float) -> float:  # the share a column of ``em`` (10 pt ems) needs in both
        return max((em * 1.04 + 0.3) / layout.room, (em * WORD_EM * CAMBRIA + WORD_MARGINS + 2) / WORD_WIDTH)

    wrap = [i for i in layout.wrap if not layout.fits]
    shares = [0.0 if i in wrap else need(layout.natural[i]) for i in range(ncols)]
    left = 1.0 - sum(shares)
    floors = {i: need(layout.floor[i]) for i in wrap}
    total = sum(layout.width[i] for i in wrap) or 1.0
    for i in wrap:
        shares[i] = max(floors[i], left * layout.width[i] / total)
    scale = sum(shares)
    return [f / scale for f in shares], scale <= 1.0 + 1e-9


def _cell_text(cell: Cell, column: int, layout: Layout) -> str:
    if layout.compact and shrinks(cell):
        return cell.mark
    if layout.verdicts and column in layout.verdict_cols:
        return cell.mark
    return cell.text


def render(result: Result, caption: str | None = None, label: str | None = None) -> str:
    """The result's table (or tables under headings; a caption and label go to the first)."""
    grids = several_grids(result)
    if grids is None:
        return render_markdown(grid_of(result), caption, label)
    sections = "\n".join(
        f"### {g.title}\n\n{render_markdown(g, *((caption, label) if i == 0 else (None, None))).rstrip()}\n"
        for i, g in enumerate(grids)
    )
    return f"{md_escape(result.summary_line())}\n\n{sections}"
