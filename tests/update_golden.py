"""Regenerate the golden files that ``test_formats.py`` compares outputs with, exactly.

Run it on purpose, after a deliberate change to an output format, then review the diff:

    python tests/update_golden.py

Every golden file is one command (table, diff, agreement, claims) on ``tests/corpora/mini`` in
one format (text without colour, md, latex, html, csv, json). The corpus is loaded by a path
relative to the repository root, from the repository root, so claim paths are stable.
"""

from __future__ import annotations

import contextlib
import sys
from pathlib import Path
from typing import Any

from policycmp.render import FORMATS as _FORMATS

TESTS = Path(__file__).resolve().parent
REPO = TESTS.parent
GOLDEN = TESTS / "golden"
MINI = "tests/corpora/mini"

# every format of the registry, with its file suffix: a new format gets golden files here
FORMATS = {name: spec.suffix for name, spec in _FORMATS.items()}

# command -> the CLI arguments that produce the same result (before -c and -f)
COMMANDS: dict[str, list[str]] = {
    "table": ["table"],
    "diff": ["diff", "host", "forum"],
    "agreement": ["agreement"],
    "claims": ["claims"],
}


def golden_path(command: str, fmt: str) -> Path:
    return GOLDEN / f"{command}.{FORMATS[fmt]}"


def results() -> dict[str, Any]:
    """The four results on the small corpus (call from the repository root)."""
    import policycmp
    from policycmp.compare import build_claims

    corpus = policycmp.load(MINI)
    return {
        "table": corpus.table(),
        "diff": corpus.diff("host", "forum"),
        "agreement": corpus.agreement(),
        "claims": build_claims(corpus),
    }


def render(result: Any, fmt: str) -> str:
    return result.render(fmt, color=False) if fmt == "text" else result.render(fmt)


def render_all() -> dict[Path, str]:
    """Every golden file's expected content, keyed by its path."""
    with contextlib.chdir(REPO):
        made = results()
        return {golden_path(cmd, fmt): render(made[cmd], fmt) for cmd in COMMANDS for fmt in FORMATS}


def read_golden(path: Path) -> str:
    """A golden file's text, line endings untouched (CSV keeps its CRLF)."""
    with path.open(encoding="utf-8", newline="") as fh:
        return fh.read()


def main() -> int:
    GOLDEN.mkdir(exist_ok=True)
    changed = 0
    for path, text in render_all().items():
        if path.exists() and read_golden(path) == text:
            continue
        with path.open("w", encoding="utf-8", newline="") as fh:
            fh.write(text)
        changed += 1
        print(f"wrote {path.relative_to(REPO)}")
    print(f"{changed} golden file(s) updated")
    return 0


if __name__ == "__main__":
    sys.path.insert(0, str(REPO))
    sys.exit(main())
