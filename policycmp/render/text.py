"""Terminal tables: aligned columns, colour by verdict, symbols that read without colour.

Every corpus string is made safe first: control characters (ANSI escapes among them) and
bidirectional overrides are shown as visible escapes, never sent to the terminal.
"""

from __future__ import annotations

from ..results import Result
from ..sanitize import term_safe
from ..vocabulary import ANSI, POSITIONS
from .grid import Cell, Grid, grid_of, several_grids

RESET = "\x1b[0m"
STYLE = ANSI  # style class -> colour, from the vocabulary


def width(text: str) -> int:
    """Columns a string takes in a terminal, by wcwidth: wide East Asian characters and emoji
    count two, combining marks none, an emoji sequence joined by ZWJ as the one glyph it shows.
    Text reaching here is already :func:`term_safe` (no control characters)."""
    if text.isascii():
        return len(text)
    from wcwidth import wcswidth

    return max(wcswidth(text), 0)


def truncate(text: str, limit: int) -> str:
    """``text`` cut to ``limit`` columns with a final ``…``; cut between grapheme clusters, so
    an accent stays with its letter and an emoji sequence is kept whole or dropped whole."""
    if len(text) <= limit and width(text) <= limit:
        return text
    if text.isascii():
        return text[: max(limit - 1, 0)] + "…"
    from wcwidth import iter_graphemes

    out: list[str] = []
    used = 0
    for cluster in iter_graphemes(text):
        used += width(cluster)
        if used > limit - 1:
            break
        out.append(cluster)
    return "".join(out) + "…"


_POSITIONS = frozenset(POSITIONS)


def _cell_text(cell: Cell, compact: bool) -> str:
    """A cell's text: ``+ asserts``; just the mark for positions when space is short."""
    if not cell.mark or cell.kind in ("topic", "none", "actor", "count", ""):
        return term_safe(cell.text)
    if cell.mark == cell.text or (compact and cell.kind in _POSITIONS):
        return cell.mark
    return f"{cell.mark} {cell.text}"


LEGEND = "  ".join(f"{t.mark} {t.word}" for t in POSITIONS.values())
MIN_LABEL = 24
# A cell longer than this is cut (with "…"), even without a terminal width: every row of a column
# is padded to its widest cell, so one 1 MB summary would pad every row to a megabyte.
# The whole text is in the CSV, JSON and Markdown outputs.
MAX_CELL = 400


def render_text(grid: Grid, color: bool = False, width: int | None = None) -> str:
    """Aligned table with the summary first; ``width`` fits it to a terminal when given.

    When the table is too wide, positions shrink to their marks (a legend line follows),
    then the row label is cut with an ellipsis.
    """
    headers = [term_safe(h) for h in grid.headers]
    # the columns cut to fit: the free-text ones (topic labels, claim summaries), else the row label
    free = [i for i in range(len(headers)) if grid.rows and all(row[i].kind == "topic" for row in grid.rows)]
    label_col = grid.key_columns - 1

    def layout(compact: bool) -> tuple[list[list[str]], list[int]]:
        texts = [[truncate(_cell_text(c, compact), MAX_CELL) for c in row] for row in grid.rows]
        return texts, _widths(headers, texts)

    def overflow(widths: list[int], label_room: int | None = None) -> int:
        cols = list(widths)
        if label_room is not None:
            cols[label_col] = min(cols[label_col], label_room)
        return sum(cols) + 2 * (len(cols) - 1) - (width or 0)

    compact = False
    texts, widths = layout(compact)
    if free:
        label_col = max(free, key=lambda i: widths[i])
    if width and overflow(widths, MIN_LABEL) > 0:
        compact = True
        texts, widths = layout(compact)
    if width and grid.rows and overflow(widths) > 0:
        # narrow the widest free-text column, one column at a time, down to 12 at the least
        cut = [i for i in free or [label_col] if widths[i] > 12]
        while cut and overflow(widths) > 0:
            widest = max(cut, key=lambda i: widths[i])
            widths[widest] -= 1
            cut = [i for i in cut if widths[i] > 12]
        for i in free or [label_col]:
            for row in texts:
                row[i] = truncate(row[i], widths[i])
            headers[i] = truncate(headers[i], widths[i])
    lines = [term_safe(grid.summary), ""]
    lines.append(_line(headers, widths, [None] * len(headers), color, bold=True))
    for row, cells in zip(texts, grid.rows, strict=True):
        lines.append(_line(row, widths, [c.kind for c in cells], color))
    if compact and any(c.kind in _POSITIONS for row in grid.rows for c in row):
        lines += ["", LEGEND]
    for note in grid.notes:
        lines.append(f"note: {term_safe(note)}")
    return "\n".join(line.rstrip() for line in lines) + "\n"


def _widths(headers: list[str], rows: list[list[str]]) -> list[int]:
    widths = [width(h) for h in headers]
    for row in rows:
        for i, text in enumerate(row):
            widths[i] = max(widths[i], width(text))
    return widths


def _line(texts: list[str], widths: list[int], kinds: list[str | None], color: bool, bold: bool = False) -> str:
    parts = []
    for text, w, kind in zip(texts, widths, kinds, strict=True):
        padded = text + " " * (w - width(text))
        style = "\x1b[1m" if bold else STYLE.get(kind or "", "")
        parts.append(f"{style}{padded}{RESET}" if color and style else padded)
    return "  ".join(parts)


def render(result: Result, color: bool = False, width: int | None = None) -> str:
    grids = several_grids(result)
    if grids is None:
        return render_text(grid_of(result), color=color, width=width)
    tables = "\n".join(render_text(g, color=color, width=width) for g in grids)
    return f"{term_safe(result.summary_line())}\n\n{tables}"
