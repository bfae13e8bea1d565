"""Files written into a corpus for its authors: the JSON Schemas beside it, and new case and
actor files (``policycmp new``) that validate as written.

Everything here follows the ``-o`` rules: nothing outside the target directory is reached through
a link, and no file is replaced unless policycmp wrote it (the schemas it writes carry a mark).
A refusal is a :class:`ScaffoldError`, a usage error.
"""

from __future__ import annotations

import json
import os
from pathlib import Path
from typing import TYPE_CHECKING

from . import schema as schemas
from .output import write_atomic, write_new

if TYPE_CHECKING:
    from .model import Case

SCHEMA_DIR = "schemas"
CASE_SCHEMA = f"{SCHEMA_DIR}/case.schema.json"
ACTOR_SCHEMA = f"{SCHEMA_DIR}/actor.schema.json"


class ScaffoldError(Exception):
    """A file would be overwritten, or reached through a link out of the corpus."""


def modeline(relative: str) -> str:
    """The first line of a corpus file that points yaml-language-server at its schema."""
    return f"# yaml-language-server: $schema={relative}\n"


def _inside(root: Path, target: Path) -> Path:
    """``target`` (below ``root``) when no link leads it out of ``root``; else ScaffoldError."""
    real_root = Path(os.path.realpath(root))
    parent = Path(os.path.realpath(target.parent))
    if not parent.is_relative_to(real_root):
        raise ScaffoldError(f"{target.parent} leads out of {root} through a link; it is not followed")
    if target.is_symlink():
        raise ScaffoldError(f"{target} is a link; it is not followed or replaced")
    return target


def _ours(path: Path) -> bool:
    """Whether ``path`` is a schema file that ``write_schemas`` wrote (and may replace)."""
    try:
        if not path.is_file() or path.stat().st_size > 4 * 1024 * 1024:
            return False
        document = json.loads(path.read_text(encoding="utf-8"))
    except (OSError, ValueError):
        return False
    return isinstance(document, dict) and document.get("$comment") == schemas.WRITTEN_MARK


def schema_texts(case: Case | None) -> dict[str, str]:
    """The schema files of a corpus (relative path -> JSON text), marked as written by policycmp."""
    out = {}
    for relative, document in ((CASE_SCHEMA, schemas.case_schema()), (ACTOR_SCHEMA, schemas.actor_schema(case))):
        out[relative] = schemas.dumps({"$comment": schemas.WRITTEN_MARK, **document})
    return out


def write_schemas(root: Path, case: Case | None) -> list[Path]:
    """Write (or refresh) ``schemas/case.schema.json`` and ``schemas/actor.schema.json`` in ``root``.

    All targets are checked before anything is written, so a refusal leaves the corpus as it was.
    """
    texts = schema_texts(case)
    directory = root / SCHEMA_DIR
    if (directory.exists() or directory.is_symlink()) and not directory.is_dir():
        raise ScaffoldError(f"{directory} exists and is not a directory; move it away first")
    targets = {relative: _inside(root, root / relative) for relative in texts}
    for target in targets.values():
        if (target.exists() or target.is_symlink()) and not _ours(target):
            raise ScaffoldError(f"{target} exists and was not written by policycmp; it is not overwritten")
    directory.mkdir(exist_ok=True)
    written = []
    for relative, text in texts.items():
        target = targets[relative]
        if target.exists():
            if target.read_text(encoding="utf-8") != text:
                write_atomic(target, text)
        else:
            try:
                write_new(target, text)
            except FileExistsError:
                raise ScaffoldError(f"{target} appeared while writing; it is not overwritten") from None
        written.append(target)
    return written
