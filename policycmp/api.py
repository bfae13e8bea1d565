"""The public entry point: ``load()`` a corpus, then read ``.claims`` or compare.

Loading never imports pandas; the claims DataFrame and the comparison results are built on first
use, so that ``policycmp validate`` stays fast. This is the top of the library's layers (see the
README's "Architecture"): it calls the comparison and the renderers, and nothing below calls it.
"""

from __future__ import annotations

from collections.abc import Sequence
from pathlib import Path
from typing import TYPE_CHECKING

from .loader import CorpusData, Loaded, Progress, display_path, load_corpus
from .model import source_texts
from .output import Inputs
from .problems import Location, PolicyError, Problem, Problems, UsageError
from .resources import bundled_cases, resolve_corpus, shadowed_case
from .selection import Selection
from .themes import load_themes
from .yamlio import DEFAULT_LIMITS, Limits

if TYPE_CHECKING:
    from .claimchanges import ChangesResult
    from .crosscase import AcrossResult
    from .render.report import Report
    from .results import AgreementResult, ClaimsResult, DiffResult, ListingResult, QuotesResult, TableResult

__all__ = ["Corpus", "Selection", "case_list", "check", "load", "source_texts"]


class Corpus(CorpusData):
    """A loaded, valid corpus: the case, its actors, and the normalized claims."""

    def __init__(self, root: Path, loaded: Loaded) -> None:
        super().__init__(root, loaded)

    def __repr__(self) -> str:
        return f"<Corpus {self.case.id!r}: {len(self.actors)} actors, {len(self.records)} claims>"

    def table(
        self,
        actors: list[str] | None = None,
        topics: list[str] | None = None,
        group: list[str] | None = None,
        verdict: list[str] | None = None,
        as_of: str | None = None,
        all: bool = False,  # noqa: A002 - mirrors the --all option
        *,
        selection: Selection | None = None,
    ) -> TableResult:
        """The topic x actor matrix with each topic's verdict (a ``selection`` instead of the filters)."""
        from .compare import build_table  # pandas and numpy: only when comparing

        return build_table(self, selection or Selection.of(actors, topics, group, verdict, as_of, all))

    def diff(
        self,
        left: str,
        right: str,
        topics: list[str] | None = None,
        group: list[str] | None = None,
        as_of: str | None = None,
        *,
        selection: Selection | None = None,
    ) -> DiffResult:
        """Compare two actors topic by topic (a ``selection`` instead of the filters)."""
        from .compare import build_diff  # pandas and numpy: only when comparing

        return build_diff(self, left, right, selection or Selection.of(topics=topics, group=group, as_of=as_of))

    def agreement(
        self,
        actors: list[str] | None = None,
        topics: list[str] | None = None,
        group: list[str] | None = None,
        as_of: str | None = None,
        min_shared: int = 3,
        *,
        selection: Selection | None = None,
    ) -> AgreementResult:
        """The actor x actor agreement matrix: each pair's score with the topics it rests on;
        no score below ``min_shared`` shared topics, none for an actor with itself."""
        from .compare import build_agreement  # pandas and numpy: only when comparing

        return build_agreement(self, selection or Selection.of(actors, topics, group, as_of=as_of), min_shared)

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
        *,
        selection: Selection | None = None,
    ) -> Report:
        """The HTML report over the same selection as ``table()``; ``.to_html()`` renders it.

        With source texts (``texts``, or sources that carry ``text:``) each quote shows its
        provenance. With ``across`` (other loaded cases) each themed topic links to the same
        theme in those cases, and the report gains an "Across cases" section.
        """
        from .render.report import build_report  # pandas, numpy and the quote matcher: only for a report

        chosen = selection or Selection.of(actors, topics, group, verdict, as_of, all)
        texts_path = Path(texts) if texts else None
        return build_report(self, chosen, title, texts=texts_path, cache=cache, min_shared=min_shared, across=across)

    def changes(self, old: Corpus | str | Path | None = None, git: str | None = None) -> ChangesResult:
        """Claim by claim, what changed from ``old`` (a corpus or corpus directory) to this corpus,
        or with ``git``, from this corpus as it was at that git revision (read from the
        repository's objects; nothing is checked out and no program the repository configures
        runs)."""
        from .claimchanges import corpus_changes, git_changes  # difflib and pandas: only when asked

        if (old is None) == (git is None):
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
        *,
        selection: Selection | None = None,
    ) -> ClaimsResult:
        """The claims table, filtered like the comparisons (all claims when nothing is given),
        as a result with the ``to_*()`` methods; a ``quote_status`` column when texts exist."""
        from .compare import build_claims  # pandas and numpy: only when comparing

        chosen = selection or Selection.of(actors, topics, group, as_of=as_of)
        return build_claims(self, chosen, Path(texts) if texts else None, cache)

    def topic_list(self) -> ListingResult:
        """The topics in display order, with group, aliases, statement and DSA category."""
        from .results import ListingResult  # its dataclasses cost start-up time that validate never needs

        groups = {g.id: g.label for g in self.case.groups}
        rows = [
            {"topic": t.id, "label": t.label, "group": t.group, "group_label": groups.get(t.group or ""),
             "aliases": list(t.aliases), "statement": t.statement, "dsa_category": t.dsa_category}
            for t in self.case.topics
        ]  # fmt: skip
        return ListingResult(rows, ["topic", "label", "group", "aliases", "statement"])

    def actor_list(self) -> ListingResult:
        """The actors with their role and how many claims and sources each has."""
        from .results import ListingResult  # its dataclasses cost start-up time that validate never needs

        counts: dict[str, int] = {}
        for rec in self.records:
            counts[rec.actor] = counts.get(rec.actor, 0) + 1
        rows = [
            {"actor": a.id, "name": a.name, "role": a.role, "claims": counts.get(a.id, 0),
             "sources": len(a.sources), "path": a.path}
            for a in self.actors.values()
        ]  # fmt: skip
        return ListingResult(rows, ["actor", "name", "role", "claims", "sources"])

    def inputs(
        self, texts: str | Path | None = None, files: tuple[Path, ...] = (), templates: Path | None = None
    ) -> Inputs:
        """What reading this corpus touches (its directory and source texts), plus ``texts``,
        ``files`` and a ``templates`` directory: the paths an output must not replace."""
        text_dirs = (Path(texts),) if texts is not None else ()
        template_dirs = (templates,) if templates is not None else ()
        return Inputs((self.root,), self.source_texts + tuple(files), text_dirs, template_dirs)

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
        from .quotes import build_quotes  # pandas: only when checking quotes

        return build_quotes(self, Path(texts) if texts is not None else None, actors, status, cache)


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
    loaded = load_corpus(root, limits, progress, themes)
    if shadowed_case(path) is not None and any(p.code == "missing-case" for p in loaded.problems):
        shadow = [
            Problem.of("missing-case", p.location, "shadows", name=str(path)) if p.code == "missing-case" else p
            for p in loaded.problems
        ]
        loaded = loaded._replace(problems=shadow)
    return loaded


def load(path: str | Path | None = None, limits: Limits = DEFAULT_LIMITS, themes: str | Path | None = None) -> Corpus:
    """Load a corpus directory (None: the bundled case); raise PolicyError on any error.
    ``themes``: a themes file adding to or overriding the bundled themes (README: "One actor across cases")."""
    loaded = check(path, limits, themes=themes)
    if not loaded.ok:
        raise PolicyError(loaded.problems)
    return Corpus(resolve_corpus(path), loaded)


def case_list() -> ListingResult:
    """The bundled cases with their titles and sizes (a case with problems says so)."""
    from .results import ListingResult  # its dataclasses cost start-up time that validate never needs

    rows = []
    for path in bundled_cases():
        loaded = check(path)
        title = loaded.case.title if loaded.case else "(has problems: run policycmp validate)"
        rows.append({"case": path.name, "title": title, "actors": len(loaded.actors),
                     "claims": len(loaded.claims), "path": display_path(path)})  # fmt: skip
    return ListingResult(rows, ["case", "title", "actors", "claims"])


def changes_between(
    old: str | Path, new: str | Path, corpus: str | Path | None = None, max_bytes: int | None = None
) -> ChangesResult:
    """Changes between two corpus directories, or two actor files read against ``corpus``'s case
    (None: the bundled case). Raises PolicyError for problems in either version."""
    from .claimchanges import corpus_changes, file_changes  # difflib and pandas: only when asked

    old_path, new_path = Path(old), Path(new)
    if old_path.is_dir() and new_path.is_dir():
        return corpus_changes(load(old_path), load(new_path), str(old), str(new))
    if old_path.is_dir() or new_path.is_dir():
        raise UsageError("give two corpus directories or two actor files, not one of each")
    return file_changes(load(corpus), old_path, new_path, max_bytes)


def theme_list(cases: list[str | Path] | None = None, themes: str | Path | None = None) -> ListingResult:
    """Every theme in force, with the cases and topics that use it (default: the bundled cases).

    A case that has problems is listed as such rather than left out silently.
    """
    from .results import ListingResult  # its dataclasses cost start-up time that validate never needs

    problems = Problems()
    in_force = load_themes(themes, problems)
    if problems.error_count:
        raise PolicyError(problems.sorted())
    used: dict[str, list[str]] = {t: [] for t in in_force.themes}
    broken: list[str] = []
    for case_path in cases if cases else bundled_cases():
        loaded = check(case_path, themes=themes)
        if loaded.case is None:
            broken.append(str(case_path))
            continue
        for topic in loaded.case.topics:
            if topic.theme:
                used.setdefault(topic.theme, []).append(
                    f"{loaded.case.id}:{topic.id}" + (" (negated)" if topic.theme_negated else "")
                )
    rows = [
        {
            "theme": t.id,
            "label": t.label,
            "used by": ", ".join(used.get(t.id, [])) or "-",
            "statement": t.statement,
            "aliases": ", ".join(t.aliases),
            "path": t.path,
        }
        for t in in_force.themes.values()
    ]
    rows += [{"theme": "-", "label": f"(case {p} has problems: run policycmp validate)", "used by": "",
              "statement": "", "aliases": "", "path": p} for p in broken]  # fmt: skip
    return ListingResult(rows, ["theme", "label", "used by"])


def across(
    cases: Sequence[Corpus | str | Path],
    actor: str | None = None,
    themes: str | Path | None = None,
) -> AcrossResult:
    """``policycmp.across([...])``: cases as loaded corpora, bundled case names or directories;
    ``themes`` a themes file that adds to or overrides the bundled themes."""
    from .crosscase import build_across  # pandas and numpy: only when comparing

    corpora = [c if isinstance(c, Corpus) else load(c, themes=themes) for c in cases]
    theme_set = None
    if themes is not None:
        problems = Problems()
        theme_set = load_themes(themes, problems)
        if problems.error_count:
            raise PolicyError(problems.sorted())
    return build_across(corpora, actor, theme_set)
