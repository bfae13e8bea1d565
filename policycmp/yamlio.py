"""Read one YAML file into plain values that remember where each came from.

PyYAML's composer gives nodes with marks; we convert those nodes ourselves instead of using a
constructor, which lets us report duplicate keys (PyYAML keeps the last one silently), refuse
non-standard tags, bound alias expansion and nesting, and keep every scalar as the text the
author wrote (so ``no`` stays the stance alias ``no`` and ``1.10`` is not turned into ``1.1``).
"""

from __future__ import annotations

import errno
import os
import re
import stat
from collections.abc import Callable
from pathlib import Path
from typing import Any, NamedTuple

import yaml

from .problems import Location, Problems, shown

try:  # libyaml is bundled with PyYAML's wheels; the pure-Python loader is the fallback.
    from yaml import CSafeLoader as _BaseLoader
except ImportError:  # pragma: no cover - depends on how PyYAML was built
    from yaml import SafeLoader as _BaseLoader  # type: ignore[assignment]

_TAG = "tag:yaml.org,2002:"
_NULL = _TAG + "null"
_STR = _TAG + "str"
_MAP = _TAG + "map"
_SEQ = _TAG + "seq"
_MERGE = _TAG + "merge"
# Scalars keep their source text; these are the standard tags a YAML file may write explicitly.
_SCALAR_TAGS = frozenset(_TAG + t for t in ("str", "int", "float", "bool", "null", "timestamp"))
_NULLS = frozenset(("", "~", "null", "Null", "NULL"))


class _Loader(_BaseLoader):
    """Composes nodes only; every scalar is text except the plain nulls.

    We keep each scalar as written, so the regex-based implicit resolver (int, float, bool,
    timestamp) would be wasted work: it runs once per scalar and is a large part of the parse.
    """

    def resolve(self, kind: type, value: Any, implicit: Any) -> str:
        if kind is yaml.ScalarNode:
            if implicit[0] and value in _NULLS:
                return _NULL
            if implicit[0] and value == "<<":
                return _MERGE
            return _STR
        return _SEQ if kind is yaml.SequenceNode else _MAP


class Limits(NamedTuple):
    """Bounds on what one file may cost to read."""

    max_bytes: int = 10 * 1024 * 1024
    max_depth: int = 100
    max_alias_nodes: int = 10_000


DEFAULT_LIMITS = Limits()


class _Invalid:
    """Stands for a value that was already reported (a disallowed tag): checks skip it."""

    def __repr__(self) -> str:
        return "INVALID"


INVALID: Any = _Invalid()


class _Positions:
    """Positions of a mapping's keys (or values), looked up in its node only when asked for."""

    __slots__ = ("mapping", "values")

    def __init__(self, mapping: YMap, values: bool) -> None:
        self.mapping = mapping
        self.values = values

    def get(self, key: str, default: tuple[int, int] | None = None) -> tuple[int, int] | None:
        found = self.mapping.nodes_of(key)
        if found is None:
            return default
        return _pos(found[1] if self.values else found[0])

    def __getitem__(self, key: str) -> tuple[int, int]:
        found = self.get(key)
        if found is None:
            raise KeyError(key)
        return found


class _Located:
    """Keeps the YAML node a value came from; positions are read from it only when asked for
    (a problem to report, a claim's line), so that a valid file pays almost nothing for them."""

    __slots__ = ()
    node: yaml.Node

    @property
    def pos(self) -> tuple[int, int]:
        return _pos(self.node)


class YMap(_Located, dict[str, Any]):
    """A mapping whose keys and values know their 1-based (line, column)."""

    __slots__ = ("_index", "node")
    node: yaml.MappingNode

    def __init__(self, node: yaml.MappingNode) -> None:
        super().__init__()
        self.node = node
        self._index: dict[str, tuple[yaml.Node, yaml.Node]] | None = None

    def nodes_of(self, key: str) -> tuple[yaml.Node, yaml.Node] | None:
        """The (key, value) nodes of the first occurrence of ``key``.

        The first lookup indexes every key of the node in one pass; each later one is a dict
        lookup, so locating all n keys of a mapping costs O(n), not a scan per key.
        """
        index = self._index
        if index is None:
            index = {}
            for key_node, value_node in self.node.value:
                if isinstance(key_node, yaml.ScalarNode):
                    index.setdefault(key_node.value, (key_node, value_node))  # the first occurrence wins
            self._index = index
        return index.get(key)

    @property
    def key_pos(self) -> _Positions:
        return _Positions(self, values=False)

    @property
    def val_pos(self) -> _Positions:
        return _Positions(self, values=True)


class YSeq(_Located, list[Any]):
    """A sequence whose items know their 1-based (line, column)."""

    __slots__ = ("node",)
    node: yaml.SequenceNode

    def __init__(self, node: yaml.SequenceNode) -> None:
        super().__init__()
        self.node = node

    @property
    def item_pos(self) -> list[tuple[int, int]]:
        return [_pos(item) for item in self.node.value]


def _pos(node: yaml.Node) -> tuple[int, int]:
    mark = node.start_mark
    return (mark.line + 1, mark.column + 1)  # PyYAML marks are 0-based


def describe(value: Any) -> str:
    """Name a value's YAML kind for a wrong-type message."""
    if isinstance(value, dict):
        return "a mapping"
    if isinstance(value, list):
        return "a list"
    if value is None:
        return "an empty value"
    return "text"


def _may_be_deep(text: str, limit: int) -> bool:
    """A cheap test that nesting cannot exceed ``limit``; True means "check properly".

    Block nesting needs indentation (or ``- - -``) and flow nesting needs brackets, so a file
    with neither long line prefixes nor many brackets cannot nest deeply.
    """
    if re.search(rf"^[ \t?:-]{{{max(limit, 2)},}}", text, re.MULTILINE):
        return True
    return text.count("[") + text.count("{") > limit


def _too_deep_at(text: str, limit: int) -> tuple[int, int] | None:
    """Where nesting first exceeds ``limit``, from libyaml's event stream.

    libyaml's composer recurses in C and crashes the whole process on very deep nesting; its
    parser does not, so counting collection events is a safe way to refuse such a file first.

    libyaml's scanner reads ahead of the events it has handed over (up to 1024 characters while
    a key may still follow) and has a nesting bound of its own, so a syntax error can surface
    before the collection events that precede it. The text before the error is then read again
    on its own: it holds every event that came before the error, and the scanner's bound is not
    reached in it. Otherwise a syntax error ends the scan: the composer stops at the same place.
    """
    found, failed_at = _first_too_deep(text, limit)
    if found is None and failed_at is not None and 0 < failed_at < len(text):
        found = _first_too_deep(text[:failed_at], limit)[0]
    return found


def _first_too_deep(text: str, limit: int) -> tuple[tuple[int, int] | None, int | None]:
    """(where nesting first exceeds ``limit``, None) or (None, character index of a syntax error)."""
    loader = _BaseLoader(text)
    depth = 0
    try:
        while (event := loader.get_event()) is not None:
            if isinstance(event, yaml.CollectionStartEvent):
                depth += 1
                if depth > limit:
                    mark = event.start_mark
                    return ((mark.line + 1, mark.column + 1) if mark else (1, 1)), None
            elif isinstance(event, yaml.CollectionEndEvent):
                depth -= 1
    except yaml.MarkedYAMLError as exc:
        mark = exc.problem_mark or exc.context_mark
        return None, (mark.index if mark else None)
    except yaml.YAMLError:
        return None, None
    finally:
        loader.dispose()
    return None, None


def _decode(data: bytes, path: str, problems: Problems) -> str | None:
    try:
        text = data.decode("utf-8-sig")
    except UnicodeDecodeError as exc:
        # exc.start indexes exc.object: the bytes after the BOM that utf-8-sig strips first.
        raw = exc.object
        line = raw.count(b"\n", 0, exc.start) + 1
        line_start = raw.rfind(b"\n", 0, exc.start) + 1
        column = len(raw[line_start : exc.start].decode("utf-8", "replace")) + 1  # characters, not bytes
        problems.add("not-utf8", Location(path, line, column), byte=raw[exc.start])
        return None
    if "\x00" in text:  # valid UTF-8, but no YAML file holds a NUL: UTF-16 or UTF-32 without a BOM
        at = text.index("\x00")
        line = text.count("\n", 0, at) + 1
        problems.add("not-utf8", Location(path, line, at - (text.rfind("\n", 0, at) + 1) + 1), "nul")
        return None
    return text


_OPEN_FLAGS = os.O_RDONLY | getattr(os, "O_BINARY", 0) | getattr(os, "O_NONBLOCK", 0) | getattr(os, "O_NOCTTY", 0)


class NotRegularFile(OSError):
    """A path that names a named pipe, device, socket or directory: never read (it may block)."""

    def __init__(self) -> None:
        super().__init__(errno.EINVAL, "not a regular file (a named pipe, device, socket or directory)")


class OutsideRoot(OSError):
    """A path that leads (through a symbolic link) out of the directory it must stay in."""

    def __init__(self, root: Path) -> None:
        super().__init__(errno.EACCES, f"it leads outside {root} (through a symbolic link)")


def read_regular(path: Path, max_bytes: int, within: Path | None = None) -> tuple[bytes, int]:
    """The bytes of a regular file and its size; nothing is read when it is over ``max_bytes``.

    Opened without blocking and checked after opening, so that a named pipe or a device put in
    place of a file (even between a check and the read) cannot hang or flood the reader.
    With ``within``, the opened file must be the one its name leads to now inside that
    directory: the check is on the descriptor, so a file swapped for a link after an earlier
    check is not read. Raises OSError (:class:`NotRegularFile` for anything but a regular file,
    :class:`OutsideRoot` for a file outside ``within``).
    """
    fd = os.open(path, _OPEN_FLAGS)
    with open(fd, "rb") as fh:
        info = os.fstat(fd)
        if not stat.S_ISREG(info.st_mode):
            raise NotRegularFile
        if within is not None and not _opened_inside(info, path, within):
            raise OutsideRoot(within)
        if info.st_size > max_bytes:
            return b"", info.st_size
        # sized by the file, not the limit (a limit near 2**63 must not become a buffer size)
        data = fh.read(min(max_bytes, info.st_size) + 1)
        while info.st_size < len(data) <= max_bytes:  # the file grew while we read it
            more = fh.read(min(max_bytes + 1 - len(data), 1 << 20))
            if not more:
                break
            data += more
    return data, info.st_size


def read_yaml(path: Path, shown_path: str, problems: Problems, limits: Limits = DEFAULT_LIMITS) -> Any:
    """Parse ``path`` into YMap/YSeq/str/None values; report problems and return None on failure."""
    try:
        data, size = read_regular(path, limits.max_bytes)
    except OSError as exc:
        problems.add("unreadable-file", Location(shown_path), reason=exc.strerror)
        return None
    if size > limits.max_bytes:
        problems.add("file-too-large", Location(shown_path), size=size, limit=limits.max_bytes)
        return None
    if len(data) > limits.max_bytes:  # grew while we looked
        problems.add("file-too-large", Location(shown_path), "grew", limit=limits.max_bytes)
        return None
    text = _decode(data, shown_path, problems)
    if text is None:
        return None
    deep = _too_deep_at(text, limits.max_depth) if _may_be_deep(text, limits.max_depth) else None
    if deep is not None:
        problems.add("nesting-limit", Location(shown_path, *deep), limit=limits.max_depth)
        return None
    loader = _Loader(text)
    try:
        node = loader.get_single_node()
    except yaml.MarkedYAMLError as exc:
        mark = exc.problem_mark or exc.context_mark
        line, column = (mark.line + 1, mark.column + 1) if mark else (0, 0)
        what = " ".join(s for s in (exc.context, exc.problem) if s) or "invalid YAML"
        # an error on a '%' line is in a directive (%YAML, %TAG), not in quoting or indentation
        variant = "directive" if mark and _line_at(text, mark.line).startswith("%") else ""
        problems.add("yaml-syntax", Location(shown_path, line, column), variant, what=what)
        return None
    except yaml.reader.ReaderError as exc:  # control characters and the like
        at = exc.position
        if _BaseLoader.__name__.startswith("C"):  # libyaml counts UTF-8 bytes, not characters
            at = len(text.encode("utf-8")[:at].decode("utf-8", "ignore"))
        char = exc.character
        code = char if isinstance(char, int) else ord(char)
        line = text.count("\n", 0, at) + 1
        column = at - (text.rfind("\n", 0, at) + 1) + 1
        problems.add("yaml-syntax", Location(shown_path, line, column), "character", code=code)
        return None
    finally:
        loader.dispose()
    if node is None:
        return None
    return _Converter(shown_path, problems, limits).convert(node)


def _line_at(text: str, line: int) -> str:
    """The 0-based ``line`` of ``text`` (line breaks as YAML counts them: LF, CR LF, CR)."""
    lines = text.replace("\r\n", "\n").replace("\r", "\n").split("\n", line + 1)
    return lines[line] if line < len(lines) else ""


class _AliasLimit(Exception):
    pass


class _SeenBefore(Exception):
    """A node came again in the composed graph: an alias (or what may be one)."""


class _Converter:
    """Turn composed nodes into YMap/YSeq/str/None, checking tags, keys, depth and aliases.

    An alias is the composer handing over the same node again, however the anchor was written.
    Remembering every node and counting expanded sizes is the price of bounding that, so a
    first pass goes without it and only watches that the nodes come in text order: each node
    starts after the one before, or at the same place and ends sooner (a mapping and its first
    key). A node that comes again breaks that order, as does an alias to an enclosing value;
    the conversion then starts over with the bookkeeping on. A document without aliases is
    converted once and pays one comparison per node.
    """

    def __init__(self, path: str, problems: Problems, limits: Limits) -> None:
        self.path = path
        self.problems = problems
        self.limits = limits
        self.track = False
        self.last = (-1, 0)  # (start, -end) of the node converted last, in the untracked pass
        self.memo: dict[int, tuple[Any, int]] = {}  # id(node) -> (value, expanded size)
        self.open: set[int] = set()  # id() of the collections being converted: an alias to one recurses
        self.alias_nodes = 0

    def loc(self, pos: tuple[int, int]) -> Location:
        return Location(self.path, pos[0], pos[1])

    def convert(self, node: yaml.Node) -> Any:
        reported = self.problems
        self.problems = Problems()  # kept until we know whether the pass must start over
        try:
            value = self._convert(node, 0)[0]
        except _AliasLimit:
            value = None
        except _SeenBefore:
            self.problems = Problems()
            self.track = True
            try:
                value = self._convert(node, 0)[0]
            except _AliasLimit:
                value = None
        for problem in self.problems:
            reported.append(problem)
        self.problems = reported
        return value

    def _convert(self, node: yaml.Node, depth: int) -> tuple[Any, int]:
        if self.track:
            seen = self.memo.get(id(node))
            if seen is not None:  # an alias: the same node again
                self.alias_nodes += seen[1]
                if self.alias_nodes > self.limits.max_alias_nodes:
                    self.problems.add("alias-limit", self.loc(_pos(node)), limit=self.limits.max_alias_nodes)
                    raise _AliasLimit
                return seen
            if id(node) in self.open:
                self.problems.add("recursive-alias", self.loc(_pos(node)))
                raise _AliasLimit
        else:
            start = node.start_mark.index
            last = self.last
            if start < last[0] or (start == last[0] and -node.end_mark.index <= last[1]):
                raise _SeenBefore
            self.last = (start, -node.end_mark.index)
        if depth > self.limits.max_depth:  # the pre-check before composing is only a cheap bound
            self.problems.add("nesting-limit", self.loc(_pos(node)), "composed", limit=self.limits.max_depth)
            raise _AliasLimit
        tag = node.tag
        result: tuple[Any, int]
        if tag in (_STR, _NULL):  # the common case: a plain scalar
            result = (None if tag == _NULL else node.value, 1)
        elif isinstance(node, yaml.ScalarNode):
            result = (node.value if tag in _SCALAR_TAGS else self._bad_tag(node), 1)
        elif isinstance(node, yaml.MappingNode) and tag == _MAP:
            result = self._collection(self._mapping, node, depth)
        elif isinstance(node, yaml.SequenceNode) and tag == _SEQ:
            result = self._collection(self._sequence, node, depth)
        else:
            result = (self._bad_tag(node), 1)
        if self.track:
            self.memo[id(node)] = result
        return result

    def _collection(
        self, convert: Callable[[Any, int], tuple[Any, int]], node: yaml.Node, depth: int
    ) -> tuple[Any, int]:
        if not self.track:
            return convert(node, depth)
        self.open.add(id(node))
        try:
            return convert(node, depth)
        finally:
            self.open.discard(id(node))

    def _bad_tag(self, node: yaml.Node) -> Any:
        self.problems.add("disallowed-tag", self.loc(_pos(node)), tag=shown(node.tag))
        return INVALID

    def _mapping(self, node: yaml.MappingNode, depth: int) -> tuple[YMap, int]:
        out = YMap(node)
        size = 1
        convert = self._convert
        for key_node, value_node in node.value:
            if not isinstance(key_node, yaml.ScalarNode) or key_node.tag not in _SCALAR_TAGS:
                self.problems.add("bad-key", self.loc(_pos(key_node)), "merge" if key_node.tag == _MERGE else "")
                continue
            key = key_node.value
            if key in out:
                first = out.key_pos[key]
                self.problems.add(
                    "duplicate-key", self.loc(_pos(key_node)), key=shown(key), line=first[0], column=first[1]
                )
                continue
            value, vsize = convert(value_node, depth + 1)
            out[key] = value
            size += vsize
        return out, size

    def _sequence(self, node: yaml.SequenceNode, depth: int) -> tuple[YSeq, int]:
        out = YSeq(node)
        size = 1
        convert = self._convert
        for item in node.value:
            value, vsize = convert(item, depth + 1)
            out.append(value)
            size += vsize
        return out, size


def _opened_inside(opened: os.stat_result, path: Path, root: Path) -> bool:
    """Whether the opened file (``opened``: its fstat) is the file at ``path`` resolved inside ``root``.

    The name is resolved after opening; if it leads inside ``root`` to the very file that was
    opened (same device and inode), the descriptor holds a file of ``root``, whatever the name
    pointed at when it was opened.
    """
    real = os.path.realpath(path)
    if not Path(real).is_relative_to(os.path.realpath(root)):
        return False
    try:
        now = os.stat(real)
    except OSError:
        return False
    return (now.st_dev, now.st_ino) == (opened.st_dev, opened.st_ino)


def is_symlink_outside(path: Path, root: Path) -> bool:
    """True when ``path`` is a link whose target lies outside ``root`` (not followed)."""
    if not path.is_symlink():
        return False
    target = Path(os.path.realpath(path))
    return not target.is_relative_to(Path(os.path.realpath(root)))
