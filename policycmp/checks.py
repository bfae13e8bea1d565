"""Field checks shared by every file reader (actor and case files, themes files): each reports a
located problem instead of raising, and how a path is shown in a message."""

from __future__ import annotations

import os
from pathlib import Path
from typing import Any

from . import confusables
from . import normalize as norm
from .problems import Location, Problems, shown, suggest
from .yamlio import INVALID, YMap, YSeq, describe

__all__ = ["_FileChecker", "display_path", "printable_path"]


def display_path(path: Path) -> str:
    """A path as the user would type it: relative to the working directory when below it."""
    try:
        rel = os.path.relpath(path)
    except ValueError:  # another drive on Windows
        return printable_path(str(path))
    return printable_path(str(path) if rel.startswith("..") else rel)


def printable_path(text: str) -> str:
    """A file name as text any output can hold: bytes that are not UTF-8 shown as ``\\xff``.

    Python keeps such bytes of a file name as lone surrogates, which no UTF-8 output accepts.
    """
    try:
        text.encode("utf-8")
    except UnicodeEncodeError:
        return text.encode("utf-8", "surrogateescape").decode("utf-8", "backslashreplace")
    return text


class _FileChecker:
    """Field-level checks for one file, reporting located problems."""

    def __init__(self, path: str, problems: Problems) -> None:
        self.path = path
        self.problems = problems

    def at(self, pos: tuple[int, int]) -> Location:
        return Location(self.path, pos[0], pos[1])

    def add(self, code: str, pos: tuple[int, int], variant: str = "", /, **fields: object) -> None:
        self.problems.add(code, self.at(pos), variant, **fields)

    def mapping(self, value: Any, what: str, pos: tuple[int, int]) -> YMap | None:
        if isinstance(value, YMap):
            return value
        if value is INVALID:  # already reported
            return None
        self.add("wrong-type", pos, what=what, expected="a mapping of 'key: value' lines", found=describe(value))
        return None

    def unknown_fields(self, m: YMap, allowed: tuple[str, ...], what: str) -> None:
        for key in m:
            if key not in allowed:
                hint = suggest(key, allowed) or f" (allowed: {', '.join(allowed)})"
                self.add("unknown-field", m.key_pos[key], key=shown(key), what=what, hint=hint)

    def text(self, m: YMap, key: str, what: str, required: bool = False) -> str | None:
        """A scalar field as text (None when absent); reports missing/wrong-type."""
        value = m.get(key)
        if type(value) is str and value and not value[0].isspace() and not value[-1].isspace():
            return value  # the common case, checked first: plain text with nothing to trim
        if value is INVALID:  # already reported
            return None
        if value is None:
            if required:
                if key in m:
                    self.add("missing-field", m.val_pos[key], "empty", what=what, key=key)
                else:
                    self.add("missing-field", m.pos, what=what, key=key)
            return None
        if isinstance(value, str):
            text = value.strip()
            if not text and required:
                self.add("missing-field", m.val_pos[key], "empty", what=what, key=key)
                return None
            return text or None
        self.add("wrong-type", m.val_pos[key], what=f"{what} field '{key}'", expected="text", found=describe(value))
        return None

    def slug(self, m: YMap, key: str, what: str, required: bool = False) -> str | None:
        raw = self.text(m, key, what, required)
        if raw is None:
            return None
        return self.check_slug(raw, f"{what} field '{key}'", m.val_pos[key])

    def check_slug(self, raw: str, what: str, pos: tuple[int, int]) -> str | None:
        slug = norm.slugify(raw)
        if norm.is_valid_slug(slug) and slug.isascii():  # the common case: nothing to deceive with
            return slug
        hidden = confusables.invisible(raw)
        if hidden is not None:
            self.add("bad-slug", pos, "invisible", what=what, value=shown(raw), code=ord(hidden))
            return None
        if not norm.is_valid_slug(slug):
            self.add("bad-slug", pos, what=what, value=shown(raw))
            return None
        scripts = confusables.mixed_scripts(slug)
        if scripts:
            self.add("confusable-id", pos, "mixed", what=what, value=shown(raw),
                     scripts=" and ".join(s.title() for s in scripts))  # fmt: skip
            return None
        return slug

    def date(self, m: YMap, key: str, what: str) -> str | None:
        raw = self.text(m, key, what)
        if raw is None:
            return None
        try:
            return norm.date(raw)
        except norm.DateError as exc:
            self.add("bad-date", m.val_pos[key], what=what, value=shown(raw), reason=exc)
            return None

    def aliases(self, m: YMap, what: str, index: dict[str, str], owner: str, kind: str) -> list[str]:
        """The `aliases` of topic or theme `owner`, each registered in `index` (slug -> id) unless another owns it.

        `kind` is "topic" or "theme": an alias already naming another one is a `duplicate-<kind>` problem.
        """
        out: list[str] = []
        for raw, pos in self.text_list(m, "aliases", what):
            alias = norm.slugify(raw)
            if not alias:
                continue
            taken = index.get(alias)
            if taken is not None and taken != owner:
                self.add(f"duplicate-{kind}", pos, "alias", alias=shown(raw), owner=taken, **{kind: owner})
                continue
            index[alias] = owner
            out.append(raw)
        return out

    def text_list(self, m: YMap, key: str, what: str) -> list[tuple[str, tuple[int, int]]]:
        """A field holding one text or a list of texts, each with its position."""
        value = m.get(key)
        if value is None or value is INVALID:
            return []
        if isinstance(value, str):
            return [(value.strip(), m.val_pos[key])]
        if isinstance(value, YSeq):
            out = []
            for item, pos in zip(value, value.item_pos, strict=True):
                if isinstance(item, str) and item.strip():
                    out.append((item.strip(), pos))
                else:
                    self.add(
                        "wrong-type", pos, what=f"each item of {what} '{key}'", expected="text", found=describe(item)
                    )
            return out
        self.add(
            "wrong-type", m.val_pos[key], what=f"{what} field '{key}'", expected="text or a list of texts",
            found=describe(value),
        )  # fmt: skip
        return []
