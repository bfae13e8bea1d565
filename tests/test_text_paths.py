"""Source texts are contained: a ``text:`` path that cannot even be looked up is a located
problem, a text is checked where it is opened (not where it was once found), and ``--texts``
keeps to its directory as ``text:`` keeps to the corpus."""

from __future__ import annotations

import os
import shutil
from pathlib import Path

import pytest

import policycmp

from .conftest import CORPORA

QUOTES = CORPORA / "quotes"
TEXTS = CORPORA / "quotes-texts"
SECRET = "We will suspend your account on Sunday. Recently, we've seen a steady increase in violent content"


def _with_text_path(tmp_path: Path, value: str) -> Path:
    target = tmp_path / "corpus"
    shutil.copytree(QUOTES, target)
    host = target / "host.yaml"
    host.write_text(host.read_text(encoding="utf-8").replace("text: texts/host-letter.txt", f"text: {value}"))
    return target


@pytest.mark.parametrize(
    "value",
    ['"texts/a\\0b.txt"', "texts/" + "n" * 300 + ".txt", "a/" * 2100 + "x.txt", "texts/host-letter.txt/x"],
    ids=["nul-byte", "name-over-255-bytes", "path-over-4096-bytes", "through-a-file"],
)
def test_a_text_path_that_cannot_be_looked_up_is_a_located_problem(tmp_path: Path, value: str) -> None:
    loaded = policycmp.check(_with_text_path(tmp_path, value))
    located = [(p.code, p.location.line, p.location.column) for p in loaded.problems]
    assert len(located) == 1, located
    assert located[0][1:] == (10, 11), located
    assert located[0][0] in ("missing-text", "bad-text-path"), located


def test_a_directory_that_cannot_be_searched_is_a_located_problem(tmp_path: Path) -> None:
    root = _with_text_path(tmp_path, "locked/letter.txt")
    (root / "locked").mkdir()
    (root / "locked").chmod(0)
    try:
        if os.access(root / "locked", os.X_OK):
            pytest.skip("running with privileges that search any directory")
        loaded = policycmp.check(root)
    finally:
        (root / "locked").chmod(0o755)
    assert [(p.code, p.location.line) for p in loaded.problems] == [("missing-text", 10)]
    assert "cannot be searched" in loaded.problems[0].message or "ermission" in loaded.problems[0].message


@pytest.mark.parametrize("value", [".", "texts", "pipe"])
def test_a_text_that_is_not_a_file_is_not_called_missing(tmp_path: Path, value: str) -> None:
    root = _with_text_path(tmp_path, value)
    if value == "pipe":
        if not hasattr(os, "mkfifo"):
            pytest.skip("named pipes are POSIX")
        os.mkfifo(root / "pipe")
    [problem] = policycmp.check(root).problems
    assert problem.code == "missing-text"
    assert "does not exist" not in problem.message
    assert ("directory" if value != "pipe" else "not a regular file") in problem.message


def test_a_text_swapped_for_a_link_after_loading_is_not_followed(tmp_path: Path) -> None:
    root = _with_text_path(tmp_path, "texts/host-letter.txt")
    outside = tmp_path / "secret.txt"
    outside.write_text(SECRET + "\n", encoding="utf-8")
    corpus = policycmp.load(root)  # the text is a regular file inside the corpus now
    letter = root / "texts" / "host-letter.txt"
    letter.unlink()
    letter.symlink_to(outside)
    result = corpus.quotes(cache=False)
    frame = result.frame
    assert set(frame["status"]) <= {"no-text"}, frame[["claim", "status", "closest"]]
    assert not any("suspend" in str(c) for c in frame["closest"])
    assert [p.code for p in result.warnings] == ["unreadable-text"]
    assert "outside" in result.warnings[0].message


def test_texts_dir_does_not_follow_links_out_of_it(tmp_path: Path) -> None:
    texts = tmp_path / "texts"
    (texts / "forum").mkdir(parents=True)
    outside = tmp_path / "elsewhere" / "complaint.txt"
    outside.parent.mkdir()
    shutil.copy(TEXTS / "forum" / "complaint.txt", outside)
    (texts / "forum" / "complaint.txt").symlink_to(outside)
    result = policycmp.load(QUOTES).quotes(texts, cache=False)
    status = {(r.actor, r.claim): r.status for r in result.frame.itertuples()}
    assert status[("forum", "never-warned")] == "no-text"
    assert [p.code for p in result.warnings] == ["unreadable-text"]
    inside = tmp_path / "texts2"
    (inside / "forum").mkdir(parents=True)
    shutil.copy(TEXTS / "forum" / "complaint.txt", inside / "real.txt")
    (inside / "forum" / "complaint.txt").symlink_to(inside / "real.txt")  # a link within the directory is fine
    status = {
        (r.actor, r.claim): r.status for r in policycmp.load(QUOTES).quotes(inside, cache=False).frame.itertuples()
    }
    assert status[("forum", "never-warned")] == "verified"
