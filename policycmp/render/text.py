"""Terminal tables: aligned columns, colour by verdict, symbols that read without colour.

Every corpus string is made safe first: control characters (ANSI escapes among them) and
bidirectional overrides are shown as visible escapes, never sent to the terminal.
"""

from __future__ import annotations

import unicodedata

from ..results import Cell, Grid

_SAFE = {c: f"\\x{c:02x}" for c in (*range(0x20), 0x7F, *range(0x80, 0xA0))}
_SAFE.update({0x09: "\\t", 0x0A: "\\n", 0x0D: "\\r", 0x1B: "\\e"})
_SAFE.update({c: f"\\u{c:04x}" for c in (0x061C, 0x200E, 0x200F, *range(0x202A, 0x202F), *range(0x2066, 0x206A))})

RESET = "\x1b[0m"
STYLE = {
    "conflict": "\x1b[1;31m",
    "agreement": "\x1b[32m",
    "partial": "\x1b[33m",
    "single": "\x1b[36m",
    "agree": "\x1b[32m",
    "left-only": "\x1b[35m",
    "right-only": "\x1b[34m",
    "asserts": "\x1b[32m",
    "denies": "\x1b[35m",
    "qualifies": "\x1b[33m",
    "inconsistent": "\x1b[1;31m",
}


def term_safe(text: str) -> str:
    """Control characters and bidi overrides as visible escapes (``\\e[31m``, ``\\u202e``)."""
    return text.translate(_SAFE)


def width(text: str) -> int:
    """Columns a string takes in a terminal (wide East Asian characters count two)."""
    if text.isascii():
        return len(text)
    return sum(0 if unicodedata.combining(ch) else 2 if unicodedata.east_asian_width(ch) in "WF" else 1 for ch in text)


def truncate(text: str, limit: int) -> str:
    if width(text) <= limit:
        return text
    out = ""
    for ch in text:
        if width(out + ch) > limit - 1:
            break
        out += ch
    return out + "…"


def _cell_text(cell: Cell, compact: bool) -> str:
    if cell.kind in ("topic", "none", "actor", "count", "") or not cell.mark:
        return term_safe(cell.text)
    if compact or cell.mark == cell.text:
        return cell.mark
    return f"{cell.mark} {cell.text}"


def render_text(grid: Grid, color: bool = False, width_limit: int | None = None, *, width: int | None = None) -> str:
    """Aligned table with the summary first; ``width`` fits it to a terminal when given."""
    limit = width if width is not None else width_limit
    headers = [term_safe(h) for h in grid.headers]
    compact = False
    texts = [[_cell_text(c, compact) for c in row] for row in grid.rows]
    widths = _widths(headers, texts)
    if limit and sum(widths) + 2 * len(widths) > limit:
        compact = True
        texts = [[_cell_text(c, compact) for c in row] for row in grid.rows]
        widths = _widths(headers, texts)
    # the topic label is the flexible column: cut it to fit what remains
    label_col = grid.key_columns - 1
    if limit and grid.rows and sum(widths) + 2 * len(widths) > limit:
        room = limit - (sum(widths) - widths[label_col]) - 2 * len(widths)
        widths[label_col] = max(12, room)
        for row in texts:
            row[label_col] = truncate(row[label_col], widths[label_col])
        headers[label_col] = truncate(headers[label_col], widths[label_col])
    lines = [term_safe(grid.summary), ""]
    lines.append(_line(headers, widths, [None] * len(headers), color, bold=True))
    for row, cells in zip(texts, grid.rows, strict=True):
        lines.append(_line(row, widths, [c.kind for c in cells], color))
    if compact:
        lines += [
            "",
            "+ asserts  - denies  ~ qualifies  ± inconsistent   verdicts: ! conflict  = agreement  ~ partial  · single",
        ]
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
