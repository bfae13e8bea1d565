"""The public entry point: ``load()`` a corpus, then read ``.claims`` or compare.

Loading never imports pandas; the claims DataFrame and the comparison results are built on first
use, so that ``policycmp validate`` stays fast.
"""

from __future__ import annotations

from functools import cached_property
from pathlib import Path
from typing import TYPE_CHECKING

from .loader import Loaded, Progress, load_corpus
from .model import Actor, Case, Claim, Topic
from .problems import Location, PolicyError, Problem
from .resources import resolve_corpus
from .themes import Themes
from .yamlio import DEFAULT_LIMITS, Limits

if TYPE_CHECKING:
    from collections.abc import Iterable

    import pandas as pd

    from .claimchanges import ChangesResult
    from .output import Inputs
    from .report import Report
    from .results import AgreementResult, ClaimsResult, DiffResult, ListingResult, QuotesResult, TableResult


class Corpus:
    """A loaded, valid corpus: the case, its actors, and the normalized claims."""

    def __init__(self, root: Path, loaded: Loaded) -> None:
        assert loaded.case is not None
        self.root = root
        self.case: Case = loaded.case
        self.actors: dict[str, Actor] = {a.id: a for a in loaded.actors}
        self.records: list[Claim] = loaded.claims
        self.warnings: list[Problem] = [p for p in loaded.problems if p.severity == "warning"]
        self.generated_ids: frozenset[tuple[str, str]] = loaded.generated_ids  # (actor, claim) ids not written
        self.themes: Themes = loaded.themes if loaded.themes is not None else Themes({})

    def __repr__(self) -> str:
        return f"<Corpus {self.case.id!r}: {len(self.actors)} actors, {len(self.records)} claims>"

    @property
    def topics(self) -> dict[str, Topic]:
        return {t.id: t for t in self.case.topics}

    @cached_property
    def claims(self) -> pd.DataFrame:
        """The normalized claims table: one row per claim, SPEC section 2 columns first."""
        from .compare import claims_frame

        return claims_frame(self)

    def table(
        self,
        actors: list[str] | None = None,
        topics: list[str] | None = None,
        group: list[str] | None = None,
        verdict: list[str] | None = None,
        as_of: str | None = None,
        all: bool = False,  # noqa: A002 - mirrors the --all option
    ) -> TableResult:
        """The topic x actor matrix with each topic's verdict."""
        from .compare import build_table

        return build_table(self, actors, topics, group, verdict, as_of, all)

    def diff(
        self,
        left: str,
        right: str,
        topics: list[str] | None = None,
        group: list[str] | None = None,
        as_of: str | None = None,
    ) -> DiffResult:
        """Compare two actors topic by topic."""
        from .compare import build_diff

        return build_diff(self, left, right, topics, group, as_of)

    def agreement(
        self,
        actors: list[str] | None = None,
        topics: list[str] | None = None,
        group: list[str] | None = None,
        as_of: str | None = None,
        min_shared: int = 3,
    ) -> AgreementResult:
        """The actor x actor agreement matrix: each pair's score with the topics it rests on;
        no score below ``min_shared`` shared topics, none for an actor with itself."""
        from .compare import build_agreement

        return build_agreement(self, actors, topics, group, as_of, min_shared)

    def report(
        self,
        actors: list[str] | None = None,
        topics: list[str] | None = None,
        group: list[str] | None = None,
        as_of: str | None = None,
        all: bool = False,  # noqa: A002 - mirrors the --all option
        title: str | None = None,
        texts: str | Path | None = None,
        verdict: list[str] | None = None,
        cache: bool = True,
        min_shared: int = 3,
        across: list[Corpus] | None = None,
    ) -> Report:
        """The HTML report over the same selection as ``table()``; ``.to_html()`` renders it.

        With source texts (``texts``, or sources that carry ``text:``) each quote shows its
        provenance. With ``across`` (other loaded cases) each themed topic links to the same
        theme in those cases, and the report gains an "Across cases" section.
        """
        from .report import build_report

        texts_path = Path(texts) if texts else None
        return build_report(
            self,
            actors,
            topics,
            group,
            as_of,
            all,
            title,
            texts=texts_path,
            verdict=verdict,
            cache=cache,
            min_shared=min_shared,
            across=across,
        )

    def changes(self, old: Corpus | str | Path | None = None, git: str | None = None) -> ChangesResult:
        """Claim by claim, what changed from ``old`` (a corpus or corpus directory) to this corpus,
        or with ``git``, from this corpus as it was at that git revision (read from the
        repository's objects; nothing is checked out and no program the repository configures
        runs)."""
        from .claimchanges import corpus_changes, git_changes

        if (old is None) == (git is None):
            from .compare import UsageError

            raise UsageError("compare with an older version: give old (a corpus or directory) or git (a revision)")
        if git is not None:
            return git_changes(self, git)
        previous = old if isinstance(old, Corpus) else load(old)
        return corpus_changes(previous, self)

    def select_claims(
        self,
        actors: list[str] | None = None,
        topics: list[str] | None = None,
        group: list[str] | None = None,
        as_of: str | None = None,
        texts: str | Path | None = None,
        cache: bool = True,
    ) -> ClaimsResult:
        """The claims table, filtered like the comparisons (all claims when nothing is given),
        as a result with the ``to_*()`` methods; a ``quote_status`` column when texts exist."""
        from .compare import build_claims

        return build_claims(self, actors, topics, group, as_of, Path(texts) if texts else None, cache)

    def topic_list(self) -> ListingResult:
        """The topics in display order, with group, aliases, statement and DSA category."""
        from .results import ListingResult

        groups = {g.id: g.label for g in self.case.groups}
        rows = [
            {"topic": t.id, "label": t.label, "group": t.group, "group_label": groups.get(t.group or ""),
             "aliases": list(t.aliases), "statement": t.statement, "dsa_category": t.dsa_category}
            for t in self.case.topics
        ]  # fmt: skip
        return ListingResult(rows, ["topic", "label", "group", "aliases", "statement"])

    def actor_list(self) -> ListingResult:
        """The actors with their role and how many claims and sources each has."""
        from .results import ListingResult

        counts: dict[str, int] = {}
        for rec in self.records:
            counts[rec.actor] = counts.get(rec.actor, 0) + 1
        rows = [
            {"actor": a.id, "name": a.name, "role": a.role, "claims": counts.get(a.id, 0),
             "sources": len(a.sources), "path": a.path}
            for a in self.actors.values()
        ]  # fmt: skip
        return ListingResult(rows, ["actor", "name", "role", "claims", "sources"])

    @property
    def source_texts(self) -> tuple[Path, ...]:
        """The local copies of source documents (``text:``) this corpus names."""
        return source_texts(self.root, self.actors.values())

    def inputs(self, texts: str | Path | None = None, files: tuple[Path, ...] = ()) -> Inputs:
        """What reading this corpus touches (its directory and source texts), plus ``texts``
        and ``files``: the paths an output must not replace."""
        from .output import Inputs

        text_dirs = (Path(texts),) if texts is not None else ()
        return Inputs((self.root,), self.source_texts + tuple(files), text_dirs)

    def quotes(
        self,
        texts: str | Path | None = None,
        actors: list[str] | None = None,
        status: list[str] | None = None,
        cache: bool = True,
    ) -> QuotesResult:
        """Check every quote (of ``actors``) against the text of its source (``text:`` or a texts
        directory: .txt, .md, .html, .htm, .pdf); keep the rows of the given ``status`` values.
        PDF and HTML extractions are cached in the user's cache directory unless ``cache`` is False."""
        from .quotes import build_quotes

        return build_quotes(self, Path(texts) if texts is not None else None, actors, status, cache)


def source_texts(root: Path, actors: Iterable[Actor]) -> tuple[Path, ...]:
    """The local copies of source documents (``text:``, relative to ``root``) that ``actors`` name."""
    return tuple(root / s.text for a in actors for s in a.sources.values() if s.text)


def check(
    path: str | Path | None = None,
    limits: Limits = DEFAULT_LIMITS,
    progress: Progress | None = None,
    themes: str | Path | None = None,
) -> Loaded:
    """Load and check a corpus: the model (if any) and every problem, without raising for
    problems in the files. A path that is no directory raises PolicyError (not-a-corpus).
    ``themes`` is a themes file that adds to or overrides the bundled themes."""
    root = resolve_corpus(path)
    if not root.is_dir():
        what = "does not exist" if not root.exists() else "is not a directory"
        raise PolicyError([Problem.of("not-a-corpus", Location(str(path)), what=what)])
    return load_corpus(root, limits, progress, themes)


def load(path: str | Path | None = None, limits: Limits = DEFAULT_LIMITS, themes: str | Path | None = None) -> Corpus:
    """Load a corpus directory (None: the bundled case); raise PolicyError on any error.
    ``themes``: a themes file adding to or overriding the bundled themes (SPEC section 9)."""
    loaded = check(path, limits, themes=themes)
    if not loaded.ok:
        raise PolicyError(loaded.problems)
    return Corpus(resolve_corpus(path), loaded)
