"""LaTeX tables that fit the page: booktabs rules, wrapping columns sized to ``\\linewidth``.

A table whose columns fit a default a4 article at their natural width stays a plain ``tabular``;
a wider one wraps its free-text columns (topic labels, claim summaries) in ``tabularx``'s ``X``
columns, or in ``p{}`` columns when it is a ``longtable`` (chosen for tables longer than a page).
When even that does not fit, positions shrink to their marks (``+ - ~ ±``) with a legend line.

Every special character is escaped, so no corpus string can run a command (``\\input``,
``\\write18``). Letters that pdflatex sets with the README's preamble (``fontenc`` T1, ``inputenc``
utf8, ``lmodern``) are written as themselves (``Łódź``); anything else as ``[U+XXXX]``.
"""

from __future__ import annotations

import bisect
import unicodedata
from typing import Literal

from ..results import Result
from .grid import Cell, Grid, grid_of, several_grids
from .latex_letters import LETTER_RANGES
from .layout import BREAKS, LINES_PER_PAGE, OPTICAL, Layout, check_label, shrinks, text_width

PREAMBLE = (
    "\\usepackage[T1]{fontenc}\n\\usepackage[utf8]{inputenc}\n\\usepackage{lmodern}\n"
    "\\usepackage{booktabs,longtable,array,tabularx}\n"
)
LatexEnv = Literal["auto", "tabular", "longtable"]

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
    '"': r"\textquotedbl{}",
    "\u00a0": "~",
    "\u00ad": r"\-",
}
# pairs T1 fonts would join into another character (-- is a dash, '' a quote, ,, a low quote)
_LIGATURE_PAIRS = frozenset({"--", "``", "''", ",,", "!`", "?`"})
_STARTS = [a for a, _ in LETTER_RANGES]


def settable(ch: str) -> bool:
    """Whether pdflatex sets ``ch`` with the README preamble (ASCII is escaped separately)."""
    code = ord(ch)
    i = bisect.bisect_right(_STARTS, code) - 1
    return i >= 0 and LETTER_RANGES[i][0] <= code <= LETTER_RANGES[i][1]


# pdflatex reads at most 200,000 characters of a line ("Unable to read an entire line"); longer
# text is broken into source lines of about this many characters, between escaped characters.
LINE_CHARS = 1000


def latex_escape(text: str, line_break: str = "%\n") -> str:
    """``text`` escaped for LaTeX; every ``LINE_CHARS`` output characters ``line_break`` starts
    a new source line (``%`` ends the line without adding a space, so the text is unchanged;
    the break comes after a space rather than before one, which TeX would skip)."""
    out = []
    prev = ""
    length = 0
    text = unicodedata.normalize("NFC", text)
    last = len(text) - 1
    for i, ch in enumerate(text):
        mapped = _MAP.get(ch)
        if prev + ch in _LIGATURE_PAIRS:
            out.append("{}")
        if mapped is None:
            if " " <= ch <= "~" or settable(ch):
                mapped = ch
            elif ch.isspace():
                mapped = " "
            else:
                mapped = f"[U+{ord(ch):04X}]"
        out.append(mapped)
        prev = ch
        length += len(mapped)
        if length >= LINE_CHARS and (i == last or not text[i + 1].isspace() or mapped == " "):
            out.append(line_break)
            length = 0
    return "".join(out)


def _header(text: str, width: float) -> str:
    """A bold header cell; one too wide for its column stacked at spaces and hyphens."""
    if text_width(text, bold=True) <= width + 1e-6:
        return f"\\textbf{{{latex_escape(text)}}}"
    lines: list[str] = []
    for piece in BREAKS.split(text):
        if lines and text_width(lines[-1] + piece, bold=True) <= width + 1e-6:
            lines[-1] += piece if lines[-1].endswith("-") else " " + piece
        elif piece:
            lines.append(piece)
    stacked = "\\\\".join(f"\\textbf{{{latex_escape(line)}}}" for line in lines)
    return f"\\begin{{tabular}}[b]{{@{{}}l@{{}}}}{stacked}\\end{{tabular}}"


_MATH_MARK = {"+": "$+$", "-": "$-$", "~": "$\\sim$", "±": "$\\pm$"}
SIZES = {1.0: "", 0.9: "\\small", 0.8: "\\footnotesize"}
LEGEND = "$+$ asserts\\quad $-$ denies\\quad $\\sim$ qualifies\\quad $\\pm$ inconsistent"


def _cell(cell: Cell, compact: bool) -> str:
    if compact and shrinks(cell):
        return _MATH_MARK[cell.mark]
    return latex_escape(cell.text)


def render_latex(grid: Grid, env: LatexEnv = "auto", caption: str | None = None, label: str | None = None) -> str:
    """The table as LaTeX; needs the README's preamble (booktabs, longtable, array, tabularx)."""
    check_label(label, caption)
    layout = Layout(grid)
    ncols = len(grid.headers)
    long = env == "longtable" or (env == "auto" and layout.lines(grid) > LINES_PER_PAGE)
    wrap_env = not layout.fits and bool(layout.wrap)
    ragged = ">{\\raggedright\\arraybackslash}"
    total = sum(layout.width.values())
    spec = ["@{}"]
    for i in range(ncols):
        if i:
            spec.append("@{\\hspace{\\tabcolsep}}" if layout.compact else "")
        if i not in layout.wrap or not wrap_env:
            spec.append("c" if layout.compact and any(shrinks(r[i]) for r in grid.rows) else "l")
        elif long:
            seps = (ncols - 1) * (1 if layout.compact else 2)
            share = round(layout.width[i] / total * 1000)
            spec.append(
                f"{ragged}p{{\\dimexpr(\\linewidth-{layout.fixed:.2f}em-{seps}\\tabcolsep)*{share}/1000\\relax}}"
            )
        else:
            factor = layout.width[i] / total * len(layout.wrap)
            spec.append(f"{ragged}>{{\\hsize={factor:.3f}\\hsize}}X")
    spec.append("@{}")
    head = " & ".join(
        f"\\textbf{{{latex_escape(h)}}}" if i in layout.wrap else _header(h, layout.natural[i] / OPTICAL[layout.scale])
        for i, h in enumerate(grid.headers)
    )
    head += " \\\\"
    body = []
    for row in grid.rows:
        line = " & ".join(_cell(c, layout.compact) for c in row)
        # '[' or '*' opening a row would be taken as an argument of the \\ or \midrule before it
        body.append(("{}" + line if line.startswith(("[", "*")) else line) + " \\\\")
    legend = [f"\\multicolumn{{{ncols}}}{{@{{}}l}}{{\\footnotesize {LEGEND}}} \\\\"] if layout.compact else []
    cap = f"\\caption{{{latex_escape(caption)}}}" if caption is not None else ""
    lab = f"\\label{{{label}}}" if label is not None else ""
    size = SIZES[layout.scale]
    lines = [
        f"% {latex_escape(grid.summary, line_break=chr(10) + '% ')}",
        "% needs \\usepackage{booktabs,longtable,array,tabularx}",
    ]
    if long:
        if size:
            lines.append(f"\\begingroup{size}")
        lines.append(f"\\begin{{longtable}}{{{''.join(spec)}}}")
        if cap:
            lines.append(f"{cap}{lab} \\\\")
        lines += ["\\toprule", head, "\\midrule", "\\endfirsthead"]
        lines += [f"\\multicolumn{{{ncols}}}{{@{{}}l}}{{\\footnotesize\\itshape continued}} \\\\"]
        lines += ["\\toprule", head, "\\midrule", "\\endhead"]
        lines += ["\\midrule", f"\\multicolumn{{{ncols}}}{{r@{{}}}}{{\\footnotesize\\itshape continued overleaf}} \\\\"]
        lines += ["\\endfoot", "\\bottomrule", *legend, "\\endlastfoot", *body, "\\end{longtable}"]
        if size:
            lines.append("\\endgroup")
        return "\n".join(lines) + "\n"
    if cap:
        lines += ["\\begin{table}[htbp]", "\\centering", f"{cap}{lab}", "\\smallskip"]  # article sets no space below
    if size:
        lines.append(size if cap else f"\\begingroup{size}")
    if wrap_env:
        if not cap:
            lines.append("\\noindent")
        lines.append(f"\\begin{{tabularx}}{{\\linewidth}}{{{''.join(spec)}}}")
    else:
        lines.append(f"\\begin{{tabular}}{{{''.join(spec)}}}")
    lines += ["\\toprule", head, "\\midrule", *body, "\\bottomrule", *legend]
    lines.append("\\end{tabularx}" if wrap_env else "\\end{tabular}")
    if size and not cap:
        lines.append("\\endgroup")
    if cap:
        lines.append("\\end{table}")
    return "\n".join(lines) + "\n"


def render(result: Result, env: LatexEnv = "auto", caption: str | None = None, label: str | None = None) -> str:
    """The result's table (or tables, one after another; a caption and label go to the first)."""
    grids = several_grids(result)
    if grids is None:
        return render_latex(grid_of(result), env, caption, label)
    return "\n\\medskip\n\n".join(
        render_latex(g, env, *((caption, label) if i == 0 else (None, None))) for i, g in enumerate(grids)
    )
