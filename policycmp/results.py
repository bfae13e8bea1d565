"""Result objects: what a comparison computed, as plain data that every format renders from.

Each result holds a ``.frame`` DataFrame, its summary counts and line, ``to_dict()`` (the JSON
shapes in the README) and ``csv_frame()`` (the tidy table). How a result looks is decided above
it, in ``policycmp.render`` (``render/grid.py`` turns each result into headers and styled cells);
no renderer recomputes the comparison.
"""

from __future__ import annotations

import math
from collections.abc import Iterator
from dataclasses import dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING, Any

from . import hooks
from .output import write_atomic
from .vocabulary import QUOTE_STATUS_WORDS, STATUS_WORDS, STATUSES, VERDICT_WORDS

if TYPE_CHECKING:
    import pandas as pd

    from .loader import CorpusData
    from .problems import Problem


def clean(value: Any) -> Any:
    """NaN/NA/None -> None; numpy scalars -> Python (for JSON)."""
    if value is None or (isinstance(value, float) and math.isnan(value)):
        return None
    if type(value).__name__ == "NAType":  # pandas.NA, without importing pandas here
        return None
    if hasattr(value, "item"):
        return value.item()
    return value


class Result:
    """What every result offers: ``to_dict()`` (the JSON shape), ``csv_frame()`` (the tidy table),
    and, for convenience, rendering by format name through the renderers in ``policycmp.render``."""

    frame: pd.DataFrame

    def to_dict(self) -> Any:
        raise NotImplementedError

    def csv_frame(self) -> pd.DataFrame:
        return self.frame.reset_index()

    def summary_line(self) -> str:
        return str(self.grid().summary)

    def grid(self) -> Any:
        """The table every tabular format draws: a ``policycmp.render.grid.Grid``, built there.

        Typed ``Any``: naming ``Grid`` here, even for type checking only, would import the
        renderers from below them (tests/test_layers.py reads every import)."""
        return hooks.grid(self)

    def render(self, fmt: str, **options: Any) -> str:
        """Render by format name: one of ``policycmp.render.FORMATS`` (text, md, latex, html, csv, json)."""
        return hooks.render(self, fmt, **options)

    def to_json(self, indent: int | None = 2) -> str:
        return self.render("json", indent=indent)

    def to_text(self, color: bool = False, width: int | None = None) -> str:
        return self.render("text", color=color, width=width)

    def to_markdown(self, caption: str | None = None, label: str | None = None) -> str:
        """A pipe table sized for pandoc's PDF and Word output; ``caption`` as pandoc's table caption."""
        return self.render("md", caption=caption, label=label)

    def to_latex(self, env: str = "auto", caption: str | None = None, label: str | None = None) -> str:
        """LaTeX sized to ``\\linewidth``; ``env`` tabular, longtable or auto (longtable when long)."""
        return self.render("latex", env=env, caption=caption, label=label)

    def to_typst(self, caption: str | None = None, label: str | None = None) -> str:
        """A Typst ``#table`` (in a breakable ``#figure`` when captioned)."""
        return self.render("typst", caption=caption, label=label)

    def to_html(self) -> str:
        return self.render("html")

    def to_csv(self, escape_formulas: bool = True) -> str:
        return self.render("csv", escape_formulas=escape_formulas)

    # -- in a notebook and at the Python prompt: the table, never a dump of the fields

    def __str__(self) -> str:
        grid = self.grid()
        if len(grid.rows) > MAX_TEXT_ROWS:
            return f"{grid.summary} ({len(grid.rows)} rows: .to_text() shows them all)\n"
        return self.to_text()

    def __repr__(self) -> str:
        return str(self)

    def _repr_html_(self) -> str:
        """Scoped HTML with verdict chips that keep their contrast inside Jupyter's CSS."""
        return self.render("html", notebook=True)

    def _repr_markdown_(self) -> str:
        """The pandoc-ready pipe table (nbconvert --to markdown, Quarto)."""
        return self.to_markdown()

    def _repr_latex_(self) -> str:
        """A longtable (nbconvert's LaTeX template loads longtable, booktabs and array, not tabularx)."""
        return self.to_latex(env="longtable")

    def save(self, path: str | Path, fmt: str, **options: Any) -> None:
        write_atomic(Path(path), self.render(fmt, **options))


MAX_TEXT_ROWS = 500  # str() of a larger result is its summary line


def _counts(values: Iterator[str] | list[str], order: tuple[str, ...]) -> dict[str, int]:
    counts = dict.fromkeys(order, 0)
    for v in values:
        counts[v] = counts.get(v, 0) + 1
    return counts


def plural(n: int, word: str) -> str:
    return f"{n} {word}" if n == 1 else f"{n} {word}s"


_plural, _clean = plural, clean  # the names other modules import


@dataclass(repr=False)
class TableResult(Result):
    """The topic x actor matrix: per topic its label, group, verdict and each actor's position."""

    corpus: CorpusData
    frame: pd.DataFrame
    actors: list[str]
    claims: pd.DataFrame
    as_of: str | None = None

    @property
    def summary(self) -> dict[str, int]:
        counts = _counts(list(self.frame["verdict"]), VERDICT_WORDS)
        if not counts["silent"]:
            del counts["silent"]
        return counts

    @property
    def inconsistent(self) -> list[tuple[str, str]]:
        """(actor, topic) pairs where an actor both asserts and denies."""
        rows, cols = (self.frame[self.actors].to_numpy(dtype=object) == "inconsistent").nonzero()  # row-major
        topics = self.frame.index
        return [(self.actors[c], str(topics[r])) for r, c in zip(rows.tolist(), cols.tolist(), strict=True)]

    def summary_line(self) -> str:
        parts = ", ".join(f"{n} {v}" for v, n in self.summary.items() if n)
        head = f"{plural(len(self.frame), 'topic')}, {plural(len(self.actors), 'actor')}"
        when = f" as of {self.as_of}" if self.as_of else ""
        return f"{head}{when}: {parts or 'nothing to compare'}"

    def to_dict(self) -> dict[str, Any]:
        topics = []
        for topic, rec in zip(self.frame.index, self.frame.to_dict("records"), strict=True):
            topics.append(
                {
                    "topic": topic,
                    "label": rec["label"],
                    "group": rec["group"],
                    "verdict": rec["verdict"],
                    "positions": {a: rec[a] for a in self.actors},
                }
            )
        return {"case": self.corpus.case.id, "actors": list(self.actors), "topics": topics}


_DIFF_CLAIM_FIELDS = ("claim", "stance", "summary", "quote", "source", "date")


@dataclass(repr=False)
class DiffResult(Result):
    """Two actors topic by topic: a leading status column, as daff draws a diff."""

    corpus: CorpusData
    frame: pd.DataFrame
    left: str
    right: str
    claims: pd.DataFrame
    as_of: str | None = None
    left_label: str | None = None
    right_label: str | None = None

    @property
    def summary(self) -> dict[str, int]:
        return _counts(list(self.frame["status"]), STATUS_WORDS)

    @property
    def has_conflict(self) -> bool:
        return self.summary["conflict"] > 0

    def summary_line(self) -> str:
        parts = ", ".join(f"{STATUSES[s].mark} {n} {s}" for s, n in self.summary.items())
        return f"{self.left_label or self.left} vs {self.right_label or self.right}: {parts}"

    def _side_claims(self, actor: str, topic: str) -> list[dict[str, Any]]:
        c = self.claims
        picked = c.loc[(c["actor"] == actor) & (c["topic"] == topic), list(_DIFF_CLAIM_FIELDS)]
        return [{str(k): clean(v) for k, v in rec.items()} for rec in picked.to_dict("records")]

    def to_dict(self) -> dict[str, Any]:
        rows = []
        for topic, rec in zip(self.frame.index, self.frame.to_dict("records"), strict=True):
            rows.append(
                {
                    "topic": topic,
                    "label": rec["label"],
                    "status": rec["status"],
                    "left": {"position": rec["left"], "claims": self._side_claims(self.left, str(topic))},
                    "right": {"position": rec["right"], "claims": self._side_claims(self.right, str(topic))},
                }
            )
        left, right = self.left_label or self.left, self.right_label or self.right
        return {"left": left, "right": right, "summary": self.summary, "rows": rows}


PAIR_COUNTS = ("agree", "conflict", "partial", "shared")  # of a pair of actors: topics they agree on, ..., both address


@dataclass(repr=False)
class AgreementResult(Result):
    """Agreement scores of every pair of actors; ``frame`` is the pairs, ``matrix`` the square."""

    corpus: CorpusData
    frame: pd.DataFrame
    matrix: pd.DataFrame
    actors: list[str]
    as_of: str | None = None
    max_matrix: int = 15  # more actors than this are drawn as the list of pairs
    # actor x actor, for a pair count (agree, conflict, partial, shared), 0 on the diagonal: see square()
    squares: dict[str, pd.DataFrame] = field(default_factory=dict)
    min_shared: int = 3  # fewer shared topics than this: no score

    def csv_frame(self) -> pd.DataFrame:
        return self.frame

    def summary_line(self) -> str:
        scored = self.frame["score"].dropna()
        thin = int((self.frame["shared"] < self.min_shared).sum())
        head = f"{plural(len(self.actors), 'actor')}, {plural(len(self.frame), 'pair')}"
        thin_note = f"; {thin} share fewer than {plural(self.min_shared, 'topic')} (no score)" if thin else ""
        if scored.empty:
            return f"{head}: none scored{thin_note}"
        return f"{head}: {len(scored)} scored, mean score {scored.mean():+.2f}{thin_note}"

    @property
    def shared(self) -> pd.DataFrame:
        """Actor x actor: how many topics both address (0 on the diagonal); as ``shared_square()``."""
        return self.square("shared")

    def shared_square(self) -> pd.DataFrame:
        """Actor x actor: how many topics both address (0 on the diagonal)."""
        return self.square("shared")

    def square(self, count: str) -> pd.DataFrame:
        """Actor x actor: one of the pair counts (``PAIR_COUNTS``), 0 on the diagonal."""
        if count not in PAIR_COUNTS:
            raise ValueError(f"unknown pair count {count!r}; counts: {', '.join(PAIR_COUNTS)}")
        if count not in self.squares:  # drawn from the pairs, once
            import numpy as np  # here, not at the top: results are defined at start-up, squares are rare
            import pandas as pd  # (the same reason)

            where = {a: i for i, a in enumerate(self.matrix.index)}
            n, pairs = len(where), self.frame
            left = np.fromiter((where[a] for a in pairs["left"].tolist()), dtype=np.intp, count=len(pairs))
            right = np.fromiter((where[a] for a in pairs["right"].tolist()), dtype=np.intp, count=len(pairs))
            square = np.zeros((n, n), dtype=np.int64)
            square[left, right] = square[right, left] = pairs[count].to_numpy(dtype=np.int64)
            self.squares[count] = pd.DataFrame(square, index=self.matrix.index, columns=self.matrix.columns)
        return self.squares[count]

    def to_dict(self) -> dict[str, Any]:
        pairs = [{str(k): clean(v) for k, v in rec.items()} for rec in self.frame.to_dict("records")]
        return {"actors": list(self.actors), "min_shared": self.min_shared, "pairs": pairs}


@dataclass(repr=False)
class ClaimsResult(Result):
    """The normalized claims table (or a filtered part of it): a tidy export."""

    corpus: CorpusData
    frame: pd.DataFrame

    def csv_frame(self) -> pd.DataFrame:
        return self.frame

    def to_dict(self) -> list[dict[str, Any]]:
        return [{str(k): clean(v) for k, v in rec.items()} for rec in self.frame.to_dict("records")]


@dataclass(repr=False)
class ListingResult(Result):
    """A small listing (topics, actors, cases) rendered like any other result."""

    records: list[dict[str, Any]]
    columns: list[str]

    @property
    def frame(self) -> pd.DataFrame:  # type: ignore[override]
        import pandas as pd

        flat = [{k: "; ".join(v) if isinstance(v, list) else v for k, v in r.items()} for r in self.records]
        return pd.DataFrame(flat, columns=list(self.records[0]) if self.records else self.columns)

    def csv_frame(self) -> pd.DataFrame:
        return self.frame

    def to_dict(self) -> list[dict[str, Any]]:
        return self.records


@dataclass(repr=False)
class QuotesResult(Result):
    """Each quoted claim's provenance: verified (with the page and line), not-found (with the
    closest passage and where it is), no-text. ``counts`` covers every status of the selected
    actors; ``frame`` holds the rows of the selected ``statuses``."""

    corpus: CorpusData
    frame: pd.DataFrame
    warnings: list[Problem] = field(default_factory=list)  # source texts there but unusable
    counts: dict[str, int] | None = None
    statuses: list[str] | None = None

    @property
    def summary(self) -> dict[str, int]:
        if self.counts is not None:
            return dict(self.counts)
        return _counts(list(self.frame["status"]), QUOTE_STATUS_WORDS)

    def csv_frame(self) -> pd.DataFrame:
        return self.frame

    def to_dict(self) -> dict[str, Any]:
        records = [{str(k): clean(v) for k, v in rec.items()} for rec in self.frame.to_dict("records")]
        return {"summary": self.summary, "quotes": records}


def quote_place(page: object, line: object) -> str:
    """Where a match is: ``page 2, line 14`` in a PDF, ``line 14`` elsewhere."""
    line_text = f"line {clean(line)}"
    return f"page {clean(page)}, {line_text}" if clean(page) is not None else line_text
