"""Claim-level changes between two versions (README: "What changed between two versions"): matching, statuses, fields, formats,
and ``--git`` reading a repository as data (no hook, fsmonitor, textconv or filter runs)."""

from __future__ import annotations

import io
import json
import os
import shutil
import subprocess
from pathlib import Path
from typing import Any

import pytest

import policycmp
from policycmp.compare import UsageError
from tests.corpus_helpers import MINI

HOST = (MINI / "host.yaml").read_text(encoding="utf-8")
FORUM = (MINI / "forum.yaml").read_text(encoding="utf-8")


def versions(tmp_path: Path, **new_files: str | None) -> tuple[Path, Path]:
    """The small corpus as 'old', and a copy as 'new' with files replaced (None: removed)."""
    old, new = tmp_path / "old", tmp_path / "new"
    shutil.copytree(MINI, old)
    shutil.copytree(MINI, new)
    for name, text in new_files.items():
        if text is None:
            (new / name).unlink()
        else:
            (new / name).write_text(text, encoding="utf-8")
    return old, new


def by_claim(result: Any) -> dict[tuple[str, str], dict[str, Any]]:
    return {(c["actor"], c["claim"]): c for c in json.loads(result.to_json())["claims"]}


def test_identical_versions_are_all_unchanged(tmp_path: Path) -> None:
    old, new = versions(tmp_path)
    result = policycmp.changes(old, new)
    assert result.to_dict()["summary"] == {"added": 0, "removed": 0, "changed": 0, "unchanged": 10}
    assert not result.has_changes


# Each edit of the host's written-id claim 'violent', and the one field it changes (normalized).
FIELD_EDITS = [
    ("stance", "    stance: yes\n", "    stance: rejects\n", ["asserts", "denies"]),
    ("topic", "    topic: Violence\n", "    topic: political\n", ["violent-content", "political"]),
    ("summary", '    summary: "The host says   the forum hosted violent posts."\n',
     "    summary: The host says the forum hosted violent posts daily.\n",
     ["The host says the forum hosted violent posts.", "The host says the forum hosted violent posts daily."]),
    ("quote", "    quote: \"we've seen a steady increase in violent content\"\n", "    quote: a different quote\n",
     ["we've seen a steady increase in violent content", "a different quote"]),
    ("quote", "    quote: \"we've seen a steady increase in violent content\"\n", "", ["we've seen a steady increase in violent content", None]),
    ("clause", '    clause: "AUP: No harmful content"\n', "    clause: AUP section 2\n", ["AUP: No harmful content", "AUP section 2"]),
    ("ground", "    ground: policy\n", "    ground: Contract\n", ["policy", "contract"]),
    ("speaker", "    ground: policy\n", "    ground: policy\n    speaker: Trust and Safety\n", [None, "Trust and Safety"]),
    ("date", "    ground: policy\n", "    ground: policy\n    date: 10 Jan 2021\n", ["2021-01-09", "2021-01-10"]),
]  # fmt: skip


@pytest.mark.parametrize(("field", "before", "after", "expected"), FIELD_EDITS)
def test_each_field_change_is_reported_with_normalized_values(
    tmp_path: Path, field: str, before: str, after: str, expected: list[Any]
) -> None:
    assert HOST.count(before) == 1
    old, new = versions(tmp_path, **{"host.yaml": HOST.replace(before, after)})
    result = policycmp.changes(old, new)
    claims = by_claim(result)
    assert claims[("host", "violent")]["status"] == "changed"
    assert claims[("host", "violent")]["changes"] == {field: expected}
    assert result.to_dict()["summary"] == {"added": 0, "removed": 0, "changed": 1, "unchanged": 9}


def test_a_source_change_shows_the_ids_and_titles(tmp_path: Path) -> None:
    host = HOST.replace("    source: letter\n    clause", "    source: aup\n    clause")
    old, new = versions(tmp_path, **{"host.yaml": host})
    changes = by_claim(policycmp.changes(old, new))[("host", "violent")]["changes"]
    assert changes["source"] == ["letter", "aup"]
    assert changes["source_title"] == ["Letter to the forum", "Acceptable Use Policy"]
    assert changes["source_type"] == ["letter", "acceptable-use-policy"]
    assert changes["date"] == ["2021-01-09", "2020"]  # the claim's date follows its first source


def test_only_spelling_of_a_value_is_no_change(tmp_path: Path) -> None:
    # 'yes' and 'asserts', 'AUP' and 'acceptable-use-policy', whitespace in a summary: the same
    host = HOST.replace("    stance: yes\n", "    stance: Asserts\n").replace("says   the", "says the")
    host = host.replace("    type: AUP\n", "    type: acceptable use policy\n")
    old, new = versions(tmp_path, **{"host.yaml": host})
    assert not policycmp.changes(old, new).has_changes


def test_added_and_removed_claims_with_written_ids(tmp_path: Path) -> None:
    host = HOST.replace("  - id: violent\n", "  - id: violent-posts\n")  # a new id is another claim
    host += "  - id: extra\n    topic: moderation\n    stance: denies\n    summary: A new claim.\n    source: aup\n"
    old, new = versions(tmp_path, **{"host.yaml": host})
    result = policycmp.changes(old, new)
    claims = by_claim(result)
    assert claims[("host", "violent")]["status"] == "removed"
    assert claims[("host", "violent-posts")]["status"] == "added"
    assert claims[("host", "extra")]["status"] == "added"
    assert result.to_dict()["summary"] == {"added": 2, "removed": 1, "changed": 0, "unchanged": 9}


def test_a_claim_inserted_before_generated_ids_does_not_change_the_later_ones(tmp_path: Path) -> None:
    # the forum's claims have no ids: moderation-1 and moderation-2 become moderation-2 and -3
    first = "  - topic: warned\n"
    inserted = "  - topic: moderation\n    stance: qualifies\n    summary: Inserted first.\n    source: complaint\n"
    forum = FORUM.replace(first, inserted + first, 1)
    old, new = versions(tmp_path, **{"forum.yaml": forum})
    result = policycmp.changes(old, new)
    claims = by_claim(result)
    assert result.to_dict()["summary"] == {"added": 1, "removed": 0, "changed": 0, "unchanged": 10}
    assert claims[("forum", "moderation-1")]["status"] == "added"
    assert claims[("forum", "moderation-2")] == {
        "actor": "forum", "claim": "moderation-2", "status": "unchanged", "old_claim": "moderation-1", "changes": {},
    }  # fmt: skip
    assert claims[("forum", "moderation-3")]["old_claim"] == "moderation-2"


def test_an_insert_and_an_edit_together(tmp_path: Path) -> None:
    inserted = "  - topic: moderation\n    stance: qualifies\n    summary: Inserted first.\n    source: complaint\n"
    forum = FORUM.replace("  - topic: warned\n", inserted + "  - topic: warned\n", 1)
    forum = forum.replace(
        "The forum says its moderation was adequate.", "The forum says its moderation was fully adequate."
    )
    old, new = versions(tmp_path, **{"forum.yaml": forum})
    claims = by_claim(policycmp.changes(old, new))
    assert claims[("forum", "moderation-1")]["status"] == "added"
    edited = claims[("forum", "moderation-2")]
    assert edited["status"] == "changed"
    assert edited["old_claim"] == "moderation-1"
    assert edited["changes"] == {
        "summary": ["The forum says its moderation was adequate.", "The forum says its moderation was fully adequate."]
    }
    assert claims[("forum", "moderation-3")]["status"] == "unchanged"


def test_a_removed_generated_claim_does_not_shift_into_a_change(tmp_path: Path) -> None:
    forum = FORUM.replace(
        "  - topic: moderation\n    stance: asserts\n    summary: The forum says its moderation was adequate.\n"
        "    source: complaint\n",
        "",
    )
    old, new = versions(tmp_path, **{"forum.yaml": forum})
    result = policycmp.changes(old, new)
    assert result.to_dict()["summary"] == {"added": 0, "removed": 1, "changed": 0, "unchanged": 9}
    rows = [(c["actor"], c["claim"], c["status"], c.get("old_claim")) for c in result.to_dict()["claims"]]
    assert ("forum", "moderation-1", "unchanged", "moderation-2") in rows  # the later claim, its id shifted
    assert ("forum", "moderation-1", "removed", None) in rows  # the old moderation-1


def test_an_actor_added_or_removed_in_a_directory(tmp_path: Path) -> None:
    old, new = versions(tmp_path, **{"court.yaml": None})
    result = policycmp.changes(old, new)
    assert result.to_dict()["summary"] == {"added": 0, "removed": 2, "changed": 0, "unchanged": 8}
    back = policycmp.changes(new, old)
    assert back.to_dict()["summary"] == {"added": 2, "removed": 0, "changed": 0, "unchanged": 8}


def test_two_actor_files_against_a_case(tmp_path: Path) -> None:
    old_file, new_file = tmp_path / "old.yaml", tmp_path / "new.yaml"
    old_file.write_text(HOST, encoding="utf-8")
    new_file.write_text(
        HOST.replace("actor: host", "actor: host-renamed").replace("stance: yes", "stance: no"), "utf-8"
    )
    result = policycmp.changes(old_file, new_file, corpus=MINI)
    assert result.to_dict()["summary"] == {"added": 0, "removed": 0, "changed": 1, "unchanged": 2}
    assert by_claim(result)[("host-renamed", "violent")]["changes"] == {"stance": ["asserts", "denies"]}


def test_the_api_on_a_corpus(tmp_path: Path) -> None:
    old, new = versions(tmp_path, **{"host.yaml": HOST.replace("stance: yes", "stance: no")})
    current = policycmp.load(new)
    assert current.changes(old).summary["changed"] == 1
    assert current.changes(policycmp.load(old)).summary["changed"] == 1
    with pytest.raises(UsageError):
        current.changes()
    with pytest.raises(UsageError):
        policycmp.changes(old, new / "host.yaml")


# -- formats -----------------------------------------------------------------------------------


@pytest.fixture
def edited(tmp_path: Path) -> tuple[Path, Path]:
    host = HOST.replace("stance: yes", "stance: no").replace("says politics", "says that politics")
    warned = "The host says it warned the forum for weeks."
    host = host.replace(warned, f"'=HYPERLINK(\"x\") {warned} <script>alert(1)</script>'")
    host += "  - id: extra\n    topic: moderation\n    stance: denies\n    summary: A new claim.\n    source: aup\n"
    return versions(tmp_path, **{"host.yaml": host, "court.yaml": None})


WARNED = "The host says it warned the forum for weeks."
HOSTILE = f'=HYPERLINK("x") {WARNED} <script>alert(1)</script>'


def test_text_has_the_summary_first_and_a_status_column(edited: tuple[Path, Path], cli) -> None:  # type: ignore[no-untyped-def]
    old, new = edited
    result = cli("changes", old, new, "--no-color")
    assert result.exit_code == 0, result.stderr
    lines = result.stdout.splitlines()
    assert lines[0] == f"{old} -> {new}: 11 claims: + 1 added, - 2 removed, ~ 3 changed, = 5 unchanged"
    header, *rows = [line for line in lines[2:] if line and not line.startswith("note:")]
    assert header.split() == ["actor", "claim", "status", "field", "old", "new"]
    assert [(r[0], r.split()[1], r.split()[2]) for r in rows] == [
        ("~", "host", "violent"), ("~", "host", "warned-1"), ("~", "host", "political-1"), ("+", "host", "extra"),
        ("-", "court", "political-1"), ("-", "court", "violent-content-1"),
    ]  # fmt: skip
    assert rows[0].split()[3:] == ["changed", "stance", "asserts", "denies"]
    assert lines[-1] == "note: 5 unchanged claims not shown (JSON and CSV list every claim)"


def test_json_shape(edited: tuple[Path, Path], cli) -> None:  # type: ignore[no-untyped-def]
    old, new = edited
    data = json.loads(cli("changes", old, new, "-f", "json").stdout)
    assert list(data) == ["summary", "old", "new", "claims"]
    assert data["summary"] == {"added": 1, "removed": 2, "changed": 3, "unchanged": 5}
    assert sum(data["summary"].values()) == len(data["claims"])
    claims = by_claim(policycmp.changes(old, new))
    assert claims[("host", "warned-1")]["changes"] == {"summary": [WARNED, HOSTILE]}
    assert claims[("host", "extra")] == {"actor": "host", "claim": "extra", "status": "added", "changes": {}}


def test_csv_reads_back_with_pandas_and_escapes_formulas(edited: tuple[Path, Path], cli) -> None:  # type: ignore[no-untyped-def]
    import pandas as pd

    old, new = edited
    text = cli("changes", old, new, "-f", "csv").stdout
    frame = pd.read_csv(io.StringIO(text), dtype=str, keep_default_na=False)
    assert list(frame.columns) == ["actor", "claim", "status", "old_claim", "field", "old", "new"]
    changed = frame[frame["status"] == "changed"]
    assert changed[["claim", "field", "old", "new"]].values.tolist() == [
        ["violent", "stance", "asserts", "denies"],
        ["warned-1", "summary", WARNED, "'" + HOSTILE],
        [
            "political-1",
            "summary",
            "The host says politics played no part.",
            "The host says that politics played no part.",
        ],
    ]
    assert len(frame) == 11
    raw = cli("changes", old, new, "-f", "csv", "--no-csv-escape").stdout
    assert HOSTILE in pd.read_csv(io.StringIO(raw), dtype=str, keep_default_na=False)["new"].tolist()


def test_markdown_and_html_escape_and_keep_every_row(edited: tuple[Path, Path], cli) -> None:  # type: ignore[no-untyped-def]
    from tests.test_report import parse

    old, new = edited
    md = cli("changes", old, new, "-f", "md").stdout
    table_rows = [line for line in md.splitlines() if line.startswith("|")]
    assert len(table_rows) == 2 + 6  # header, rule, the six rows
    assert "<script>" not in md
    html = cli("changes", old, new, "-f", "html").stdout
    assert "<script>" not in html
    page = parse(html)
    body = page.root.find("tbody").find_all("tr")
    assert len(body) == 6
    assert body[1].find_all("td")[-1].text() == HOSTILE


def test_bad_arguments_exit_2(edited: tuple[Path, Path], cli) -> None:  # type: ignore[no-untyped-def]
    old, new = edited
    for args in ((old,), (old, new / "host.yaml"), (old, new, "--git", "HEAD"), (old, new, "-c", old)):
        result = cli("changes", *args)
        assert result.exit_code == 2, args
        assert result.stderr.startswith("error:"), args


def test_problems_in_a_version_exit_1(edited: tuple[Path, Path], cli) -> None:  # type: ignore[no-untyped-def]
    old, new = edited
    (new / "host.yaml").write_text(HOST.replace("stance: yes", "stance: concedes"), encoding="utf-8")
    result = cli("changes", old, new)
    assert result.exit_code == 1
    assert "[unknown-stance]" in result.stderr
    assert result.stdout == ""


def test_output_never_replaces_an_input(edited: tuple[Path, Path], cli) -> None:  # type: ignore[no-untyped-def]
    old, new = edited
    before = (old / "host.yaml").read_bytes()
    result = cli("changes", old, new, "-o", old / "host.yaml")
    assert result.exit_code == 2
    assert (old / "host.yaml").read_bytes() == before


# -- --git ------------------------------------------------------------------------------------

GIT = shutil.which("git")
needs_git = pytest.mark.skipif(
    GIT is None and not os.environ.get("POLICYCMP_REQUIRE_CLIENTS"), reason="git is not installed"
)


def git(repo: Path, *args: str) -> str:
    env = {**os.environ, "GIT_AUTHOR_NAME": "t", "GIT_AUTHOR_EMAIL": "t@example.org",
           "GIT_COMMITTER_NAME": "t", "GIT_COMMITTER_EMAIL": "t@example.org"}  # fmt: skip
    return subprocess.run(["git", *args], cwd=repo, env=env, check=True, capture_output=True, text=True).stdout


@pytest.fixture
def repo(tmp_path: Path) -> Path:
    """A repository holding the small corpus under cases/mini, committed, then edited (not committed)."""
    root = tmp_path / "repo"
    (root / "cases").mkdir(parents=True)
    shutil.copytree(MINI, root / "cases" / "mini")
    git(root, "init", "-q")
    git(root, "add", "-A")
    git(root, "commit", "-qm", "first")
    corpus = root / "cases" / "mini"
    (corpus / "host.yaml").write_text(HOST.replace("stance: yes", "stance: no"), encoding="utf-8")
    return root


@needs_git
def test_git_compares_with_a_revision(repo: Path, cli) -> None:  # type: ignore[no-untyped-def]
    corpus = repo / "cases" / "mini"
    data = json.loads(cli("changes", "--git", "HEAD", "-c", corpus, "-f", "json").stdout)
    assert data["summary"] == {"added": 0, "removed": 0, "changed": 1, "unchanged": 9}
    assert by_claim(policycmp.load(corpus).changes(git="HEAD"))[("host", "violent")]["changes"] == {
        "stance": ["asserts", "denies"]
    }
    git(repo, "commit", "-qam", "second")  # now the edit is in HEAD and HEAD~1 is the old state
    assert policycmp.load(corpus).changes(git="HEAD~1").summary["changed"] == 1
    assert not policycmp.load(corpus).changes(git="HEAD").has_changes
    commit = git(repo, "rev-parse", "HEAD~1").strip()
    assert policycmp.load(corpus).changes(git=commit[:10]).summary["changed"] == 1
    assert git(repo, "status", "--porcelain") == ""  # nothing was checked out or changed


@needs_git
def test_git_problems_in_the_old_version_are_located_at_the_revision(repo: Path, cli) -> None:  # type: ignore[no-untyped-def]
    corpus = repo / "cases" / "mini"
    (corpus / "court.yaml").write_text("actor: [\n", encoding="utf-8")
    git(repo, "commit", "-qam", "broken court")
    (corpus / "court.yaml").write_text((MINI / "court.yaml").read_text(encoding="utf-8"), encoding="utf-8")
    result = cli("changes", "--git", "HEAD", "-c", corpus)
    assert result.exit_code == 1
    assert "HEAD:cases/mini/court.yaml:2:1: error:" in result.stderr


@needs_git
@pytest.mark.parametrize("rev", ["-h", "--output=OUT", "--help", "--all", "-", "nope", "HEAD~99", ""])
def test_git_rev_is_never_an_option(repo: Path, cli, rev: str) -> None:  # type: ignore[no-untyped-def]
    corpus = repo / "cases" / "mini"
    result = cli("changes", f"--git={rev}", "-c", corpus)
    assert result.exit_code == 2
    assert result.stderr.startswith("error:")
    assert "Traceback" not in result.stderr
    assert not (corpus / "OUT").exists() and not (repo / "OUT").exists()


@needs_git
def test_git_outside_a_repository_is_a_usage_error(tmp_path: Path, cli) -> None:  # type: ignore[no-untyped-def]
    copy = tmp_path / "plain"
    shutil.copytree(MINI, copy)
    result = cli("changes", "--git", "HEAD", "-c", copy)
    assert result.exit_code == 2
    assert "not inside a git repository" in result.stderr


@needs_git
def test_a_hostile_repository_configuration_runs_nothing(repo: Path, tmp_path: Path, cli) -> None:  # type: ignore[no-untyped-def]
    marker = tmp_path / "ran"
    script = tmp_path / "evil.sh"
    script.write_text(f"#!/bin/sh\necho \"$0 $*\" >> '{marker}'\ncat\n", encoding="utf-8")
    script.chmod(0o755)
    for key, value in [
        ("core.fsmonitor", str(script)),
        ("core.pager", str(script)),
        ("core.hooksPath", str(tmp_path / "hooks")),
        ("diff.evil.textconv", str(script)),
        ("filter.evil.smudge", str(script)),
        ("filter.evil.clean", str(script)),
        ("filter.evil.process", str(script)),
        ("core.sshCommand", str(script)),
        ("diff.external", str(script)),
    ]:
        git(repo, "config", key, value)
    hooks = tmp_path / "hooks"
    hooks.mkdir()
    for name in ("post-checkout", "pre-commit", "post-index-change", "reference-transaction", "fsmonitor-watchman"):
        (hooks / name).write_text(script.read_text(), encoding="utf-8")
        (hooks / name).chmod(0o755)
        shutil.copy(hooks / name, repo / ".git" / "hooks" / name)
    (repo / ".gitattributes").write_text("*.yaml diff=evil filter=evil\n", encoding="utf-8")
    marker.unlink(missing_ok=True)
    corpus = repo / "cases" / "mini"
    result = cli("changes", "--git", "HEAD", "-c", corpus, "-f", "json")
    assert result.exit_code == 0, result.stderr
    assert json.loads(result.stdout)["summary"]["changed"] == 1
    assert not marker.exists(), marker.read_text()
    # the configuration is live: git asked to look at the work tree runs it
    git(repo, "status")
    assert marker.exists()


def test_str_and_repr_are_the_text_table(edited: tuple[Path, Path]) -> None:
    result = policycmp.changes(*edited)
    assert str(result) == repr(result) == result.to_text()
    assert "11 claims: + 1 added" in str(result).splitlines()[0]


def test_no_change_says_so(tmp_path: Path, cli) -> None:  # type: ignore[no-untyped-def]
    old, new = versions(tmp_path)
    lines = cli("changes", old, new, "--no-color").stdout.splitlines()
    assert lines[-2:] == [
        "note: no claim was added, removed or changed",
        "note: 10 unchanged claims not shown (JSON and CSV list every claim)",
    ]


def test_diff_of_two_files_points_to_changes(tmp_path: Path, cli) -> None:  # type: ignore[no-untyped-def]
    old, new = versions(tmp_path, **{"host.yaml": HOST.replace("stance: yes", "stance: no")})
    result = cli("diff", old / "host.yaml", new / "host.yaml", "-c", old)
    assert result.exit_code == 0
    assert "'policycmp changes OLD NEW' lists what changed claim by claim" in result.stderr
    assert "policycmp changes" not in cli("diff", "host", "forum", "-c", old).stderr


def test_many_rewritten_generated_claims_stay_fast(tmp_path: Path) -> None:
    import time

    head = FORUM[: FORUM.index("claims:\n") + len("claims:\n")]
    claim = "  - topic: moderation\n    stance: asserts\n    summary: {}\n    source: complaint\n"
    old_text = head + "".join(
        claim.format(f"Statement number {i} about moderation, first wording.") for i in range(400)
    )
    new_text = head + "".join(claim.format(f"A wholly different sentence {i * 7}.") for i in range(400))
    old, new = versions(tmp_path, **{"forum.yaml": new_text})
    (old / "forum.yaml").write_text(old_text, encoding="utf-8")
    started = time.perf_counter()
    result = policycmp.changes(old, new)
    assert time.perf_counter() - started < 60  # 160,000 candidate pairs, each pruned before a full comparison
    assert result.summary["added"] == result.summary["removed"] == 400


@needs_git
def test_a_link_in_the_revision_is_never_followed(repo: Path, tmp_path: Path, cli) -> None:  # type: ignore[no-untyped-def]
    secret = tmp_path / "secret.yaml"
    secret.write_text("actor: secret\n", encoding="utf-8")
    corpus = repo / "cases" / "mini"
    (corpus / "link.yaml").symlink_to(secret)
    git(repo, "add", "-A")
    git(repo, "commit", "-qm", "a link")
    (corpus / "link.yaml").unlink()
    result = cli("changes", "--git", "HEAD", "-c", corpus)
    assert result.exit_code == 1
    assert "HEAD:cases/mini/link.yaml:1:1: error: not a regular file; it is not read [unreadable-file]" in result.stderr
    assert "secret" not in result.stdout + result.stderr
