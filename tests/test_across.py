"""Themes, actor identity across cases, and ``policycmp across`` (README: "One actor across cases").

Each test writes small cases by hand, so that every expected label can be read off the input.
"""

from __future__ import annotations

import json
import re
import subprocess
import sys
from pathlib import Path
from typing import Any

import pytest

import policycmp
from policycmp.compare import UsageError
from policycmp.crosscase import AcrossResult, build_across, combine, consistency
from policycmp.render import FORMATS

# Topics used by the small cases: id -> theme spec as written in case.yaml (None: no theme).
TOPICS: dict[str, str | None] = {
    "breach": "breach-of-terms",
    "breach-alias": "terms violation",  # an alias of breach-of-terms
    "warned": "prior-warnings",
    "unequal": "{id: equal-application, negated: true}",
    "equal": "equal-application",
    "unthemed": None,
}


def write_case(
    root: Path,
    case_id: str,
    actors: dict[str, dict[str, Any]],
    topics: dict[str, str | None] | None = None,
) -> Path:
    """A case directory: ``actors`` maps an actor id to {name, wikidata, same_as, claims: [(topic, stance)]}."""
    path = root / case_id
    path.mkdir(parents=True)
    lines = [f"case: {case_id}", f"title: Case {case_id}", "topics:"]
    for topic, theme in (topics or TOPICS).items():
        lines += [f"  {topic}:", f"    label: {topic.title()}", f"    statement: Proposition {topic}."]
        if theme is not None:
            lines.append(f"    theme: {theme}")
    (path / "case.yaml").write_text("\n".join(lines) + "\n", encoding="utf-8")
    for actor_id, spec in actors.items():
        out = [f"actor: {actor_id}", f"name: {spec.get('name', actor_id.title())}", "role: platform"]
        if spec.get("wikidata"):
            out.append(f"wikidata: {spec['wikidata']}")
        if spec.get("same_as"):
            out.append(f"same_as: [{', '.join(spec['same_as'])}]")
        out += ["sources:", "  s:", "    title: A statement", "    type: statement", "    date: 2021-01-01", "claims:"]
        for n, (topic, stance) in enumerate(spec["claims"], start=1):
            out += [
                f"  - id: c{n}",
                f"    topic: {topic}",
                f"    stance: {stance}",
                "    summary: Said so.",
                "    source: s",
            ]
        (path / f"{actor_id}.yaml").write_text("\n".join(out) + "\n", encoding="utf-8")
    return path


def run(*args: str | Path) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [sys.executable, "-m", "policycmp", *map(str, args)], capture_output=True, text=True, timeout=120
    )


def rows(result: AcrossResult) -> dict[tuple[str, str], dict[str, Any]]:
    return {(r["actor"], r["theme"]): r for r in result.to_dict()["rows"]}


# -- the rules themselves ------------------------------------------------------------------------


def test_combine_follows_section_4() -> None:
    assert combine(["asserts", "asserts"]) == "asserts"
    assert combine(["denies"]) == "denies"
    assert combine(["asserts", "denies"]) == "inconsistent"
    assert combine(["asserts", "qualifies"]) == "qualifies"
    assert combine(["inconsistent", "qualifies"]) == "inconsistent"
    assert combine([]) is None


def test_consistency_first_rule_applies() -> None:
    assert consistency(["inconsistent", None]) == "one-case"
    assert consistency(["asserts", "asserts", None]) == "same"
    assert consistency(["inconsistent", "inconsistent"]) == "opposite"
    assert consistency(["asserts", "denies"]) == "opposite"
    assert consistency(["qualifies", "denies", "asserts"]) == "opposite"
    assert consistency(["asserts", "qualifies"]) == "shifted"
    assert consistency([None, None]) is None


# -- themes --------------------------------------------------------------------------------------


def test_theme_ids_aliases_and_negation_are_loaded(tmp_path: Path) -> None:
    path = write_case(tmp_path, "one", {"a": {"claims": [("breach", "asserts")]}})
    topics = policycmp.load(path).topics
    assert (topics["breach"].theme, topics["breach"].theme_negated) == ("breach-of-terms", False)
    assert topics["breach-alias"].theme == "breach-of-terms"  # an alias, normalized to the id
    assert (topics["unequal"].theme, topics["unequal"].theme_negated) == ("equal-application", True)
    assert topics["unthemed"].theme is None


def test_unknown_theme_is_a_located_error_with_a_suggestion(tmp_path: Path) -> None:
    path = write_case(tmp_path, "one", {"a": {"claims": [("breach", "asserts")]}}, {"breach": "breach-of-term"})
    done = run("validate", "-c", path)
    assert done.returncode == 1
    assert re.search(
        r"case\.yaml:7:12: error: topic 'breach' names unknown theme 'breach-of-term' \(did you mean"
        r" 'breach-of-terms'\?\).* \[unknown-theme\]",
        done.stderr,
    ), done.stderr
    assert "Traceback" not in done.stderr


@pytest.mark.parametrize(
    ("spec", "message"),
    [
        ("{id: breach-of-terms, negated: maybe}", "theme field 'negated' must be true or false"),
        ("[breach-of-terms]", "field 'theme' must be a theme id"),
        ("{negated: true}", "missing the required field 'id'"),
        ("''", "field 'theme' is empty"),
    ],
)
def test_malformed_theme_fields_are_located_errors(tmp_path: Path, spec: str, message: str) -> None:
    path = write_case(tmp_path, "one", {"a": {"claims": [("breach", "asserts")]}}, {"breach": spec})
    done = run("validate", "-c", path)
    assert done.returncode == 1
    assert re.search(r"case\.yaml:7:\d+: error: .*" + re.escape(message), done.stderr), done.stderr


def test_a_themes_file_adds_and_overrides(tmp_path: Path) -> None:
    themes = tmp_path / "mine.yaml"
    themes.write_text(
        "themes:\n"
        "  breach-of-terms: {label: My breach label, statement: Mine.}\n"
        "  my-theme:\n    label: Mine\n    statement: A theme of my own.\n    aliases: [my alias]\n",
        encoding="utf-8",
    )
    path = write_case(tmp_path, "one", {"a": {"claims": [("breach", "asserts")]}}, {"breach": "my alias"})
    assert run("validate", "-c", path).returncode == 1  # unknown without the file
    done = run("validate", "-c", path, "--themes", themes)
    assert done.returncode == 0, done.stderr
    corpus = policycmp.load(path, themes=themes)
    assert corpus.topics["breach"].theme == "my-theme"
    assert corpus.themes.label("breach-of-terms") == "My breach label"  # overridden
    assert corpus.themes.label("prior-warnings") == "Warned before the action"  # bundled, kept
    listing = run("themes", "-c", path, "--themes", themes, "-f", "json")
    assert listing.returncode == 0, listing.stderr
    used = {r["theme"]: r["used by"] for r in json.loads(listing.stdout)}
    assert used["my-theme"] == "one:breach"


def test_themes_lists_the_bundled_joins() -> None:
    done = run("themes", "-f", "json")
    assert done.returncode == 0, done.stderr
    used = {r["theme"]: r["used by"] for r in json.loads(done.stdout)}
    assert "parler-2021:double-standard (negated)" in used["equal-application"]
    shared = [t for t, u in used.items() if "parler-2021:" in u and "epic-2020:" in u]
    assert len(shared) >= 6, shared


# -- hostile themes files: the corpus loader's limits, located errors, never a traceback -------


@pytest.mark.parametrize(
    ("text", "code"),
    [
        ("themes:\n  a: &x [*x]\n", "recursive-alias"),
        ("themes:\n  a: {label: x, statement: y}\n  a: {label: z, statement: w}\n", "duplicate-key"),
        ("themes: !!python/object:os.system {}\n", "disallowed-tag"),
        ("themes:\n  a: {label: x\n", "yaml-syntax"),
        ("themes:\n" + "  x: " + "[" * 5000 + "]" * 5000 + "\n", "nesting-limit"),
        ("themes:\n  'a\u202eb': {label: x, statement: y}\n", "bad-slug"),
        ("themes:\n  a: {label: x, statement: y, aliases: [b]}\n  b: {label: z, statement: w}\n", "duplicate-theme"),
        ("", "empty-file"),
        (
            "a: &a [x, x, x, x, x, x, x, x, x]\nb: &b [*a, *a, *a, *a, *a, *a, *a, *a, *a]\n"
            "c: &c [*b, *b, *b, *b, *b, *b, *b, *b, *b]\nd: &d [*c, *c, *c, *c, *c, *c, *c, *c, *c]\n"
            "e: &e [*d, *d, *d, *d, *d, *d, *d, *d, *d]\nf: &f [*e, *e, *e, *e, *e, *e, *e, *e, *e]\n"
            "g: [*f, *f, *f, *f, *f, *f, *f, *f, *f]\nthemes: {}\n",
            "alias-limit",
        ),
    ],
)
def test_hostile_themes_files_are_refused_with_located_errors(tmp_path: Path, text: str, code: str) -> None:
    themes = tmp_path / "themes.yaml"
    themes.write_text(text, encoding="utf-8")
    path = write_case(tmp_path, "one", {"a": {"claims": [("breach", "asserts")]}})
    done = run("validate", "-c", path, "--themes", themes, "-f", "json")
    problems = json.loads(done.stdout)
    assert done.returncode == 1, done.stderr
    assert "Traceback" not in done.stderr
    assert any(p["code"] == code and p["path"].endswith("themes.yaml") and p["line"] >= 1 for p in problems), problems


def test_a_themes_file_that_is_too_large_or_missing(tmp_path: Path) -> None:
    path = write_case(tmp_path, "one", {"a": {"claims": [("breach", "asserts")]}})
    big = tmp_path / "big.yaml"
    big.write_text("themes: {}\n# " + "x" * 5000 + "\n", encoding="utf-8")
    done = run("validate", "-c", path, "--themes", big, "--max-file-size", "4000")
    assert done.returncode == 1 and "[file-too-large]" in done.stderr
    done = run("validate", "-c", path, "--themes", tmp_path / "nope.yaml")
    assert done.returncode == 1 and "themes file does not exist" in done.stderr


def test_hostile_theme_labels_are_escaped_in_every_format(tmp_path: Path) -> None:
    themes = tmp_path / "t.yaml"
    # a formula first, then markup, a LaTeX command and an ANSI escape (YAML's "\e")
    themes.write_text(
        'themes:\n  evil:\n    label: "=HYPERLINK(1) <script>alert(1)</script> \\\\input{/etc/passwd} \\e[31mred"\n'
        "    statement: Bad.\n",
        encoding="utf-8",
    )
    topics = {"breach": "evil"}
    one = write_case(tmp_path, "one", {"a": {"claims": [("breach", "asserts")]}}, topics)
    two = write_case(tmp_path, "two", {"a": {"claims": [("breach", "denies")]}}, topics)
    result = policycmp.across([one, two], themes=themes)
    assert result.frame["label"].iloc[0].startswith("=HYPERLINK(1) <script>")  # the value itself is kept
    html = result.to_html()
    assert "<script>" not in html and "&lt;script&gt;" in html
    latex = result.to_latex()
    assert "\\input{" not in latex and "\\textbackslash{}input\\{" in latex
    for text in (result.to_text(), result.to_markdown(), result.to_latex()):
        assert "\x1b" not in text
    csv_text = result.to_csv()
    assert ",'=HYPERLINK(1)" in csv_text and ",=HYPERLINK" not in csv_text


# -- consistency labels on hand-written pairs ----------------------------------------------------


def test_every_label_on_a_pair(tmp_path: Path) -> None:
    one = write_case(
        tmp_path,
        "one",
        {
            "host": {
                "claims": [("breach", "asserts"), ("warned", "asserts"), ("equal", "asserts"), ("unthemed", "asserts")]
            }
        },
    )
    two = write_case(
        tmp_path,
        "two",
        {"host": {"claims": [("breach", "asserts"), ("warned", "qualifies"), ("unequal", "asserts")]}},
    )
    result = build_across([policycmp.load(one), policycmp.load(two)])
    got = rows(result)
    assert got[("host", "breach-of-terms")]["consistency"] == "same"
    assert got[("host", "prior-warnings")]["consistency"] == "shifted"
    # 'unequal' is negated: asserting it is denying equal application, against 'one''s assertion
    eq = got[("host", "equal-application")]
    assert eq["consistency"] == "opposite"
    assert eq["positions"]["two"] == {"position": "denies", "topics": [{"topic": "unequal", "negated": True}],
                                      "claims": ["c3"]}  # fmt: skip
    assert ("host", "unthemed") not in got
    assert result.summary == {"same": 1, "opposite": 1, "shifted": 1, "one-case": 0}
    text = result.to_text()
    assert text.splitlines()[0] == "3 rows, 1 actor, 2 cases: 1 same, 1 opposite, 1 shifted"  # summary first


def test_one_case_and_inconsistent_actor(tmp_path: Path) -> None:
    one = write_case(tmp_path, "one", {"host": {"claims": [("breach", "asserts"), ("breach", "denies")]}})
    two = write_case(tmp_path, "two", {"host": {"claims": [("warned", "asserts"), ("equal", "asserts")]}})
    three = write_case(tmp_path, "three", {"host": {"claims": [("equal", "asserts"), ("unequal", "asserts")]}})
    got = rows(policycmp.across([one, two]))
    assert got[("host", "breach-of-terms")]["consistency"] == "one-case"  # inconsistent, but in one case only
    assert got[("host", "breach-of-terms")]["positions"]["one"]["position"] == "inconsistent"
    assert got[("host", "breach-of-terms")]["positions"]["two"] is None
    # two topics on one theme in 'three': equal asserts, negated unequal asserts -> inconsistent
    got = rows(policycmp.across([two, three]))
    row = got[("host", "equal-application")]
    assert row["positions"]["three"]["position"] == "inconsistent"
    assert [t["topic"] for t in row["positions"]["three"]["topics"]] == ["unequal", "equal"]
    assert row["consistency"] == "opposite"  # inconsistent in any case


def test_several_topics_on_one_theme_combine_like_claims(tmp_path: Path) -> None:
    one = write_case(tmp_path, "one", {"host": {"claims": [("breach", "asserts"), ("breach-alias", "qualifies")]}})
    two = write_case(tmp_path, "two", {"host": {"claims": [("breach", "asserts"), ("breach-alias", "asserts")]}})
    got = rows(policycmp.across([one, two]))
    row = got[("host", "breach-of-terms")]
    assert row["positions"]["one"]["position"] == "qualifies"
    assert row["positions"]["two"]["position"] == "asserts"
    assert row["positions"]["two"]["claims"] == ["c1", "c2"]
    assert row["consistency"] == "shifted"


def test_three_cases(tmp_path: Path) -> None:
    one = write_case(tmp_path, "one", {"host": {"claims": [("breach", "asserts")]}})
    two = write_case(tmp_path, "two", {"host": {"claims": [("breach", "asserts")]}})
    three = write_case(
        tmp_path, "three", {"host": {"claims": [("warned", "denies")]}, "other": {"claims": [("breach", "asserts")]}}
    )
    result = policycmp.across([one, two, three])
    got = rows(result)
    assert got[("host", "breach-of-terms")]["consistency"] == "same"
    assert got[("host", "breach-of-terms")]["positions"]["three"] is None
    assert got[("host", "prior-warnings")]["consistency"] == "one-case"
    assert result.to_dict()["cases"] == ["one", "two", "three"]
    assert "other" not in result.actors  # in one case only


# -- actor identity -------------------------------------------------------------------------------


def test_identity_by_id_wikidata_and_same_as(tmp_path: Path) -> None:
    one = write_case(
        tmp_path,
        "one",
        {
            "apple": {"name": "Apple", "wikidata": "Q312", "claims": [("breach", "asserts")]},
            "host": {"name": "Host", "claims": [("breach", "asserts")]},
            "court": {"name": "W.D. Wash.", "claims": [("breach", "asserts")]},
            "shop": {"name": "Shop", "claims": [("breach", "asserts")]},
        },
    )
    two = write_case(
        tmp_path,
        "two",
        {
            "apple-inc": {"name": "Apple Inc.", "wikidata": "Q312", "claims": [("breach", "denies")]},
            "host": {"name": "Host", "claims": [("breach", "asserts")]},
            "court": {"name": "N.D. Cal.", "wikidata": "Q7", "claims": [("breach", "asserts")]},
            "store": {"name": "Store", "same_as": ["shop"], "claims": [("breach", "asserts")]},
        },
    )
    result = policycmp.across([one, two])
    ident = result.to_dict()["identity"]
    assert ident["apple"] == {"by": "wikidata", "ids": {"one": "apple", "two": "apple-inc"}}
    assert ident["host"] == {"by": "id", "ids": {"one": "host", "two": "host"}}
    assert ident["shop"] == {"by": "same_as", "ids": {"one": "shop", "two": "store"}}
    # the two courts: one has no wikidata item, so equal ids join them, with a warning (names differ)
    assert ident["court"]["by"] == "id"
    assert [w.code for w in result.warnings] == ["identity-unconfirmed", "identity-unconfirmed"]
    assert rows(result)[("apple", "breach-of-terms")]["consistency"] == "opposite"
    text = result.to_text()
    assert "'shop' in one and 'store' in two are joined by same_as" in text
    # --actor takes any of the actor's ids
    assert policycmp.across([one, two], actor="apple-inc").actors == ["apple"]


def test_different_wikidata_items_are_different_actors(tmp_path: Path) -> None:
    one = write_case(tmp_path, "one", {"court": {"name": "Court", "wikidata": "Q1", "claims": [("breach", "asserts")]}})
    two = write_case(tmp_path, "two", {"court": {"name": "Court", "wikidata": "Q2", "claims": [("breach", "asserts")]}})
    result = policycmp.across([one, two])
    assert result.actors == [] and len(result.frame) == 0
    assert result.to_text().splitlines()[0].startswith("0 rows")
    one_only = policycmp.across([one, two], actor="court")
    assert rows(one_only)[("court", "breach-of-terms")]["consistency"] == "one-case"


def test_same_as_written_on_the_later_case_only(tmp_path: Path) -> None:
    one = write_case(tmp_path, "one", {"zz-first": {"claims": [("breach", "asserts")]}})
    two = write_case(tmp_path, "two", {"aa-second": {"same_as": ["zz-first"], "claims": [("breach", "asserts")]}})
    assert policycmp.across([one, two]).to_dict()["identity"]["zz-first"]["by"] == "same_as"


@pytest.mark.parametrize("value", ["Q0312", "q312", "312", "Q", "Q31 2", "Q-1"])
def test_bad_wikidata_items_are_located_errors(tmp_path: Path, value: str) -> None:
    path = write_case(tmp_path, "one", {"a": {"wikidata": f"'{value}'", "claims": [("breach", "asserts")]}})
    done = run("validate", "-c", path)
    assert done.returncode == 1
    assert re.search(r"a\.yaml:4:11: error: wikidata item .* \[bad-wikidata\]", done.stderr), done.stderr


# -- usage --------------------------------------------------------------------------------------------


def test_usage_errors(tmp_path: Path) -> None:
    one = write_case(tmp_path, "one", {"a": {"claims": [("breach", "asserts")]}})
    with pytest.raises(UsageError, match="at least two"):
        policycmp.across([one])
    with pytest.raises(UsageError, match="given twice"):
        policycmp.across([one, one])
    with pytest.raises(UsageError, match="did you mean 'apple'"):
        policycmp.across(["parler-2021", "epic-2020"], actor="appel")
    done = run("across", "parler-2021", "epic-2020", "--actor", "appel")
    assert done.returncode == 2 and "did you mean 'apple'" in done.stderr
    assert run("across", "parler-2021").returncode == 2
    assert run("across", "parler-2021", tmp_path / "nothing").returncode == 2


# -- the bundled pair ------------------------------------------------------------------------------


def test_bundled_pair_apple() -> None:
    result = policycmp.across(["parler-2021", "epic-2020"], actor="apple")
    got = rows(result)
    assert got[("apple", "breach-of-terms")]["consistency"] == "same"
    assert got[("apple", "path-to-reinstatement")]["consistency"] == "shifted"
    assert result.to_dict()["identity"]["apple"]["by"] == "wikidata"
    assert str(result) == repr(result) == result.to_text()
    assert result._repr_html_().startswith("<")


def test_bundled_pair_never_joins_the_two_courts() -> None:
    result = policycmp.across(["parler-2021", "epic-2020"])
    ids = result.to_dict()["identity"]
    assert set(ids) == {"apple", "google"}
    assert not result.warnings


@pytest.mark.parametrize("fmt", list(FORMATS))
def test_bundled_pair_every_format_from_the_cli(fmt: str, tmp_path: Path) -> None:
    out = tmp_path / f"across.{fmt}"
    done = run("across", "parler-2021", "epic-2020", "-f", fmt, "-o", out)
    assert done.returncode == 0, done.stderr
    text = out.read_bytes().decode("utf-8")
    expected = policycmp.across(["parler-2021", "epic-2020"]).render(fmt)
    assert text == expected
    if fmt == "json":
        data = json.loads(text)
        assert list(data) == ["cases", "actors", "summary", "identity", "rows"]
        assert list(data["summary"]) == ["same", "opposite", "shifted", "one-case"]
