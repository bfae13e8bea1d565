"""Writing a case: schemas written beside a corpus, `policycmp new`, `validate --watch`, and the
small frictions of a first session (README: "Writing a case")."""

from __future__ import annotations

import json
import os
import re
import shutil
from collections.abc import Callable
from pathlib import Path
from typing import Any

import pytest
from jsonschema import Draft202012Validator  # type: ignore[import-untyped]

from policycmp.schema import FIELDS, WRITTEN_MARK

from . import yaml12
from .corpus_helpers import MINI

Run = Callable[..., Any]
FIELD_NAMES = [field for fields in FIELDS.values() for field in fields]


def no_traceback(result: Any) -> None:
    assert "Traceback" not in result.stdout + result.stderr


# -- schema -c / --write ---------------------------------------------------------------------------


def test_schema_actor_with_a_corpus_enumerates_its_topics(cli: Run) -> None:
    result = cli("schema", "actor", "-c", MINI)
    assert result.exit_code == 0, result.stderr
    document = json.loads(result.stdout)
    topic = document["properties"]["claims"]["items"]["properties"]["topic"]
    assert topic["anyOf"][0]["enum"][:4] == ["violent-content", "warned", "political", "moderation"]
    plain = json.loads(cli("schema", "actor").stdout)
    assert "enum" not in json.dumps(plain["properties"]["claims"]["items"]["properties"]["topic"])


def test_schema_of_a_corpus_with_a_broken_case_exits_1(cli: Run, tmp_path: Path) -> None:
    (tmp_path / "case.yaml").write_text("case: [\n", encoding="utf-8")
    result = cli("schema", "actor", "-c", tmp_path)
    assert result.exit_code == 1
    assert "case.yaml:" in result.stderr
    assert result.stdout == ""
    no_traceback(result)


def test_schema_write_puts_both_schemas_beside_the_corpus(cli: Run, tmp_path: Path) -> None:
    root = tmp_path / "c"
    shutil.copytree(MINI, root)
    before = {p.name: p.read_bytes() for p in root.iterdir()}
    result = cli("schema", "--write", root)
    assert result.exit_code == 0, result.stderr
    assert {p.name: p.read_bytes() for p in root.iterdir() if p.is_file()} == before
    case_doc = json.loads((root / "schemas" / "case.schema.json").read_text(encoding="utf-8"))
    actor_doc = json.loads((root / "schemas" / "actor.schema.json").read_text(encoding="utf-8"))
    assert case_doc["$comment"] == actor_doc["$comment"] == WRITTEN_MARK
    Draft202012Validator.check_schema(actor_doc)
    assert "violent-content" in actor_doc["properties"]["claims"]["items"]["properties"]["topic"]["anyOf"][0]["enum"]
    for path in root.glob("*.yaml"):
        document = case_doc if path.name == "case.yaml" else actor_doc
        assert Draft202012Validator(document).is_valid(yaml12.load(path.read_text(encoding="utf-8")))
    # again, after a topic was added: the files it wrote are refreshed
    case = (root / "case.yaml").read_text(encoding="utf-8")
    (root / "case.yaml").write_text(case + "  fresh:\n    label: Fresh\n    statement: New.\n", encoding="utf-8")
    assert cli("schema", "--write", root).exit_code == 0
    actor_doc = json.loads((root / "schemas" / "actor.schema.json").read_text(encoding="utf-8"))
    assert "fresh" in actor_doc["properties"]["claims"]["items"]["properties"]["topic"]["anyOf"][0]["enum"]
    assert cli("validate", "-c", root).exit_code == 0  # the schemas are not read as corpus files


def test_schema_write_never_overwrites_a_file_it_did_not_write(cli: Run, tmp_path: Path) -> None:
    root = tmp_path / "c"
    shutil.copytree(MINI, root)
    (root / "schemas").mkdir()
    mine = root / "schemas" / "actor.schema.json"
    mine.write_text('{"title": "my own"}\n', encoding="utf-8")
    result = cli("schema", "--write", root)
    assert result.exit_code == 2
    assert "not written by policycmp" in result.stderr and "actor.schema.json" in result.stderr
    assert mine.read_text(encoding="utf-8") == '{"title": "my own"}\n'
    assert not (root / "schemas" / "case.schema.json").exists()  # nothing written at all
    no_traceback(result)


@pytest.mark.skipif(not hasattr(os, "symlink"), reason="no symbolic links here")
@pytest.mark.parametrize("link", ["dir", "file"])
def test_schema_write_never_follows_a_link_out_of_the_corpus(cli: Run, tmp_path: Path, link: str) -> None:
    root = tmp_path / "c"
    shutil.copytree(MINI, root)
    outside = tmp_path / "outside"
    outside.mkdir()
    if link == "dir":
        (root / "schemas").symlink_to(outside, target_is_directory=True)
    else:
        (root / "schemas").mkdir()
        (outside / "victim.json").write_text("keep\n", encoding="utf-8")
        (root / "schemas" / "case.schema.json").symlink_to(outside / "victim.json")
    result = cli("schema", "--write", root)
    assert result.exit_code == 2
    assert "link" in result.stderr
    assert sorted(p.name for p in outside.iterdir()) == ([] if link == "dir" else ["victim.json"])
    if link == "file":
        assert (outside / "victim.json").read_text(encoding="utf-8") == "keep\n"
    no_traceback(result)


def test_schema_write_with_other_options_is_a_usage_error(cli: Run, tmp_path: Path) -> None:
    for args in (("actor", "--write", tmp_path), ("--write", tmp_path, "-o", tmp_path / "x.json")):
        result = cli("schema", *args)
        assert result.exit_code == 2
        assert "--write" in result.stderr
    assert list(tmp_path.iterdir()) == []


# -- policycmp new --------------------------------------------------------------------------------


def test_new_case_and_two_actors_validate_and_compare_at_once(cli: Run, tmp_path: Path) -> None:
    root = tmp_path / "my-case"
    made = cli("new", "case", root, "--title", "Example v. Platform (2024)")
    assert made.exit_code == 0, made.stderr
    assert sorted(p.name for p in root.iterdir()) == ["case.yaml", "schemas"]
    text = (root / "case.yaml").read_text(encoding="utf-8")
    assert text.startswith("# yaml-language-server: $schema=schemas/case.schema.json\n")
    assert "next: policycmp new actor ID -c" in made.stderr
    checked = cli("validate", "-c", root)
    assert checked.exit_code == 0, checked.stderr
    for actor, role in (("host", "cloud-host"), ("platform", "social network")):
        done = cli("new", "actor", actor, "-c", root, "--name", actor.title(), "--role", role)
        assert done.exit_code == 0, done.stderr
        assert (
            (root / f"{actor}.yaml")
            .read_text(encoding="utf-8")
            .startswith("# yaml-language-server: $schema=schemas/actor.schema.json\n")
        )
    checked = cli("validate", "-c", root)
    assert checked.exit_code == 0, checked.stderr
    assert checked.stderr.startswith("ok: 2 actors, 2 claims, 1 topic")
    import policycmp

    table = cli("table", "-c", root, "-f", "json")
    assert table.exit_code == 0, table.stderr
    result = json.loads(table.stdout)
    assert result["actors"] == ["host", "platform"]
    assert result["topics"][0]["topic"] == "example-topic"
    corpus = policycmp.load(root)
    assert corpus.case.title == "Example v. Platform (2024)"
    assert corpus.actors["platform"].role == "social-network"
    # the optional fields shown commented out are valid when uncommented
    for path in (root / "case.yaml", root / "host.yaml"):
        path.write_text(uncommented(path.read_text(encoding="utf-8")), encoding="utf-8")
    checked = cli("validate", "-c", root)
    assert checked.exit_code == 0, checked.stderr
    assert checked.stderr.startswith("ok: 2 actors, 2 claims, 1 topic"), checked.stderr
    corpus = policycmp.load(root)
    assert corpus.case.subject == "The platform that was removed"
    assert corpus.claims.loc[corpus.claims["actor"] == "host", "ground"].tolist() == ["policy"]


def uncommented(text: str) -> str:
    """``text`` with its commented-out example fields (``# url: ...``) made real."""
    fields = set(FIELD_NAMES)
    out = []
    folded = False
    for line in text.splitlines():
        match = re.match(r"^(\s*)# ([a-z_]+):( .*|)$", line)
        if match and match[2] in fields:
            line = f"{match[1]}{match[2]}:{match[3]}"
            folded = line.endswith(">-")
        elif folded and (cont := re.match(r"^#(\s{2,})(\S.*)$", line)):
            line = f"{cont[1]}{cont[2]}"
        else:
            folded = False
        out.append(line)
    return "\n".join(out) + "\n"


NASTY = [
    'He said "no" \\ O\'Brien',
    "key: value # not a comment",
    "- a list? & *alias !tag %YAML {x} [y] | > @ `",
    "yes",
    "null",
    "~",
    "2021-01-09",
    "0x1F",
    "---",
    "...",
    "line one\nline two\r\nline three",
    "tab\there",
    "  padded  ",
    "\u202eevil\u202c bidi \u2066x\u2069",
    "nel\x85 ls\u2028 ps\u2029",
    "zero\u200bwidth \ufeffbom",
    "control \x07\x1b[31m red \x7f \x9b",
    "emoji 🎉 and Łódź, 東京, עברית",
    "x" * 5000,
    "# looks like a comment",
    "'single' \"double\"",
    "{{ template }} {% raw %} $(id) ; rm -rf /",
]


@pytest.mark.parametrize("nasty", NASTY, ids=range(len(NASTY)))
def test_hostile_titles_and_names_round_trip_through_validate(cli: Run, tmp_path: Path, nasty: str) -> None:
    import policycmp
    from policycmp import normalize as norm

    root = tmp_path / "c"
    made = cli("new", "case", root, "--title", nasty)
    assert made.exit_code == 0, made.stderr
    actor = cli("new", "actor", "a", "-c", root, "--name", nasty)
    assert actor.exit_code == 0, actor.stderr
    checked = cli("validate", "-c", root)
    assert checked.exit_code == 0, checked.stderr
    corpus = policycmp.load(root)
    assert corpus.case.title == norm.collapse(nasty)
    assert corpus.actors["a"].name == norm.collapse(nasty)
    for path in (root / "case.yaml", root / "a.yaml"):  # the text stays inside one quoted scalar
        lines = path.read_text(encoding="utf-8").splitlines()
        assert sum(line.startswith(("title: ", "name: ")) for line in lines) == 1
        assert len(lines) == len((root / path.name).read_text(encoding="utf-8").split("\n")) - 1


@pytest.mark.parametrize(
    ("setup", "args", "message"),
    [
        ("case.yaml", ("new", "case", "{root}"), "already exists"),
        ("case.yml", ("new", "case", "{root}"), "already exists"),
        ("host.yaml", ("new", "actor", "host", "-c", "{root}"), "already used"),
        ("x.yaml", ("new", "actor", "x", "-c", "{root}"), "already exists"),
        ("x.yml", ("new", "actor", "x", "-c", "{root}"), "already exists"),
        ("", ("new", "actor", "bad id!", "-c", "{root}"), "not a usable id"),
        ("", ("new", "actor", "topic", "-c", "{root}"), "column of the comparison table"),
        ("", ("new", "actor", "x", "-c", "{root}", "--role", "?"), "not a usable id"),
        ("", ("new", "actor", "x", "-c", "{root}", "--name", " "), "name is empty"),
        ("", ("new", "case", "{root}/sub", "--title", " "), "title is empty"),
    ],
)
def test_new_never_overwrites_and_refuses_bad_names(
    cli: Run, tmp_path: Path, setup: str, args: tuple[str, ...], message: str
) -> None:
    root = tmp_path / "c"
    shutil.copytree(MINI, root)
    if setup and not (root / setup).exists():
        (root / setup).write_text("mine\n", encoding="utf-8")
    before = {p.name: p.read_bytes() for p in root.iterdir()}
    result = cli(*(a.format(root=root) for a in args))
    assert result.exit_code == 2, result.stdout + result.stderr
    assert message in result.stderr
    assert {p.name: p.read_bytes() for p in root.iterdir()} == before
    no_traceback(result)


@pytest.mark.skipif(not hasattr(os, "symlink"), reason="no symbolic links here")
def test_new_never_follows_a_link_out_of_the_corpus(cli: Run, tmp_path: Path) -> None:
    outside = tmp_path / "outside"
    outside.mkdir()
    (outside / "victim.yaml").write_text("keep\n", encoding="utf-8")
    root = tmp_path / "c"
    shutil.copytree(MINI, root)
    (root / "x.yaml").symlink_to(outside / "victim.yaml")
    result = cli("new", "actor", "x", "-c", root)
    assert result.exit_code == 2
    fresh = tmp_path / "fresh"
    fresh.mkdir()
    (fresh / "schemas").symlink_to(outside, target_is_directory=True)
    result = cli("new", "case", fresh)
    assert result.exit_code == 2
    assert "link" in result.stderr
    assert sorted(p.name for p in fresh.iterdir()) == ["schemas"]  # no case.yaml either
    assert sorted(p.name for p in outside.iterdir()) == ["victim.yaml"]
    assert (outside / "victim.yaml").read_text(encoding="utf-8") == "keep\n"


def test_new_actor_needs_a_readable_case(cli: Run, tmp_path: Path) -> None:
    result = cli("new", "actor", "x", "-c", tmp_path)
    assert result.exit_code == 1
    assert "missing-case" in result.stderr
    assert list(tmp_path.iterdir()) == []
    result = cli("new", "actor", "x", "-c", tmp_path / "nope")
    assert result.exit_code == 2
    no_traceback(result)


def test_new_actor_keeps_schema_files_the_author_wrote(cli: Run, tmp_path: Path) -> None:
    root = tmp_path / "c"
    shutil.copytree(MINI, root)
    (root / "schemas").mkdir()
    (root / "schemas" / "actor.schema.json").write_text("{}\n", encoding="utf-8")
    result = cli("new", "actor", "x", "-c", root)
    assert result.exit_code == 0, result.stderr
    assert (root / "schemas" / "actor.schema.json").read_text(encoding="utf-8") == "{}\n"
    assert cli("validate", "-c", root).exit_code == 0


# -- validate --watch -------------------------------------------------------------------------------


class Watcher:
    """`policycmp validate --watch` in a subprocess, its standard error read line by line."""

    def __init__(self, root: Path, *args: str) -> None:
        import subprocess
        import sys
        import threading

        self.proc = subprocess.Popen(
            [sys.executable, "-m", "policycmp", "validate", "--watch", "--interval", "0.1", "-c", str(root), *args],
            stdout=subprocess.PIPE,
            stderr=subprocess.PIPE,
            text=True,
            encoding="utf-8",
        )
        self.lines: list[str] = []
        self.cond = threading.Condition()
        threading.Thread(target=self._read, daemon=True).start()

    def _read(self) -> None:
        assert self.proc.stderr is not None
        for line in self.proc.stderr:
            with self.cond:
                self.lines.append(line)
                self.cond.notify_all()

    def wait_for(self, predicate: Callable[[str], bool], after: int = 0, timeout: float = 60) -> int:
        """The index of the first line from ``after`` on that satisfies ``predicate``."""
        import time

        deadline = time.monotonic() + timeout
        with self.cond:
            while True:
                for i in range(after, len(self.lines)):
                    if predicate(self.lines[i]):
                        return i
                left = deadline - time.monotonic()
                if left <= 0 or (self.proc.poll() is not None and not self.cond.wait(0.2)):
                    raise AssertionError(f"not seen; output so far: {''.join(self.lines)}")
                self.cond.wait(min(left, 0.5))

    def stop(self) -> int:
        import signal

        self.proc.send_signal(signal.SIGINT)
        return self.proc.wait(timeout=30)


@pytest.mark.skipif(os.name != "posix", reason="SIGINT to a child process")
def test_validate_watch_checks_again_after_each_write_and_ctrl_c_exits_0(tmp_path: Path) -> None:
    root = tmp_path / "c"
    shutil.copytree(MINI, root)
    watcher = Watcher(root)
    try:
        first = watcher.wait_for(lambda line: line.startswith("ok: 3 actors"))
        court = (root / "court.yaml").read_text(encoding="utf-8")
        (root / "court.yaml").write_text(court.replace("stance: denies", "stance: maybe"), encoding="utf-8")
        bad = watcher.wait_for(lambda line: "[unknown-stance]" in line, after=first)
        watcher.wait_for(lambda line: line.startswith("1 error, "), after=bad)
        (root / "court.yaml").write_text(court, encoding="utf-8")
        again = watcher.wait_for(lambda line: line.startswith("ok: 3 actors"), after=bad)
        (root / "extra.yaml").write_text("actor: [\n", encoding="utf-8")  # a new file counts too
        watcher.wait_for(lambda line: "extra.yaml:" in line and "[yaml-syntax]" in line, after=again)
    finally:
        code = watcher.stop()
    assert code == 0
    output = "".join(watcher.lines)
    assert "Traceback" not in output
    assert "\x1b" not in output  # not a terminal: no screen clearing
    assert sum(line.startswith("[") and "validate --watch" in line for line in watcher.lines) == 4
    assert output.rstrip().endswith("stopped watching")


@pytest.mark.skipif(os.name != "posix", reason="SIGINT to a child process")
def test_validate_watch_refreshes_the_schemas_it_wrote_when_topics_change(cli: Run, tmp_path: Path) -> None:
    root = tmp_path / "c"
    assert cli("new", "case", root).exit_code == 0
    watcher = Watcher(root)
    try:
        first = watcher.wait_for(lambda line: line.startswith("ok: 0 actors"))
        case = (root / "case.yaml").read_text(encoding="utf-8")
        (root / "case.yaml").write_text(
            case + "  fresh-topic:\n    label: Fresh\n    statement: New.\n", encoding="utf-8"
        )
        watcher.wait_for(lambda line: line.startswith("refreshed ") and "actor.schema.json" in line, after=first)
    finally:
        assert watcher.stop() == 0
    actor_doc = json.loads((root / "schemas" / "actor.schema.json").read_text(encoding="utf-8"))
    assert "fresh-topic" in actor_doc["properties"]["claims"]["items"]["properties"]["topic"]["anyOf"][0]["enum"]


@pytest.mark.skipif(os.name != "posix", reason="a pseudo-terminal")
def test_validate_watch_clears_the_screen_between_runs_on_a_terminal(tmp_path: Path) -> None:
    import pty
    import signal
    import subprocess
    import sys
    import time

    root = tmp_path / "c"
    shutil.copytree(MINI, root)
    leader, follower = pty.openpty()
    proc = subprocess.Popen(
        [sys.executable, "-m", "policycmp", "validate", "--watch", "--interval", "0.1", "-c", str(root)],
        stdout=subprocess.DEVNULL,
        stderr=follower,
        stdin=subprocess.DEVNULL,
    )
    os.close(follower)
    seen = b""
    deadline = time.monotonic() + 60
    touched = False
    try:
        while seen.count(b"\x1b[2J") < 2 and time.monotonic() < deadline:
            import select

            ready, _, _ = select.select([leader], [], [], 0.5)
            if ready:
                try:
                    seen += os.read(leader, 4096)
                except OSError:
                    break
            if b"ok: 3 actors" in seen and not touched:
                (root / "court.yaml").write_text((root / "court.yaml").read_text(encoding="utf-8") + "\n")
                touched = True
    finally:
        proc.send_signal(signal.SIGINT)
        code = proc.wait(timeout=30)
        os.close(leader)
    assert seen.count(b"\x1b[2J") >= 2, seen
    assert code == 0


def test_watch_waits_for_a_save_to_settle(tmp_path: Path) -> None:
    from policycmp.watch import watch

    (tmp_path / "a.yaml").write_text("1", encoding="utf-8")
    runs: list[int] = []
    ticks = iter(range(1000))

    def run() -> list[Path]:
        runs.append(1)
        return []

    def sleep(_: float) -> None:
        tick = next(ticks)
        if tick in (2, 3, 4):  # three writes in a row: one save
            (tmp_path / "a.yaml").write_text("x" * (tick + 2), encoding="utf-8")

    watch(run, tmp_path, 0.01, sleep=sleep, runs=2)
    assert len(runs) == 2
    assert next(ticks) == 6  # the second run came once a look found nothing new (tick 5)


# -- small frictions -----------------------------------------------------------------------------------


def test_a_local_folder_named_like_a_bundled_case_says_so(
    cli: Run, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.chdir(tmp_path)
    (tmp_path / "parler-2021").mkdir()
    result = cli("table", "-c", "parler-2021")
    assert result.exit_code == 1
    assert "local folder 'parler-2021', which is read instead of the bundled case 'parler-2021'" in result.stderr
    assert "[missing-case]" in result.stderr
    elsewhere = cli("validate", "-c", tmp_path / "parler-2021")  # a path, not a bare name: no hint
    assert "bundled" not in elsewhere.stderr
    assert "policycmp new case" in elsewhere.stderr


def test_diff_of_an_actor_id_and_a_file(cli: Run, tmp_path: Path) -> None:
    edited = tmp_path / "court.yaml"
    edited.write_text((MINI / "court.yaml").read_text(encoding="utf-8").replace("stance: denies", "stance: asserts"))
    for args, left, right in (
        (("court", edited), "court", "court.yaml"),
        ((edited, "court"), "court.yaml", "court"),
    ):
        result = cli("diff", *args, "-c", MINI, "-f", "json")
        assert result.exit_code == 0, result.stderr
        data = json.loads(result.stdout)
        assert data["left"].endswith(left) and data["right"].endswith(right)
        assert data["summary"]["conflict"] == 1 and data["summary"]["agree"] == 1
    unknown = cli("diff", "cort", edited, "-c", MINI)
    assert unknown.exit_code == 2
    assert "did you mean 'court'" in unknown.stderr
    no_traceback(unknown)


def _commands() -> list[tuple[str, ...]]:
    from policycmp.cli import app, new_app

    names = [(c.name or c.callback.__name__,) for c in app.registered_commands if c.callback]
    names += [("new", c.name or c.callback.__name__) for c in new_app.registered_commands if c.callback]
    return names


def test_the_command_list_never_cuts_a_sentence(cli: Run) -> None:
    for args in ((), ("new",)):
        listing = cli(*args, "--help").stdout
        commands = listing.split("Commands:")[1]
        assert "..." not in commands
        assert "the corpus file formats." in commands or args  # the whole first sentence


@pytest.mark.parametrize("command", _commands(), ids=" ".join)
def test_every_command_help_ends_with_examples_that_parse(cli: Run, command: tuple[str, ...]) -> None:
    """Each example names the command and uses only options it has (checked with --help)."""
    import shlex

    text = cli(*command, "--help").stdout
    assert "Examples:" in text, f"add example lines for {command} to EXAMPLES in policycmp/cli.py"
    examples = [line.strip() for line in text.split("Examples:")[1].split("\n\n")[1].splitlines()]
    assert examples
    for example in examples:
        words = shlex.split(example)
        assert words[0] == "policycmp"
        options = [w.split("=")[0] for w in words[1:] if w.startswith("-")]
        probe = cli(*words[1 : 1 + len(command)], "--help")
        assert probe.exit_code == 0, example
        for option in options:
            assert option in probe.stdout, f"{example}: {option}"


def test_new_writes_an_id_that_yaml_reads_as_empty_quoted(cli: Run, tmp_path: Path) -> None:
    root = tmp_path / "null"
    assert cli("new", "case", root).exit_code == 0
    case = (root / "case.yaml").read_text(encoding="utf-8")
    (root / "case.yaml").write_text(case.replace("  example-topic:", '  "null":'), encoding="utf-8")
    done = cli("new", "actor", "null", "-c", root, "--role", "null")
    assert done.exit_code == 0, done.stderr
    text = (root / "null.yaml").read_text(encoding="utf-8")
    assert 'actor: "null"' in text and 'role: "null"' in text and '- topic: "null"' in text
    checked = cli("validate", "-c", root)
    assert checked.exit_code == 0, checked.stderr
