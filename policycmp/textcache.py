"""A cache of extracted document text, so that a second ``quotes`` run does not parse a PDF again.

Entries live in the user's cache directory (``$XDG_CACHE_HOME/policycmp``, else the platform's),
one JSON file per document, named by the SHA-256 of the document's bytes and the extractor's
version: a changed file or a new extractor misses the cache instead of reading stale text. An
entry that cannot be read or does not hold what it should is ignored and rebuilt. Entries are
written to a temporary file in the cache directory and renamed into place, under a name made of
hex digits only, so a write never lands outside the cache directory or leaves half a file.

The cache is bounded: after a write, the least recently used entries (a hit refreshes an
entry's modification time) are removed until the entries take at most ``max_bytes``. A cache
lists its directory on its first write and then only when what it has written since may take
the entries past ``max_bytes`` (what other runs write meanwhile is seen at its next listing).
Only files named as entries (or as this cache's temporary files, once an hour old) are ever removed.
"""

from __future__ import annotations

import contextlib
import hashlib
import json
import os
import re
import stat
import sys
import time
from pathlib import Path

from .extract import Extracted

__all__ = ["TextCache", "default_cache_dir"]

_FORMAT = 1
_MAX_ENTRY_BYTES = 200_000_000
DEFAULT_MAX_BYTES = 512 * 1024 * 1024  # the whole cache: more than a few hundred court filings' text
_ENTRY_NAME = re.compile(r"[0-9a-f]{64}\.json")
_TEMP_NAME = re.compile(r"\.[0-9a-f]{64}\.[0-9a-f]{12}\.tmp")
_TEMP_AGE = 3600.0  # seconds: a temporary file this old was left by a write that died


def default_cache_dir() -> Path | None:
    """``$XDG_CACHE_HOME/policycmp``, else the platform's user cache directory (None if unknown)."""
    xdg = os.environ.get("XDG_CACHE_HOME", "")
    if xdg and os.path.isabs(xdg):  # the XDG spec: a relative value is invalid and ignored
        return Path(xdg) / "policycmp"
    if sys.platform == "win32":
        local = os.environ.get("LOCALAPPDATA")
        return Path(local) / "policycmp" / "Cache" if local else None
    try:
        home = Path.home()
    except RuntimeError:  # no home directory to be found: no cache
        return None
    if sys.platform == "darwin":
        return home / "Library" / "Caches" / "policycmp"
    return home / ".cache" / "policycmp"


class TextCache:
    """Extractions keyed by (document bytes, extractor version); every failure is a miss."""

    def __init__(self, directory: Path | None = None, max_bytes: int = DEFAULT_MAX_BYTES) -> None:
        self.directory = directory if directory is not None else default_cache_dir()
        self.max_bytes = max_bytes
        self._room: int | None = None  # bytes that may be written before the directory is listed again

    def _entry(self, data: bytes, version: str) -> Path | None:
        if self.directory is None:
            return None
        digest = hashlib.sha256(data)
        digest.update(b"\0" + version.encode("utf-8"))
        return self.directory / f"{digest.hexdigest()}.json"

    def get(self, data: bytes, version: str) -> Extracted | None:
        """The cached extraction of ``data`` by extractor ``version``, or None."""
        path = self._entry(data, version)
        if path is None:
            return None
        try:
            fd = os.open(path, os.O_RDONLY | getattr(os, "O_NOFOLLOW", 0) | getattr(os, "O_NONBLOCK", 0))
        except OSError:
            return None
        try:
            with open(fd, "rb") as fh:
                info = os.fstat(fh.fileno())
                if not stat.S_ISREG(info.st_mode) or info.st_size > _MAX_ENTRY_BYTES:
                    return None
                record = json.loads(fh.read(_MAX_ENTRY_BYTES + 1).decode("utf-8"))
                found = _from_record(record, version)
                if found is not None and os.utime in os.supports_fd:
                    with contextlib.suppress(OSError):
                        os.utime(fh.fileno())  # used now: the last to be pruned
            return found
        except (OSError, ValueError, TypeError, KeyError, RecursionError):
            return None

    def put(self, data: bytes, version: str, extracted: Extracted) -> None:
        """Store an extraction; a cache that cannot be written is silently skipped."""
        path = self._entry(data, version)
        if path is None:
            return
        record = {
            "format": _FORMAT,
            "version": version,
            "kind": extracted.kind,
            "text": extracted.text,
            "page_starts": list(extracted.page_starts),
            "soft_breaks": extracted.soft_breaks,
            "warning": extracted.warning,
        }
        payload = json.dumps(record, ensure_ascii=False).encode("utf-8")
        tmp = path.with_name(f".{path.stem}.{os.urandom(6).hex()}.tmp")
        try:
            path.parent.mkdir(mode=0o700, parents=True, exist_ok=True)
            if path.parent.is_symlink():  # the cache directory itself must not lead elsewhere
                return
            fd = os.open(tmp, os.O_WRONLY | os.O_CREAT | os.O_EXCL | getattr(os, "O_NOFOLLOW", 0), 0o600)
            with open(fd, "wb") as fh:
                fh.write(payload)
            os.replace(tmp, path)  # renames over a link itself, never writes through it
        except OSError:
            with contextlib.suppress(OSError):
                tmp.unlink()
            return
        if self._room is not None and len(payload) <= self._room:
            self._room -= len(payload)
            return
        self.prune(keep=path.name)

    def prune(self, keep: str | None = None) -> int:
        """Remove the least recently used entries until the rest take at most ``max_bytes``
        (never ``keep``, the entry just written), and temporary files an hour old; the number removed."""
        if self.directory is None:
            return 0
        entries: list[tuple[float, int, str]] = []
        stale: list[str] = []
        now = time.time()
        try:
            with os.scandir(self.directory) as it:
                for e in it:
                    try:
                        if not e.is_file(follow_symlinks=False):
                            continue
                        info = e.stat(follow_symlinks=False)
                    except OSError:  # gone meanwhile (another run pruned it)
                        continue
                    if _ENTRY_NAME.fullmatch(e.name):
                        entries.append((info.st_mtime, info.st_size, e.name))
                    elif _TEMP_NAME.fullmatch(e.name) and now - info.st_mtime > _TEMP_AGE:
                        stale.append(e.name)
        except OSError:
            return 0
        entries.sort(reverse=True)  # newest first
        total = kept = 0
        for _mtime, size, name in entries:
            total += size
            if total > self.max_bytes and name != keep:
                stale.append(name)
            else:
                kept += size
        self._room = self.max_bytes - kept
        removed = 0
        for name in stale:
            with contextlib.suppress(OSError):
                os.unlink(self.directory / name)
                removed += 1
        return removed


def _from_record(record: object, version: str) -> Extracted | None:
    """An Extracted from a cache record, or None if the record is not exactly what put() writes."""
    if not isinstance(record, dict) or record.get("format") != _FORMAT or record.get("version") != version:
        return None
    kind, text, starts = record.get("kind"), record.get("text"), record.get("page_starts")
    soft, warning = record.get("soft_breaks"), record.get("warning")
    if kind not in ("html", "pdf", "text") or not isinstance(text, str) or not isinstance(soft, bool):
        return None
    if not isinstance(starts, list) or not all(type(s) is int and 0 <= s <= len(text) for s in starts):
        return None
    if starts != sorted(starts) or not (warning is None or isinstance(warning, str)):
        return None
    return Extracted(kind, text, tuple(starts), soft, warning)
