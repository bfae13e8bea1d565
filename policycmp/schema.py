"""JSON Schema (draft 2020-12) of the two corpus file formats, for editors and CI checks.

Written by hand from the same field lists and alias tables the loader uses, so that a YAML
language server completes field names and the enumerated values (stances, source types).
"""

from __future__ import annotations

from typing import Any

from . import normalize as norm
from .themes import _FALSE, _TRUE

_FLAGS = _TRUE | _FALSE | {w.capitalize() for w in _TRUE | _FALSE} | {w.upper() for w in _TRUE | _FALSE}

DRAFT = "https://json-schema.org/draft/2020-12/schema"
_SLUG = {"type": "string", "minLength": 1, "pattern": r"^\s*[^\s_].*$"}
_TEXT = {"type": "string", "minLength": 1}
_DATE = {
    "description": "YYYY-MM-DD, YYYY-MM, YYYY, or a written date such as 'January 11, 2021'",
    "type": ["string", "integer"],
}


def _enum_with_aliases(canonical: tuple[str, ...], aliases: dict[str, str], what: str) -> dict[str, Any]:
    # The loader also accepts other letter case and spaces/underscores for hyphens; the schema
    # lists the canonical spellings so that an editor completes them and flags typos.
    names = sorted(set(aliases) | set(canonical))
    return {
        "description": f"{what}: one of {', '.join(canonical)} (or an alias)",
        "anyOf": [{"enum": names}],
    }


def _stance() -> dict[str, Any]:
    # `yes`/`no` are YAML 1.1 booleans; the loader reads the text as written.
    spec = _enum_with_aliases(norm.STANCES, norm.STANCE_ALIASES, "stance")
    spec["anyOf"].append({"type": "boolean"})
    return spec


def case_schema() -> dict[str, Any]:
    topic = {
        "type": "object",
        "required": ["label", "statement"],
        "additionalProperties": False,
        "properties": {
            "label": {**_TEXT, "description": "short label shown in tables"},
            "statement": {**_TEXT, "description": "the proposition that stances refer to"},
            "group": {**_SLUG, "description": "a key of 'groups'"},
            "aliases": {
                "description": "alternative names accepted in actor files",
                "anyOf": [_TEXT, {"type": "array", "items": _TEXT}],
            },
            "dsa_category": {"type": "string", "pattern": "^STATEMENT_CATEGORY_[A-Z_]+$"},
            "theme": {
                "description": "the theme this topic instantiates (an id or alias of policies/themes.yaml or"
                " a --themes file); {id, negated: true} for a topic phrased against its theme",
                "anyOf": [
                    _TEXT,
                    {
                        "type": "object",
                        "required": ["id"],
                        "additionalProperties": False,
                        "properties": {
                            "id": _TEXT,
                            "negated": {"anyOf": [{"type": "boolean"}, {"enum": sorted(_FLAGS)}]},
                        },
                    },
                ],
            },
        },
    }
    return {
        "$schema": DRAFT,
        "$id": "https://policycmp.example/schema/case.json",
        "title": "policycmp case file (case.yaml)",
        "type": "object",
        "required": ["case", "title", "topics"],
        "additionalProperties": False,
        "properties": {
            "case": {**_SLUG, "description": "the case id (slug)"},
            "title": _TEXT,
            "summary": {"type": "string"},
            "subject": {"type": "string", "description": "the party whose conduct is disputed"},
            "groups": {
                "type": "object",
                "description": "topic groups in display order",
                "additionalProperties": {
                    "anyOf": [
                        _TEXT,
                        {
                            "type": "object",
                            "required": ["label"],
                            "additionalProperties": False,
                            "properties": {"label": _TEXT},
                        },
                    ]
                },
            },
            "topics": {"type": "object", "minProperties": 1, "additionalProperties": topic},
        },
    }


def actor_schema() -> dict[str, Any]:
    source = {
        "type": "object",
        "required": ["title", "type"],
        "additionalProperties": False,
        "properties": {
            "title": _TEXT,
            "type": _enum_with_aliases(norm.SOURCE_TYPES, norm.SOURCE_TYPE_ALIASES, "source type"),
            "date": _DATE,
            "url": {"type": "string", "pattern": "^[Hh][Tt][Tt][Pp][Ss]?://\\S+$"},
            "publisher": {"type": "string"},
            "text": {"type": "string", "description": "path of a local text copy, relative to the corpus"},
        },
    }
    claim = {
        "type": "object",
        "required": ["topic", "stance", "summary", "source"],
        "additionalProperties": False,
        "properties": {
            "id": {**_SLUG, "description": "unique within the actor; generated when absent"},
            "topic": {**_TEXT, "description": "a topic id or alias from case.yaml"},
            "stance": _stance(),
            "summary": _TEXT,
            "quote": {"type": "string", "description": "verbatim"},
            "source": {
                "description": "a source id, or a list of source ids",
                "anyOf": [_TEXT, {"type": "array", "items": _TEXT, "minItems": 1}],
            },
            "clause": {"type": "string"},
            "ground": _enum_with_aliases(norm.GROUNDS, norm.GROUND_ALIASES, "ground"),
            "speaker": {"type": "string"},
            "date": _DATE,
        },
    }
    return {
        "$schema": DRAFT,
        "$id": "https://policycmp.example/schema/actor.json",
        "title": "policycmp actor file",
        "type": "object",
        "required": ["actor", "name", "role", "sources", "claims"],
        "additionalProperties": False,
        "properties": {
            "actor": {**_SLUG, "description": "the actor id (slug), unique in the corpus"},
            "name": _TEXT,
            "role": {**_SLUG, "description": "e.g. cloud-host, app-store, platform, social-network, court"},
            "description": {"type": "string"},
            "wikidata": {
                "type": "string",
                "pattern": "^\\s*Q[1-9][0-9]*\\s*$",
                "description": "the actor's Wikidata item id (e.g. Q312): the same item in two cases is one actor",
            },
            "same_as": {
                "description": "actor ids in other cases that name this actor",
                "anyOf": [_TEXT, {"type": "array", "items": _TEXT}],
            },
            "sources": {"type": "object", "additionalProperties": source},
            "claims": {"type": "array", "items": claim},
        },
    }


def schema(kind: str | None = None) -> dict[str, Any]:
    """The schema of ``case`` or ``actor`` files; with no kind, one schema accepting either."""
    if kind == "case":
        return case_schema()
    if kind == "actor":
        return actor_schema()
    case, actor = case_schema(), actor_schema()
    for s in (case, actor):
        del s["$schema"], s["$id"]
    return {
        "$schema": DRAFT,
        "$id": "https://policycmp.example/schema/corpus-file.json",
        "title": "policycmp corpus file (case.yaml or an actor file)",
        "anyOf": [{"$ref": "#/$defs/case"}, {"$ref": "#/$defs/actor"}],
        "$defs": {"case": case, "actor": actor},
    }
