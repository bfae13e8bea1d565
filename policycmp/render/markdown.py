"""Markdown pipe tables (GitHub and pandoc) via tabulate, with every cell escaped."""

from __future__ import annotations

import re

from ..results import Result
from .grid import Grid, grid_of, several_grids

# Backslash-escape the ASCII punctuation that means something inline (CommonMark and pandoc
# both accept a backslash before any ASCII punctuation); raw HTML cannot start with '\<'.
_SPECIAL = re.compile(r"([\\`*_{}\[\]<>#|~^$@&])")
_NEWLINES = re.compile(r"[\r\n\u2028\u2029\x0b\x0c\x85]+")
_CONTROL = re.compile(r"[\x00-\x08\x0e-\x1f\x7f-\x84\x86-\x9f]")


def md_escape(text: str) -> str:
    text = _CONTROL.sub("\ufffd", _NEWLINES.sub(" ", text))
    return _SPECIAL.sub(r"\\\1", text).strip()


def render_markdown(grid: Grid) -> str:
    from tabulate import tabulate

    rows = [[md_escape(c.text) for c in row] for row in grid.rows]
    headers = [md_escape(h) or " " for h in grid.headers]
    table = tabulate(rows, headers=headers, tablefmt="pipe", disable_numparse=True)
    if not rows:
        table = "| " + " | ".join(headers) + " |\n|" + "|".join("---" for _ in headers) + "|"
    return f"{md_escape(grid.summary)}\n\n{table}\n"


def render(result: Result) -> str:
    grids = several_grids(result)
    if grids is None:
        return render_markdown(grid_of(result))
    sections = "\n".join(f"### {g.title}\n\n{render_markdown(g).rstrip()}\n" for g in grids)
    return f"{md_escape(result.summary_line())}\n\n{sections}"
