"""Grids: each result as the headers and styled cells that every tabular format draws.

A :class:`Grid` is what the text, Markdown, LaTeX and HTML renderers share; :func:`grid_of`
builds it from any result. Marks, words and style classes come from the vocabulary.
"""

from __future__ import annotations

import math
from collections.abc import Callable
from typing import Any

from ..results import (
    AgreementResult,
    Cell,
    ClaimsResult,
    DiffResult,
    Grid,
    ListingResult,
    QuotesResult,
    Result,
    TableResult,
    clean,
    plural,
    quote_place,
)
from ..vocabulary import POSITIONS, QUOTE_STATUSES, STATUSES, VERDICTS

__all__ = ["Cell", "Grid", "grid_of", "several_grids"]


def _table_grid(result: TableResult) -> Grid:
    names = result.corpus.actors
    rows = []
    for topic, rec in zip(result.frame.index, result.frame.to_dict("records"), strict=True):
        verdict = rec["verdict"]
        row = [Cell(rec["label"], "topic", str(topic)), Cell(verdict, verdict, VERDICTS[verdict].mark)]
        for actor in result.actors:
            pos = rec[actor]
            row.append(Cell(pos, pos, POSITIONS[pos].mark) if pos else Cell("", "none"))
        rows.append(row)
    notes = [
        f"{names[a].name} both asserts and denies '{result.corpus.topics[t].label}'" for a, t in result.inconsistent
    ]
    return Grid(
        title=result.corpus.case.title,
        summary=result.summary_line(),
        headers=["topic", "verdict", *result.actors],
        rows=rows,
        notes=notes,
    )


def _diff_grid(result: DiffResult) -> Grid:
    rows = []
    for topic, rec in zip(result.frame.index, result.frame.to_dict("records"), strict=True):
        status = rec["status"]
        row = [Cell(STATUSES[status].mark, status, STATUSES[status].mark), Cell(rec["label"], "topic", str(topic)),
               Cell(status, status, STATUSES[status].mark)]  # fmt: skip
        for side in ("left", "right"):
            pos = rec[side]
            row.append(Cell(pos, pos, POSITIONS[pos].mark) if pos else Cell("", "none"))
        rows.append(row)
    return Grid(
        title=f"{result.left_label or result.left} vs {result.right_label or result.right}",
        summary=result.summary_line(),
        headers=["", "topic", "status", result.left_label or result.left, result.right_label or result.right],
        rows=rows,
        key_columns=2,
    )


def _agreement_grid(result: AgreementResult) -> Grid:
    summary = result.summary_line()
    notes = [f"each cell: score (topics both address); n<{result.min_shared}: too few shared topics for a score"]
    if len(result.actors) > result.max_matrix:
        rows = [
            [Cell(r["left"], "actor"), Cell(r["right"], "actor"), _score_cell(result, r["score"], None),
             *(Cell(str(int(r[k])), "count") for k in ("agree", "conflict", "partial", "shared"))]
            for r in result.frame.to_dict("records")
        ]  # fmt: skip
        headers = ["left", "right", "score", "agree", "conflict", "partial", "shared"]
        return Grid("Agreement between actors", summary, headers, rows, key_columns=2)
    values = result.matrix.to_numpy()
    shared = result.shared_square().to_numpy()
    rows = []
    for i, actor in enumerate(result.actors):
        row = [Cell(actor, "actor")]
        for j in range(len(result.actors)):
            row.append(Cell("", "none") if i == j else _score_cell(result, values[i, j], int(shared[i, j])))
        rows.append(row)
    return Grid("Agreement between actors", summary, ["actor", *result.actors], rows, notes=notes)


def _score_cell(result: AgreementResult, score: float | None, shared: int | None) -> Cell:
    """``+0.83 (6)``; below the minimum ``n<3 (2)``; without a count, the score alone."""
    count = f" ({shared})" if shared is not None else ""
    if score is None or (isinstance(score, float) and math.isnan(score)):
        return Cell(f"n<{result.min_shared}{count}" if shared is not None else "", "none")
    kind = "agreement" if score > 0.33 else "conflict" if score < -0.33 else "partial"
    return Cell(f"{score:+.2f}{count}", kind)


_CLAIM_GRID = ("actor", "claim", "topic", "stance", "date", "summary")


def _claims_grid(result: ClaimsResult) -> Grid:
    columns = [*_CLAIM_GRID, *(["quote_status"] if "quote_status" in result.frame else [])]
    rows = []
    for r in result.frame[columns].to_dict("records"):
        row = [Cell(str(r["actor"]), "actor"), Cell(str(r["claim"]), "topic"), Cell(str(r["topic"]), "topic"),
               Cell(r["stance"], r["stance"], POSITIONS[r["stance"]].mark), Cell(clean(r["date"]) or "", "count"),
               Cell(str(r["summary"]), "topic")]  # fmt: skip
        if "quote_status" in r:
            status = clean(r["quote_status"])
            row.append(
                Cell(status, QUOTE_STATUSES[status].style, QUOTE_STATUSES[status].mark) if status else Cell("", "none")
            )
        rows.append(row)
    summary = f"{plural(len(result.frame), 'claim')} from {plural(result.frame['actor'].nunique(), 'actor')}"
    return Grid("Claims", summary, columns, rows, key_columns=2)


def _listing_grid(result: ListingResult) -> Grid:
    rows = [
        [Cell(", ".join(v) if isinstance(v, list) else "" if v is None else str(v), "topic" if i else "actor")
         for i, v in enumerate(r[c] for c in result.columns)]
        for r in result.records
    ]  # fmt: skip
    return Grid("", f"{plural(len(rows), 'item')}", list(result.columns), rows)


def _quotes_grid(result: QuotesResult) -> Grid:
    rows = []
    for r in result.frame.to_dict("records"):
        status = r["status"]
        where = ""
        if status == "verified":
            where = f"{r['text']}:{clean(r['line'])}"
            if clean(r["page"]) is not None:
                where = f"{r['text']}, {quote_place(r['page'], r['line'])}"
        elif status == "not-found":
            where = f"{r['similarity']:.0%} like ({quote_place(r['page'], r['line'])}): {r['closest']}"
        if status != "no-text" and r.get("format") == "html":
            where += " [HTML: CSS hiding not detected]"
        term = QUOTE_STATUSES[status]
        rows.append([
            Cell(str(r["actor"]), "actor"), Cell(str(r["claim"]), "topic"),
            Cell(status, term.style, term.mark), Cell(where, "topic"),
        ])  # fmt: skip
    summary = result.summary
    parts = ", ".join(f"{n} {s}" for s, n in summary.items())
    line = f"{plural(sum(summary.values()), 'quote')}: {parts}"
    if result.statuses is not None and set(result.statuses) != set(summary):
        line += f"; showing {', '.join(result.statuses)}: {len(rows)}"
    return Grid("Quotes", line, ["actor", "claim", "status", "where"], rows, key_columns=2)


_BUILDERS: dict[type[Result], Callable[[Any], Grid]] = {
    TableResult: _table_grid,
    DiffResult: _diff_grid,
    AgreementResult: _agreement_grid,
    ClaimsResult: _claims_grid,
    ListingResult: _listing_grid,
    QuotesResult: _quotes_grid,
}


def grid_of(result: Result) -> Grid:
    """The grid of any result (a subclass is drawn like the result it extends)."""
    for kind in type(result).__mro__:
        build = _BUILDERS.get(kind)
        if build is not None:
            return build(result)
    if type(result).grid is not Result.grid:  # a result that draws its own grid
        grid: Grid = result.grid()
        return grid
    raise TypeError(f"no grid for {type(result).__name__}; add one to policycmp/render/grid.py")


def several_grids(result: Result) -> list[Grid] | None:
    """The tables of a result drawn as several (reliability), or None for a one-table result."""
    several = getattr(result, "grids", None)
    return list(several()) if callable(several) else None
