"""Writing a case: schemas written beside a corpus, `policycmp new`, `validate --watch`, and the
small frictions of a first session (SPEC section 5)."""

from __future__ import annotations

import json
import os
import shutil
from collections.abc import Callable
from pathlib import Path
from typing import Any

import pytest
from jsonschema import Draft202012Validator  # type: ignore[import-untyped]

from policycmp.schema import WRITTEN_MARK

from . import yaml12
from .corpus_helpers import MINI

Run = Callable[..., Any]


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
