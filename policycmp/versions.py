"""Diff two versions of one actor's file, read against the corpus's case.yaml."""

from __future__ import annotations

from pathlib import Path

from .compare import build_diff
from .corpus import Corpus
from .loader import CorpusLoader, Loaded, display_path
from .model import Actor, Claim
from .problems import Location, PolicyError, Problem
from .results import DiffResult
from .yamlio import Limits


def diff_files(
    base: Corpus,
    left: Path,
    right: Path,
    topics: list[str] | None,
    group: list[str] | None,
    as_of: str | None,
    limits: Limits,
) -> DiffResult:
    """Each file becomes an actor named by its path; both are checked against base's topics."""
    loader = CorpusLoader(base.root, limits)
    case_path = next(p for p in (base.root / "case.yaml", base.root / "case.yml") if p.is_file())
    case = loader.load_case(case_path)
    actors: list[Actor] = []
    records: list[Claim] = []
    for path in (left, right):
        label = display_path(path)
        if not path.is_file():
            raise PolicyError([Problem("missing-file", "no such actor file", Location(label))])
        loaded = loader.load_actor(path, label)
        if loaded is None:
            continue
        actor, claims, _ = loaded
        key = label if label not in {a.id for a in actors} else f"{label} (2)"
        actors.append(actor._replace(id=key))
        records.extend(c._replace(actor=key) for c in claims)
    problems = loader.problems.sorted()
    if loader.problems.has_errors or case is None or len(actors) != 2:
        raise PolicyError(problems)
    corpus = Corpus(base.root, Loaded(case, tuple(actors), records, problems))
    result = build_diff(corpus, actors[0].id, actors[1].id, topics, group, as_of)
    result.left_label, result.right_label = actors[0].id, actors[1].id
    return result
