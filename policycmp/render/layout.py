"""How wide a table's columns are on a page: estimates from Latin Modern's metrics.

The LaTeX, Typst and Markdown (pandoc) renderers share one layout: which columns wrap (the
free-text ones: topic labels, claim summaries), how wide each is, and whether positions must
shrink to their marks (``+ - ~ ±``) for the table to fit a default a4 article's line.
"""

from __future__ import annotations

import math
import re

from ..vocabulary import POSITIONS, VERDICTS, marks
from .grid import Cell, Grid
from .latex_letters import BOLD, REGULAR

VERDICT_MARK = marks(VERDICTS)
LABEL = re.compile(r"[A-Za-z0-9:._-]+")


# sizes, in ems of the body font (Latin Modern 10 pt: a default article's \linewidth is 34.5 em)

LINEWIDTH = 34.5
TABCOLSEP = 0.6  # 6 pt each side of every column
MIN_WRAP = 6.0  # a wrapping column narrower than this reads as a column of syllables
COMFORTABLE = 10.0  # below this, the text of a wrapping column is set smaller (\small, \footnotesize)
# Latin Modern's 9 pt and 8 pt designs are wider than its 10 pt one scaled down, and so is
# their em (9.25 pt and 8.5 pt): measured in their own ems, their widths are the 10 pt ones
EM_PT = {1.0: 10.0, 0.9: 9.25, 0.8: 8.5}
OPTICAL = {1.0: 1.0, 0.9: 1.005, 0.8: 1.005}
LINES_PER_PAGE = 40  # rows of a default a4 article page, less room for a caption


def text_width(text: str, bold: bool = False) -> float:
    """Width of ``text`` in ems, from Latin Modern's metrics (non-ASCII: as wide as an 'n')."""
    table = BOLD if bold else REGULAR
    n = table[ord("n") - 32]
    return sum(table[ord(ch) - 32] if " " <= ch <= "~" else n for ch in text) / 1000


BREAKS = re.compile(r"(?<=-)|\s+")  # TeX breaks lines at spaces and after hyphens


def longest_word(text: str, bold: bool = False) -> float:
    return max((text_width(w, bold) for w in BREAKS.split(text)), default=0.0)


def shrinks(cell: Cell) -> bool:
    """A position cell that is only the position's word: it may show the mark instead."""
    return cell.kind in POSITIONS and cell.text == cell.kind


def _free_text(cell: Cell) -> bool:
    """A cell whose text may wrap: a label or summary, or a position with more than its word."""
    return cell.kind in ("topic", "none") or (cell.kind in POSITIONS and not shrinks(cell))


class Layout:
    """Column widths for a grid: natural, wrapped to the line, or wrapped with position marks.

    Widths are in ems; columns are separated by ``2\\tabcolsep`` (by ``\\tabcolsep`` once
    positions shrink to marks) with no space outside the first and last column, as booktabs
    tables are set.
    """

    def __init__(
        self, grid: Grid, linewidth: float = LINEWIDTH, smaller: bool = True, pandoc: bool = False, start: int = 0
    ) -> None:
        """``smaller``: the text may be set smaller (our LaTeX); ``pandoc``: columns keep their
        ``2\\tabcolsep`` between them with marks too (pandoc's own LaTeX tables); ``start``:
        skip that many of the steps (words, marks, smaller text, verdict marks).
        """
        rows = grid.rows
        ncols = len(grid.headers)
        self.wrap = [
            i
            for i in range(ncols)
            if rows and all(_free_text(r[i]) for r in rows) and any(r[i].kind != "none" for r in rows)
        ]
        self.bold = not pandoc  # pandoc's header row is not bold
        marks = any(shrinks(c) for r in rows for c in r)
        self.verdict_cols = [
            i
            for i in range(ncols)
            if rows and all(r[i].mark and r[i].mark == VERDICT_MARK.get(r[i].kind) for r in rows)
        ]
        verdicts = pandoc and bool(self.verdict_cols)
        steps = [(False, False, 1.0), *([(True, False, 1.0)] if marks else [])]
        steps += [(marks, False, 0.9), (marks, False, 0.8)] if smaller else []
        steps += [(marks, True, 1.0)] if verdicts else []  # pandoc cannot set the text smaller: verdicts too
        self.last = start >= len(steps) - 1
        for compact, verdict_marks, scale in steps[min(start, len(steps) - 1) :]:
            self.compact, self.verdicts, self.scale = compact, verdict_marks, scale
            self.natural = self._natural(grid)
            # widths in ems of the table's font: \linewidth and \tabcolsep do not scale with it
            seps = (1 if compact and not pandoc else 2) * (ncols - 1)
            self.room = (linewidth - seps * TABCOLSEP) * 10 / EM_PT[scale]
            self.fixed = sum(w for i, w in enumerate(self.natural) if i not in self.wrap)
            longest = {i: max(MIN_WRAP, *(longest_word(r[i].text) * OPTICAL[scale] for r in rows)) for i in self.wrap}
            self.floor = {i: min(self.natural[i], longest[i]) for i in self.wrap}
            comfortable = sum(min(self.natural[i], max(longest[i], COMFORTABLE)) for i in self.wrap)
            self.fits = self.fixed + sum(self.natural[i] for i in self.wrap) <= self.room
            if self.fits or self.fixed + (comfortable if smaller else sum(self.floor.values())) <= self.room:
                break
        self.free = max(self.room - self.fixed, sum(self.floor.values()))
        self.width = self._widths()

    def _natural(self, grid: Grid) -> list[float]:
        # a header may break after its hyphens (a stacked header) when its cells are narrower
        widths = [longest_word(h, bold=self.bold) for h in grid.headers]
        for row in grid.rows:
            for i, cell in enumerate(row):
                if self.compact and shrinks(cell):
                    w = 0.78
                elif self.verdicts and i in self.verdict_cols:
                    w = text_width(cell.mark)
                else:
                    w = text_width(cell.text)
                widths[i] = max(widths[i], w)
        return [w * OPTICAL[self.scale] for w in widths]

    def _widths(self) -> dict[int, float]:
        """Each wrapping column's width: its longest word at least, the rest shared by need."""
        width = dict(self.floor)
        spare = self.free - sum(width.values())
        want = {i: self.natural[i] - width[i] for i in self.wrap}
        while spare > 1e-6 and any(v > 1e-6 for v in want.values()):
            total = sum(v for v in want.values() if v > 1e-6)
            step = spare
            for i, v in want.items():
                if v > 1e-6:
                    give = min(v, step * v / total)
                    width[i] += give
                    want[i] -= give
                    spare -= give
        if spare > 1e-6:  # every column at its natural width: let them all take the rest
            for i in self.wrap:
                width[i] += spare / len(self.wrap)
        return width

    def lines(self, grid: Grid) -> int:
        """Estimated body lines, for choosing a longtable."""
        if self.fits:
            return len(grid.rows)
        return sum(
            max((math.ceil(text_width(row[i].text) * 1.15 / self.width[i]) for i in self.wrap), default=1)
            for row in grid.rows
        )


def check_label(label: str | None, caption: str | None) -> None:
    """A label is a LaTeX/Typst/pandoc key of ``[A-Za-z0-9:._-]+`` and names a caption."""
    if label is None:
        return
    if not LABEL.fullmatch(label):
        raise ValueError(f"label {label!r}: use only letters, digits and : . _ - (for example tab:positions)")
    if caption is None:
        raise ValueError("a label names a caption: give --caption as well")
