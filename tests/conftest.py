"""Shared fixtures: paths of the test corpora and a CLI runner."""

from __future__ import annotations

import shutil
from collections.abc import Callable, Sequence
from pathlib import Path

import pytest
from typer.testing import CliRunner

from policycmp.cli import app

TESTS = Path(__file__).resolve().parent
CORPORA = TESTS / "corpora"
REPO = TESTS.parent


@pytest.fixture
def mini_dir() -> Path:
    """The small valid corpus (read-only: copy it before changing anything)."""
    return CORPORA / "mini"


@pytest.fixture
def mini_copy(tmp_path: Path) -> Path:
    """A writable copy of the small corpus."""
    target = tmp_path / "mini"
    shutil.copytree(CORPORA / "mini", target)
    return target


@pytest.fixture
def cli() -> Callable[..., object]:
    """Run the CLI in-process: ``cli("table", "-c", path)`` -> click Result (stdout, stderr, exit_code)."""
    runner = CliRunner()

    def run(*args: str | Path, env: dict[str, str] | None = None, input: str | None = None) -> object:
        argv: Sequence[str] = [str(a) for a in args]
        return runner.invoke(app, argv, env=env, input=input, catch_exceptions=False)

    return run
