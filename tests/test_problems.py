"""Broken corpora: every problem is reported, with a stable code, a severity and an exact place.

Each case of the table starts from a copy of the small corpus, replaces the text of one file with
a broken variant of a known base text (``COURT`` and ``CASE`` in ``corpus_helpers``, written out
there so the expected lines and columns can be read off directly), and checks the problem that
``policycmp.check`` reports.
"""

from __future__ import annotations

import re
import time
from dataclasses import dataclass, field
from pathlib import Path

import pytest

import policycmp
from policycmp import Limits, Location, PolicyError, Problem

from .corpus_helpers import CASE, COURT, copy_mini

# Eight levels of nine-fold aliases: 9**8 (43 million) values if expanded naively.
LAUGHS = "a: &a [lol, lol, lol, lol, lol, lol, lol, lol, lol]\n" + "".join(
    f"{name}: &{name} [{', '.join([f'*{prev}'] * 9)}]\n" for prev, name in zip("abcdefgh", "bcdefghi", strict=True)
)


def edit(base: str, old: str, new: str) -> str:
    """``base`` with its one occurrence of ``old`` replaced by ``new``."""
    assert base.count(old) == 1, f"{old!r} must occur exactly once in the base text"
    return base.replace(old, new)


def court(old: str, new: str) -> str:
    return edit(COURT, old, new)


def case(old: str, new: str) -> str:
    return edit(CASE, old, new)


def add_source_field(line: str) -> str:
    """The court file with one more line in its source 'order' (it becomes line 9)."""
    return court("    date: 2021-01-21\n", f"    date: 2021-01-21\n{line}\n")


@dataclass(frozen=True)
class Broken:
    """One broken input and the problem it must produce."""

    id: str
    file: str  # the file whose text is replaced (relative to the corpus)
    text: str | bytes | None  # None: the file is removed
    line: int
    column: int
    code: str
    severity: str = "error"
    where: str | None = None  # the file the problem is reported in, when not ``file``
    message: str | None = None  # a fragment the message must contain
    extra: frozenset[str] = field(default_factory=frozenset)  # follow-on problem codes allowed
    limits: Limits | None = None
    symlink: bool = False  # write the text outside the corpus and link ``file`` to it


CASES = [
    # -- YAML syntax -----------------------------------------------------------------------------
    Broken(
        "syntax-bad-indentation",
        "court.yaml",
        court("    title: Order", "     title: Order"),  # line 6 one column deeper than line 7
        7, 5, "yaml-syntax", message="expected key",
    ),
    Broken(
        "syntax-unclosed-bracket",
        "court.yaml",
        court("    source: order\n  - topic: violent", "    source: [order\n  - topic: violent"),
        14, 10, "yaml-syntax", message="flow sequence",
    ),
    Broken("syntax-tab-indentation", "court.yaml", court("    stance: denies", "\tstance: denies"), 11, 1, "yaml-syntax"),
    Broken(
        "syntax-second-document", "court.yaml", COURT + "---\nactor: again\n", 18, 1, "yaml-syntax",
        message="single document",
    ),
    Broken(
        "control-character", "court.yaml", court("name: The Court", "name: The \x07Court"), 2, 11, "yaml-syntax",
        message="U+0007",
    ),
    Broken(
        "control-character-quoted", "court.yaml", court("name: The Court", 'name: "The \x01Court"'), 2, 12,
        "yaml-syntax", message="U+0001",
    ),
    Broken(
        # columns count characters, not UTF-8 bytes
        "control-character-after-accent", "court.yaml", court("name: The Court", "name: Cour d'Appél \x1b"),
        2, 20, "yaml-syntax", message="U+001B",
    ),
    # -- duplicate keys: YAML would silently keep the last one -------------------------------------
    Broken(
        "duplicate-key-top-level", "court.yaml", court("role: court\n", "role: court\nname: Another Court\n"),
        4, 1, "duplicate-key", message="first at line 2, column 1",
    ),
    Broken(
        "duplicate-key-in-claim",
        "court.yaml",
        court("political motive.\n", "political motive.\n    stance: asserts\n"),
        13, 5, "duplicate-key", message="first at line 11, column 5",
    ),
    Broken(
        "duplicate-key-in-source", "court.yaml", add_source_field("    type: letter"), 9, 5, "duplicate-key",
        message="'type'",
    ),
    Broken(
        "duplicate-key-source-id",
        "court.yaml",
        court("claims:\n", "  order:\n    title: Again\n    type: order\nclaims:\n"),
        9, 3, "duplicate-key", message="'order'",
    ),
    # -- missing fields: at the start of the mapping that lacks them -------------------------------
    Broken("missing-case-id", "case.yaml", case("case: mini\n", ""), 1, 1, "missing-field", message="'case'"),
    Broken("missing-title", "case.yaml", case("title: A small dispute\n", ""), 1, 1, "missing-field", message="'title'"),
    Broken(
        "missing-topics", "case.yaml", CASE[: CASE.index("topics:")], 1, 1, "missing-field", message="'topics'"
    ),
    Broken(
        "missing-topic-label", "case.yaml", case("    label: Warnings given\n", ""), 17, 5, "missing-field",
        message="'label'",
    ),
    Broken(
        "missing-topic-statement",
        "case.yaml",
        case("    statement: The removal was politically motivated.\n", ""),
        22, 5, "missing-field", message="'statement'",
    ),
    Broken("missing-actor", "court.yaml", court("actor: court\n", ""), 1, 1, "missing-field", message="'actor'"),
    Broken("missing-name", "court.yaml", court("name: The Court\n", ""), 1, 1, "missing-field", message="'name'"),
    Broken("missing-role", "court.yaml", court("role: court\n", ""), 1, 1, "missing-field", message="'role'"),
    Broken(
        "missing-sources",
        "court.yaml",
        COURT[: COURT.index("sources:")] + COURT[COURT.index("claims:") :],
        1, 1, "missing-field", message="'sources'", extra=frozenset({"unknown-source"}),
    ),
    Broken(
        "missing-claims", "court.yaml", COURT[: COURT.index("claims:")], 1, 1, "missing-field", message="'claims'"
    ),
    Broken(
        "missing-source-title", "court.yaml", court("    title: Order denying injunction\n", ""), 6, 5,
        "missing-field", message="'title'",
    ),
    Broken(
        "missing-source-type", "court.yaml", court("    type: order\n", ""), 6, 5, "missing-field", message="'type'"
    ),
    Broken(
        "missing-claim-topic", "court.yaml", court("  - topic: political\n    stance", "  - stance"), 10, 5,
        "missing-field", message="'topic'",
    ),
    Broken(
        "missing-claim-stance", "court.yaml", court("    stance: denies\n", ""), 10, 5, "missing-field",
        message="'stance'",
    ),
    Broken(
        "missing-claim-summary",
        "court.yaml",
        court("    summary: The court found no evidence of political motive.\n", ""),
        10, 5, "missing-field", message="'summary'",
    ),
    Broken(
        "missing-claim-source",
        "court.yaml",
        court("    source: order\n  - topic: violent", "  - topic: violent"),
        10, 5, "missing-field", message="'source'",
    ),
    Broken(
        # an empty value is located where the value would be: just after the colon
        "empty-stance", "court.yaml", court("stance: denies", "stance:"), 11, 12, "missing-field", message="empty",
    ),
    Broken("empty-quoted-name", "court.yaml", court("name: The Court", 'name: ""'), 2, 7, "missing-field"),
    Broken("blank-title", "case.yaml", case("title: A small dispute", "title: '   '"), 2, 8, "missing-field"),
    Broken(
        # an empty list cites no source: the claim must not vanish silently
        "empty-source-list",
        "court.yaml",
        court("    source: order\n  - topic: violent", "    source: []\n  - topic: violent"),
        13, 13, "missing-field", message="'source'",
    ),
    # -- unknown fields: warnings, with a suggestion for a near miss -------------------------------
    Broken(
        "unknown-field-near-miss",
        "court.yaml",
        court("political motive.\n", "political motive.\n    sumary: typo\n"),
        13, 5, "unknown-field", "warning", message="did you mean 'summary'",
    ),
    Broken(
        "unknown-field-top-level", "court.yaml", court("role: court\n", "role: court\nwebsite: x\n"), 4, 1,
        "unknown-field", "warning", message="'website'",
    ),
    Broken(
        "unknown-field-in-topic", "case.yaml", case("VIOLENCE\n", "VIOLENCE\n    lable: x\n"),
        16, 5, "unknown-field", "warning", message="did you mean 'label'",
    ),
    # -- wrong types -------------------------------------------------------------------------------
    Broken(
        "claims-not-a-list", "court.yaml", COURT[: COURT.index("claims:")] + "claims: none so far\n", 9, 9,
        "wrong-type", message="list",
    ),
    Broken("claim-is-text", "court.yaml", COURT + "  - the court ruled\n", 18, 5, "wrong-type", message="claim 3"),
    Broken(
        "title-is-a-mapping", "case.yaml", case("title: A small dispute", "title: {text: A small dispute}"), 2, 8,
        "wrong-type", message="'title'",
    ),
    Broken(
        "sources-is-a-list",
        "court.yaml",
        COURT[: COURT.index("sources:")] + "sources:\n  - order\n" + COURT[COURT.index("claims:") :],
        5, 3, "wrong-type", message="'sources'", extra=frozenset({"unknown-source"}),
    ),
    Broken("topic-is-a-list", "court.yaml", court("topic: political", "topic: [political]"), 10, 12, "wrong-type"),
    Broken("document-is-a-list", "court.yaml", "- court\n- order\n", 1, 1, "wrong-type"),
    # -- unknown names, with suggestions -----------------------------------------------------------
    Broken(
        "unknown-topic", "court.yaml", court("topic: political", "topic: politcal"), 10, 12, "unknown-topic",
        message="'politcal' (did you mean 'political'?)",
    ),
    Broken(
        "unknown-stance", "court.yaml", court("stance: denies", "stance: denys"), 11, 13, "unknown-stance",
        message="did you mean 'denies'",
    ),
    Broken(
        "unknown-stance-far", "court.yaml", court("stance: denies", "stance: maybe"), 11, 13, "unknown-stance",
        message="asserts, denies or qualifies",
    ),
    Broken(
        "unknown-source",
        "court.yaml",
        court("    source: order\n  - topic: violent", "    source: ordr\n  - topic: violent"),
        13, 13, "unknown-source", message="did you mean 'order'",
    ),
    Broken(
        "unknown-source-in-list",
        "court.yaml",
        court("    source: order\n  - topic: violent", "    source: [order, press]\n  - topic: violent"),
        13, 21, "unknown-source", message="'press'",
    ),
    Broken(
        "unknown-source-type", "court.yaml", court("type: order", "type: verdict"), 7, 11, "unknown-source-type",
        message="'verdict'",
    ),
    Broken(
        "unknown-group",
        "case.yaml",
        case("    group: process\n  moderation:", "    group: proces\n  moderation:"),
        24, 12, "unknown-group", message="did you mean 'process'",
    ),
    Broken(
        "unknown-ground",
        "court.yaml",
        court("    source: order\n  - topic: violent", "    source: order\n    ground: polcy\n  - topic: violent"),
        14, 13, "unknown-ground", message="did you mean 'policy'",
    ),
    # -- dates -------------------------------------------------------------------------------------
    Broken(
        "bad-date-february-30", "court.yaml", court("date: 2021-01-21", "date: 2021-02-30"), 8, 11, "bad-date",
        message="2021-02-30",
    ),
    Broken(
        "bad-date-foreign-month", "court.yaml", court("date: 2021-01-21", "date: Janvier 5, 2021"), 8, 11,
        "bad-date", message="Janvier 5, 2021",
    ),
    Broken("bad-date-month-13", "court.yaml", court("date: 2021-01-21", "date: 2021-13"), 8, 11, "bad-date"),
    Broken(
        "bad-date-on-claim",
        "court.yaml",
        court("    source: order\n  - topic: violent", "    source: order\n    date: 31/12/2020\n  - topic: violent"),
        14, 11, "bad-date",
    ),
    # -- URLs --------------------------------------------------------------------------------------
    Broken(
        "bad-url-javascript", "court.yaml", add_source_field("    url: javascript:alert(1)"), 9, 10, "bad-url",
        message="javascript",
    ),
    Broken("bad-url-ftp", "court.yaml", add_source_field("    url: ftp://court.example/order"), 9, 10, "bad-url"),
    Broken(
        "bad-url-no-host", "court.yaml", add_source_field("    url: https:///order"), 9, 10, "bad-url",
        message="host",
    ),
    Broken(
        "bad-url-space", "court.yaml", add_source_field("    url: https://court.example/the order"), 9, 10, "bad-url"
    ),
    # -- ids ---------------------------------------------------------------------------------------
    Broken("bad-slug-actor", "court.yaml", court("actor: court", "actor: '#!?'"), 1, 8, "bad-slug"),
    Broken(
        "bad-slug-claim-id", "court.yaml", court("  - topic: political", "  - id: '***'\n    topic: political"),
        10, 9, "bad-slug",
    ),
    Broken(
        # a second file with the court's id, written differently: reported in the later file
        "duplicate-actor", "court2.yaml", court("actor: court", "actor: Court"), 1, 8, "duplicate-actor",
        message="court.yaml;",
    ),
    Broken(
        "duplicate-claim",
        "court.yaml",
        court("  - topic: political", "  - id: same\n    topic: political").replace(
            "  - topic: violent-content", "  - id: Same\n    topic: violent-content"
        ),
        15, 9, "duplicate-claim", message="line 10",
    ),
    Broken(
        "duplicate-topic-alias",
        "case.yaml",
        case("    group: process\n  moderation:", "    group: process\n    aliases: [Notice]\n  moderation:"),
        25, 15, "duplicate-topic", message="'warned'",
    ),
    Broken(
        "duplicate-topic-id",
        "case.yaml",
        CASE + "  Political:\n    label: Again\n    statement: Again.\n",
        29, 3, "duplicate-topic",
    ),
    Broken(
        "duplicate-source",
        "court.yaml",
        court("claims:\n", "  Order:\n    title: Again\n    type: order\nclaims:\n"),
        9, 3, "duplicate-source", message="'order'",
    ),
    # -- encoding, size and other file-level problems ----------------------------------------------
    Broken(
        "not-utf8", "court.yaml", court("name: The Court", "name: Cour Suprême").encode("latin-1"), 2, 16, "not-utf8",
        message="0xea",
    ),
    Broken(
        # the column counts characters: 'é' is two bytes in UTF-8 but one column
        "not-utf8-after-accent",
        "court.yaml",
        court("name: The Court", "name: Cour d'Appél X").encode().replace(b"X", b"\xff"),
        2, 20, "not-utf8", message="0xff",
    ),
    Broken(
        # a UTF-8 byte-order mark is not part of the first line's columns
        "not-utf8-with-bom",
        "court.yaml",
        b"\xef\xbb\xbf" + court("actor: court", "actor: c\xf4urt").encode("latin-1"),
        1, 9, "not-utf8", message="0xf4",
    ),
    Broken(
        "file-too-large", "court.yaml", "#" + "x" * 3000 + "\n" + COURT, 1, 1, "file-too-large",
        limits=Limits(max_bytes=2000),
    ),
    Broken(
        "disallowed-tag-python",
        "court.yaml",
        court("role: court\n", "role: court\ndescription: !!python/object/apply:os.system ['true']\n"),
        4, 14, "disallowed-tag", message="python/object/apply:os.system",
    ),
    Broken(
        "disallowed-tag-custom", "court.yaml", court("role: court\n", "role: court\ndescription: !foo bar\n"), 4, 14,
        "disallowed-tag", message="!foo",
    ),
    Broken(
        "disallowed-tag-set", "court.yaml", court("role: court\n", "role: court\ndescription: !!set {a, b}\n"), 4, 14,
        "disallowed-tag",
    ),
    Broken(
        # reported at the anchored value whose expansion passes the limit: '&d' (9**3 + ... values)
        "alias-limit-billion-laughs", "court.yaml", LAUGHS, 4, 4, "alias-limit",
    ),
    Broken(
        "recursive-alias", "court.yaml", court("role: court\n", "role: court\ndescription: &d [x, *d]\n"), 4, 14,
        "recursive-alias",
    ),
    Broken("nesting-limit-flow", "court.yaml", "actor: " + "[" * 5000 + "]" * 5000 + "\n", 1, 107, "nesting-limit"),
    Broken(
        "nesting-limit-later-line",
        "court.yaml",
        court("role: court\n", "role: court\ndescription: " + "{a: " * 150 + "b" + "}" * 150 + "\n"),
        4, 410, "nesting-limit",  # the 101st collection: 'actor' mapping + 100 flow mappings
    ),
    Broken("nesting-limit-block", "court.yaml", "- " * 300 + "x\n", 1, 201, "nesting-limit"),
    Broken("merge-key", "court.yaml", court("role: court\n", "role: court\n<<: {description: x}\n"), 4, 1, "bad-key"),
    Broken("empty-file", "court.yaml", "", 1, 1, "empty-file"),
    Broken("duplicate-group", "case.yaml", case("  process: {label: Process}\n", "  process: {label: Process}\n  Harm: {label: Harm again}\n"), 9, 3, "duplicate-group"),
    Broken("dsa-category-not-a-statement-category", "case.yaml", case("dsa_category: STATEMENT_CATEGORY_VIOLENCE", "dsa_category: violence"), 15, 19, "unknown-dsa-category", "warning"),
    Broken("no-claims", "court.yaml", COURT[: COURT.index("claims:")] + "claims: []\n", 9, 9, "no-claims", "warning", extra=frozenset({"unused-source"})),
    Broken("comments-only-file", "court.yaml", "# to be written\n\n", 1, 1, "empty-file"),
    Broken("empty-case-file", "case.yaml", "", 1, 1, "empty-file"),
    Broken("missing-case", "case.yaml", None, 1, 1, "missing-case"),
    Broken("duplicate-case", "case.yml", CASE, 1, 1, "duplicate-case"),
    Broken("symlink-outside", "court.yaml", COURT, 1, 1, "symlink-outside", symlink=True),
]  # fmt: skip


def make_corpus(tmp_path: Path, case: Broken) -> Path:
    root = copy_mini(tmp_path, files={"case.yaml": CASE})  # the base text, without the comment
    target = root / case.file
    if case.text is None:
        target.unlink()
        return root
    data = case.text.encode("utf-8") if isinstance(case.text, str) else case.text
    if case.symlink:
        outside = tmp_path / "elsewhere.yaml"
        outside.write_bytes(data)
        target.unlink(missing_ok=True)
        target.symlink_to(outside)
    else:
        target.write_bytes(data)
    return root


def located(problems: list[Problem]) -> list[tuple[str, int, int, str, str]]:
    return [(Path(p.location.path).name, p.location.line, p.location.column, p.code, p.severity) for p in problems]


def test_the_table_is_large_and_its_ids_unique() -> None:
    assert len(CASES) >= 35
    assert len({c.id for c in CASES}) == len(CASES)


def test_the_base_texts_are_valid(tmp_path: Path) -> None:
    root = make_corpus(tmp_path, Broken("base", "court.yaml", COURT, 0, 0, ""))
    loaded = policycmp.check(root)
    assert loaded.problems == []
    assert loaded.ok


@pytest.mark.parametrize("case", CASES, ids=[c.id for c in CASES])
def test_broken_input(tmp_path: Path, case: Broken) -> None:
    root = make_corpus(tmp_path, case)
    started = time.perf_counter()
    loaded = policycmp.check(root, limits=case.limits or Limits())
    assert time.perf_counter() - started < 5
    where = case.where or case.file
    expected = (where, case.line, case.column, case.code, case.severity)
    got = located(loaded.problems)
    assert expected in got
    # nothing else is reported, apart from the follow-on problems a case allows
    assert {p.code for p in loaded.problems} <= {case.code} | case.extra, got
    problem = loaded.problems[got.index(expected)]
    if case.message is not None:
        assert case.message in problem.message
    assert problem.message.strip()
    # the display path is the file in the corpus, as the user would find it
    assert Path(problem.location.path).parent.resolve() == root.resolve()
    assert loaded.ok is (case.severity == "warning")
    if case.severity == "error":
        with pytest.raises(PolicyError):
            policycmp.load(root, limits=case.limits or Limits())


def test_billion_laughs_with_default_limits_is_quick(tmp_path: Path) -> None:
    # the same bomb with one more level: 9**9 values, far past any memory, must fail fast
    bomb = LAUGHS + "j: &j [" + ", ".join(["*i"] * 9) + "]\n"
    root = make_corpus(tmp_path, Broken("bomb", "court.yaml", bomb, 0, 0, ""))
    started = time.perf_counter()
    loaded = policycmp.check(root)
    assert time.perf_counter() - started < 2
    assert [(p.code, p.location.line > 0) for p in loaded.problems] == [("alias-limit", True)]


def test_a_lower_alias_limit_is_honoured(tmp_path: Path) -> None:
    text = court("role: court\n", "role: court\ndescription: &d x\nx-a: [*d, *d, *d, *d, *d]\n")
    root = make_corpus(tmp_path, Broken("aliases", "court.yaml", text, 0, 0, ""))
    assert "alias-limit" not in {p.code for p in policycmp.check(root).problems}
    codes = {p.code for p in policycmp.check(root, limits=Limits(max_alias_nodes=3)).problems}
    assert "alias-limit" in codes


def test_every_problem_of_every_file_is_reported_in_one_run(tmp_path: Path) -> None:
    root = make_corpus(tmp_path, Broken("many", "court.yaml", court("stance: denies", "stance: denys"), 0, 0, ""))
    host = (root / "host.yaml").read_text(encoding="utf-8")
    (root / "host.yaml").write_text(host.replace("date: 2021-01-11", "date: 2021-02-29"), encoding="utf-8")
    (root / "forum.yaml").write_text("actor: forum\nname: [unclosed\n", encoding="utf-8")
    (root / "case.yaml").write_text(case("VIOLENCE\n", "VIOLENCE\n    colour: red\n"), encoding="utf-8")
    (root / "zz-extra.yaml").write_text(
        court("actor: court", "actor: extra").replace("topic: violent-content", "topic: violent-contnt"),
        encoding="utf-8",
    )
    problems = policycmp.check(root).problems
    codes = {(Path(p.location.path).name, p.code, p.severity) for p in problems}
    assert codes >= {
        ("case.yaml", "unknown-field", "warning"),
        ("court.yaml", "unknown-stance", "error"),
        ("forum.yaml", "yaml-syntax", "error"),
        ("host.yaml", "bad-date", "error"),
        ("zz-extra.yaml", "unknown-topic", "error"),
    }


def test_several_problems_in_one_file_are_all_reported(tmp_path: Path) -> None:
    text = (
        court("stance: denies", "stance: denys")
        .replace("type: order", "type: verdict")
        .replace("topic: violent-content", "topic: violence-content")
        + "  - topic: political\n    stance: asserts\n    summary: x\n    source: nowhere\n"
    )
    root = make_corpus(tmp_path, Broken("several", "court.yaml", text, 0, 0, ""))
    got = {(line, col, code) for _, line, col, code, _ in located(policycmp.check(root).problems)}
    assert got == {
        (7, 11, "unknown-source-type"),
        (11, 13, "unknown-stance"),
        (14, 12, "unknown-topic"),
        (21, 13, "unknown-source"),
    }


def test_problems_are_sorted_by_path_line_and_column(tmp_path: Path) -> None:
    # written so that the order found (field checks, then claims) differs from the file order
    text = (
        court("stance: denies", "stance: denys")
        .replace("role: court\n", "role: court\nwebsite: x\n")
        .replace("type: order", "type: verdict")
    )
    root = make_corpus(tmp_path, Broken("sorted", "court.yaml", text, 0, 0, ""))
    (root / "case.yaml").write_text(case("title: A small dispute", "title: [A small dispute]"), encoding="utf-8")
    (root / "host.yaml").write_text("actor: host\nname: x: y\n", encoding="utf-8")
    problems = policycmp.check(root).problems
    keys = [(p.location.path, p.location.line, p.location.column) for p in problems]
    assert len(keys) >= 5
    assert keys == sorted(keys)
    assert [Path(p.location.path).name for p in problems][:1] == ["case.yaml"]


def test_problem_str_is_compiler_style(tmp_path: Path) -> None:
    root = make_corpus(tmp_path, Broken("str", "court.yaml", court("stance: denies", "stance: denys"), 0, 0, ""))
    (problem,) = policycmp.check(root).problems
    shape = re.compile(
        r"^(?P<path>.+):(?P<line>\d+):(?P<col>\d+): (?P<sev>error|warning): (?P<msg>.+) \[(?P<code>[a-z0-9-]+)\]$"
    )
    m = shape.match(str(problem))
    assert m is not None, str(problem)
    assert Path(m["path"]).name == "court.yaml"
    assert (int(m["line"]), int(m["col"]), m["sev"], m["code"]) == (11, 13, "error", "unknown-stance")
    assert m["msg"] == problem.message


def test_problem_str_and_dict_of_a_constructed_problem() -> None:
    problem = Problem("unknown-topic", "unknown topic 'x'", Location("cases/a.yaml", 12, 7))
    assert str(problem) == "cases/a.yaml:12:7: error: unknown topic 'x' [unknown-topic]"
    warning = Problem("unknown-field", "unknown field 'y'", Location("b.yaml", 3, 1), "warning")
    assert str(warning) == "b.yaml:3:1: warning: unknown field 'y' [unknown-field]"
    assert problem.to_dict() == {
        "path": "cases/a.yaml",
        "line": 12,
        "column": 7,
        "severity": "error",
        "code": "unknown-topic",
        "message": "unknown topic 'x'",
    }


def test_messages_show_control_characters_visibly(tmp_path: Path) -> None:
    # a tab inside a quoted value is legal YAML; the message must not print it raw
    root = make_corpus(
        tmp_path, Broken("ctl", "court.yaml", court("stance: denies", 'stance: "de\\u0085n\\tys"'), 0, 0, "")
    )
    (problem,) = policycmp.check(root).problems
    assert problem.code == "unknown-stance"
    assert "\t" not in problem.message and "\x85" not in problem.message
    assert "\\t" in problem.message and "\\x85" in problem.message


def test_warnings_alone_keep_the_corpus_loadable(tmp_path: Path) -> None:
    text = court("political motive.\n", "political motive.\n    sumary: typo\n")
    root = make_corpus(tmp_path, Broken("warn", "court.yaml", text, 0, 0, ""))
    loaded = policycmp.check(root)
    assert [p.severity for p in loaded.problems] == ["warning"]
    assert loaded.ok
    corpus = policycmp.load(root)
    assert [p.code for p in corpus.warnings] == ["unknown-field"]
    assert len(corpus.claims) == len(loaded.claims) == 10


def test_policy_error_carries_every_problem(tmp_path: Path) -> None:
    text = court("stance: denies", "stance: denys").replace("role: court\n", "role: court\nwebsite: x\n")
    root = make_corpus(tmp_path, Broken("err", "court.yaml", text, 0, 0, ""))
    host = (root / "host.yaml").read_text(encoding="utf-8")
    (root / "host.yaml").write_text(host.replace("type: letter", "type: lettre"), encoding="utf-8")
    with pytest.raises(PolicyError) as info:
        policycmp.load(root)
    problems = info.value.problems
    assert {(Path(p.location.path).name, p.code, p.severity) for p in problems} == {
        ("court.yaml", "unknown-field", "warning"),
        ("court.yaml", "unknown-stance", "error"),
        ("host.yaml", "unknown-source-type", "error"),
    }
    assert problems == policycmp.check(root).problems
    # the exception's text is the first error, and says how many more there are
    assert "unknown-stance" in str(info.value) or "unknown-source-type" in str(info.value)
    assert "1 more" in str(info.value)


def test_nonexistent_corpus_raises_policy_error(tmp_path: Path) -> None:
    with pytest.raises(PolicyError) as info:
        policycmp.check(tmp_path / "nowhere")
    assert [p.code for p in info.value.problems] == ["not-a-corpus"]
    (tmp_path / "file").write_text("x", encoding="utf-8")
    with pytest.raises(PolicyError):
        policycmp.load(tmp_path / "file")


def test_brackets_inside_text_are_not_nesting(tmp_path: Path) -> None:
    text = court("role: court\n", "role: court\ndescription: '" + "[" * 500 + "{" * 500 + "'\n")
    root = make_corpus(tmp_path, Broken("brackets", "court.yaml", text, 0, 0, ""))
    loaded = policycmp.check(root)
    assert loaded.ok, [str(p) for p in loaded.problems]


def test_a_disallowed_tag_is_reported_once(tmp_path: Path) -> None:
    text = court("stance: denies", "stance: !!python/name:os.system denies")
    root = make_corpus(tmp_path, Broken("tag", "court.yaml", text, 0, 0, ""))
    assert [p.code for p in policycmp.check(root).problems] == ["disallowed-tag"]


def test_missing_sources_are_reported_once_not_per_claim(tmp_path: Path) -> None:
    text = re.sub(r"(?ms)^sources:.*?(?=^claims:)", "", COURT)
    assert "sources:" not in text
    root = make_corpus(tmp_path, Broken("nosources", "court.yaml", text, 0, 0, ""))
    assert [p.code for p in policycmp.check(root).problems] == ["missing-field"]


@pytest.mark.parametrize("actor_id", ["topic", "label", "group", "Verdict"])
def test_actor_ids_that_name_table_columns_are_refused(tmp_path: Path, actor_id: str) -> None:
    text = court("actor: court", f"actor: {actor_id}")
    root = make_corpus(tmp_path, Broken("reserved", "court.yaml", text, 0, 0, ""))
    [problem] = policycmp.check(root).problems
    assert (problem.code, problem.location.line, problem.location.column) == ("reserved-id", 1, 8)


@pytest.mark.parametrize("command", ["diff", "changes"])
def test_a_missing_actor_file_is_a_located_error(cli, tmp_path: Path, command: str) -> None:
    root = copy_mini(tmp_path)
    missing = root / "nobody.yaml"
    result = cli(command, root / "host.yaml", missing, "-c", root)
    assert result.exit_code == 1, result.output
    assert re.search(r"nobody\.yaml:1:1: error: .*\[missing-file\]", result.stderr), result.stderr
    assert "Traceback" not in result.output + result.stderr
