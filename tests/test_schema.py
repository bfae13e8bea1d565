"""The JSON Schemas agree with the loader: what ``validate`` accepts without errors the schema
accepts, and the errors JSON Schema can express it rejects.

Documents are read as a YAML 1.2 language server reads them (``tests/yaml12.py``) and checked
with a third-party validator (``jsonschema``). Most checks are differential: the same file goes
through the loader and through the schema, and the two verdicts must match.
"""

from __future__ import annotations

import json
import re
import unicodedata
from pathlib import Path
from typing import Any

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from jsonschema import Draft202012Validator  # type: ignore[import-untyped]

import policycmp
from policycmp import normalize as norm
from policycmp import schema as schema_module
from policycmp.loader import CASE_FILES, load_corpus
from policycmp.model import Case
from policycmp.schema import FIELDS, REQUIRED, actor_schema, case_schema, date_pattern, schema, url_pattern

from . import yaml12
from .corpus_helpers import MINI

TESTS = Path(__file__).resolve().parent
REPO = TESTS.parent
CORPUS_DIRS = sorted(p for p in (REPO / "policies").iterdir() if p.is_dir()) + sorted(
    p for p in (TESTS / "corpora").iterdir() if any(p.glob("case.y*ml"))
)
# Problem codes whose cause a JSON Schema can state (given the case, for topics).
EXPRESSIBLE = {
    "missing-field", "wrong-type", "unknown-stance", "unknown-source-type", "unknown-ground",
    "bad-date", "bad-url", "bad-slug", "unknown-topic", "unknown-field", "empty-file",
}  # fmt: skip


def errors(document: dict[str, Any], doc: Any) -> list[str]:
    return [e.message for e in Draft202012Validator(document).iter_errors(doc)]


def kind_of(path: Path) -> str:
    return "case" if path.name in CASE_FILES else "actor"


# -- the schemas themselves ---------------------------------------------------------------------


@pytest.mark.parametrize("kind", [None, "case", "actor"])
def test_schemas_are_valid_draft_2020_12(kind: str | None) -> None:
    document = schema(kind, policycmp.load(MINI).case)
    Draft202012Validator.check_schema(document)
    assert document["$schema"] == "https://json-schema.org/draft/2020-12/schema"
    json.dumps(document)  # plain JSON


def test_properties_are_the_loaders_fields() -> None:
    """A field added to the loader's tables appears in the schema without another edit."""
    case, actor = case_schema(), actor_schema()
    objects = {
        "case": case,
        "topic": case["properties"]["topics"]["additionalProperties"],
        "actor": actor,
        "source": actor["properties"]["sources"]["additionalProperties"],
        "claim": actor["properties"]["claims"]["items"],
    }
    for kind, obj in objects.items():
        assert tuple(obj["properties"]) == FIELDS[kind], kind
        assert set(obj["required"]) == set(REQUIRED[kind]), kind
        assert all(spec.get("description") for spec in obj["properties"].values()), kind


def test_a_new_loader_field_is_accepted_with_a_generic_description(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setitem(FIELDS, "topic", (*FIELDS["topic"], "future_field"))
    topic = case_schema()["properties"]["topics"]["additionalProperties"]
    assert topic["properties"]["future_field"]["description"] == "See the README for 'future_field'."
    doc = {"case": "c", "title": "C", "topics": {"t": {"label": "T", "statement": "S.", "future_field": {"id": "x"}}}}
    assert errors(case_schema(), doc) == []


def test_completion_offers_canonical_values_and_never_booleans() -> None:
    claim = actor_schema()["properties"]["claims"]["items"]["properties"]
    source = actor_schema()["properties"]["sources"]["additionalProperties"]["properties"]
    for spec, canonical in (
        (claim["stance"], norm.STANCES),
        (claim["ground"], norm.GROUNDS),
        (source["type"], norm.SOURCE_TYPES),
    ):
        offered = spec["anyOf"][0]
        assert offered["enum"] == list(canonical)
        assert len(offered["markdownEnumDescriptions"]) == len(canonical)
        assert not Draft202012Validator(spec).is_valid(True)
        assert '"boolean"]' not in json.dumps(spec).replace('"boolean", "object"', "")
    for alias, target in norm.STANCE_ALIASES.items():
        if alias != target:
            assert alias in claim["stance"]["anyOf"][0]["markdownEnumDescriptions"][norm.STANCES.index(target)]


def test_the_actor_schema_of_a_case_completes_its_topics_ids_first() -> None:
    case = policycmp.load(MINI).case
    topic = actor_schema(case)["properties"]["claims"]["items"]["properties"]["topic"]
    names = topic["anyOf"][0]["enum"]
    assert names[:4] == ["violent-content", "warned", "political", "moderation"]
    assert set(names[4:]) == {"violence", "violent-posts", "notice"}


# -- every corpus file, through the loader and the schema ---------------------------------------


def _corpus_files() -> list[tuple[Path, Path]]:
    return [(root, path) for root in CORPUS_DIRS for path in sorted(root.glob("*.y*ml"))]


@pytest.mark.parametrize(
    ("root", "path"),
    _corpus_files(),
    ids=lambda v: f"{v.parent.name}/{v.name}" if isinstance(v, Path) and v.suffix else "",
)
def test_every_corpus_file_gets_the_loaders_verdict(root: Path, path: Path) -> None:
    loaded = load_corpus(root)
    shown = {p.location.path for p in loaded.problems}
    codes = {
        p.code for p in loaded.problems if p.severity == "error" and Path(p.location.path).resolve() == path.resolve()
    }
    assert shown is not None
    document = schema(kind_of(path), loaded.case)
    found = errors(document, yaml12.load(path.read_text(encoding="utf-8")))
    if not codes:
        assert found == [], f"validate accepts {path.name}, the schema says {found}"
    elif codes & EXPRESSIBLE:
        assert found, f"validate reports {codes} in {path.name}, the schema accepts it"


def test_the_corpus_files_include_accepted_and_rejected_ones() -> None:
    verdicts = set()
    for root in CORPUS_DIRS:
        loaded = load_corpus(root)
        for path in root.glob("*.y*ml"):
            verdicts.add(
                any(
                    p.severity == "error" and Path(p.location.path).resolve() == path.resolve() for p in loaded.problems
                )
            )
    assert verdicts == {True, False}
    assert len(_corpus_files()) >= 15


# -- generated variants: each alias and spelling accepted, each error kind rejected -------------

CASE_TEXT = (MINI / "case.yaml").read_text(encoding="utf-8")
BASE_CLAIM = {"topic": "violent-content", "stance": "asserts", "summary": "It said so.", "source": "s"}
BASE_SOURCE = {"title": "S", "type": "letter", "date": "2021-01-09", "url": "https://example.org/s"}


def q(value: str) -> str:
    """A double-quoted YAML scalar (always text)."""
    return json.dumps(value, ensure_ascii=False)


def actor_text(
    n: int,
    claim: dict[str, str | None] | None = None,
    source: dict[str, str | None] | None = None,
    top: dict[str, str | None] | None = None,
) -> str:
    """An actor file whose values are YAML source text (``None`` drops a field)."""
    head = {"actor": f"a{n}", "name": q("A"), "role": "platform", **(top or {})}
    src = {k: (q(v) if k in ("title",) else v) for k, v in BASE_SOURCE.items()} | (source or {})
    cl = dict(BASE_CLAIM) | {"summary": q("It said so.")} | (claim or {})
    lines = [f"{k}: {v}" for k, v in head.items() if v is not None]
    if "sources" not in (top or {}):
        lines.append("sources:\n  s:")
        lines += [f"    {k}: {v}" for k, v in src.items() if v is not None]
    if "claims" not in (top or {}):
        lines.append("claims:")
        items = [(k, v) for k, v in cl.items() if v is not None]
        lines += [f"  {'-' if i == 0 else ' '} {k}: {v}" for i, (k, v) in enumerate(items)]
    return "\n".join(lines) + "\n"


def spellings(name: str) -> list[str]:
    """Ways of writing a slug that the loader reads as it: letter case, spaces, underscores."""
    words = name.split("-")
    out = {name, name.upper(), name.title(), f"  {name} ", " ".join(words), "_".join(words), " - ".join(words)}
    out.add("  ".join(w.capitalize() for w in words))
    return sorted(out)


def variants() -> list[tuple[str, dict[str, Any]]]:
    """(label, actor-file pieces) for every alias and spelling, and every error kind."""
    out: list[tuple[str, dict[str, Any]]] = []
    for table, field, where in (
        (norm.STANCE_ALIASES, "stance", "claim"),
        (norm.GROUND_ALIASES, "ground", "claim"),
        (norm.SOURCE_TYPE_ALIASES, "type", "source"),
    ):
        for name in table:
            for spelling in spellings(name):
                out.append((f"{field}={spelling!r}", {where: {field: q(spelling)}}))
            out.append((f"{field}={name}-plain", {where: {field: name}}))
            out.append((f"{field}={name}x", {where: {field: q(name + "x")}}))  # near miss: unknown
        out.append((f"{field}=true", {where: {field: "true"}}))
        out.append((f"{field}=empty", {where: {field: q("")}}))
        out.append((f"{field}=list", {where: {field: f"[{next(iter(table))}]"}}))
    case = policycmp.load(MINI).case
    for topic in case.topics:
        for name in (topic.id, *topic.aliases):
            for spelling in spellings(norm.slugify(name)):
                out.append((f"topic={spelling!r}", {"claim": {"topic": q(spelling)}}))
    out.append(("topic=unknown", {"claim": {"topic": "violent-contents"}}))
    for date in DATES_OK + DATES_BAD:
        out.append((f"date={date!r}", {"claim": {"date": q(date)}}))
        out.append((f"source-date={date!r}", {"source": {"date": date}}))  # plain: numbers stay numbers
    for url in URLS_OK + URLS_BAD:
        out.append((f"url={url!r}", {"source": {"url": q(url)}}))
    for field in ("actor", "name", "role", "sources", "claims"):
        out.append(
            (f"no-{field}", {"top": {field: None}} if field not in ("sources", "claims") else {"top": {field: "~"}})
        )
    for field in BASE_CLAIM:
        out.append((f"claim-no-{field}", {"claim": {field: None}}))
        out.append((f"claim-empty-{field}", {"claim": {field: q(" ")}}))
        out.append((f"claim-null-{field}", {"claim": {field: "~"}}))
        out.append((f"claim-mapping-{field}", {"claim": {field: "{a: b}"}}))
    for field in ("title", "type"):
        out.append((f"source-no-{field}", {"source": {field: None}}))
    for field in ("quote", "clause", "speaker", "date"):
        out.append((f"claim-null-{field}", {"claim": {field: "~"}}))
        out.append((f"claim-number-{field}", {"claim": {field: "2021"}}))
    for value in ("2021", "1.5", "true", "x_y", "X Y", "-x", "x-", "x!", "_x", "é-x"):
        out.append((f"role={value}", {"top": {"role": value}}))
        out.append((f"id={value}", {"claim": {"id": value}}))
    out.append(("name=number", {"top": {"name": "1984"}}))
    for value in ("Q312", " Q1 ", "q312", "Q0312", "312", "Q", '""', "~"):
        out.append((f"wikidata={value}", {"top": {"wikidata": value}}))
    for value in ("apple-inc", "[apple-inc, Apple Inc]", "[]", "~", "'bad id!'", "[~]", "''", "[1984]"):
        out.append((f"same_as={value}", {"top": {"same_as": value}}))
    out.append(("name=bool", {"top": {"name": "false"}}))
    out.append(("source-list", {"claim": {"source": "[s]"}}))
    out.append(("source-empty-list", {"claim": {"source": "[]"}}))
    out.append(("claims-empty", {"top": {"claims": "[]"}}))
    out.append(("unknown-field", {"claim": {"sumary": "x"}}))
    return out


DATES_OK = [
    "2021", "2021-01", "2021-1", "2021-01-09", "2021-1-9", "2020-02-29", "2000-02-29", "2021-12-31",
    "January 11, 2021", "jan 11 2021", "11 Jan 2021", "11th January, 2021", "Sept. 3, 2021", "January 2021",
    "FEB 28 2021", "Feb. 29, 2024", "29 feb 2000", "  2021-01-09  ", "2021-01-09T10:30:00Z", "2021-01-09 10:30",
    "2021-01-09t23:59:60.5+01:00", "0001", "9999-12-31", "March  3,  2021",
]  # fmt: skip
DATES_BAD = [
    "someday", "2022-02-30", "2021-02-29", "1900-02-29", "2021-13", "2021-00", "2021-04-31", "0000", "20210",
    "21-01-09", "January 32, 2021", "Smarch 3, 2021", "Feb 29 2021", "2021-01-09T24:00", "31 June 2021", "2021/01/09",
    "", "0", "99999",
]  # fmt: skip
URLS_OK = [
    "https://example.org/", "http://example.org", "HTTPS://Example.org/a?b=c#d", "https://user:pw@host:8080/p",
    "https://[::1]/x", " https://example.org/ ", "https://a@b@c/", "https://例え.jp/パス",
]  # fmt: skip
URLS_BAD = [
    "ftp://example.org/", "javascript:alert(1)", "example.org", "https://", "https:///path", "https://exa mple.org/",
    'https://example.org/"q"', "https://example.org/<x>", "mailto:a@b.c", "//example.org/", "https://a@/",
    "https://:80/", "",
]  # fmt: skip


@pytest.fixture(scope="module")
def variant_results(tmp_path_factory: pytest.TempPathFactory) -> list[tuple[str, str, bool, list[str]]]:
    """Every variant as an actor file of one corpus: (label, text, loader ok, schema errors)."""
    root = tmp_path_factory.mktemp("variants")
    (root / "case.yaml").write_text(CASE_TEXT, encoding="utf-8")
    texts = {}
    for n, (label, pieces) in enumerate(variants()):
        text = actor_text(n, pieces.get("claim"), pieces.get("source"), pieces.get("top"))
        texts[f"v{n:04d}.yaml"] = (label, text)
        (root / f"v{n:04d}.yaml").write_text(text, encoding="utf-8")
    loaded = load_corpus(root)
    assert loaded.case is not None
    bad = {Path(p.location.path).name for p in loaded.problems if p.severity == "error"}
    document = actor_schema(loaded.case)
    out = []
    for name, (label, text) in sorted(texts.items()):
        out.append((label, text, name not in bad, errors(document, yaml12.load(text))))
    return out


def test_generated_variants_get_the_loaders_verdict(variant_results: list[tuple[str, str, bool, list[str]]]) -> None:
    disagreements = [
        f"{label}: validate {'accepts' if ok else 'rejects'}, schema {'rejects: ' + found[0] if found else 'accepts'}"
        for label, _, ok, found in variant_results
        if ok == bool(found)
    ]
    assert disagreements == []


def test_variants_cover_both_verdicts_for_every_kind(variant_results: list[tuple[str, str, bool, list[str]]]) -> None:
    by_kind: dict[str, set[bool]] = {}
    for label, _, ok, _ in variant_results:
        by_kind.setdefault(re.split(r"[=-]", label)[0], set()).add(ok)
    for kind in (
        "stance",
        "ground",
        "type",
        "topic",
        "date",
        "source",
        "url",
        "role",
        "id",
        "claim",
        "wikidata",
        "same_as",
    ):
        assert by_kind[kind] == {True, False}, kind
    accepted = {label for label, _, ok, _ in variant_results if ok}
    for alias in norm.STANCE_ALIASES:
        assert f"stance={alias.upper()!r}" in accepted
    assert "type='review guidelines'" in accepted and "type='Statement'" in accepted
    assert "date='2022-02-30'" not in accepted


def test_unknown_fields_are_accepted_as_validate_only_warns(
    variant_results: list[tuple[str, str, bool, list[str]]],
) -> None:
    [(ok, found)] = [(ok, found) for label, _, ok, found in variant_results if label == "unknown-field"]
    assert ok and not found  # a warning in validate, accepted here; editors show the deprecationMessage


def test_case_file_variants_get_the_loaders_verdict(tmp_path: Path) -> None:
    cases = {
        "ok": CASE_TEXT,
        "no-title": CASE_TEXT.replace("title: A small dispute\n", ""),
        "numeric-title": CASE_TEXT.replace("title: A small dispute", "title: 1984"),
        "empty-title": CASE_TEXT.replace("title: A small dispute", "title:"),
        "no-statement": CASE_TEXT.replace("    statement: The removal was politically motivated.\n", ""),
        "topics-list": CASE_TEXT[: CASE_TEXT.index("topics:")] + "topics: [a, b]\n",
        "no-topics": CASE_TEXT[: CASE_TEXT.index("topics:")],
        "bad-topic-id": CASE_TEXT.replace("  political:", "  '-political':"),
        "alias-text": CASE_TEXT.replace("aliases: [notice]", "aliases: notice"),
        "alias-null-item": CASE_TEXT.replace("aliases: [notice]", "aliases: [notice, ~]"),
        "group-shorthand": CASE_TEXT.replace("harm: {label: Harmful content}", "harm: Harmful content"),
        "group-no-label": CASE_TEXT.replace("harm: {label: Harmful content}", "harm: {}"),
        "summary-null": CASE_TEXT.replace("summary: >-\n  Host removes a forum; the forum objects.", "summary:"),
        "case-spaces": CASE_TEXT.replace("case: mini", "case: Mini Case"),
        "case-bad": CASE_TEXT.replace("case: mini", "case: '!'"),
        "theme": CASE_TEXT.replace("    group: process\n", "    group: process\n    theme: breach-of-terms\n", 1),
        "theme-negated": CASE_TEXT.replace(
            "    group: process\n", "    group: process\n    theme: {id: Breach Of Terms, negated: Yes}\n", 1
        ),
        "theme-negated-bool": CASE_TEXT.replace(
            "    group: process\n", "    group: process\n    theme: {id: breach-of-terms, negated: false}\n", 1
        ),
        "theme-negated-bad": CASE_TEXT.replace(
            "    group: process\n", "    group: process\n    theme: {id: breach-of-terms, negated: maybe}\n", 1
        ),
        "theme-no-id": CASE_TEXT.replace("    group: process\n", "    group: process\n    theme: {negated: true}\n", 1),
        "theme-empty": CASE_TEXT.replace("    group: process\n", "    group: process\n    theme:\n", 1),
        "theme-list": CASE_TEXT.replace("    group: process\n", "    group: process\n    theme: [a]\n", 1),
    }
    verdicts = {}
    for label, text in cases.items():
        root = tmp_path / label
        root.mkdir()
        (root / "case.yaml").write_text(text, encoding="utf-8")
        loaded = load_corpus(root)
        ok = not any(p.severity == "error" for p in loaded.problems)
        found = errors(case_schema(), yaml12.load(text))
        verdicts[label] = ok
        assert ok != bool(found), f"{label}: validate ok={ok}, schema {found}"
    assert set(verdicts.values()) == {True, False}


# -- the patterns against the normalizer, on generated text -------------------------------------


def test_only_the_kelvin_sign_folds_into_an_ascii_letter() -> None:
    """The slug patterns list each ASCII letter's two cases and these extra characters."""
    extra: dict[str, str] = {}
    for cp in range(0x110000):
        if 0xD800 <= cp < 0xE000:
            continue
        ch = chr(cp)
        lowered = unicodedata.normalize("NFC", ch).lower()
        if len(lowered) == 1 and lowered.isascii() and lowered.isalpha() and ch not in (lowered, lowered.upper()):
            extra[lowered] = extra.get(lowered, "") + ch
    assert extra == schema_module._ASCII_FOLDS


def _loader_date_ok(text: str) -> bool:
    try:
        norm.date(text)
    except norm.DateError:
        return False
    return True


DATE_PIECES = st.sampled_from(
    ["2021", "2020", "1900", "2000", "0000", "-", "02", "2", "29", "30", "31", "1", "9", "13", "00", " ", "  ", ",",
     ".", "jan", "January", "feb", "FEB", "sept", "may", "th", "st", "T", "t", "10:30", ":00", "Z", "+01:00", "x"]
)  # fmt: skip


@settings(max_examples=400, deadline=None)
@given(st.lists(DATE_PIECES, min_size=1, max_size=7).map("".join))
def test_date_pattern_agrees_with_the_normalizer(text: str) -> None:
    assert bool(re.search(date_pattern(), text)) == _loader_date_ok(text), text


@pytest.mark.parametrize("text", DATES_OK + DATES_BAD)
def test_date_pattern_on_listed_dates(text: str) -> None:
    assert bool(re.search(date_pattern(), text)) == _loader_date_ok(text) == (text in DATES_OK)


URL_PIECES = st.sampled_from(
    ["http", "https", "HTTP", "ftp", ":", "//", "/", "example.org", "a", "@", "[::1]", "[v1.x]", "[", "]", "?", "#",
     "=", " ", '"', "<", "%20", ":8080", "é", "\t", "mailto", "\\", "|"]
)  # fmt: skip


@settings(max_examples=400, deadline=None)
@given(st.lists(URL_PIECES, min_size=1, max_size=8).map("".join))
def test_url_pattern_accepts_every_url_the_loader_accepts(text: str) -> None:
    matched = bool(re.search(url_pattern(), text))
    loader_ok = norm.url_problem(text.strip()) is None
    if loader_ok:
        assert matched, text
    elif matched:  # accepted by the pattern only where urlsplit itself refuses the text
        with pytest.raises(ValueError):
            __import__("urllib.parse").parse.urlsplit(text.strip())


@pytest.mark.parametrize("url", URLS_OK + URLS_BAD)
def test_url_pattern_on_listed_urls(url: str) -> None:
    assert bool(re.search(url_pattern(), url)) == (norm.url_problem(url.strip()) is None) == (url in URLS_OK)


SLUG_PIECES = st.sampled_from(["a", "Z", "k", "\u212a", "9", "-", "_", ".", " ", "\t", "é", "É", "!", "'", "ß"])


@settings(max_examples=400, deadline=None)
@given(st.lists(SLUG_PIECES, min_size=1, max_size=6).map("".join))
def test_slug_pattern_accepts_every_valid_id(text: str) -> None:
    pattern = schema_module._slug_pattern()
    valid = text.strip() != "" and norm.is_valid_slug(norm.slugify(text))
    if valid:
        assert re.search(pattern, text), text
    if text.isascii():  # for ASCII the pattern is exact
        assert bool(re.search(pattern, text)) == valid, text


NAME_PIECES = st.sampled_from(["a", "s", "e", "r", "t", "S", "T", "-", "_", " ", "\u212a", "k", "o", "f", "y", "n"])


@settings(max_examples=400, deadline=None)
@given(st.lists(NAME_PIECES, min_size=1, max_size=10).map("".join))
def test_names_pattern_is_exactly_the_loaders_alias_lookup(text: str) -> None:
    names = set(norm.STANCE_ALIASES) | set(norm.SOURCE_TYPE_ALIASES) | {"kk-k", "yes", "no"}
    pattern = schema_module.names_pattern(names)
    assert pattern is not None
    assert bool(re.search(pattern, text)) == (norm.slugify(text) in names), text


@pytest.mark.parametrize("table", [norm.STANCE_ALIASES, norm.SOURCE_TYPE_ALIASES, norm.GROUND_ALIASES])
def test_names_pattern_accepts_every_spelling_of_every_alias(table: dict[str, str]) -> None:
    pattern = schema_module.names_pattern(table)
    assert pattern is not None
    for name in table:
        for spelling in spellings(name):
            assert re.search(pattern, spelling), spelling
        assert not re.search(pattern, name + "x")


def test_schemas_follow_the_tables(monkeypatch: pytest.MonkeyPatch) -> None:
    """Changing the normalizer's tables changes the schema: nothing is listed twice."""
    stances = {**norm.STANCE_ALIASES, "avers": "asserts"}
    stances.pop("no")
    monkeypatch.setattr(norm, "STANCE_ALIASES", stances)
    doc = {
        "actor": "x", "name": "X", "role": "r", "sources": {"s": {"title": "S", "type": "letter"}},
        "claims": [{"topic": "t", "stance": "Avers", "summary": "S.", "source": "s"}],
    }  # fmt: skip
    assert errors(actor_schema(), doc) == []
    doc["claims"][0]["stance"] = "no"
    assert errors(actor_schema(), doc) != []


def test_a_case_with_a_non_ascii_topic_accepts_its_spellings() -> None:
    case = Case("c", "C", None, None, (), (policycmp.model.Topic("żółw", "Ż", "S."),), "case.yaml")
    doc = {
        "actor": "x", "name": "X", "role": "r", "sources": {"s": {"title": "S", "type": "letter"}},
        "claims": [{"topic": "ŻÓŁW", "stance": "asserts", "summary": "S.", "source": "s"}],
    }  # fmt: skip
    assert errors(actor_schema(case), doc) == []


def test_check_jsonschema_agrees_on_the_corpus_files(tmp_path: Path) -> None:
    """check-jsonschema (optional: skipped when not installed) reads YAML with its own parser."""
    import shutil
    import subprocess
    import sys

    program = shutil.which("check-jsonschema") or str(Path(sys.executable).parent / "check-jsonschema")
    if not Path(program).is_file():
        pytest.skip("check-jsonschema is not installed")
    for root in CORPUS_DIRS:
        loaded = load_corpus(root)
        if loaded.case is None:
            continue
        bad = {Path(p.location.path).name for p in loaded.problems if p.severity == "error"}
        for kind in ("case", "actor"):
            schema_file = tmp_path / f"{root.name}-{kind}.json"
            schema_file.write_text(json.dumps(schema(kind, loaded.case)), encoding="utf-8")
            files = [str(p) for p in sorted(root.glob("*.y*ml")) if kind_of(p) == kind and p.name not in bad]
            if files:
                done = subprocess.run(
                    [program, "--schemafile", str(schema_file), *files], capture_output=True, text=True, check=False
                )
                assert done.returncode == 0, f"{root.name}: {done.stdout}{done.stderr}"
    broken = tmp_path / "broken.yaml"
    broken.write_text(actor_text(1, {"date": "2022-02-30"}, {"type": "leter"}), encoding="utf-8")
    schema_file = tmp_path / "actor.json"
    schema_file.write_text(json.dumps(schema("actor")), encoding="utf-8")
    done = subprocess.run(
        [program, "--schemafile", str(schema_file), str(broken)], capture_output=True, text=True, check=False
    )
    assert done.returncode == 1 and "leter" in done.stdout and "2022-02-30" in done.stdout, done.stdout


def test_words_the_loader_refuses_as_ambiguous_stances_are_rejected() -> None:
    words = getattr(norm, "AMBIGUOUS_STANCES", {"concedes": ""})
    stance = actor_schema()["properties"]["claims"]["items"]["properties"]["stance"]
    for word in words:
        assert norm.stance(word) is None
        for spelling in spellings(word):
            assert not Draft202012Validator(stance).is_valid(spelling), spelling
