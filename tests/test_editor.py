"""The schemas in a real editor engine: yaml-language-server (npm), driven over LSP on stdio.

It proves what an author sees: completions of the case's topic ids and of the canonical stances
(no booleans), no error on any file ``validate`` accepts, and an error on the variants it rejects.
The server reads each file's schema from its first line, as written by ``policycmp schema --write``.
"""

from __future__ import annotations

import shutil
from collections.abc import Iterator
from pathlib import Path

import pytest
from typer.testing import CliRunner

from policycmp.cli import app
from policycmp.loader import load_corpus
from policycmp.scaffold import ACTOR_SCHEMA, CASE_SCHEMA, modeline

from .corpus_helpers import MINI
from .lsp_client import LanguageServer, server_command
from .test_schema import CASE_TEXT, CORPUS_DIRS, actor_text, variants

runner = CliRunner()


@pytest.fixture(scope="module")
def workspace(tmp_path_factory: pytest.TempPathFactory) -> Path:
    server_command()  # skip (or fail when required) before building anything
    return tmp_path_factory.mktemp("editor")


@pytest.fixture(scope="module")
def server(workspace: Path) -> Iterator[LanguageServer]:
    ls = LanguageServer(workspace)
    yield ls
    ls.close()


def with_schemas(root: Path) -> None:
    done = runner.invoke(app, ["schema", "--write", str(root)])
    assert done.exit_code == 0, done.stderr


def with_modeline(path: Path) -> str:
    relative = CASE_SCHEMA if path.name in ("case.yaml", "case.yml") else ACTOR_SCHEMA
    text = modeline(relative) + path.read_text(encoding="utf-8")
    path.write_text(text, encoding="utf-8")
    return text


def errors_of(diagnostics: list[dict[str, object]]) -> list[object]:
    return [d["message"] for d in diagnostics if d.get("severity") == 1]


DRAFT = """\
# yaml-language-server: $schema=schemas/actor.schema.json
actor: newcomer
name: Newcomer
role: platform
sources:
  s:
    title: A letter
    type: <SP>
claims:
  - topic: <SP>
    stance: <SP>
    summary: It said so.
    source: s
    ground: <SP>
""".replace("<SP>", " ")  # an empty value, where the cursor asks for completions


def test_completion_offers_the_cases_topics_and_no_booleans(workspace: Path, server: LanguageServer) -> None:
    root = workspace / "completion"
    shutil.copytree(MINI, root)
    with_schemas(root)
    path = root / "newcomer.yaml"
    path.write_text(DRAFT, encoding="utf-8")
    uri = server.open(path)
    lines = DRAFT.splitlines()

    def at(prefix: str) -> list[str]:
        number = next(i for i, line in enumerate(lines) if line.startswith(prefix))
        return server.completion_labels(uri, number, len(lines[number]))

    topics = at("  - topic:")
    assert topics[:4] == ["violent-content", "warned", "political", "moderation"]
    assert set(topics) == {
        "violent-content",
        "warned",
        "political",
        "moderation",
        "violence",
        "violent-posts",
        "notice",
    }
    assert at("    stance:") == ["asserts", "denies", "qualifies"]
    assert at("    ground:") == ["contract", "policy", "law", "fact", "principle"]
    types = at("    type:")
    assert types[:3] == ["terms-of-service", "acceptable-use-policy", "community-guidelines"]
    for labels in (topics, types):
        assert "true" not in labels and "false" not in labels


def test_every_file_validate_accepts_has_no_error_in_the_editor(workspace: Path, server: LanguageServer) -> None:
    checked = 0
    for source in CORPUS_DIRS:
        root = workspace / "corpora" / source.name
        shutil.copytree(source, root)
        loaded = load_corpus(root)
        if loaded.case is None:
            continue
        with_schemas(root)
        for path in sorted(root.glob("*.y*ml")):
            problems = [p for p in loaded.problems if Path(p.location.path).name == path.name]
            with_modeline(path)
            diagnostics = server.diagnostics(server.open(path))
            if not any(p.severity == "error" for p in problems):
                assert errors_of(diagnostics) == [], f"{source.name}/{path.name}"
                checked += 1
            elif any(p.code in ("unknown-stance", "unknown-source-type", "bad-date", "bad-url") for p in problems):
                assert errors_of(diagnostics), f"{source.name}/{path.name}"
    assert checked >= 12


def test_generated_variants_get_the_loaders_verdict_in_the_editor(workspace: Path, server: LanguageServer) -> None:
    """ECMAScript runs the patterns here, not Python's re: both must agree with the loader."""
    root = workspace / "variants"
    root.mkdir()
    (root / "case.yaml").write_text(CASE_TEXT, encoding="utf-8")
    with_schemas(root)
    texts = {}
    for n, (label, pieces) in enumerate(variants()):
        if n % 2 and not label.startswith(("date", "url", "source-date")):
            continue  # half of the spellings; every date and URL
        text = modeline(ACTOR_SCHEMA) + actor_text(n, pieces.get("claim"), pieces.get("source"), pieces.get("top"))
        (root / f"v{n:04d}.yaml").write_text(text, encoding="utf-8")
        texts[f"v{n:04d}.yaml"] = label
    loaded = load_corpus(root)
    rejected = {Path(p.location.path).name for p in loaded.problems if p.severity == "error"}
    uris = {name: server.open(root / name) for name in texts}
    published = server.diagnostics_of(list(uris.values()))
    disagreements = []
    for name, label in sorted(texts.items()):
        found = errors_of(published[uris[name]])
        if (name in rejected) != bool(found) and label != "unknown-field":
            disagreements.append(f"{label}: validate {'rejects' if name in rejected else 'accepts'}, editor {found}")
    assert disagreements == []
    assert 0 < len(rejected) < len(texts)


def test_an_unknown_field_is_flagged_in_the_editor_with_the_fields_allowed(
    workspace: Path, server: LanguageServer
) -> None:
    """validate warns about it; the schema says so through `deprecationMessage`, which a validator
    accepts and yaml-language-server shows (it reports every warning as an error)."""
    root = workspace / "unknown-field"
    root.mkdir()
    (root / "case.yaml").write_text(CASE_TEXT, encoding="utf-8")
    with_schemas(root)
    path = root / "a.yaml"
    path.write_text(modeline(ACTOR_SCHEMA) + actor_text(1, {"sumary": "typo"}), encoding="utf-8")
    [diagnostic] = server.diagnostics(server.open(path))
    assert str(diagnostic["message"]).startswith(
        "Unknown field: policycmp ignores it (fields here: id, topic, stance, summary"
    )
    assert diagnostic["range"]["start"]["line"] == 15


def test_files_from_new_are_clean_and_complete_in_the_editor(workspace: Path, server: LanguageServer) -> None:
    """The newcomer's path: `new case`, `new actor`, then typing a second claim's topic."""
    root = workspace / "fresh-case"
    for args in (["new", "case", str(root)], ["new", "actor", "host", "-c", str(root), "--role", "cloud-host"]):
        done = runner.invoke(app, args)
        assert done.exit_code == 0, done.stderr
    uris = [server.open(root / name) for name in ("case.yaml", "host.yaml")]
    published = server.diagnostics_of(uris)
    assert published == {uri: [] for uri in uris}
    text = (root / "host.yaml").read_text(encoding="utf-8") + "  - topic: \n"
    path = root / "host-draft.yaml"
    path.write_text(text, encoding="utf-8")
    uri = server.open(path)
    line = text.count("\n") - 1
    labels = server.completion_labels(uri, line, len("  - topic: "))
    assert labels == ["example-topic", "prior-warning"]
