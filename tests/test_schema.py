"""The JSON Schemas of the corpus files: valid schemas that accept real files and reject broken ones."""

from __future__ import annotations

import copy
import datetime
from pathlib import Path
from typing import Any

import pytest
import yaml
from jsonschema import Draft202012Validator  # type: ignore[import-untyped]

import policycmp
from policycmp.schema import schema

from .corpus_helpers import MINI

TESTS = Path(__file__).resolve().parent
BUNDLED = TESTS.parent / "policies" / "parler-2021"


def as_json(value: Any) -> Any:
    """A YAML value as an editor's YAML language server hands it to the schema.

    ``yaml.safe_load`` follows YAML 1.1: an unquoted ``2021-01-09`` becomes a ``datetime.date``
    and ``yes``/``no`` become booleans. JSON has no date type, so dates go back to their ISO text
    (the schema accepts text or an integer year); booleans stay, since the schema accepts them
    for ``stance`` precisely because YAML 1.1 tools read ``yes``/``no`` that way.
    """
    if isinstance(value, dict):
        return {str(k): as_json(v) for k, v in value.items()}
    if isinstance(value, list):
        return [as_json(v) for v in value]
    if isinstance(value, datetime.date):
        return value.isoformat()
    return value


def read(path: Path) -> Any:
    return as_json(yaml.safe_load(path.read_text(encoding="utf-8")))


def kind_of(path: Path) -> str:
    return "case" if path.name in ("case.yaml", "case.yml") else "actor"


def validator(kind: str | None) -> Draft202012Validator:
    return Draft202012Validator(schema(kind))


def errors(kind: str | None, doc: Any) -> list[str]:
    return [e.message for e in validator(kind).iter_errors(doc)]


# The bundled case and the small corpus, except mini/host.yaml: it writes the source type as
# 'AUP', which the loader accepts (types compare as slugs) but the schema rejects on purpose, see
# test_schema_is_strict_about_enumerated_spellings.
CANONICAL_FILES = sorted(BUNDLED.glob("*.yaml")) + sorted(p for p in MINI.glob("*.yaml") if p.name != "host.yaml")


@pytest.mark.parametrize("kind", [None, "case", "actor"])
def test_schemas_are_valid_draft_2020_12(kind: str | None) -> None:
    document = schema(kind)
    Draft202012Validator.check_schema(document)
    assert document["$schema"] == "https://json-schema.org/draft/2020-12/schema"


def test_the_files_checked_here_are_the_real_ones() -> None:
    assert len(CANONICAL_FILES) >= 8
    assert {kind_of(p) for p in CANONICAL_FILES} == {"case", "actor"}


@pytest.mark.parametrize("path", CANONICAL_FILES, ids=lambda p: f"{p.parent.name}/{p.name}")
def test_corpus_files_validate(path: Path) -> None:
    doc = read(path)
    assert errors(kind_of(path), doc) == []
    assert errors(None, doc) == []  # the combined schema accepts either kind of file


@pytest.mark.parametrize("path", CANONICAL_FILES, ids=lambda p: f"{p.parent.name}/{p.name}")
def test_a_file_does_not_validate_as_the_other_kind(path: Path) -> None:
    other = "actor" if kind_of(path) == "case" else "case"
    assert errors(other, read(path)) != []


def test_schema_is_strict_about_enumerated_spellings() -> None:
    # The loader accepts any letter case ('AUP'), the schema lists canonical lower-case names and
    # aliases only, so that an editor completes them and flags near misses.
    host = read(MINI / "host.yaml")
    assert host["sources"]["aup"]["type"] == "AUP"
    assert policycmp.check(MINI).ok
    assert errors("actor", host) != []
    host["sources"]["aup"]["type"] = "aup"
    assert errors("actor", host) == []
    host["sources"]["aup"]["type"] = "acceptable-use-policy"
    assert errors("actor", host) == []
    host["claims"][0]["stance"] = "Asserts"
    assert errors("actor", host) != []


ACTOR: dict[str, Any] = {
    "actor": "x",
    "name": "X",
    "role": "platform",
    "sources": {"s": {"title": "S", "type": "letter", "date": "2021-01-05", "url": "https://example.org/s"}},
    "claims": [{"topic": "political", "stance": "asserts", "summary": "It was political.", "source": "s"}],
}
CASE: dict[str, Any] = {
    "case": "c",
    "title": "C",
    "topics": {"political": {"label": "Political", "statement": "It was political."}},
}


def changed(doc: dict[str, Any], path: tuple[Any, ...], value: Any) -> dict[str, Any]:
    """A deep copy of ``doc`` with ``path`` set to ``value`` (or removed when value is ...)."""
    out = copy.deepcopy(doc)
    target = out
    for key in path[:-1]:
        target = target[key]
    if value is ...:
        del target[path[-1]]
    else:
        target[path[-1]] = value
    return out


def test_the_minimal_documents_are_valid() -> None:
    assert errors("actor", ACTOR) == []
    assert errors("case", CASE) == []


@pytest.mark.parametrize(
    ("kind", "doc"),
    [
        pytest.param("actor", changed(ACTOR, ("name",), ...), id="no-name"),
        pytest.param("actor", changed(ACTOR, ("claims",), ...), id="no-claims"),
        pytest.param("actor", changed(ACTOR, ("sources", "s", "type"), ...), id="no-source-type"),
        pytest.param("actor", changed(ACTOR, ("claims", 0, "topic"), ...), id="no-claim-topic"),
        pytest.param("actor", changed(ACTOR, ("claims", 0, "source"), ...), id="no-claim-source"),
        pytest.param("case", changed(CASE, ("title",), ...), id="no-title"),
        pytest.param("case", changed(CASE, ("topics", "political", "statement"), ...), id="no-statement"),
        pytest.param("actor", changed(ACTOR, ("website",), "x"), id="unknown-field"),
        pytest.param("actor", changed(ACTOR, ("claims", 0, "sumary"), "x"), id="unknown-claim-field"),
        pytest.param("actor", changed(ACTOR, ("sources", "s", "kind"), "x"), id="unknown-source-field"),
        pytest.param("case", changed(CASE, ("topics", "political", "labels"), "x"), id="unknown-topic-field"),
        pytest.param("actor", changed(ACTOR, ("claims", 0, "stance"), "maybe"), id="bad-stance"),
        pytest.param("actor", changed(ACTOR, ("claims", 0, "stance"), ""), id="empty-stance"),
        pytest.param("actor", changed(ACTOR, ("sources", "s", "type"), "verdict"), id="bad-source-type"),
        pytest.param("actor", changed(ACTOR, ("claims", 0, "ground"), "statute"), id="bad-ground"),
        pytest.param("actor", changed(ACTOR, ("sources", "s", "url"), "ftp://example.org/s"), id="ftp-url"),
        pytest.param("actor", changed(ACTOR, ("sources", "s", "url"), "javascript:alert(1)"), id="javascript-url"),
        pytest.param("actor", changed(ACTOR, ("sources", "s", "url"), "https://example.org/a b"), id="url-with-space"),
        pytest.param("actor", changed(ACTOR, ("claims",), {"topic": "political"}), id="claims-a-mapping"),
        pytest.param("actor", changed(ACTOR, ("claims",), "none"), id="claims-text"),
        pytest.param("actor", changed(ACTOR, ("claims", 0), "a claim"), id="claim-text"),
        pytest.param("actor", changed(ACTOR, ("sources",), ["s"]), id="sources-a-list"),
        pytest.param("actor", changed(ACTOR, ("claims", 0, "source"), []), id="empty-source-list"),
        pytest.param("actor", changed(ACTOR, ("name",), ""), id="empty-name"),
        pytest.param("case", changed(CASE, ("title",), {"text": "C"}), id="title-a-mapping"),
        pytest.param("case", changed(CASE, ("topics",), {}), id="no-topics"),
        pytest.param("case", changed(CASE, ("topics", "political", "dsa_category"), "violence"), id="bad-dsa-category"),
    ],
)
def test_invalid_documents_fail(kind: str, doc: dict[str, Any]) -> None:
    assert errors(kind, doc) != []
    assert errors(None, doc) != []


@pytest.mark.parametrize(
    ("path", "value"),
    [
        (("claims", 0, "stance"), "yes"),
        (("claims", 0, "stance"), True),  # `yes` read by a YAML 1.1 parser
        (("claims", 0, "stance"), "partly"),
        (("claims", 0, "source"), ["s"]),
        (("claims", 0, "ground"), "policy"),
        (("claims", 0, "date"), "January 11, 2021"),
        (("sources", "s", "date"), 2020),
        (("sources", "s", "type"), "tweet"),
        (("sources", "s", "url"), "http://example.org/"),
    ],
)
def test_valid_variants_pass(path: tuple[Any, ...], value: Any) -> None:
    assert errors("actor", changed(ACTOR, path, value)) == []
