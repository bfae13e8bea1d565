"""LaTeX tables: a booktabs ``tabular`` that compiles in a plain article with pdflatex.

Every special character is escaped, so no corpus string can run a command (``\\input``,
``\\write18``); characters a default pdflatex cannot typeset are written as ``[U+XXXX]``.
"""

from __future__ import annotations

from ..results import Result
from .grid import Grid, grid_of, several_grids

_MAP = {
    "\\": r"\textbackslash{}",
    "{": r"\{",
    "}": r"\}",
    "$": r"\$",
    "&": r"\&",
    "#": r"\#",
    "^": r"\textasciicircum{}",
    "_": r"\_",
    "~": r"\textasciitilde{}",
    "%": r"\%",
    "<": r"\textless{}",
    ">": r"\textgreater{}",
    "|": r"\textbar{}",
    '"': "''",  # a closing double quote: \textquotedbl needs T1 fonts, not in a plain article
    "\u2018": "`",
    "\u2019": "'",
    "\u201c": "``",
    "\u201d": "''",
    "\u2013": "--",
    "\u2014": "---",
    "\u2026": r"\ldots{}",
    "\u00a0": "~",
    "\u00a7": r"\S{}",
    "\u00b1": r"$\pm$",
    "\u00b7": r"$\cdot$",
    "\u2022": r"\textbullet{}",
    "\u20ac": r"\texteuro{}",
    "\n": " ",
    "\r": " ",
    "\t": " ",
}


# Latin-1 characters a plain article (OT1 fonts) cannot typeset; T1 would, but SPEC promises a
# plain article, so these take the [U+XXXX] fallback like anything beyond Latin-1.
_NOT_IN_OT1 = frozenset("\u00ab\u00bb\u00d0\u00de\u00f0\u00fe\u00ad")


def latex_escape(text: str) -> str:
    out = []
    for ch in text:
        mapped = _MAP.get(ch)
        if mapped is not None:
            out.append(mapped)
        elif " " <= ch <= "~" or ("\u00a1" <= ch <= "\u00ff" and ch not in _NOT_IN_OT1):  # ASCII, Latin-1
            out.append(ch)
        else:
            out.append(f"[U+{ord(ch):04X}]")
    return "".join(out)


def render_latex(grid: Grid) -> str:
    """A ``tabular`` with booktabs rules; needs ``\\usepackage{booktabs}`` in the preamble."""
    spec = "l" * grid.key_columns + "l" * (len(grid.headers) - grid.key_columns)
    lines = [
        f"% {latex_escape(grid.summary)}",
        "% requires \\usepackage{booktabs}",
        f"\\begin{{tabular}}{{{spec}}}",
        "\\toprule",
        " & ".join(f"\\textbf{{{latex_escape(h)}}}" for h in grid.headers) + " \\\\",
        "\\midrule",
    ]
    for row in grid.rows:
        line = " & ".join(latex_escape(c.text) for c in row)
        # '[' or '*' opening a row would be taken as an argument of the \\ or \midrule before it
        lines.append(("{}" + line if line.startswith(("[", "*")) else line) + " \\\\")
    lines += ["\\bottomrule", "\\end{tabular}"]
    return "\n".join(lines) + "\n"


def render(result: Result) -> str:
    grids = several_grids(result)
    if grids is None:
        return render_latex(grid_of(result))
    return "\n\\medskip\n\n".join(render_latex(g) for g in grids)
