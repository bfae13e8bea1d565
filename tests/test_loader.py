"""Loading whole corpora: the bundled case, encodings and line endings, which files are read."""

from __future__ import annotations

import hashlib
import shutil
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pandas as pd
import pytest

import policycmp

from .corpus_helpers import COURT, MINI, copy_mini

COURT_CLAIM_LINES = [10, 14]


def digests(root: Path) -> dict[str, str]:
    return {
        str(p.relative_to(root)): hashlib.sha256(p.read_bytes()).hexdigest()
        for p in sorted(root.rglob("*"))
        if p.is_file()
    }


def court_rows(root: Path) -> pd.DataFrame:
    claims = policycmp.load(root).claims
    return claims[claims["actor"] == "court"]


# -- the bundled case ------------------------------------------------------------------------------


@pytest.fixture(scope="module")
def bundled() -> policycmp.Corpus:
    return policycmp.load()


def test_bundled_case_has_no_problems() -> None:
    loaded = policycmp.check()
    assert [str(p) for p in loaded.problems] == []
    assert loaded.ok
    assert loaded.case is not None and loaded.case.id == "parler-2021"


def test_bundled_case_claims_are_complete(bundled: policycmp.Corpus) -> None:
    claims = bundled.claims
    assert len(claims) == len(bundled.records) > 0
    assert bundled.warnings == []
    for column in ("actor", "claim", "topic", "stance", "summary", "source", "source_title", "source_type", "path"):
        values = claims[column]
        assert values.notna().all(), column
        assert (values.astype(str).str.strip() != "").all(), column
    assert set(claims["stance"]) <= {"asserts", "denies", "qualifies"}
    assert set(claims["topic"]) <= set(bundled.topics)
    assert (claims["line"] > 0).all()
    # claim ids are unique within each actor
    assert not claims.duplicated(["actor", "claim"]).any()


def test_bundled_case_claim_lines_point_at_claims(bundled: policycmp.Corpus) -> None:
    root = bundled.root
    for record in bundled.records:
        lines = (root / Path(record.path).name).read_text(encoding="utf-8").splitlines()
        text = lines[record.line - 1]
        # a claim mapping starts on the line of its first key, inside a '- ' list item
        assert text.lstrip().startswith(("- ", "-\t")) or lines[record.line - 2].strip() == "-", (record.path, text)


def test_load_without_a_path_is_the_bundled_case(bundled: policycmp.Corpus) -> None:
    assert bundled.case.id == "parler-2021"
    assert (bundled.root / "case.yaml").is_file()
    assert len(bundled.actors) >= 2


# -- encodings and line endings ----------------------------------------------------------------


@pytest.mark.parametrize(
    ("bom", "newline"), [(b"\xef\xbb\xbf", "\n"), (b"", "\r\n"), (b"\xef\xbb\xbf", "\r\n")], ids=["bom", "crlf", "both"]
)
def test_bom_and_crlf_are_accepted_with_correct_lines(tmp_path: Path, bom: bytes, newline: str) -> None:
    root = copy_mini(tmp_path, files={"court.yaml": bom + COURT.replace("\n", newline).encode("utf-8")})
    assert policycmp.check(root).problems == []
    rows = court_rows(root)
    assert list(rows["line"]) == COURT_CLAIM_LINES
    # no stray '\r' or BOM in any value
    assert list(rows["summary"]) == [
        "The court found no evidence of political motive.",
        "The court found violent posts undisputed.",
    ]
    assert policycmp.load(root).actors["court"].name == "The Court"


@pytest.mark.parametrize("newline", ["\n", "\r\n"])
def test_problem_positions_in_a_bom_crlf_file(tmp_path: Path, newline: str) -> None:
    broken = COURT.replace("actor: court", "actor: court\nwebsite: x").replace("stance: denies", "stance: denys")
    root = copy_mini(tmp_path, files={"court.yaml": b"\xef\xbb\xbf" + broken.replace("\n", newline).encode("utf-8")})
    got = [(p.location.line, p.location.column, p.code) for p in policycmp.check(root).problems]
    assert got == [(2, 1, "unknown-field"), (12, 13, "unknown-stance")]


def test_a_bom_on_the_case_file_is_accepted(tmp_path: Path) -> None:
    root = copy_mini(tmp_path)
    data = (root / "case.yaml").read_bytes()
    (root / "case.yaml").write_bytes(b"\xef\xbb\xbf" + data.replace(b"\n", b"\r\n"))
    loaded = policycmp.check(root)
    assert loaded.problems == []
    assert loaded.case is not None and loaded.case.id == "mini"


def test_non_ascii_text_survives(tmp_path: Path) -> None:
    text = COURT.replace("name: The Court", "name: Cour d’appel de Paris — 1ʳᵉ chambre").replace(
        "The court found violent posts undisputed.", "'Le tribunal : « contenus violents » non contestés.'"
    )
    root = copy_mini(tmp_path, files={"court.yaml": text})
    corpus = policycmp.load(root)
    assert corpus.actors["court"].name == "Cour d’appel de Paris — 1ʳᵉ chambre"
    assert "Le tribunal : « contenus violents » non contestés." in set(corpus.claims["summary"])


# -- which files are read ----------------------------------------------------------------------


def test_hidden_and_non_yaml_files_are_ignored(tmp_path: Path) -> None:
    root = copy_mini(tmp_path)
    expected = policycmp.load(root).claims
    garbage = "actor: [unclosed\n\tname: {\n"
    (root / ".hidden.yaml").write_text(garbage, encoding="utf-8")
    (root / ".court.yaml.swp").write_text(garbage, encoding="utf-8")
    (root / "notes.txt").write_text(garbage, encoding="utf-8")
    (root / "README.md").write_text("# notes\n", encoding="utf-8")
    (root / "court.yaml~").write_text(garbage, encoding="utf-8")
    (root / "court.yaml.bak").write_text(garbage, encoding="utf-8")
    (root / "data.json").write_text("{", encoding="utf-8")
    (root / ".git").mkdir()
    (root / ".git" / "x.yaml").write_text(garbage, encoding="utf-8")
    (root / "drafts").mkdir()
    (root / "drafts" / "draft.yaml").write_text(garbage, encoding="utf-8")
    loaded = policycmp.check(root)
    assert loaded.problems == []
    pd.testing.assert_frame_equal(policycmp.load(root).claims, expected)


def test_yml_suffix_is_read(tmp_path: Path) -> None:
    root = copy_mini(tmp_path)
    (root / "court.yaml").rename(root / "court.yml")
    claims = policycmp.load(root).claims
    assert sorted(set(claims["actor"])) == ["court", "forum", "host"]
    assert set(claims.loc[claims["actor"] == "court", "path"].map(lambda p: Path(p).name)) == {"court.yml"}


def test_case_yml_is_accepted(tmp_path: Path) -> None:
    root = copy_mini(tmp_path)
    (root / "case.yaml").rename(root / "case.yml")
    assert policycmp.check(root).problems == []
    assert policycmp.load(root).case.id == "mini"


def test_symlink_inside_the_corpus_is_followed(tmp_path: Path) -> None:
    root = copy_mini(tmp_path)
    (root / "originals").mkdir()
    (root / "court.yaml").rename(root / "originals" / "court.txt")
    (root / "court.yaml").symlink_to(root / "originals" / "court.txt")
    assert policycmp.check(root).problems == []
    assert "court" in policycmp.load(root).actors


def test_input_files_are_byte_identical_after_loading(tmp_path: Path) -> None:
    root = copy_mini(tmp_path, files={"court.yaml": b"\xef\xbb\xbf" + COURT.replace("\n", "\r\n").encode("utf-8")})
    before = digests(root)
    mtimes = {p: p.stat().st_mtime_ns for p in root.iterdir()}
    corpus = policycmp.load(root)
    corpus.claims  # noqa: B018 - build the table too
    corpus.table()
    policycmp.check(root)
    assert digests(root) == before
    assert {p: p.stat().st_mtime_ns for p in root.iterdir()} == mtimes
    assert sorted(p.name for p in root.iterdir()) == sorted(Path(p).name for p in before)


def test_broken_input_files_are_not_touched_either(tmp_path: Path) -> None:
    latin1 = COURT.replace("name: The Court", "name: Cour\xe9").encode("latin-1")
    root = copy_mini(tmp_path, files={"court.yaml": latin1, "host.yaml": "actor: host\nname: [\n"})
    before = digests(root)
    assert not policycmp.check(root).ok
    with pytest.raises(policycmp.PolicyError):
        policycmp.load(root)
    assert digests(root) == before


def test_a_corpus_with_only_a_case_file_warns(tmp_path: Path) -> None:
    root = tmp_path / "corpus"
    root.mkdir()
    shutil.copy(MINI / "case.yaml", root / "case.yaml")
    loaded = policycmp.check(root)
    assert [(p.code, p.severity) for p in loaded.problems] == [("no-actors", "warning")]
    assert loaded.ok
    assert len(policycmp.load(root).claims) == 0


def test_limits_are_per_file(tmp_path: Path) -> None:
    root = copy_mini(tmp_path)
    largest = max(p.stat().st_size for p in root.iterdir())
    assert policycmp.check(root, limits=policycmp.Limits(max_bytes=largest)).problems == []
    tight = policycmp.check(root, limits=policycmp.Limits(max_bytes=largest - 1)).problems
    assert [p.code for p in tight] == ["file-too-large"]


class _CountingList(list[Any]):
    """A list that counts the items handed out by iteration: the work of a key lookup."""

    visited = 0

    def __iter__(self) -> Iterator[Any]:
        for item in super().__iter__():
            _CountingList.visited += 1
            yield item


@pytest.mark.parametrize("keys", [200, 2000])
def test_locating_every_key_of_a_mapping_is_linear(tmp_path: Path, keys: int) -> None:
    """Positions of n keys cost O(n) node visits in all (a scan per key would be n*n/2)."""
    from policycmp.problems import Problems
    from policycmp.yamlio import read_yaml

    path = tmp_path / "big.yaml"
    path.write_text("".join(f"k{i}: v{i}\n" for i in range(keys)), encoding="utf-8")
    mapping = read_yaml(path, "big.yaml", Problems())
    mapping.node.value = _CountingList(mapping.node.value)
    _CountingList.visited = 0
    for i in range(keys):
        assert mapping.key_pos[f"k{i}"] == (i + 1, 1)
        assert mapping.val_pos[f"k{i}"] == (i + 1, len(f"k{i}: ") + 1)
    assert mapping.key_pos.get("absent") is None
    assert _CountingList.visited <= 2 * keys


@pytest.mark.parametrize(
    "directives",
    ["%YAML 2.0\n", "%FOO bar\n", "%YAML 1.1\n%YAML 1.1\n", "%TAG ! x\n%TAG ! y\n", "%YAML\n"],
    ids=["version", "unknown", "duplicate-yaml", "duplicate-tag", "no-version"],
)
def test_a_directive_error_says_so_not_quoting(tmp_path: Path, directives: str) -> None:
    from .corpus_helpers import copy_mini

    root = copy_mini(tmp_path, files={"court.yaml": directives + "---\n" + COURT})
    [problem] = policycmp.check(root).problems
    assert problem.code == "yaml-syntax"
    assert "quoting and indentation" not in problem.message
    assert "directive" in problem.message and "remove" in problem.message
    assert problem.location.line == directives.count("\n")
