"""Typst tables: a ``#table`` with a repeated header row and the verdict marks.

Every cell is a Typst string literal (``"..."``), never markup, so no corpus string can open a
function call, a label or a raw block: only ``\\`` and ``"`` are escaped, and control
characters are written as ``\\u{...}`` escapes. Free-text columns (topic labels, claim
summaries) take the remaining width as fractions, the others size to their content; when the
line is short, positions shrink to their marks as in the LaTeX output. Tables break across
pages (with a caption too: the figure is made breakable in its own scope).
"""

from __future__ import annotations

import re

from ..results import Result
from .grid import Cell, Grid, grid_of, several_grids
from .layout import Layout, check_label, shrinks

_BREAKS = re.compile(r"[\r\n\x0b\x0c\x85\u2028\u2029]")
LEGEND = "+ asserts   - denies   ~ qualifies   ± inconsistent"


def typst_string(text: str) -> str:
    """A Typst string literal holding ``text`` exactly."""
    out = ['"']
    for ch in text:
        if ch in '\\"':
            out.append("\\" + ch)
        elif ch == "\n":
            out.append("\\n")
        elif ch < " " or "\x7f" <= ch <= "\x9f" or ch in "\u2028\u2029":
            out.append(f"\\u{{{ord(ch):x}}}")
        else:
            out.append(ch)
    out.append('"')
    return "".join(out)


def _cell(cell: Cell, key: bool, compact: bool) -> str:
    if compact and shrinks(cell):
        return typst_string(cell.mark)
    if not key and cell.mark and cell.mark != cell.text and cell.kind not in ("topic", "none", "actor", "count"):
        return typst_string(f"{cell.mark} {cell.text}")
    return typst_string(cell.text)


def render_typst(grid: Grid, caption: str | None = None, label: str | None = None) -> str:
    """The table as Typst markup; compiles on its own or pasted into a document."""
    check_label(label, caption)
    layout = Layout(grid)
    ncols = len(grid.headers)
    wrap = not layout.fits and bool(layout.wrap)
    total = sum(layout.width.values()) or 1.0
    columns = [
        f"{max(1, round(layout.width[i] / total * 100))}fr" if wrap and i in layout.wrap else "auto"
        for i in range(ncols)
    ]
    marks = [layout.compact and any(shrinks(r[i]) for r in grid.rows) for i in range(ncols)]
    aligns = ["center" if m else "left" for m in marks]
    rows = []
    for row in grid.rows:
        rows.append("    " + ", ".join(_cell(c, i < grid.key_columns, layout.compact) for i, c in enumerate(row)) + ",")
    header = ", ".join(f"strong({typst_string(h)})" for h in grid.headers)
    table = [
        "table(",
        f"    columns: ({', '.join(columns)},),",
        f"    align: ({', '.join(aligns)},),",
        "    stroke: none,",
        "    inset: (x: 4pt, y: 3pt),",
        "    table.hline(stroke: 0.8pt),",
        f"    table.header({header}, table.hline(stroke: 0.5pt)),",
        *rows,
        "    table.hline(stroke: 0.8pt),",
    ]
    if layout.compact:
        table.append(f"    table.cell(colspan: {ncols}, text(size: 0.8em, {typst_string(LEGEND)})),")
    table.append(")")
    lines = [f"// {_BREAKS.sub(' ', grid.summary)}"]
    if caption is None:
        lines.append("#" + table[0])
        lines += table[1:]
        return "\n".join(lines) + "\n"
    lines.append("#[")
    lines.append("  #show figure: set block(breakable: true)")
    lines.append("  #show figure.where(kind: table): set figure.caption(position: top)")
    lines.append("  #figure(")
    lines += ["    " + t for t in table]
    lines[-1] += ","
    lines.append(f"    caption: {typst_string(caption)},")
    lines.append("    kind: table,")
    lines.append(f"  ){' <' + label + '>' if label else ''}")
    lines.append("]")
    return "\n".join(lines) + "\n"


def render(result: Result, caption: str | None = None, label: str | None = None) -> str:
    """The result's table (or tables, one after another; a caption and label go to the first)."""
    grids = several_grids(result)
    if grids is None:
        return render_typst(grid_of(result), caption, label)
    return "\n".join(render_typst(g, *((caption, label) if i == 0 else (None, None))) for i, g in enumerate(grids))
