"""Normalization: the rules in the README's "The corpus format", value by value and through whole files.

The expected values are written out from the specification (alias families, date forms), not
read from the library's own tables, so that a changed table is caught here.
"""

from __future__ import annotations

import calendar
import math
import shutil
import tempfile
from pathlib import Path
from typing import Any

import pandas as pd
import pytest
import yaml
from hypothesis import given, settings
from hypothesis import strategies as st

import policycmp
from policycmp import normalize as norm

from .corpus_helpers import MINI

# -- slugs -----------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("raw", "slug"),
    [
        ("Incitement On_Platform", "incitement-on-platform"),
        ("incitement-on-platform", "incitement-on-platform"),
        ("  warned\t", "warned"),
        ("\n Public Safety \n", "public-safety"),
        ("a  __  b", "a-b"),
        ("a - b", "a-b"),
        ("a--b", "a-b"),
        ("a_b_c", "a-b-c"),
        ("a\tb\nc", "a-b-c"),
        ("AUP", "aup"),
        ("Letter 2021-01-09", "letter-2021-01-09"),
        ("v1.2", "v1.2"),
        ("Cafe\u0301", "caf\u00e9"),  # NFC: e + combining acute -> é
        ("CAFE\u0301", "caf\u00e9"),
        ("Ange\u0301lique_Dupont", "ang\u00e9lique-dupont"),
        # lower-casing 'T' + diaeresis gives 't' + diaeresis, which has a precomposed form
        ("T\u0308", "\u1e97"),
        ("Straße", "straße"),
    ],
)
def test_slugify(raw: str, slug: str) -> None:
    assert norm.slugify(raw) == slug


def test_slugify_composes_to_nfc() -> None:
    assert len(norm.slugify("Cafe\u0301")) == 4
    assert norm.slugify("caf\u00e9") == norm.slugify("cafe\u0301")


@settings(max_examples=300, deadline=None)
@given(st.text())
def test_slugify_is_idempotent(text: str) -> None:
    once = norm.slugify(text)
    assert norm.slugify(once) == once


@settings(max_examples=200, deadline=None)
@given(
    st.text(alphabet=st.characters(categories=["Lu", "Ll", "Nd"]), min_size=1, max_size=8),
    st.lists(st.sampled_from([" ", "_", "  ", "\t", "_ _", "-"]), min_size=1, max_size=3),
)
def test_slugify_separators_become_one_hyphen(word: str, separators: list[str]) -> None:
    text = word.join(["", *separators, ""]).join(["  ", "  "])  # separators between copies of word
    slug = norm.slugify(text)
    assert "--" not in slug
    assert not slug.startswith(" ") and not slug.endswith(" ")
    assert " " not in slug and "_" not in slug


# -- stances ---------------------------------------------------------------------------------

STANCE_FAMILIES = {
    "asserts": ["asserts", "claims", "alleges", "argues", "affirms", "agrees", "supports", "yes"],
    "denies": ["denies", "rejects", "disputes", "refutes", "contests", "disagrees", "no"],
    "qualifies": ["qualifies", "partly", "partially", "nuanced", "mixed"],
}
STANCE_CASES = [(alias, canonical) for canonical, aliases in STANCE_FAMILIES.items() for alias in aliases]


@pytest.mark.parametrize(("alias", "canonical"), STANCE_CASES)
def test_stance_aliases(alias: str, canonical: str) -> None:
    assert norm.stance(alias) == canonical
    assert norm.stance(f"  {alias.upper()} ") == canonical
    assert norm.stance(alias.capitalize()) == canonical


@pytest.mark.parametrize("raw", ["maybe", "assert", "true", "false", "", "  ", "a sserts", "denied"])
def test_unknown_stances(raw: str) -> None:
    assert norm.stance(raw) is None


# -- source types ------------------------------------------------------------------------------

SOURCE_TYPE_FAMILIES = {
    "terms-of-service": ["tos", "terms"],
    "acceptable-use-policy": ["aup"],
    "community-guidelines": [],
    "review-guidelines": ["app review guidelines"],
    "developer-policy": ["developer terms"],
    "contract": ["customer agreement"],
    "letter": [],
    "press-statement": ["statement"],
    "social-post": ["post", "tweet"],
    "interview": [],
    "court-filing": ["complaint", "motion", "brief", "declaration"],
    "court-order": ["order", "ruling", "opinion"],
    "news-report": ["article", "news"],
    "other": [],
}
SOURCE_TYPE_CASES = [
    (alias, canonical)
    for canonical, aliases in SOURCE_TYPE_FAMILIES.items()
    for alias in [canonical, canonical.replace("-", " "), canonical.replace("-", "_").upper(), *aliases]
]


@pytest.mark.parametrize(("alias", "canonical"), SOURCE_TYPE_CASES)
def test_source_type_aliases(alias: str, canonical: str) -> None:
    assert norm.source_type(alias) == canonical
    assert norm.source_type(f" {alias.title()}  ") == canonical


@pytest.mark.parametrize("raw", ["verdict", "email", "tweets", "", "terms of use"])
def test_unknown_source_types(raw: str) -> None:
    assert norm.source_type(raw) is None


@pytest.mark.parametrize("ground", ["contract", "policy", "law", "fact", "principle"])
def test_grounds(ground: str) -> None:
    assert norm.ground(ground) == ground
    assert norm.ground(f" {ground.upper()}") == ground


def test_unknown_ground() -> None:
    assert norm.ground("statute") is None


# -- dates -----------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("raw", "iso"),
    [
        ("2021-01-11", "2021-01-11"),
        ("2021-1-5", "2021-01-05"),
        ("2021-01", "2021-01"),
        ("2021", "2021"),
        ("January 11, 2021", "2021-01-11"),
        ("january 11 2021", "2021-01-11"),
        ("JANUARY 11, 2021", "2021-01-11"),
        ("11 Jan 2021", "2021-01-11"),
        ("11 January 2021", "2021-01-11"),
        ("Jan. 11 2021", "2021-01-11"),
        ("Jan 11, 2021", "2021-01-11"),
        ("Sept 3, 2020", "2020-09-03"),
        ("3rd March 2020", "2020-03-03"),
        ("March 1st, 2020", "2020-03-01"),
        ("January 2021", "2021-01"),
        ("Dec. 2020", "2020-12"),
        ("February 29, 2020", "2020-02-29"),
        ("2021-01-11T10:30:00Z", "2021-01-11"),
        ("2021-01-11T10:30:00.123+01:00", "2021-01-11"),
        ("2021-01-11 10:30", "2021-01-11"),
        ("  2021-01-11 \n", "2021-01-11"),
    ],
)
def test_date_forms_keep_their_precision(raw: str, iso: str) -> None:
    assert norm.date(raw) == iso


@pytest.mark.parametrize(
    "raw",
    [
        "2021-02-29",
        "2021-02-30",
        "2021-04-31",
        "2021-13",
        "2021-00",
        "2021-01-00",
        "0000",
        "January 32, 2021",
        "February 30 2020",
        "Janvier 5, 2021",
        "11/01/2021",
        "2021/01/11",
        "11.01.2021",
        "yesterday",
        "",
        "21-01-11",
    ],
)
def test_impossible_or_unknown_dates_raise(raw: str) -> None:
    with pytest.raises(norm.DateError):
        norm.date(raw)
    assert issubclass(norm.DateError, ValueError)


@pytest.mark.parametrize(
    ("iso", "bounds"),
    [
        ("2021", ("2021-01-01", "2021-12-31")),
        ("2021-01", ("2021-01-01", "2021-01-31")),
        ("2021-02", ("2021-02-01", "2021-02-28")),
        ("2020-02", ("2020-02-01", "2020-02-29")),
        ("2021-04", ("2021-04-01", "2021-04-30")),
        ("2021-01-11", ("2021-01-11", "2021-01-11")),
    ],
)
def test_date_bounds(iso: str, bounds: tuple[str, str]) -> None:
    assert norm.date_bounds(iso) == bounds


MONTHS = [
    "January", "February", "March", "April", "May", "June",
    "July", "August", "September", "October", "November", "December",
]  # fmt: skip


def ordinal(day: int) -> str:
    suffix = "th" if 10 <= day % 100 <= 20 else {1: "st", 2: "nd", 3: "rd"}.get(day % 10, "th")
    return f"{day}{suffix}"


@st.composite
def written_dates(draw: st.DrawFn) -> tuple[str, str]:
    """A date in one of the accepted forms, and its ISO text at the written precision."""
    year = draw(st.integers(1990, 2035))
    month = draw(st.integers(1, 12))
    precision = draw(st.sampled_from(["year", "month", "day", "day", "day"]))
    full = MONTHS[month - 1]
    name = draw(st.sampled_from([full, full[:3], full[:3] + ".", full.upper(), full.lower()]))
    if precision == "year":
        return str(year), f"{year:04d}"
    if precision == "month":
        form = draw(st.sampled_from([f"{year}-{month:02d}", f"{name} {year}"]))
        return form, f"{year:04d}-{month:02d}"
    day = draw(st.integers(1, calendar.monthrange(year, month)[1]))
    form = draw(
        st.sampled_from(
            [
                f"{year}-{month:02d}-{day:02d}",
                f"{year}-{month}-{day}",
                f"{name} {day}, {year}",
                f"{name} {day} {year}",
                f"{day} {name} {year}",
                f"{ordinal(day)} {name} {year}",
                f"{name} {ordinal(day)}, {year}",
                f"{year}-{month:02d}-{day:02d}T{draw(st.integers(0, 23)):02d}:{draw(st.integers(0, 59)):02d}:00Z",
                f"{year}-{month:02d}-{day:02d} 12:00",
            ]
        )
    )
    return form, f"{year:04d}-{month:02d}-{day:02d}"


@settings(max_examples=200, deadline=None)
@given(written_dates())
def test_date_normalizes_every_written_form(pair: tuple[str, str]) -> None:
    raw, iso = pair
    assert norm.date(raw) == iso
    assert norm.date(iso) == iso


@settings(max_examples=200, deadline=None)
@given(st.one_of(written_dates().map(lambda pair: pair[0]), st.text(max_size=30)))
def test_date_is_idempotent_on_its_outputs(raw: str) -> None:
    try:
        once = norm.date(raw)
    except norm.DateError:
        return
    assert norm.date(once) == once
    low, high = norm.date_bounds(once)
    assert low <= high and low[:4] == once[:4]


# -- text --------------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("raw", "collapsed"),
    [("a   b", "a b"), (" a\tb\n\nc ", "a b c"), ("a\u00a0\u2003b", "a b"), ("one", "one")],
)
def test_collapse(raw: str, collapsed: str) -> None:
    assert norm.collapse(raw) == collapsed


# -- whole files -------------------------------------------------------------------------------


def corpus_with(tmp_path: Path, actor_text: str) -> Path:
    """The small corpus's case.yaml and one actor file, 'x.yaml'."""
    root = tmp_path / "corpus"
    root.mkdir(parents=True)
    shutil.copy(MINI / "case.yaml", root / "case.yaml")
    (root / "x.yaml").write_text(actor_text, encoding="utf-8")
    return root


ACTOR_HEAD = """\
actor: x
name: X
role: platform
sources:
  a: {title: Source A, type: letter, date: 2021-01-05}
  b: {title: Source B, type: tos, date: 2020}
  c: {title: Source C, type: statement}
claims:
"""


def claims_of(root: Path) -> pd.DataFrame:
    loaded = policycmp.check(root)  # these small corpora leave topics and sources unused on purpose
    assert [str(p) for p in loaded.problems if p.code not in ("unused-topic", "unused-source")] == []
    return policycmp.load(root).claims


def test_yes_and_no_written_unquoted_are_stances(tmp_path: Path) -> None:
    stances = ["yes", "no", "Yes", "NO", "'yes'", '"no"', "Claims", "REJECTS", "partly"]
    body = "".join(f"  - {{topic: political, stance: {s}, summary: s{i}, source: a}}\n" for i, s in enumerate(stances))
    frame = claims_of(corpus_with(tmp_path, ACTOR_HEAD + body))
    assert list(frame["stance"]) == [
        "asserts", "denies", "asserts", "denies", "asserts", "denies", "asserts", "denies", "qualifies",
    ]  # fmt: skip


def test_every_stance_alias_in_a_file(tmp_path: Path) -> None:
    body = "".join(
        f"  - topic: political\n    stance: {alias}\n    summary: claim {i}\n    source: a\n"
        for i, (alias, _) in enumerate(STANCE_CASES)
    )
    frame = claims_of(corpus_with(tmp_path, ACTOR_HEAD + body))
    assert list(frame["stance"]) == [canonical for _, canonical in STANCE_CASES]


def test_every_source_type_alias_in_a_file(tmp_path: Path) -> None:
    sources = "".join(f"  s{i}: {{title: T{i}, type: {alias}}}\n" for i, (alias, _) in enumerate(SOURCE_TYPE_CASES))
    body = "".join(
        f"  - {{topic: political, stance: asserts, summary: c{i}, source: s{i}}}\n"
        for i in range(len(SOURCE_TYPE_CASES))
    )
    text = "actor: x\nname: X\nrole: platform\nsources:\n" + sources + "claims:\n" + body
    frame = claims_of(corpus_with(tmp_path, text))
    assert list(frame["source_type"]) == [canonical for _, canonical in SOURCE_TYPE_CASES]


def test_dates_in_files(tmp_path: Path) -> None:
    written = [
        ("2021-01-11", "2021-01-11"),  # a YAML date
        ("2021-01-11 10:30:00", "2021-01-11"),  # a YAML timestamp
        ("2021-01-11T10:30:00Z", "2021-01-11"),
        ("2021", "2021"),  # a YAML integer
        ("2021-01", "2021-01"),
        ("January 11, 2021", "2021-01-11"),
        ("11 Jan 2021", "2021-01-11"),
        ("Jan. 11 2021", "2021-01-11"),
        ("'2020-02-29'", "2020-02-29"),
    ]
    body = "".join(
        f"  - topic: political\n    stance: asserts\n    summary: c{i}\n    source: a\n    date: {raw}\n"
        for i, (raw, _) in enumerate(written)
    )
    frame = claims_of(corpus_with(tmp_path, ACTOR_HEAD + body))
    assert list(frame["date"]) == [iso for _, iso in written]


def test_claim_date_defaults_to_the_first_source(tmp_path: Path) -> None:
    body = """\
  - {topic: political, stance: asserts, summary: one, source: a}
  - {topic: political, stance: asserts, summary: two, source: [b, a]}
  - {topic: political, stance: asserts, summary: three, source: [a, b]}
  - {topic: political, stance: asserts, summary: four, source: c}
  - {topic: political, stance: asserts, summary: five, source: [c, a]}
  - {topic: political, stance: asserts, summary: six, source: [b, a], date: March 2021}
"""
    frame = claims_of(corpus_with(tmp_path, ACTOR_HEAD + body))
    dates = [None if pd.isna(d) else d for d in frame["date"]]
    assert dates == ["2021-01-05", "2020", "2021-01-05", None, None, "2021-03"]


def test_summary_whitespace_collapses_and_quote_is_kept_verbatim(tmp_path: Path) -> None:
    body = """\
  - topic: political
    stance: asserts
    summary: "  The host\\t says\\n\\n   it   was  political.  "
    quote: "  We   never\\tsaid   that.  "
    source: a
  - topic: political
    stance: denies
    summary: >
      Folded
      over   lines.
    quote: |
      Line one,
        indented line two.
    source: a
"""
    frame = claims_of(corpus_with(tmp_path, ACTOR_HEAD + body))
    assert list(frame["summary"]) == ["The host says it was political.", "Folded over lines."]
    assert list(frame["quote"]) == ["We   never\tsaid   that.", "Line one,\n  indented line two."]


def test_claim_ids_are_generated_skipping_written_ones(tmp_path: Path) -> None:
    body = """\
  - {topic: political, stance: asserts, summary: one, source: a}
  - {id: political-1, topic: warned, stance: asserts, summary: two, source: a}
  - {topic: Political, stance: asserts, summary: three, source: a}
  - {topic: notice, stance: asserts, summary: four, source: a}
  - {id: Custom ID, topic: political, stance: asserts, summary: five, source: a}
  - {topic: political, stance: asserts, summary: six, source: a}
  - {id: warned-3, topic: political, stance: asserts, summary: seven, source: a}
  - {topic: warned, stance: asserts, summary: eight, source: a}
"""
    root = corpus_with(tmp_path, ACTOR_HEAD + body)
    ids = list(claims_of(root)["claim"])
    assert ids == [
        "political-2", "political-1", "political-3", "warned-1", "custom-id", "political-4", "warned-3", "warned-2",
    ]  # fmt: skip
    assert list(claims_of(root)["claim"]) == ids  # stable from one load to the next


def test_generated_ids_do_not_depend_on_other_topics(tmp_path: Path) -> None:
    one = "  - {topic: political, stance: asserts, summary: one, source: a}\n"
    two = "  - {topic: warned, stance: asserts, summary: two, source: a}\n"
    first = claims_of(corpus_with(tmp_path / "1", ACTOR_HEAD + one + two))
    second = claims_of(corpus_with(tmp_path / "2", ACTOR_HEAD + two + one))
    assert dict(zip(first["summary"], first["claim"], strict=True)) == dict(
        zip(second["summary"], second["claim"], strict=True)
    )


def test_source_lists(tmp_path: Path) -> None:
    body = """\
  - {topic: political, stance: asserts, summary: one, source: a}
  - {topic: political, stance: asserts, summary: two, source: [B, a]}
  - {topic: political, stance: asserts, summary: three, source: [a]}
  - {topic: political, stance: asserts, summary: four, source: [c, a, b]}
"""
    frame = claims_of(corpus_with(tmp_path, ACTOR_HEAD + body))
    assert list(frame["source"]) == ["a", "b; a", "a", "c; a; b"]
    assert list(frame["source_title"]) == ["Source A", "Source B; Source A", "Source A", "Source C; Source A; Source B"]
    assert list(frame["source_type"]) == ["letter", "terms-of-service", "letter", "press-statement"]


def test_topic_aliases_resolve_to_the_topic_id(tmp_path: Path) -> None:
    spellings = [
        ("violent-content", "violent-content"),
        ("Violent Content", "violent-content"),
        ("violence", "violent-content"),
        ("  VIOLENCE ", "violent-content"),
        ("Violent Posts", "violent-content"),
        ("violent_posts", "violent-content"),
        ("violent-posts", "violent-content"),
        ("notice", "warned"),
        ("Warned", "warned"),
        ("political", "political"),
    ]
    body = "".join(
        f"  - {{topic: '{raw}', stance: asserts, summary: c{i}, source: a}}\n" for i, (raw, _) in enumerate(spellings)
    )
    frame = claims_of(corpus_with(tmp_path, ACTOR_HEAD + body))
    assert list(frame["topic"]) == [topic for _, topic in spellings]


def test_claims_table_columns(tmp_path: Path) -> None:
    frame = claims_of(
        corpus_with(tmp_path, ACTOR_HEAD + "  - {topic: political, stance: yes, summary: s, source: a}\n")
    )
    spec = "actor, claim, topic, stance, summary, quote, source, source_title, source_type, date, clause, ground, speaker, path, line"
    assert list(frame.columns)[:15] == spec.split(", ")
    row = frame.iloc[0]
    assert (row["actor"], row["line"], Path(row["path"]).name) == ("x", 9, "x.yaml")


# -- the structural property: random valid actor files ---------------------------------------

# Topic ids and aliases of the small corpus's case.yaml.
TOPIC_SPELLINGS = {
    "violent-content": ["violent-content", "violence", "Violent Posts"],
    "warned": ["warned", "notice"],
    "political": ["political"],
    "moderation": ["moderation"],
}
SOURCE_IDS = ["aup", "letter-1", "order", "press", "tos-2020", "x.y"]
CLAIM_IDS = ["first", "second-point", "political-1", "warned-2", "violent-content-1", "moderation-1", "n.b"]
WORDS = st.text(alphabet="abcdefghijklmnopqrstuvwxyzABCDEFGHIJ0123456789 .,;'\t\n-", min_size=1, max_size=40)
TEXT = WORDS.filter(lambda s: s.strip() != "")


@st.composite
def spelled(draw: st.DrawFn, slug: str) -> str:
    """``slug`` written loosely: any letter case, any separator, surrounding whitespace."""
    out = []
    for char in slug:
        if char in "- ":
            out.append(draw(st.sampled_from(["-", " ", "_", "  ", " _ ", "--"])))
        else:
            out.append(char.upper() if draw(st.booleans()) else char)
    pad = st.sampled_from(["", "", " ", "  "])
    return draw(pad) + "".join(out) + draw(pad)


def canonical_text(value: str | None) -> str | None:
    return None if value is None else (value.strip() or None)


@st.composite
def actor_files(draw: st.DrawFn) -> tuple[dict[str, Any], list[dict[str, Any]]]:
    """A valid actor document (plain values) and, per claim, the row it must become."""
    source_ids = draw(st.lists(st.sampled_from(SOURCE_IDS), min_size=1, max_size=4, unique=True))
    sources: dict[str, Any] = {}
    source_dates: dict[str, str | None] = {}
    for sid in source_ids:
        canonical = draw(st.sampled_from(sorted(SOURCE_TYPE_FAMILIES)))
        alias = draw(st.sampled_from([canonical, *SOURCE_TYPE_FAMILIES[canonical]]))
        src: dict[str, Any] = {"title": draw(TEXT), "type": draw(spelled(alias))}
        source_dates[sid] = None
        if draw(st.booleans()):
            src["date"], source_dates[sid] = draw(written_dates())
        if draw(st.booleans()):
            src["url"] = "https://example.org/" + draw(st.text(alphabet="abc123/-_", max_size=10))
        if draw(st.booleans()):
            src["publisher"] = draw(TEXT)
        sources[draw(spelled(sid))] = src

    n_claims = draw(st.integers(1, 7))
    written_ids = draw(st.lists(st.sampled_from(CLAIM_IDS), max_size=n_claims, unique=True))
    id_slots = draw(st.permutations(range(n_claims)))[: len(written_ids)]
    ids_at = dict(zip(id_slots, written_ids, strict=True))
    claims: list[dict[str, Any]] = []
    expected: list[dict[str, Any]] = []
    for i in range(n_claims):
        topic = draw(st.sampled_from(sorted(TOPIC_SPELLINGS)))
        stance = draw(st.sampled_from(sorted(STANCE_FAMILIES)))
        cited = draw(st.lists(st.sampled_from(source_ids), min_size=1, max_size=3))
        summary = draw(TEXT)
        claim: dict[str, Any] = {}
        if i in ids_at:
            claim["id"] = draw(spelled(ids_at[i]))
        claim["topic"] = draw(spelled(draw(st.sampled_from(TOPIC_SPELLINGS[topic]))))
        claim["stance"] = draw(spelled(draw(st.sampled_from(STANCE_FAMILIES[stance]))))
        claim["summary"] = summary
        spellings = [draw(spelled(s)) for s in cited]
        claim["source"] = spellings[0] if len(spellings) == 1 and draw(st.booleans()) else spellings
        row: dict[str, Any] = {"claim": ids_at.get(i), "topic": topic, "stance": stance}
        row["summary"] = " ".join(summary.split())
        row["source"] = "; ".join(dict.fromkeys(cited))
        for key in ("quote", "clause", "speaker"):
            value = draw(st.none() | WORDS)
            if value is not None:
                claim[key] = value
            row[key] = canonical_text(value)
        row["ground"] = None
        if draw(st.booleans()):
            row["ground"] = draw(st.sampled_from(["contract", "policy", "law", "fact", "principle"]))
            claim["ground"] = draw(spelled(row["ground"]))
        row["date"] = source_dates[cited[0]]
        if draw(st.booleans()):
            claim["date"], row["date"] = draw(written_dates())
        claims.append(claim)
        expected.append(row)

    # generated ids: '<topic>-<n>', counting per topic and skipping the ids written in the file
    used = set(written_ids)
    counters: dict[str, int] = {}
    for row in expected:
        if row["claim"] is None:
            n = counters.get(row["topic"], 0) + 1
            while f"{row['topic']}-{n}" in used:
                n += 1
            counters[row["topic"]] = n
            generated = f"{row['topic']}-{n}"
            row["claim"] = generated
            used.add(generated)

    doc: dict[str, Any] = {"actor": draw(spelled("gen-actor")), "name": draw(TEXT), "role": draw(spelled("platform"))}
    doc["sources"] = sources
    doc["claims"] = claims
    return doc, expected


def dump(doc: dict[str, Any]) -> str:
    return yaml.safe_dump(doc, sort_keys=False, allow_unicode=True, width=1_000_000)


def claim_lines(text: str) -> list[int]:
    """1-based line of each claim mapping, read from the YAML text with PyYAML's composer."""
    root = yaml.compose(text, Loader=yaml.SafeLoader)
    assert root is not None
    claims = next(value for key, value in root.value if key.value == "claims")
    return [item.start_mark.line + 1 for item in claims.value]


def as_python(value: Any) -> Any:
    if value is None or (isinstance(value, float) and math.isnan(value)):
        return None
    return value


def normalized_actor(corpus: policycmp.Corpus, actor_id: str) -> dict[str, Any]:
    """Write the normalized claims back out as an actor file (canonical spellings throughout)."""
    actor = corpus.actors[actor_id]
    sources = {}
    for sid, src in actor.sources.items():
        entry = {"title": src.title, "type": src.type}
        entry.update({k: v for k, v in (("date", src.date), ("url", src.url), ("publisher", src.publisher)) if v})
        sources[sid] = entry
    claims = []
    frame = corpus.claims
    for record in frame[frame["actor"] == actor_id].to_dict("records"):
        claim = {"id": record["claim"], "topic": record["topic"], "stance": record["stance"]}
        claim["summary"] = record["summary"]
        claim["source"] = record["source"].split("; ")
        for key in ("quote", "clause", "ground", "speaker", "date"):
            if as_python(record[key]) is not None:
                claim[key] = record[key]
        claims.append(claim)
    return {"actor": actor.id, "name": actor.name, "role": actor.role, "sources": sources, "claims": claims}


@settings(max_examples=50, deadline=None)
@given(actor_files())
def test_random_actor_files_normalize_every_claim_once_and_idempotently(
    generated: tuple[dict[str, Any], list[dict[str, Any]]],
) -> None:
    doc, expected = generated
    text = dump(doc)
    with tempfile.TemporaryDirectory() as tmp:
        root = corpus_with(Path(tmp), text)
        loaded = policycmp.check(root)
        assert [str(p) for p in loaded.problems if p.code not in ("unused-topic", "unused-source")] == [], text
        corpus = policycmp.load(root)
        frame = corpus.claims
        assert set(frame["actor"]) == {"gen-actor"}

        # (a) every input claim is exactly one row, found at its line, with the expected values
        lines = claim_lines(text)
        assert sorted(frame["line"]) == sorted(lines)
        assert len(set(lines)) == len(lines)
        by_line = {record["line"]: record for record in frame.to_dict("records")}
        for line, row in zip(lines, expected, strict=True):
            got = {key: as_python(by_line[line][key]) for key in row}
            assert got == row, text

        # (b) the normalized claims, written back out, load to the identical table
        rewritten = dump(normalized_actor(corpus, "gen-actor"))
        (root / "x.yaml").write_text(rewritten, encoding="utf-8")
        again = policycmp.load(root).claims
        assert [str(p) for p in policycmp.check(root).problems if not p.code.startswith("unused-")] == []
        pd.testing.assert_frame_equal(
            frame.drop(columns=["path", "line"]).reset_index(drop=True),
            again.drop(columns=["path", "line"]).reset_index(drop=True),
        )


@pytest.mark.parametrize("value", ["2021-01-11T25:00", "2021-01-11T10:61", "2021-01-11T10:00:61"])
def test_impossible_times_are_not_dates(value: str) -> None:
    with pytest.raises(norm.DateError):
        norm.date(value)
