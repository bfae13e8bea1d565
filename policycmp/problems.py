"""Located problems: what is wrong with a corpus, where, and how to fix it.

Every check in policycmp reports into a :class:`Problems` collector instead of raising, so that a
single run lists every problem in every file. :class:`PolicyError` carries them to the caller.
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Iterator
from typing import Literal, NamedTuple

Severity = Literal["error", "warning"]


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

    def error(self, code: str, message: str, location: Location) -> None:
        self._items.append(Problem(code, message, location, "error"))
        self.error_count += 1

    def warning(self, code: str, message: str, location: Location) -> None:
        self._items.append(Problem(code, message, location, "warning"))

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


# Control characters (ANSI escapes among them) and bidirectional overrides, as visible escapes.
_TERM_SAFE = {c: f"\\x{c:02x}" for c in (*range(0x20), 0x7F, *range(0x80, 0xA0))}
_TERM_SAFE.update({0x09: "\\t", 0x0A: "\\n", 0x0D: "\\r", 0x1B: "\\e"})
_TERM_SAFE.update({c: f"\\u{c:04x}" for c in (0x061C, 0x200E, 0x200F, *range(0x202A, 0x202F), *range(0x2066, 0x206A))})
_TERM_SAFE.update({0x2028: "\\u2028", 0x2029: "\\u2029"})  # line and paragraph separators: line breaks too


# Characters JSON may carry raw that a terminal (C1 controls such as CSI U+009B) or a reader's
# display (bidi overrides, line separators) would act on: written as \\uXXXX, which is the same
# JSON string. C0 controls are escaped by json.dumps itself.
_JSON_UNSAFE = re.compile("[\x7f-\x9f\u061c\u200e\u200f\u2028\u2029\u202a-\u202e\u2066-\u2069]")


def json_dumps(value: object, indent: int | None = 2) -> str:
    """``json.dumps`` (UTF-8 text, not ASCII escapes) with the characters above escaped."""
    import json

    text = json.dumps(value, indent=indent, ensure_ascii=False)
    return _JSON_UNSAFE.sub(lambda m: f"\\u{ord(m.group()):04x}", text)


def term_safe(text: str) -> str:
    """Text that cannot drive a terminal: ``ESC[31m`` shows as ``\\e[31m``, U+202E as ``\\u202e``."""
    return text.translate(_TERM_SAFE)


def shown(value: object, limit: int = 60) -> str:
    """Quote a user value for a message: control characters made visible, long text cut."""
    text = term_safe(str(value))
    if len(text) > limit:
        text = text[: limit - 1] + "…"
    return f"'{text}'"
