"""Located problems: what is wrong with a corpus, where, and how to fix it.

Every check in policycmp reports into a :class:`Problems` collector instead of raising, so that a
single run lists every problem in every file. :class:`PolicyError` carries them to the caller.
"""

from __future__ import annotations

from collections.abc import Iterable, Iterator
from typing import NamedTuple

from .catalogue import Severity, problem_type
from .sanitize import json_dumps, shown, term_safe

__all__ = [
    "Location", "PolicyError", "Problem", "Problems", "Severity", "UsageError", "json_dumps", "shown", "suggest",
    "term_safe",
]  # fmt: skip


class Location(NamedTuple):
    """A 1-based position in a file; a problem with the whole file points at its start."""

    path: str
    line: int = 1
    column: int = 1

    def __str__(self) -> str:
        return f"{self.path}:{self.line}:{self.column}"


class Problem(NamedTuple):
    """One problem: a stable kebab-case ``code``, a message that says how to fix it, a place."""

    code: str
    message: str
    location: Location
    severity: Severity = "error"

    def __str__(self) -> str:
        return f"{self.location}: {self.severity}: {self.message} [{self.code}]"

    @classmethod
    def of(cls, code: str, location: Location, variant: str = "", /, **fields: object) -> Problem:
        """A problem of a catalogued ``code``: its severity and message come from the catalogue."""
        kind = problem_type(code)
        return cls(code, kind.message(variant, **fields), location, kind.severity)

    def to_dict(self) -> dict[str, object]:
        loc = self.location
        return {
            "path": loc.path,
            "line": loc.line,
            "column": loc.column,
            "severity": self.severity,
            "code": self.code,
            "message": self.message,
        }


class Problems:
    """Collects problems in the order they are found; sorted by place when read."""

    def __init__(self) -> None:
        self._items: list[Problem] = []
        self.error_count = 0

    def add(self, code: str, location: Location, variant: str = "", /, **fields: object) -> None:
        """Report a problem of a catalogued ``code`` (see :meth:`Problem.of`)."""
        self.append(Problem.of(code, location, variant, **fields))

    def append(self, problem: Problem) -> None:
        self._items.append(problem)
        if problem.severity == "error":
            self.error_count += 1

    def error(self, code: str, message: str, location: Location) -> None:
        """A problem with a message of its own; ``code`` must be a catalogued error."""
        self._checked(code, "error")
        self.append(Problem(code, message, location, "error"))

    def warning(self, code: str, message: str, location: Location) -> None:
        """A problem with a message of its own; ``code`` must be a catalogued warning."""
        self._checked(code, "warning")
        self.append(Problem(code, message, location, "warning"))

    @staticmethod
    def _checked(code: str, severity: Severity) -> None:
        declared = problem_type(code).severity
        if declared != severity:
            raise ValueError(f"problem code {code!r} is declared a {declared} in policycmp/catalogue.py")

    @property
    def has_errors(self) -> bool:
        return self.error_count > 0

    def sorted(self) -> list[Problem]:
        return sorted(
            self._items,
            key=lambda p: (p.location.path, p.location.line, p.location.column, p.code),
        )

    def __iter__(self) -> Iterator[Problem]:
        return iter(self.sorted())

    def __len__(self) -> int:
        return len(self._items)


class UsageError(ValueError):
    """A name or value given by the user that the corpus does not have (CLI exit 2)."""


class PolicyError(Exception):
    """Raised when a corpus has errors; ``problems`` lists every problem found (warnings too)."""

    def __init__(self, problems: Iterable[Problem]) -> None:
        self.problems = list(problems)
        errors = [p for p in self.problems if p.severity == "error"]
        head = str(errors[0]) if errors else "invalid corpus"
        more = f" (and {len(errors) - 1} more errors)" if len(errors) > 1 else ""
        super().__init__(head + more)


def suggest(word: str, choices: Iterable[str], n: int = 3) -> str:
    """Return a ``" (did you mean 'a' or 'b'?)"`` hint, or ``""`` when nothing is close."""
    import difflib  # only needed when something is wrong

    matches = difflib.get_close_matches(word, list(choices), n=n, cutoff=0.6)
    if not matches:
        return ""
    quoted = [f"'{m}'" for m in matches]
    joined = quoted[0] if len(quoted) == 1 else ", ".join(quoted[:-1]) + " or " + quoted[-1]
    return f" (did you mean {joined}?)"
