"""Files written into a corpus for its authors: the JSON Schemas beside it, and new case and
actor files (``policycmp new``) that validate as written.

Everything here follows the ``-o`` rules: nothing outside the target directory is reached through
a link, and no file is replaced unless policycmp wrote it (the schemas it writes carry a mark).
A refusal is a :class:`ScaffoldError`, a usage error.
"""

from __future__ import annotations

import json
import os
import re
from collections.abc import Iterable
from pathlib import Path
from typing import TYPE_CHECKING

import yaml

from . import normalize as norm
from . import schema as schemas
from .loader import RESERVED_ACTOR_IDS, load_corpus
from .output import write_atomic, write_new
from .sanitize import shown

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


def _schema_targets(root: Path) -> dict[str, Path]:
    """The schema files to write in ``root``, checked: ScaffoldError when one may not be written."""
    directory = root / SCHEMA_DIR
    if (directory.exists() or directory.is_symlink()) and not directory.is_dir():
        raise ScaffoldError(f"{directory} exists and is not a directory; move it away first")
    targets = {relative: _inside(root, root / relative) for relative in (CASE_SCHEMA, ACTOR_SCHEMA)}
    for target in targets.values():
        if (target.exists() or target.is_symlink()) and not _ours(target):
            raise ScaffoldError(f"{target} exists and was not written by policycmp; it is not overwritten")
    return targets


def write_schemas(root: Path, case: Case | None) -> list[Path]:
    """Write (or refresh) ``schemas/case.schema.json`` and ``schemas/actor.schema.json`` in ``root``;
    the files written (those already up to date are left alone).

    All targets are checked before anything is written, so a refusal leaves the corpus as it was.
    """
    targets = _schema_targets(root)
    (root / SCHEMA_DIR).mkdir(exist_ok=True)
    written = []
    for relative, text in schema_texts(case).items():
        target = targets[relative]
        if target.exists():
            if target.read_text(encoding="utf-8") == text:
                continue
            write_atomic(target, text)
        else:
            _create(target, text)
        written.append(target)
    return written


def refresh_schemas(root: Path, case: Case) -> list[Path]:
    """Bring the schemas policycmp wrote in ``root`` up to date with ``case`` (new topics); the
    changed files. Does nothing where they are missing or not policycmp's."""
    try:
        targets = _schema_targets(root)
    except ScaffoldError:
        return []
    if not all(_ours(target) for target in targets.values()):
        return []
    return write_schemas(root, case)


def _create(target: Path, text: str) -> None:
    try:
        write_new(target, text)
    except FileExistsError:
        raise ScaffoldError(f"{target} appeared meanwhile; it is not overwritten") from None


# -- policycmp new -------------------------------------------------------------------------------


def yaml_text(value: str) -> str:
    """``value`` as a YAML double-quoted scalar that every YAML reader reads back unchanged."""
    try:
        value.encode("utf-8")
    except UnicodeEncodeError:
        raise ScaffoldError(f"{value.encode('utf-8', 'surrogateescape')!r} is not valid UTF-8 text") from None
    dumped = yaml.dump(value, Dumper=yaml.SafeDumper, default_style='"', allow_unicode=True, width=1 << 30)
    return dumped.removesuffix("\n...\n").removesuffix("\n")


def _slug_value(slug: str) -> str:
    """A slug as a YAML value: plain, except ``null``, which YAML would read as no value."""
    return yaml_text(slug) if slug in ("null", "~") else slug


def _comment(text: str) -> str:
    """Corpus text made safe inside a ``#`` comment: one line of printable characters."""
    return "".join(ch for ch in norm.collapse(text) if ch.isprintable())


def _slug_or(raw: str, fallback: str) -> str:
    """A valid slug made from ``raw`` (a directory name), or ``fallback``."""
    slug = norm.slugify(re.sub(r"[^\w.\s-]+", "-", raw))
    slug = re.sub(r"-{2,}", "-", slug).strip("-._")
    return slug if norm.is_valid_slug(slug) else fallback


def _checked_slug(raw: str, what: str) -> str:
    slug = norm.slugify(raw)
    if not norm.is_valid_slug(slug):
        raise ScaffoldError(f"{what} {shown(raw)} is not a usable id; use letters, digits and hyphens (e.g. 'my-id')")
    return slug


def _help(kind: str, field: str) -> str:
    return schemas.FIELD_HELP[kind][field]


def _directory_word(root: Path) -> str:
    """How the comments name the corpus directory: its name when that is plain, else a placeholder."""
    name = Path(os.path.abspath(root)).name
    return name if re.fullmatch(r"[A-Za-z0-9][A-Za-z0-9._-]*", name) else "DIR"


def case_text(case_id: str, title: str, directory: str) -> str:
    """A new case.yaml: one example topic, every field explained, valid as written."""
    h = _help
    return f"""{modeline(CASE_SCHEMA)}#
# The case: the propositions in dispute ("topics"), which every actor file of this directory takes
# a stance on. Check it with 'policycmp validate -c {directory}'; add an actor with
# 'policycmp new actor ID -c {directory}'. Editors complete and check this file through the schema
# named on the first line; after changing the topics, refresh it with
# 'policycmp schema --write {directory}'.

# {h("case", "case")}
case: {_slug_value(case_id)}
# {h("case", "title")}
title: {yaml_text(title)}
# {h("case", "summary")}
# summary: >-
#   Who did what, when, and who objected, in two or three sentences.
# {h("case", "subject")}
# subject: The platform that was removed

# {h("case", "groups")}
groups:
  example-group:
    # {h("group", "label")}
    label: Example group

# {h("case", "topics")}
topics:
  example-topic:  # the topic id, which actor files write after 'topic:'
    # {h("topic", "label")}
    label: Example topic
    # {h("topic", "statement")}
    # Write it so that one side can assert it and another deny it.
    statement: The platform was warned before it was removed.
    # {h("topic", "group")}
    group: example-group
    # {h("topic", "aliases")}
    aliases: [prior warning]
"""


def actor_text(actor_id: str, name: str, role: str, case: Case, directory: str) -> str:
    """A new actor file: one example source and one claim on the case's first topic, valid as written."""
    h = _help
    topic = case.topics[0]
    others = ", ".join(t.id for t in case.topics[1:6]) + (", ..." if len(case.topics) > 6 else "")
    topics_line = f"# The case's topics: {topic.id}" + (f", {others}" if others else "") + "."
    return f"""{modeline(ACTOR_SCHEMA)}#
# One actor's stated rationale: the documents it published or was reported in ("sources"), and
# what it said in them ("claims"), each claim on one topic of case.yaml. Check it with
# 'policycmp validate -c {directory}'; compare with 'policycmp table -c {directory}'.

# {h("actor", "actor")}
actor: {_slug_value(actor_id)}
# {h("actor", "name")}
name: {yaml_text(name)}
# {h("actor", "role")}
role: {_slug_value(role)}
# {h("actor", "description")}
# description: One sentence on who the actor is.

# {h("actor", "sources")}
sources:
  example-source:  # the source id, which claims write after 'source:'
    # {h("source", "title")}
    title: Example letter
    # {h("source", "type")} One of:
    #   {", ".join(norm.SOURCE_TYPES[:7])},
    #   {", ".join(norm.SOURCE_TYPES[7:])}.
    type: letter
    # {h("source", "date")}
    date: 2021-01-09
    # {h("source", "url")}
    # url: https://example.org/letter
    # {h("source", "publisher")}
    # publisher: The outlet that reported it

# {h("actor", "claims")}
claims:
  # {h("claim", "topic")}
  {_comment(topics_line)}
  - topic: {_slug_value(topic.id)}
    # {h("claim", "stance")}
    # {_comment(f"{topic.id}'s statement: {topic.statement}")}
    stance: asserts
    # {h("claim", "summary")}
    summary: What the actor said about this topic, in your words.
    # {h("claim", "source")}
    source: example-source
    # {h("claim", "quote")}
    # quote: "The actor's exact words."
    # {h("claim", "clause")}
    # clause: Terms of Service, section 4
    # {h("claim", "ground")} One of: {", ".join(norm.GROUNDS)}.
    # ground: policy
"""


def new_case(root: Path, title: str | None = None) -> list[Path]:
    """Create ``root/case.yaml`` (and the schemas beside it); never replaces a file."""
    if (root.exists() or root.is_symlink()) and not root.is_dir():
        raise ScaffoldError(f"{root} exists and is not a directory")
    for name in ("case.yaml", "case.yml"):
        if (root / name).exists() or (root / name).is_symlink():
            raise ScaffoldError(f"{root / name} already exists; it is not overwritten")
    case_id = _slug_or(Path(os.path.abspath(root)).name, "my-case")
    if title is None:
        title = case_id.replace("-", " ").capitalize()
    elif not title.strip():
        raise ScaffoldError("the title is empty; give the case a title")
    text = case_text(case_id, title, _directory_word(root))
    if root.is_dir():
        _schema_targets(root)  # refuse before writing anything
    root.mkdir(parents=True, exist_ok=True)
    target = _inside(root, root / "case.yaml")
    _create(target, text)

    case = load_corpus(root).case
    return [target, *write_schemas(root, case)]


def new_actor(root: Path, case: Case, taken: Iterable[str], actor_id: str, name: str | None, role: str) -> list[Path]:
    """Create ``root/ID.yaml`` for a new actor of ``case`` (and refresh the schemas); never replaces a file.

    ``taken``: the actor ids already in the corpus.
    """

    slug = _checked_slug(actor_id, "actor id")
    if slug in RESERVED_ACTOR_IDS:
        raise ScaffoldError(f"actor id '{slug}' names a column of the comparison table; choose another id")
    if slug in set(taken):
        raise ScaffoldError(f"actor id '{slug}' is already used in this corpus; choose another id")
    role_slug = _checked_slug(role, "role")
    if name is not None and not name.strip():
        raise ScaffoldError("the name is empty; give the actor a name")
    if not case.topics:
        raise ScaffoldError("case.yaml has no topics yet; add one first")
    for suffix in (".yaml", ".yml"):
        if (root / f"{slug}{suffix}").exists() or (root / f"{slug}{suffix}").is_symlink():
            raise ScaffoldError(f"{root / (slug + suffix)} already exists; it is not overwritten")
    target = _inside(root, root / f"{slug}.yaml")
    text = actor_text(slug, name if name is not None else slug, role_slug, case, _directory_word(root))
    try:
        _schema_targets(root)
        refresh = True
    except ScaffoldError:
        refresh = False  # the author's own schema files stay; the actor file is still written
    _create(target, text)
    return [target, *(write_schemas(root, case) if refresh else [])]
