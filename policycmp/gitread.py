"""Read a corpus directory as it was at a git revision, treating the repository as data.

A corpus may arrive with its ``.git`` folder, and that folder's configuration can name programs
(hooks, ``core.fsmonitor``, textconv and clean/smudge filters, a pager). Nothing here runs them:
git is asked only for plumbing that reads objects (``rev-parse``, ``ls-tree``, ``cat-file``),
with the settings that could start a program switched off on the command line, never with a work
tree operation; REV is always a revision (``--end-of-options``), never an option. Blob contents
are copied byte for byte into a private temporary directory that the loader reads like any
corpus, with its paths shown as ``REV:path``.
"""

from __future__ import annotations

import os
import shutil
import subprocess
import tempfile
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

from .loader import YAML_SUFFIXES

# Settings that could make a read start a program, switched off for every call.
_SAFE_CONFIG = (
    "core.fsmonitor=false",
    "core.hooksPath=/dev/null",
    "core.pager=cat",
    "core.untrackedCache=false",
    "diff.external=",
    "protocol.allow=never",
)
_TIMEOUT = 60  # seconds for one git call


class GitError(ValueError):
    """The revision or the repository cannot be read (a usage error: exit 2)."""


def _env() -> dict[str, str]:
    """The caller's environment without GIT_* variables (the corpus directory names the
    repository), git told never to prompt, never to take optional locks, and not to read the
    system's or user's pager and editor."""
    env = {k: v for k, v in os.environ.items() if not k.startswith("GIT_")}
    env.update(GIT_TERMINAL_PROMPT="0", GIT_OPTIONAL_LOCKS="0", GIT_PAGER="cat", GIT_EDITOR=":", GIT_ASKPASS="")
    env.update(GIT_NO_REPLACE_OBJECTS="1", GIT_NO_LAZY_FETCH="1")
    return env


def _git(cwd: Path, *args: str, stdin: bytes | None = None) -> bytes:
    command = ["git", "--no-pager"]
    for setting in _SAFE_CONFIG:
        command += ["-c", setting]
    command += list(args)
    try:
        done = subprocess.run(
            command, cwd=cwd, input=stdin, capture_output=True, env=_env(), timeout=_TIMEOUT, check=False
        )
    except FileNotFoundError:
        raise GitError("--git needs the git program, which is not installed") from None
    except subprocess.TimeoutExpired:
        raise GitError(f"git {args[0]} took longer than {_TIMEOUT} s") from None
    if done.returncode != 0:
        message = done.stderr.decode("utf-8", "replace").strip().splitlines()
        raise GitError(message[-1] if message else f"git {args[0]} failed")
    return done.stdout


def resolve(directory: Path, rev: str) -> tuple[str, str]:
    """The commit ``rev`` names and the directory's path inside the repository (``a/b/`` or ``""``).

    ``rev`` is only ever a revision: ``rev-parse --verify --end-of-options REV^{commit}``, so
    ``--output=x`` or ``-h`` is an unknown revision, not an option.
    """
    if not rev or "\x00" in rev:
        raise GitError("--git needs a revision, such as HEAD~1, a tag or a commit id")
    try:
        prefix = _git(directory, "rev-parse", "--show-prefix").decode("utf-8", "surrogateescape").strip()
    except GitError as exc:
        raise GitError(f"{directory} is not inside a git repository ({exc})") from None
    try:
        commit = _git(directory, "rev-parse", "--verify", "--quiet", "--end-of-options", f"{rev}^{{commit}}")
    except GitError:
        raise GitError(f"unknown revision {rev!r}; give a commit, branch or tag of the corpus's repository") from None
    return commit.decode("ascii").strip(), prefix


def _tree_files(directory: Path, commit: str, prefix: str) -> list[tuple[str, str, str]]:
    """(mode, object id, name) of the corpus files at ``commit``: the directory's own YAML files."""
    spec = f"{commit}:{prefix.rstrip('/')}" if prefix else f"{commit}^{{tree}}"
    try:
        tree = _git(directory, "rev-parse", "--verify", "--quiet", "--end-of-options", spec).decode("ascii").strip()
        kind = _git(directory, "cat-file", "-t", tree).decode("ascii").strip()
    except GitError:
        kind = ""
    if kind != "tree":
        raise GitError(f"the corpus directory {prefix or './'} does not exist at that revision")
    listing = _git(directory, "ls-tree", "-z", "--full-tree", "--end-of-options", tree)
    files = []
    for entry in listing.split(b"\x00"):
        if not entry:
            continue
        meta, _, raw_name = entry.partition(b"\t")
        mode, kind, oid = meta.decode("ascii").split()
        name = raw_name.decode("utf-8", "surrogateescape")
        if kind != "blob" or name.startswith(".") or "/" in name or not name.endswith(YAML_SUFFIXES):
            continue
        files.append((mode, oid, name))
    return files


@contextmanager
def corpus_at(directory: Path, rev: str, max_bytes: int) -> Iterator[tuple[Path, str, str]]:
    """A temporary copy of the corpus files at ``rev``: (directory, the commit, the shown root).

    Symbolic links and files over ``max_bytes`` are not copied: a placeholder of the same name
    makes the loader report them (a link as unreadable, a large file as too large).
    """
    commit, prefix = resolve(directory, rev)
    files = _tree_files(directory, commit, prefix)
    regular = [(oid, name) for mode, oid, name in files if mode in ("100644", "100755")]
    sizes: dict[str, int] = {}
    if regular:
        check = _git(directory, "cat-file", "--batch-check", stdin="".join(f"{oid}\n" for oid, _ in regular).encode())
        for line in check.decode("ascii").splitlines():
            oid, _, size = line.split()
            sizes[oid] = int(size)
    wanted = [oid for oid, _ in regular if sizes.get(oid, 0) <= max_bytes]
    blobs: dict[str, bytes] = {}
    if wanted:
        out = _git(directory, "cat-file", "--batch", stdin="".join(f"{oid}\n" for oid in wanted).encode())
        at = 0
        for _ in wanted:
            end = out.index(b"\n", at)
            oid, _, size = out[at:end].decode("ascii").split()
            blobs[oid] = out[end + 1 : end + 1 + int(size)]
            at = end + 1 + int(size) + 1  # the contents, then a newline
    shown_root = f"{rev}:{prefix.rstrip('/')}" if prefix else f"{rev}:"
    tmp = Path(tempfile.mkdtemp(prefix="policycmp-git-"))
    try:
        for mode, oid, name in files:
            target = tmp / name
            if mode == "120000":  # a link: never recreated; an unreadable file for the loader
                os.mkfifo(target)
            elif oid in blobs:
                target.write_bytes(blobs[oid])
            elif mode in ("100644", "100755"):  # too large: a sparse file of that size, never read
                with target.open("wb") as handle:
                    handle.truncate(sizes[oid])
        yield tmp, commit, shown_root
    finally:
        shutil.rmtree(tmp, ignore_errors=True)
