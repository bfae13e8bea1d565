"""Results in a notebook: an HTML table with its own scoped styles, and a short plain text.

Jupyter puts a result's HTML into a page whose stylesheet already styles every table
(JupyterLab right-aligns cells, fixes the layout, stripes and tints rows on hover). The styles
here are scoped to one element id, so they win over those rules without touching the rest of
the notebook, and every verdict, status or position is a chip that carries both its colours,
dark on light, at WCAG AA contrast (4.5:1 and more) in light and dark themes alike, with its
mark (``! = ~ + -``) so that it also reads in greyscale.
"""

from __future__ import annotations

import hashlib
from html import escape

from ..results import Result
from .grid import Grid, grid_of, several_grids

MAX_ROWS = 200  # a larger result shows this many rows and says how many more there are

# (text, background) of each style class the vocabulary gives a word (tests/test_records.py checks
# that every style has one); contrast from 7.8:1 to 9.4:1
CHIP = {
    "conflict": ("#7f1d1d", "#fee2e2"),
    "inconsistent": ("#7f1d1d", "#fee2e2"),
    "agreement": ("#14532d", "#dcfce7"),
    "agree": ("#14532d", "#dcfce7"),
    "asserts": ("#14532d", "#dcfce7"),
    "partial": ("#713f12", "#fef3c7"),
    "qualifies": ("#713f12", "#fef3c7"),
    "single": ("#1e3a8a", "#dbeafe"),
    "right-only": ("#1e3a8a", "#dbeafe"),
    "denies": ("#701a75", "#fae8ff"),
    "left-only": ("#581c87", "#f3e8ff"),
    "silent": ("#374151", "#f3f4f6"),
}
_PLAIN = frozenset({"topic", "none", "actor", "count", ""})


def _style(scope: str) -> str:
    s = f"#{scope}"
    rules = [
        f"{s}{{display:block;overflow-x:auto;max-width:100%;margin:0.25em 0;text-align:left}}",
        f"{s} table{{border-collapse:collapse;table-layout:auto;width:auto;margin:0;font-size:13px;"
        "line-height:1.45;border:none}",
        f"{s} caption{{caption-side:top;text-align:left;font-weight:600;padding:0 0 4px;color:inherit}}",
        f"{s} th,{s} td{{text-align:left;vertical-align:baseline;padding:3px 8px;border:none;"
        "border-bottom:1px solid rgba(128,128,128,.3);max-width:32em;white-space:normal;"
        "overflow-wrap:anywhere;color:inherit;background:transparent}",
        f"{s} thead th{{font-weight:600;white-space:nowrap;vertical-align:bottom;"
        "border-bottom:1.5px solid currentColor}",
        f"{s} tbody tr,{s} tbody tr:nth-child(odd),{s} tbody tr:nth-child(even),{s} tbody tr:hover"
        "{background:transparent}",
        f"{s} .pcnb-chip{{display:inline-block;white-space:nowrap;padding:0 6px;border-radius:3px;"
        "font-weight:500;line-height:1.5}",
        f"{s} .pcnb-mark{{font-weight:700;margin-right:0.3em}}",
        f"{s} .pcnb-inconsistent,{s} .pcnb-conflict{{font-weight:700}}",
        f"{s} p.pcnb-note{{margin:4px 0 0;font-size:12px;color:inherit}}",
    ]
    rules += [
        f"{s} .pcnb-{kind}{{color:{fg} !important;background:{bg} !important}}" for kind, (fg, bg) in CHIP.items()
    ]
    return "".join(rules)


def render_notebook_html(grid: Grid, max_rows: int = MAX_ROWS) -> str:
    """The grid as one scoped HTML block for Jupyter (``_repr_html_``)."""
    body = []
    for row in grid.rows[:max_rows]:
        cells = []
        for i, cell in enumerate(row):
            text = escape(cell.text)
            if i < grid.key_columns:
                cells.append(f'<th scope="row">{text}</th>')
            elif cell.kind in _PLAIN or cell.kind not in CHIP:
                cells.append(f"<td>{text}</td>")
            else:
                mark = cell.mark if cell.mark and cell.mark != cell.text else ""
                shown = f'<span class="pcnb-mark" aria-hidden="true">{escape(mark)}</span>{text}' if mark else text
                cells.append(f'<td><span class="pcnb-chip pcnb-{cell.kind}">{shown}</span></td>')
        body.append("<tr>" + "".join(cells) + "</tr>")
    scope = "pcnb-" + hashlib.sha256(repr((grid.summary, grid.headers, len(grid.rows))).encode()).hexdigest()[:12]
    head = "".join(f'<th scope="col">{escape(h)}</th>' for h in grid.headers)
    notes = [f'<p class="pcnb-note">{escape(n)}</p>' for n in grid.notes]
    if len(grid.rows) > max_rows:
        more = len(grid.rows) - max_rows
        notes.insert(0, f'<p class="pcnb-note">… and {more} more rows (to_html() and to_text() hold them all)</p>')
    return (
        f'<div class="pcnb" id="{scope}"><style>{_style(scope)}</style>'
        f"<table><caption>{escape(grid.summary)}</caption><thead><tr>{head}</tr></thead>"
        f"<tbody>{''.join(body)}</tbody></table>{''.join(notes)}</div>"
    )


def render(result: Result) -> str:
    """The result's table (or tables) for Jupyter's ``text/html``."""
    grids = several_grids(result)
    return "".join(render_notebook_html(g) for g in (grids if grids is not None else [grid_of(result)]))
