"""JSON Schema (draft 2020-12) of the corpus files, generated from the loader's own tables.

One source of truth: the field lists come from ``loader`` and the vocabularies (stances, source
types, grounds, their aliases, month names) from ``normalize``, and the patterns are built from
the normalizer's rules (slugs compare after trimming, lower-casing and turning spaces and
underscores into hyphens). So a schema accepts every file that ``policycmp validate`` accepts
without errors, as a YAML 1.2 reader such as yaml-language-server sees it (``2021-01-09`` and
``yes`` are text, ``2021`` a number), and rejects what JSON Schema can say of the errors: a
missing required field, an unknown stance, source type or ground, an impossible date, a URL that
is not http(s), a value of the wrong kind. Unknown fields are flagged too (``validate`` warns about
them). Completion offers the canonical values; their aliases and other spellings are accepted
through patterns, so that an editor does not list twenty synonyms.

Where a rule needs more than a regular expression can say portably (non-ASCII letters change
case in ways a pattern cannot follow), the schema accepts rather than risk rejecting a valid file.
"""

from __future__ import annotations

import json
import re
from collections.abc import Iterable, Mapping
from functools import lru_cache
from typing import TYPE_CHECKING, Any

from . import normalize as norm
from .loader import ACTOR_FIELDS, CASE_FIELDS, CLAIM_FIELDS, GROUP_FIELDS, SOURCE_FIELDS, TOPIC_FIELDS
from .themes import _FALSE, _TRUE

THEME_FLAGS = _TRUE | _FALSE  # how a theme's `negated` may be written, besides a YAML boolean

if TYPE_CHECKING:
    from .model import Case

DRAFT = "https://json-schema.org/draft/2020-12/schema"
ID_BASE = "https://policycmp.example/schema/"
# Marks a schema file written by ``policycmp schema --write`` (which may replace only its own files).
WRITTEN_MARK = "Written by policycmp schema --write; rewrite it with the same command after changing case.yaml."

# What each field is for: shown by editors on hover and completion, and as comments in the files
# that ``policycmp new`` writes. A field the loader knows and this table does not is still
# accepted (with a generic description), so a new field never makes the schema reject a file.
FIELD_HELP: dict[str, dict[str, str]] = {
    "case": {
        "case": "The case id: letters, digits and hyphens (e.g. parler-2021).",
        "title": "The case's title, shown at the top of tables and reports.",
        "summary": "A few sentences on what happened (optional).",
        "subject": "The party whose conduct is disputed (optional).",
        "groups": "Topic groups, in display order (optional): group id -> label.",
        "topics": "The propositions in dispute, in display order: topic id -> label and statement.",
    },
    "group": {"label": "The group's label, shown in tables."},
    "topic": {
        "label": "A short label, shown in tables.",
        "statement": "The proposition that actors assert, deny or qualify: one sentence, stated one way.",
        "group": "The group the topic belongs to: a key of 'groups' (optional).",
        "aliases": "Other names an actor file may use for this topic (optional).",
        "dsa_category": "Crosswalk to a EU DSA Transparency Database category, e.g. STATEMENT_CATEGORY_VIOLENCE (optional).",
        "theme": "The cross-case theme this topic instantiates: a theme id or alias (policies/themes.yaml or a"
        " --themes file), or {id: ..., negated: true} for a topic phrased against its theme (optional).",
    },
    "actor": {
        "actor": "The actor id: letters, digits and hyphens, unique in the corpus (e.g. aws).",
        "name": "The actor's name as readers know it.",
        "role": "The actor's role: a slug such as cloud-host, app-store, platform, social-network, court.",
        "description": "A sentence on who the actor is (optional).",
        "wikidata": "The actor's Wikidata item, e.g. Q312: the same item in two cases is one actor (optional).",
        "same_as": "Actor ids in other cases that name this actor (optional).",
        "sources": "The documents the claims come from: source id -> title, type, date, url.",
        "claims": "What the actor said: one item per claim, each on one topic of case.yaml.",
    },
    "source": {
        "title": "The document's title.",
        "type": "The kind of document.",
        "date": "When it was published: YYYY-MM-DD, YYYY-MM, YYYY or e.g. 'January 11, 2021' (optional).",
        "url": "Where to read it: an http or https address (optional).",
        "publisher": "Who published or reported it (optional).",
        "text": "A local copy of the document (.txt, .md, .html, .pdf), relative to the corpus, for 'policycmp quotes' (optional).",
    },
    "claim": {
        "id": "A claim id, unique within the actor (optional; generated from the topic when absent).",
        "topic": "The topic this claim is about: a topic id or alias from case.yaml.",
        "stance": "What the actor says about the topic's statement: asserts, denies or qualifies.",
        "summary": "What the actor said, in one or two sentences of your own.",
        "quote": "The actor's words, verbatim (optional).",
        "source": "The source id (from 'sources') this claim comes from, or a list of ids.",
        "clause": "The rule the actor invoked, e.g. 'AUP: No Illegal, Harmful, or Offensive Use' (optional).",
        "ground": "What the claim rests on (optional).",
        "speaker": "The person or office that said it, when not the actor itself (optional).",
        "date": "When it was said (optional; defaults to the first source's date).",
    },
}
REQUIRED: dict[str, tuple[str, ...]] = {
    "case": ("case", "title", "topics"),
    "group": ("label",),
    "topic": ("label", "statement"),
    "actor": ("actor", "name", "role", "sources", "claims"),
    "source": ("title", "type"),
    "claim": ("topic", "stance", "summary", "source"),
}
FIELDS: dict[str, tuple[str, ...]] = {
    "case": CASE_FIELDS,
    "group": GROUP_FIELDS,
    "topic": TOPIC_FIELDS,
    "actor": ACTOR_FIELDS,
    "source": SOURCE_FIELDS,
    "claim": CLAIM_FIELDS,
}

# -- pattern pieces (each valid in both ECMAScript, as editors run them, and Python's re) ------


@lru_cache(maxsize=1)
def _spaces() -> str:
    """A character class body of what ``str.strip()`` and ``\\s`` treat as whitespace in Python
    (ECMAScript's ``\\s`` is a slightly different set, so the class is spelled out)."""
    return "".join(f"\\u{cp:04x}" for cp in range(0x3001) if chr(cp).isspace())


@lru_cache(maxsize=1)
def _ws() -> str:
    return f"[{_spaces()}]"


# Letters whose NFC form lower-cases to an ASCII letter besides the letter's own two cases: only
# the Kelvin sign (tests/test_schema.py checks this against every code point).
_ASCII_FOLDS = {"k": "\u212a"}
_SYNTAX = set("^$\\.*+?()[]{}|/")


def _literal(ch: str) -> str:
    if ch in _SYNTAX:
        return "\\" + ch
    if ch.isascii() and not ch.isprintable():
        return f"\\u{ord(ch):04x}"
    return ch


def _name_pattern(slug: str) -> str:
    """A regular expression of every raw spelling that ``normalize.slugify`` turns into ``slug``
    (an ASCII slug): any letter case, and any run of spaces, underscores and hyphens for a hyphen."""
    out = []
    for ch in slug:
        if ch == "-":
            out.append(f"[{_spaces()}_-]+")
        elif ch.isascii() and ch.isalpha():
            out.append(f"[{ch}{ch.upper()}{_ASCII_FOLDS.get(ch, '')}]")
        else:
            out.append(_literal(ch))
    return "".join(out)


def names_pattern(names: Iterable[str]) -> str | None:
    """A pattern matching every spelling of ``names`` (slugs) that the loader accepts as one of them.

    Non-ASCII names are left out (see :func:`_name_schema`); None when none is left.
    """
    ascii_names = sorted({n for n in names if n.isascii()}, key=lambda n: (-len(n), n))
    if not ascii_names:
        return None
    ws = _ws()
    return f"^{ws}*(?:{'|'.join(_name_pattern(n) for n in ascii_names)}){ws}*$"


@lru_cache(maxsize=1)
def _slug_pattern() -> str:
    """Raw text that ``normalize.slugify`` turns into a valid slug (``normalize.is_valid_slug``):
    a letter or digit first and last, letters, digits, dots, hyphens, underscores and spaces
    between. Non-ASCII characters are let through (Unicode letters are valid in ids)."""
    spaces = _spaces()
    end = f"[^\\u0000-\\u002f\\u003a-\\u0040\\u005b-\\u0060\\u007b-\\u007f{spaces}]"
    middle = f"(?:[A-Za-z0-9._-]|[{spaces}]|[^\\u0000-\\u007f])"
    ws = _ws()
    return f"^{ws}*{end}(?:{middle}*{end})?{ws}*$"


# -- dates --------------------------------------------------------------------------------------

_YEAR = "(?!0000)[0-9]{4}"
_LEAP = "(?:[0-9]{2}(?:0[48]|[2468][048]|[13579][26])|(?:[02468][048]|[13579][26])00)"
_DAY = {31: "(?:0?[1-9]|[12][0-9]|3[01])", 30: "(?:0?[1-9]|[12][0-9]|30)", 28: "(?:0?[1-9]|1[0-9]|2[0-8])"}


def _month_days() -> dict[int, int]:
    import calendar

    return {m: calendar.monthrange(2001, m)[1] for m in range(1, 13)}  # 2001: not a leap year


def _month_number(m: int) -> str:
    return f"0?{m}" if m < 10 else str(m)


def _iso_day_pattern() -> str:
    """YYYY-M-D with the day possible in that month (29 February in leap years only)."""
    by_length: dict[int, list[str]] = {}
    for m, days in _month_days().items():
        by_length.setdefault(days, []).append(_month_number(m))
    alts = [f"{_YEAR}-(?:{'|'.join(months)})-{_DAY[days]}" for days, months in sorted(by_length.items())]
    alts.append(f"{_LEAP}-0?2-29")
    return "(?:" + "|".join(alts) + ")"


def _caseless(word: str) -> str:
    return "".join(f"[{c}{c.upper()}{_ASCII_FOLDS.get(c, '')}]" if c.isalpha() else _literal(c) for c in word)


def _written_date_patterns() -> list[str]:
    """'January 11, 2021', '11 Jan 2021', 'January 2021', as ``normalize.date`` reads them."""
    names: dict[int, list[str]] = {}
    for name, number in norm.MONTH_NAMES.items():
        names.setdefault(number, []).append(name)
    ws = _ws()
    suffix = "(?:[sS][tT]|[nN][dD]|[rR][dD]|[tT][hH])?"
    mdy, dmy, my = [], [], []
    for m, days in _month_days().items():
        month = "(?:" + "|".join(_caseless(n) for n in sorted(names[m], key=len, reverse=True)) + ")\\.?"
        day = _DAY[days]
        mdy.append(f"{month}{ws}+{day}{suffix},?{ws}+{_YEAR}")
        dmy.append(f"{day}{suffix}{ws}+{month},?{ws}+{_YEAR}")
        my.append(f"{month},?{ws}+{_YEAR}")
        if m == 2:
            mdy.append(f"{month}{ws}+29{suffix},?{ws}+{_LEAP}")
            dmy.append(f"29{suffix}{ws}+{month},?{ws}+{_LEAP}")
    return mdy + dmy + my


@lru_cache(maxsize=1)
def date_pattern() -> str:
    """Every text ``normalize.date`` accepts, written with ASCII digits (others are let through)."""
    ws = _ws()
    day = _iso_day_pattern()
    iso = f"{_YEAR}(?:-(?:0?[1-9]|1[0-2]))?|{day}"
    time = (
        f"{day}(?:[Tt]|{ws}+)(?:[01]?[0-9]|2[0-3]):[0-5][0-9](?::(?:[0-5][0-9]|60)(?:\\.[0-9]+)?)?"
        f"{ws}*(?:[Zz]|[+-][0-9]{{1,2}}(?::?[0-9]{{2}})?)?"
    )
    return f"^{ws}*(?:{iso}|{time}|{'|'.join(_written_date_patterns())}){ws}*$"


# -- URLs ---------------------------------------------------------------------------------------


@lru_cache(maxsize=1)
def url_pattern() -> str:
    """An http(s) URL with a host, without the characters ``normalize.url_problem`` refuses."""
    bad = f'\\u0000-\\u0020\\u007f<>"\\\\^`{{|}}{_spaces()}'
    host = f"(?:\\[[0-9A-Fa-f:.]+\\]|\\[[vV][0-9A-Fa-f]+\\.[^/?#@\\[\\]{bad}]+\\]|[^/?#@:\\[\\]{bad}]+)"
    ws = _ws()
    return f"^{ws}*[hH][tT][tT][pP][sS]?://(?:[^/?#{bad}]*@)?{host}(?::[^/?#@\\[\\]{bad}]*)?(?:[/?#][^{bad}]*)?{ws}*$"


# -- value schemas ------------------------------------------------------------------------------

# A YAML 1.2 reader turns `2021`, `1.5` and `true` into numbers and booleans; the loader keeps them
# as the text written. `not` keeps editors from offering true/false as completions.
_OTHER_SCALAR: dict[str, Any] = {"not": {"type": ["string", "object", "array", "null"]}}
# An empty value (`quote:`), stated without `type: null` so that editors do not offer `null`.
_NULL: dict[str, Any] = {"not": {"type": ["string", "number", "boolean", "object", "array"]}}
_NON_ASCII: dict[str, Any] = {"type": "string", "pattern": "[^\\u0000-\\u007f]"}


def _blank() -> dict[str, Any]:
    """An optional field left empty or blank: the loader reads it as absent."""
    return {"type": "string", "pattern": f"^{_ws()}*$"}


def _absent() -> list[dict[str, Any]]:
    return [_NULL, _blank()]


def _text(required: bool) -> dict[str, Any]:
    if required:
        text = {"type": "string", "pattern": f"[^{_spaces()}]", "patternErrorMessage": "Give it a value."}
        return {"anyOf": [text, _OTHER_SCALAR]}
    return {"anyOf": [{"type": "string"}, _OTHER_SCALAR, _NULL]}


def _slug(required: bool) -> dict[str, Any]:
    slug = {
        "type": "string",
        "pattern": _slug_pattern(),
        "patternErrorMessage": "Use letters, digits and hyphens, starting and ending with a letter or digit.",
    }
    return {"anyOf": [slug, _OTHER_SCALAR] + ([] if required else _absent())}


def _text_or_list(required: bool) -> dict[str, Any]:
    item = _text(required=True)
    alts: list[dict[str, Any]] = [item, {"type": "array", "items": item, "minItems": 1 if required else 0}]
    if not required:
        alts[0] = {"anyOf": [{"type": "string"}, _OTHER_SCALAR]}
        alts.append(_NULL)
    return {"anyOf": alts}


def _slug_list() -> dict[str, Any]:
    """One id or a list of ids (``same_as``); empty means none."""
    slug = _slug(True)
    return {"anyOf": [slug, {"type": "array", "items": slug}, _NULL]}


def _theme() -> dict[str, Any]:
    """A topic's theme: a name, or ``{id, negated}``; ``negated`` is a YAML boolean, also written yes/no/on/off."""
    flag = names_pattern(sorted(THEME_FLAGS))
    negated: dict[str, Any] = {"anyOf": [{"type": "boolean"}]}
    if flag is not None:
        negated["anyOf"].append({"type": "string", "pattern": flag, "patternErrorMessage": "Write true or false."})
    ref = {
        "type": "object",
        "required": ["id"],
        "properties": {
            "id": {**_text(True), "description": "The theme id or alias."},
            "negated": {**negated, "description": "true when the topic's statement runs against the theme's."},
        },
        "additionalProperties": _unknown_field("id, negated"),
    }
    return {"anyOf": [_text(True), ref]}


def _wikidata() -> dict[str, Any]:
    ws = _ws()
    item = {
        "type": "string",
        "pattern": f"^{ws}*Q[1-9][0-9]*{ws}*$",
        "patternErrorMessage": "Write Q and digits, e.g. Q312.",
    }
    return {"anyOf": [item, *_absent()]}


def _enum(
    canonical: Iterable[str],
    names: Mapping[str, str],
    what: str,
    required: bool,
    describe: Mapping[str, str] | None = None,
) -> dict[str, Any]:
    """Canonical values for completion (each described with its aliases), and a pattern that
    accepts every spelling of every name the loader maps to one of them."""
    canonical = list(canonical)
    aliases: dict[str, list[str]] = {c: [] for c in canonical}
    for name, target in names.items():
        if name != target and target in aliases:
            aliases[target].append(name)
    descriptions = []
    for c in canonical:
        text = (describe or {}).get(c, "")
        if aliases[c]:
            text += ("; " if text else "") + "also written " + ", ".join(sorted(aliases[c]))
        descriptions.append(text or c)
    pattern = names_pattern(set(names) | set(canonical))
    alts: list[dict[str, Any]] = [
        {"enum": canonical, "enumDescriptions": descriptions, "markdownEnumDescriptions": descriptions}
    ]
    if pattern is not None:
        alts.append(
            {
                "type": "string",
                "pattern": pattern,
                "patternErrorMessage": f"Unknown {what}; use one of: {', '.join(canonical)}.",
            }
        )
    if any(not n.isascii() for n in names):
        alts.append(_NON_ASCII)
    if not required:
        alts += _absent()
    return {"anyOf": alts}


def _date() -> dict[str, Any]:
    return {
        "anyOf": [
            {
                "type": "string",
                "pattern": date_pattern(),
                "patternErrorMessage": "Not a possible date: write YYYY-MM-DD, YYYY-MM, YYYY or e.g. 'January 11, 2021'.",
            },
            {"type": "integer", "minimum": 1, "maximum": 9999},
            _NON_ASCII,
            *_absent(),
        ]
    }


def _url() -> dict[str, Any]:
    return {
        "anyOf": [
            {
                "type": "string",
                "pattern": url_pattern(),
                "patternErrorMessage": "Write a full http:// or https:// address without spaces or quotes.",
            },
            *_absent(),
        ]
    }


STANCE_HELP = {
    "asserts": "the actor says the topic's statement is true",
    "denies": "the actor says the statement is false",
    "qualifies": "the actor agrees in part, or only with conditions",
}


def _object(kind: str, specs: Mapping[str, dict[str, Any]]) -> dict[str, Any]:
    """A mapping with the loader's fields for ``kind``, described, and its required ones."""
    properties: dict[str, Any] = {}
    for field in FIELDS[kind]:
        spec = dict(specs.get(field, {}))
        spec.setdefault("description", FIELD_HELP.get(kind, {}).get(field, f"See the README for '{field}'."))
        spec.setdefault("markdownDescription", spec["description"])
        properties[field] = spec
    return {
        "type": "object",
        "required": [f for f in REQUIRED[kind] if f in properties],
        "properties": properties,
        "additionalProperties": _unknown_field(", ".join(properties)),
    }


def _unknown_field(allowed: str) -> dict[str, Any]:
    """`validate` warns about an unknown field and ignores it; so does an editor that reads
    `deprecationMessage` (yaml-language-server, VS Code), and a validator accepts it."""
    return {
        "deprecationMessage": f"Unknown field: policycmp ignores it (fields here: {allowed}).",
        "doNotSuggest": True,
    }


def _mapping_of(value: dict[str, Any], required: bool, min_items: int = 0) -> dict[str, Any]:
    spec: dict[str, Any] = {
        "type": "object",
        "propertyNames": {"pattern": _slug_pattern()},
        "additionalProperties": value,
    }
    if min_items:
        spec["minProperties"] = min_items
    return spec if required else {"anyOf": [spec, _NULL]}


def case_schema() -> dict[str, Any]:
    """The schema of ``case.yaml``."""
    group = _object("group", {"label": _text(True)})
    topic = _object(
        "topic",
        {
            "label": _text(True),
            "statement": _text(True),
            "group": _slug(False),
            "aliases": _text_or_list(False),
            "dsa_category": _text(False),
            "theme": _theme(),
        },
    )
    case = _object(
        "case",
        {
            "case": _slug(True),
            "title": _text(True),
            "summary": _text(False),
            "subject": _text(False),
            "groups": _mapping_of({"anyOf": [{"type": "string"}, _OTHER_SCALAR, group]}, required=False),
            "topics": _mapping_of(topic, required=True),
        },
    )
    return {"$schema": DRAFT, "$id": ID_BASE + "case.json", "title": "policycmp case file (case.yaml)", **case}


def _topic_ref(case: Case | None) -> dict[str, Any]:
    """A claim's topic: any text, or with a case its topic ids and aliases (completed, ids first)."""
    if case is None:
        return _text(True)
    names: list[str] = []
    descriptions: list[str] = []
    for t in case.topics:
        names.append(t.id)
        descriptions.append(f"{t.label}: {t.statement}")
    for t in case.topics:
        for alias in t.aliases:
            slug = norm.slugify(alias)
            if slug and slug not in names:
                names.append(slug)
                descriptions.append(f"alias of {t.id} ({t.label})")
    alts: list[dict[str, Any]] = [
        {"enum": names, "enumDescriptions": descriptions, "markdownEnumDescriptions": descriptions}
    ]
    pattern = names_pattern(names)
    if pattern is not None:
        alts.append(
            {
                "type": "string",
                "pattern": pattern,
                "patternErrorMessage": "Unknown topic; use a topic id or alias from case.yaml.",
            }
        )
    if any(not n.isascii() for n in names):
        alts.append(_NON_ASCII)
    # A topic id that a YAML 1.2 reader takes for a number (`2021`) arrives as one.
    numbers = [_yaml_number(n) for n in names]
    if any(n is not None for n in numbers):
        alts.append({"enum": [n for n in numbers if n is not None]})
    return {"anyOf": alts}


def _yaml_number(text: str) -> int | float | None:
    if re.fullmatch(r"[0-9]+", text):
        return int(text)
    if re.fullmatch(r"[0-9]+\.[0-9]*(?:e[-+]?[0-9]+)?|[0-9]+e[-+]?[0-9]+", text):
        return float(text)
    return None


def actor_schema(case: Case | None = None) -> dict[str, Any]:
    """The schema of an actor file; with ``case``, a claim's topic completes to its topic ids and aliases."""
    source = _object(
        "source",
        {
            "title": _text(True),
            "type": _enum(norm.SOURCE_TYPES, norm.SOURCE_TYPE_ALIASES, "source type", required=True),
            "date": _date(),
            "url": _url(),
            "publisher": _text(False),
            "text": _text(False),
        },
    )
    claim = _object(
        "claim",
        {
            "id": _slug(True),
            "topic": _topic_ref(case),
            "stance": _enum(norm.STANCES, norm.STANCE_ALIASES, "stance", required=True, describe=STANCE_HELP),
            "summary": _text(True),
            "quote": _text(False),
            "source": _text_or_list(True),
            "clause": _text(False),
            "ground": _enum(norm.GROUNDS, norm.GROUND_ALIASES, "ground", required=False),
            "speaker": _text(False),
            "date": _date(),
        },
    )
    actor = _object(
        "actor",
        {
            "actor": _slug(True),
            "name": _text(True),
            "role": _slug(True),
            "description": _text(False),
            "wikidata": _wikidata(),
            "same_as": _slug_list(),
            "sources": _mapping_of(source, required=True),
            "claims": {"type": "array", "items": claim},
        },
    )
    title = "policycmp actor file" + (f" for the case {case.id}" if case is not None else "")
    return {"$schema": DRAFT, "$id": ID_BASE + "actor.json", "title": title, **actor}


def schema(kind: str | None = None, case: Case | None = None) -> dict[str, Any]:
    """The schema of ``case`` or ``actor`` files; with no kind, one schema accepting either."""
    if kind == "case":
        return case_schema()
    if kind == "actor":
        return actor_schema(case)
    case_doc, actor_doc = case_schema(), actor_schema(case)
    for s in (case_doc, actor_doc):
        del s["$schema"], s["$id"]
    return {
        "$schema": DRAFT,
        "$id": ID_BASE + "corpus-file.json",
        "title": "policycmp corpus file (case.yaml or an actor file)",
        "anyOf": [{"$ref": "#/$defs/case"}, {"$ref": "#/$defs/actor"}],
        "$defs": {"case": case_doc, "actor": actor_doc},
    }


def dumps(document: dict[str, Any]) -> str:
    """A schema as the JSON text written to files and standard output."""
    return json.dumps(document, indent=2, ensure_ascii=False) + "\n"
