"""Where the bundled corpora and templates live, installed or in a source checkout."""

from __future__ import annotations

from pathlib import Path

BUNDLED_CASE = "parler-2021"
_HERE = Path(__file__).resolve().parent


def data_dir(name: str) -> Path:
    """``policies`` or ``templates``: inside the installed package, else at the repository top."""
    for candidate in (_HERE / "_data" / name, _HERE.parent / name):
        if candidate.is_dir():
            return candidate
    raise FileNotFoundError(f"the bundled '{name}' directory is missing; reinstall policycmp")


def bundled_cases() -> list[Path]:
    """Every bundled case directory (one holding a case.yaml), sorted by name."""
    root = data_dir("policies")
    return sorted(p for p in root.iterdir() if (p / "case.yaml").is_file() or (p / "case.yml").is_file())


def resolve_corpus(path: str | Path | None) -> Path:
    """The corpus directory for ``--corpus``: None is the bundled case; a bare bundled case
    name (``parler-2021``) works too when no directory of that name exists here."""
    if path is None:
        return data_dir("policies") / BUNDLED_CASE
    candidate = Path(path)
    if not candidate.exists() and candidate.name == str(path):
        bundled = data_dir("policies") / candidate.name
        if bundled.is_dir():
            return bundled
    return candidate


def shadowed_case(path: str | Path | None) -> Path | None:
    """The bundled case that a local folder named like it hides from ``--corpus NAME``, if any."""
    if path is None or Path(path).name != str(path) or not Path(path).exists():
        return None
    bundled = data_dir("policies") / str(path)
    return bundled if bundled.is_dir() and bundled.resolve() != Path(path).resolve() else None
