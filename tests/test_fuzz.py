"""No traceback, ever: every command on randomly broken corpora ends cleanly.

Hypothesis builds case and actor files shaped like the real ones (the right keys, often with
the wrong kinds of values; random text with control characters and any Unicode; missing and
extra keys; random nesting; shared subtrees written as YAML anchors and aliases), then damages
the text now and then (a stray tag, a duplicated line, a BOM, CRLF, a cut, Latin-1), or writes
random bytes. Every command runs in-process with exceptions propagating, and must either
succeed with output or exit 1/2 printing only located problem lines and usage errors.

CI runs a bounded number of examples; ``benchmarks/fuzz_campaign.py`` runs the same checks for
as long as you like.
"""

from __future__ import annotations

import json
import re
import tempfile
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import yaml
from hypothesis import HealthCheck, Phase, given, settings
from hypothesis import strategies as st
from typer.testing import CliRunner

from policycmp.cli import app
from policycmp.render import FORMATS as REGISTERED_FORMATS
from tests.corpus_helpers import PROBLEM_LINE, SUMMARY_LINE
from tests.hostile import yaml_quote

# -- strategies ---------------------------------------------------------------------------------

FORMATS = tuple(REGISTERED_FORMATS)  # every format the CLI offers
TOPIC_IDS = ("t1", "t2", "Incitement On_Platform", "ü.topic")
SOURCE_IDS = ("s1", "letter", "AUP")

# any character YAML can carry in a double-quoted string: surrogates are the only exclusion
CHARS = st.characters(exclude_categories=("Cs",))
TEXT = st.text(CHARS, max_size=24)
NASTY = st.sampled_from(
    (
        "", " ", "~", "null", "yes", "no", "on", "1.10", "0x1F", ".inf", "-", "=1+2", "@x", "<<",
        "<script>alert(1)</script>", "\x1b[31m", "\\input{x}", "a|b", "2021-02-30", "2021-13",
        "January 11, 2021", "11 Jan 2021", "0000", "9999-12-31", "javascript:alert(1)",
        "https://example.org/a?b=1&c=2", "http://", "https://exa mple.org", "ftp://x",
        "asserts", "denies", "qualifies", "partly", "tos", "letter", "other", "policy", "\u202e",
        # invisible characters and look-alikes (Cyrillic a, o)
        "a\u200bb", "\u2060", "\ufeffx", "\u206ax", "\u3164", "x\U000e0041", "\u00ad", "\u0430ws", "h\u043est",
    )
)  # fmt: skip
SCALAR = st.one_of(TEXT, NASTY, st.none())
TREE = st.recursive(
    SCALAR,
    lambda children: st.lists(children, max_size=4) | st.dictionaries(st.one_of(TEXT, NASTY), children, max_size=4),
    max_leaves=12,
)
SLUGGY = st.one_of(
    st.sampled_from(("aws", "host", "forum", "x.y", "ålpha", "a-b", "Court Of_Appeals", "\u0430ws", "aws\u200b")), TEXT
)
DATES = st.sampled_from(("2021-01-09", "2021-01", "2021", "January 11, 2021", "2021-02-29", "soon", "0"))


GOOD_TEXT = TEXT.map(lambda t: "x" + t)  # never blank: a required text field that is present


@st.composite
def maybe(draw: st.DrawFn, good: st.SearchStrategy[Any], chaos: bool) -> Any:
    """A good value; with chaos, now and then any value at all."""
    if chaos and draw(st.integers(0, 5)) == 0:
        return draw(TREE)
    return draw(good)


@st.composite
def fields(draw: st.DrawFn, spec: dict[str, st.SearchStrategy[Any]], chaos: bool) -> dict[str, Any]:
    """A mapping of the known keys; with chaos, some go missing or wrong and unknown ones appear."""
    out: dict[str, Any] = {}
    for key, value in spec.items():
        if not chaos or draw(st.integers(0, 9)) > 0:
            out[key] = draw(maybe(value, chaos))
    if chaos and draw(st.integers(0, 7)) == 0:
        out[draw(st.one_of(TEXT, NASTY))] = draw(TREE)
    return out


@st.composite
def case_tree(draw: st.DrawFn, chaos: bool) -> dict[str, Any]:
    text = TEXT if chaos else GOOD_TEXT
    chosen = draw(st.lists(st.sampled_from(TOPIC_IDS), min_size=1, max_size=4, unique=True)) if chaos else TOPIC_IDS
    topics = {
        tid: draw(fields({
            "label": text, "statement": text,
            "group": st.sampled_from(("harm", "process", "nope") if chaos else ("harm", "process")),
            "aliases": st.lists(st.one_of(TEXT, st.sampled_from(TOPIC_IDS)), max_size=3) if chaos else st.just([]),
            "dsa_category": st.sampled_from(("STATEMENT_CATEGORY_VIOLENCE", "violence")),
        }, chaos))
        for tid in chosen
    }  # fmt: skip
    return draw(
        fields({
            "case": SLUGGY if chaos else st.just("fuzz"), "title": text, "summary": text, "subject": text,
            "groups": st.just({"harm": {"label": "Harm"}, "process": "Process"}),
            "topics": st.just(topics),
        }, chaos)
    )  # fmt: skip


@st.composite
def actor_tree(draw: st.DrawFn, index: int, chaos: bool) -> dict[str, Any]:
    text = TEXT if chaos else GOOD_TEXT
    pick = st.sampled_from
    source = fields({
        "title": text, "type": pick(("letter", "tos", "AUP", "court order", "leter") if chaos else ("letter", "tos")),
        "date": DATES if chaos else pick(("2021-01-09", "2021-01", "January 11, 2021")),
        "url": pick(("https://example.org/", "javascript:alert(1)", "x") if chaos else ("https://example.org/a?b",)),
        "publisher": text,
        "text": pick(("doc.txt", "../outside.txt", "/etc/passwd", "missing.txt") if chaos else ("doc.txt",)),
    }, chaos)  # fmt: skip
    if chaos:
        sources = draw(st.dictionaries(pick(SOURCE_IDS), source, max_size=3))
    else:
        sources = {sid: draw(source) for sid in SOURCE_IDS}
    claim = fields({
        "id": SLUGGY if chaos else st.nothing(),
        "topic": pick((*TOPIC_IDS, "incitment") if chaos else TOPIC_IDS), "summary": text, "quote": text,
        "stance": pick(("asserts", "denies", "qualifies", "yes", "no", "maybe") if chaos else ("asserts", "denies",
                       "qualifies", "yes", "no")),
        "source": st.one_of(pick(SOURCE_IDS), st.lists(pick(SOURCE_IDS), min_size=0 if chaos else 1, max_size=2)),
        "clause": text, "ground": pick(("policy", "law", "vibes") if chaos else ("policy", "law")),
        "speaker": text, "date": DATES if chaos else pick(("2021-01-10", "2021")),
    }, chaos)  # fmt: skip
    tree = draw(
        fields({
            "actor": SLUGGY if chaos else st.just(f"actor-{index}"), "name": text,
            "role": SLUGGY if chaos else pick(("host", "court")), "description": text,
            "sources": st.just(sources), "claims": st.lists(claim, max_size=5),
        }, chaos)
    )  # fmt: skip
    # share a subtree: yaml.dump writes the second use as an alias of the first
    if draw(st.integers(0, 4)) == 0 and isinstance(tree.get("claims"), list) and tree["claims"]:
        tree["claims"].append(tree["claims"][0])
    return tree


MUTATIONS = ("none", "none", "none", "bom", "crlf", "tag", "python-tag", "dup-line", "cut", "tab", "char", "latin1",
             "flow-anchors", "directive", "deep-brackets")  # fmt: skip
# Hostile structures appended to a file: anchors straight after ':' in a flow mapping expanding
# past the alias limit, and flow nesting deeper than libyaml's own scanner allows.
FLOW_ANCHORS = (
    'zz: {"a":&a [x, x, x, x, x, x, x, x, x], "b":&b [*a, *a, *a, *a, *a, *a, *a, *a, *a],'
    ' "c":&c [*b, *b, *b, *b, *b, *b, *b, *b, *b], "d":&d [*c, *c, *c, *c, *c, *c, *c, *c, *c],'
    ' "e":&e [*d, *d, *d, *d, *d, *d, *d, *d, *d]}\n'
)
HARMLESS = ("none", "none", "bom", "crlf")


@st.composite
def yaml_file(draw: st.DrawFn, tree: st.SearchStrategy[Any], chaos: bool) -> bytes:
    """A tree dumped as YAML in a random style, then (with chaos) maybe damaged."""
    text = yaml.safe_dump(
        draw(tree),
        allow_unicode=draw(st.booleans()),
        default_flow_style=draw(st.sampled_from((False, None, True))),
        sort_keys=False,
        width=draw(st.sampled_from((40, 80, 10_000))),
    )
    mutation = draw(st.sampled_from(MUTATIONS if chaos else HARMLESS))
    lines = text.splitlines(keepends=True) or [""]
    at = draw(st.integers(0, max(len(lines) - 1, 0)))
    if mutation == "bom":
        text = "\ufeff" + text
    elif mutation == "crlf":
        text = text.replace("\n", "\r\n")
    elif mutation in ("tag", "python-tag"):
        tag = "!custom " if mutation == "tag" else "!!python/object/apply:os.system "
        text = re.sub(r": ", ": " + tag, text, count=1) if ": " in text else tag + text
    elif mutation == "dup-line":
        lines.insert(at, lines[at])
        text = "".join(lines)
    elif mutation == "cut":
        text = text[: draw(st.integers(0, len(text)))]
    elif mutation == "tab":
        lines[at] = "\t" + lines[at]
        text = "".join(lines)
    elif mutation == "char":
        pos = draw(st.integers(0, len(text)))
        text = text[:pos] + draw(CHARS) + text[pos:]
    elif mutation == "flow-anchors":
        text += FLOW_ANCHORS
    elif mutation == "directive":
        text = draw(st.sampled_from(("%YAML 2.0\n", "%FOO bar\n", "%TAG ! x\n%TAG ! y\n"))) + "---\n" + text
    elif mutation == "deep-brackets":
        text += "zz: " + "[" * draw(st.sampled_from((101, 1001, 5000))) + "\n"
    if mutation == "latin1":
        return text.encode("latin-1", "replace")
    return text.encode("utf-8")


@dataclass
class FuzzCorpus:
    files: dict[str, bytes]
    options: dict[str, Any] = field(default_factory=dict)

    def write(self, root: Path) -> Path:
        corpus = root / "corpus"
        corpus.mkdir()
        for name, data in self.files.items():
            (corpus / name).write_bytes(data)
        (corpus / "doc.txt").write_text("Some source text.\n", encoding="utf-8")
        return corpus


@st.composite
def corpora(draw: st.DrawFn) -> FuzzCorpus:
    """A corpus: either mostly valid (random text, good structure) or chaotic."""
    chaos = draw(st.booleans())
    files = {"case.yaml": draw(yaml_file(case_tree(chaos), chaos))}
    for i in range(draw(st.integers(0 if chaos else 2, 3))):
        files[f"actor{i}.yaml"] = draw(yaml_file(actor_tree(i, chaos), chaos))
    if chaos and draw(st.integers(0, 5)) == 0:
        files[draw(st.sampled_from(("junk.yaml", "case.yaml", "actor0.yaml")))] = draw(st.binary(max_size=200))
    return FuzzCorpus(files, draw(run_options()))


@st.composite
def run_options(draw: st.DrawFn) -> dict[str, Any]:
    return {
        "fmt": draw(st.sampled_from(FORMATS)),
        "pair": draw(st.sampled_from(("first-two", "random", "files"))),
        "names": draw(st.lists(SLUGGY, min_size=2, max_size=2)),
        "as_of": draw(st.one_of(st.none(), DATES)),
    }


# -- the check -------------------------------------------------------------------------------------

OK_LINE = re.compile(r"^ok: \d+ actors?, \d+ claims?, \d+ topics?", re.MULTILINE)
USAGE_LINE = re.compile(r"^error: \S.*$")
# what the command-line parser itself prints for a bad option (e.g. an actor name starting with '-')
CLICK_USAGE = re.compile(r"^(Usage: policycmp .+|Try 'policycmp .+' for help\.|Error: \S.*|)$")

_runner = CliRunner()


class Failure(AssertionError):
    pass


_TERMINAL_UNSAFE = re.compile(
    "[\x00-\x09\x0b-\x1f\x7f-\x9f\u061c\u200e\u200f\u2028\u2029\u202a-\u202e\u2066-\u2069"
    "\u00ad\u115f\u1160\u180e\u200b\u2060-\u2064\u206a-\u206f\u3164\ufeff\uffa0\U000e0000-\U000e007f]"
)  # controls, bidi controls and invisible characters


def check_terminal_safe(args: list[str], stream: str, text: str) -> None:
    """What reaches a terminal holds no control or bidi character but the newline."""
    if found := _TERMINAL_UNSAFE.search(text):
        raise Failure(f"policycmp {' '.join(args)} wrote {found.group()!r} to {stream}")


def check_stderr(args: list[str], code: int, stderr: str) -> None:
    check_terminal_safe(args, "stderr", stderr)
    for line in stderr.splitlines():
        if PROBLEM_LINE.match(line) or SUMMARY_LINE.match(line) or OK_LINE.match(line):
            continue
        if code == 2 and (USAGE_LINE.match(line) or CLICK_USAGE.match(line)):
            continue
        raise Failure(f"policycmp {' '.join(args)} (exit {code}) printed an unexpected line: {line!r}")


def run(args: list[str], expect_output: Path | None = None) -> tuple[int, str]:
    """Run one command in-process (exceptions propagate) and check how it ended."""
    result = _runner.invoke(app, args, catch_exceptions=False)
    code = result.exit_code
    if code not in (0, 1, 2):
        raise Failure(f"policycmp {' '.join(args)} exited {code}\n{result.stderr}")
    check_stderr(args, code, result.stderr)
    if "-f" in args and args[args.index("-f") + 1] in ("text", "json"):  # colour is off: not a terminal
        check_terminal_safe(args, "stdout", result.stdout)
    if code == 0:
        if expect_output is not None:
            if not expect_output.is_file() or not expect_output.stat().st_size:
                raise Failure(f"policycmp {' '.join(args)} succeeded without writing {expect_output}")
        elif not (result.stdout or (args[:1] == ["validate"] and OK_LINE.search(result.stderr))):
            raise Failure(f"policycmp {' '.join(args)} succeeded without output")
    else:
        said = result.stdout if args[:1] == ["validate"] and "json" in args else result.stderr
        if not said.strip():
            raise Failure(f"policycmp {' '.join(args)} failed (exit {code}) without saying why")
    return code, result.stdout


def actor_ids(corpus: Path) -> list[str]:
    code, out = run(["actors", "-c", str(corpus), "-f", "json"])
    return [row["actor"] for row in json.loads(out)] if code == 0 else []


@dataclass
class Outcome:
    """How one corpus fared: validate's exit code, the problem codes, each command's exit code."""

    validate: int
    codes: set[str]
    exits: dict[str, int] = field(default_factory=dict)


def check_corpus(spec: FuzzCorpus, tmp: Path) -> Outcome:
    """Run every command on the corpus, checking how each one ends."""
    corpus = spec.write(tmp)
    c = str(corpus)
    fmt = spec.options["fmt"]
    as_of = ["--as-of", spec.options["as_of"]] if spec.options["as_of"] else []
    code, out = run(["validate", "-c", c, "-f", "json"])
    problems = json.loads(out)
    assert all(p["line"] >= 1 and p["column"] >= 1 for p in problems), problems
    assert (code == 1) == any(p["severity"] == "error" for p in problems)
    outcome = Outcome(code, {p["code"] for p in problems})
    assert run(["validate", "-c", c])[0] == code
    ids = actor_ids(corpus)
    pair = spec.options["pair"]
    if pair == "first-two" and len(ids) >= 2:
        left, right = ids[:2]
    elif pair == "files":
        left, right = str(corpus / "actor0.yaml"), str(corpus / "actor1.yaml")
    else:
        left, right = spec.options["names"]
    commands: dict[str, tuple[list[str], Path | None]] = {
        "table": (["table", "-c", c, "-f", fmt, *as_of], None),
        "table-all": (["table", "-c", c, "-f", "json", "--all"], None),
        "diff": (["diff", left, right, "-c", c, "-f", fmt, *as_of], None),
        "agreement": (["agreement", "-c", c, "-f", fmt], None),
        "claims": (["claims", "-c", c, "-f", "json", *as_of], None),
        "topics": (["topics", "-c", c, "-f", fmt], None),
        "actors": (["actors", "-c", c, "-f", fmt], None),
        "quotes": (["quotes", "-c", c, "-f", fmt], None),
        "report": (["report", "-c", c, "-o", str(tmp / "report.html"), *as_of], tmp / "report.html"),
        "schema": (["schema", "actor"], None),
    }
    for name, (args, output) in commands.items():
        result_code, out = run(args, output)
        outcome.exits[name] = result_code
        if result_code == 0 and "json" in args:
            json.loads(out)
        if code == 1 and name not in ("schema", "diff"):  # a broken corpus fails every command
            assert result_code == 1, (args, result_code)
    return outcome


def test_diff_names_exactly_one_actor_per_side(tmp_path: Path) -> None:
    """Found by fuzzing: empty or comma-separated names used to pick other actors, or crash."""
    spec = valid_corpus(["text"] * 12, "text")
    corpus = spec.write(tmp_path)
    for left, right in (("", ""), ("", "a"), ("a,b", "b"), ("a", " , ")):
        code, out = run(["diff", left, right, "-c", str(corpus)])
        assert (code, out) == (2, ""), (left, right)
    empty = tmp_path / "empty"
    empty.mkdir()
    (empty / "case.yaml").write_bytes(spec.files["case.yaml"])
    assert run(["diff", "", "", "-c", str(empty)])[0] == 2
    assert run(["diff", "a", " A ", "-c", str(corpus)])[0] == 0


# CI tries 85 inputs in all (45 + 15 + 25); no shrinking, so that a failure is reported at once
# (each input runs a dozen commands, and shrinking one can take minutes); the seed is printed.
FUZZ_SETTINGS = settings(
    max_examples=45,
    deadline=None,
    database=None,
    phases=(Phase.explicit, Phase.reuse, Phase.generate),
    print_blob=True,
    suppress_health_check=[HealthCheck.too_slow, HealthCheck.data_too_large, HealthCheck.filter_too_much],
)


def with_tmp(check: Callable[[Path], object]) -> object:
    with tempfile.TemporaryDirectory(prefix="policycmp-fuzz-") as tmp:
        return check(Path(tmp))


@FUZZ_SETTINGS
@given(corpora())
def test_every_command_on_random_corpora(spec: FuzzCorpus) -> None:
    with_tmp(lambda tmp: check_corpus(spec, tmp))


@settings(FUZZ_SETTINGS, max_examples=15)
@given(st.binary(max_size=400), st.binary(max_size=400))
def test_every_command_on_random_bytes(case: bytes, actor: bytes) -> None:
    spec = FuzzCorpus({"case.yaml": case, "x.yaml": actor}, {"fmt": "text", "pair": "random",
                                                            "names": ["a", "b"], "as_of": None})  # fmt: skip
    with_tmp(lambda tmp: check_corpus(spec, tmp))


VALID_CASE = """\
case: fuzz
title: {title}
topics:
  t1: {{label: {label}, statement: {statement}, aliases: [{alias}]}}
  t2: {{label: Two, statement: The second proposition.}}
"""
VALID_ACTOR = """\
actor: {actor}
name: {name}
role: host
description: {description}
sources:
  s1: {{title: {source}, type: letter, date: 2021-01-09, publisher: {publisher}}}
claims:
  - {{topic: t1, stance: {stance}, summary: {summary}, quote: {quote}, source: s1, clause: {clause}, speaker: {speaker}}}
  - {{topic: t2, stance: denies, summary: {summary}, source: s1}}
"""


def valid_corpus(texts: list[str], fmt: str) -> FuzzCorpus:
    """Two actors in a valid corpus, with the given texts in every free-text field."""
    q = [yaml_quote(t if t.strip() else "x" + t) for t in texts]
    files = {
        "case.yaml": VALID_CASE.format(title=q[0], label=q[1], statement=q[2], alias=q[3]).encode(),
        "a.yaml": VALID_ACTOR.format(actor="a", name=q[4], description=q[5], source=q[6], publisher=q[7],
                                     stance="asserts", summary=q[8], quote=q[9], clause=q[10],
                                     speaker=q[11]).encode(),
        "b.yaml": VALID_ACTOR.format(actor="b", name=q[11], description=q[10], source=q[9], publisher=q[8],
                                     stance="qualifies", summary=q[7], quote=q[6], clause=q[5],
                                     speaker=q[4]).encode(),
    }  # fmt: skip
    return FuzzCorpus(files, {"fmt": fmt, "pair": "first-two", "names": ["a", "b"], "as_of": None})


@settings(FUZZ_SETTINGS, max_examples=25)
@given(st.lists(st.one_of(TEXT, NASTY), min_size=12, max_size=12), st.sampled_from(FORMATS))
def test_valid_corpora_with_random_text_render_everywhere(texts: list[str], fmt: str) -> None:
    """Valid structure, random text in every free-text field: every command succeeds."""
    spec = valid_corpus(texts, fmt)
    outcome = with_tmp(lambda tmp: check_corpus(spec, tmp))
    assert isinstance(outcome, Outcome)
    # the one way this corpus can be invalid: an alias that names the other topic
    if outcome.validate != 0:
        assert outcome.codes == {"duplicate-topic"}, outcome
    else:
        assert set(outcome.exits.values()) == {0}, outcome
