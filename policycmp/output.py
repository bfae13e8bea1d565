"""Writing outputs safely: a temporary file in the target's directory, renamed into place."""

from __future__ import annotations

import contextlib
import errno
import os
import stat
from pathlib import Path
from typing import NamedTuple

_CREATE = os.O_WRONLY | os.O_CREAT | os.O_EXCL | getattr(os, "O_BINARY", 0)


def write_output(path: Path, text: str) -> None:
    """Write ``text`` to ``path``: a regular file (or a new one) atomically; an existing named
    pipe, device or socket is written into as a shell redirection would, never renamed over
    (``-o /dev/null`` must leave /dev/null a device). Raises IsADirectoryError for a directory."""
    try:
        info = os.stat(path)
    except OSError:
        info = None
    if info is not None and stat.S_ISDIR(info.st_mode):
        raise IsADirectoryError(errno.EISDIR, os.strerror(errno.EISDIR), str(path))
    if info is None or stat.S_ISREG(info.st_mode):
        write_atomic(path, text)
        return
    # O_NOCTTY: a terminal named with -o must not become our controlling terminal
    fd = os.open(path, os.O_WRONLY | getattr(os, "O_NOCTTY", 0) | getattr(os, "O_BINARY", 0))
    with os.fdopen(fd, "w", encoding="utf-8", newline="") as fh:
        if not stat.S_ISREG(os.fstat(fd).st_mode):  # still not a file we would rename over
            fh.write(text)
            return
    write_atomic(path, text)  # swapped for a regular file between stat and open


def write_atomic(path: Path, text: str) -> None:
    """Write ``text`` (UTF-8) to ``path`` so that readers see the old file or the whole new one.

    The text goes to a hidden ``.NAME.<random>.tmp`` beside ``path``, is flushed to disk, and is
    renamed over ``path``. Whatever interrupts the write (an error, Ctrl-C, SIGTERM) removes the
    temporary file; only SIGKILL or a crash can leave one behind.
    """
    directory = path.parent if str(path.parent) else Path(".")
    # Named here, created inside the try: a signal arriving just after the file is created
    # still finds the cleanup (tempfile.mkstemp could be interrupted before returning its name).
    tmp = directory / f".{path.name}.{os.urandom(8).hex()}.tmp"
    try:
        # O_EXCL: a new file of our own; mode 0o666 less the umask, like any file a program creates
        fd = os.open(tmp, _CREATE, 0o666)
        with os.fdopen(fd, "w", encoding="utf-8", newline="") as fh:
            with contextlib.suppress(OSError):  # replacing a file keeps its permissions (a 0600 stays 0600)
                os.fchmod(fh.fileno(), stat.S_IMODE(os.stat(path).st_mode))
            fh.write(text)
            fh.flush()
            os.fsync(fh.fileno())
        os.replace(tmp, path)
    except FileExistsError:  # a name clash (1 in 2**64): the file is someone else's, leave it
        raise
    except BaseException:
        with contextlib.suppress(OSError):
            os.unlink(tmp)
        raise
    with contextlib.suppress(OSError, AttributeError):  # make the rename itself survive a crash (POSIX)
        dir_fd = os.open(directory, os.O_RDONLY | getattr(os, "O_DIRECTORY", 0))
        try:
            os.fsync(dir_fd)
        finally:
            os.close(dir_fd)


def write_new(path: Path, text: str) -> None:
    """Write ``text`` (UTF-8) to ``path``, which must not exist: never replaces anything.

    The text is written beside it first and linked into place, so ``path`` appears whole or not
    at all, and a file (or link) that appeared meanwhile is left alone: FileExistsError.
    """
    directory = path.parent if str(path.parent) else Path(".")
    tmp = directory / f".{path.name}.{os.urandom(8).hex()}.tmp"
    try:
        fd = os.open(tmp, _CREATE, 0o666)
        with os.fdopen(fd, "w", encoding="utf-8", newline="") as fh:
            fh.write(text)
            fh.flush()
            os.fsync(fh.fileno())
        try:
            os.link(tmp, path, follow_symlinks=False)
        except FileExistsError:
            raise
        except OSError:  # no hard links on this file system: create the file itself exclusively
            _write_exclusive(path, text)
    finally:
        with contextlib.suppress(OSError):
            os.unlink(tmp)


def _write_exclusive(path: Path, text: str) -> None:
    fd = os.open(path, _CREATE, 0o666)
    try:
        with os.fdopen(fd, "w", encoding="utf-8", newline="") as fh:
            fh.write(text)
    except BaseException:
        with contextlib.suppress(OSError):
            os.unlink(path)
        raise


class Inputs(NamedTuple):
    """What a command reads, so that ``-o`` never replaces an input or adds to a corpus.

    ``corpus_dirs``: a YAML file written there would be read as an actor file next time;
    ``files``: files read (source texts, the actor files given to ``diff``); ``text_dirs``:
    ``--texts`` directories, where every file may be read; ``template_dirs``: ``--template-dir``
    directories, where every file may be read (a template may include any name).
    """

    corpus_dirs: tuple[Path, ...] = ()
    files: tuple[Path, ...] = ()
    text_dirs: tuple[Path, ...] = ()
    template_dirs: tuple[Path, ...] = ()

    def refusal(self, output: Path) -> str | None:
        """Why writing ``output`` would harm an input, or None when it is safe."""
        parent = Path(os.path.realpath(output.parent))
        name = output.name
        if name.endswith((".yaml", ".yml")) and not name.startswith("."):
            for root in self.corpus_dirs:
                if parent == Path(os.path.realpath(root)):
                    return f"YAML files in {root} are read as part of the corpus"
        for texts in self.text_dirs:
            if parent.is_relative_to(os.path.realpath(texts)):
                return f"{texts} holds the source texts this command reads"
        for templates in self.template_dirs:
            if parent.is_relative_to(os.path.realpath(templates)):
                return f"{templates} holds the templates this command reads"
        if output.exists() and not output.is_symlink():  # replacing a link leaves its target alone
            for path in self.files:
                with contextlib.suppress(OSError):
                    if os.path.samefile(output, path):
                        return "this command reads it"
        return None
