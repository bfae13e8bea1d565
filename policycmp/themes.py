"""Themes: case-independent propositions that topics of different cases instantiate (README: "One actor across cases").

A themes file maps theme ids to ``label``, ``statement`` and optional ``aliases``, like the
topics of ``case.yaml``. The bundled ``policies/themes.yaml`` is always read; a user's file
(``--themes FILE``) adds entries or overrides them by id. Both are read with the corpus loader's
YAML reader, so the same size, nesting and alias limits hold, and every problem is located.
"""

from __future__ import annotations

from pathlib import Path
from typing import NamedTuple

from . import normalize as norm
from .checks import _FileChecker, display_path
from .problems import Location, Problems, shown, suggest
from .resources import data_dir
from .yamlio import DEFAULT_LIMITS, INVALID, Limits, YMap, describe, read_yaml

THEMES_FILE = "themes.yaml"
THEMES_FIELDS = ("themes",)
THEME_FIELDS = ("label", "statement", "aliases")


class Theme(NamedTuple):
    id: str
    label: str
    statement: str
    aliases: tuple[str, ...] = ()
    path: str = ""  # the file that defined it (the last one, when a user's file overrides)


class Themes:
    """The themes in force: id -> Theme, and every name (id or alias, as a slug) -> id."""

    def __init__(self, themes: dict[str, Theme], files: tuple[str, ...] = ()) -> None:
        self.themes = themes
        self.files = files
        self.index: dict[str, str] = {}
        for theme in themes.values():
            self.index.setdefault(theme.id, theme.id)
        for theme in themes.values():
            for alias in theme.aliases:
                self.index.setdefault(norm.slugify(alias), theme.id)

    def __contains__(self, name: object) -> bool:
        return isinstance(name, str) and norm.slugify(name) in self.index

    def __len__(self) -> int:
        return len(self.themes)

    def resolve(self, name: str) -> str | None:
        """The theme id that ``name`` (an id or alias) names, or None."""
        return self.index.get(norm.slugify(name))

    def hint(self, name: str) -> str:
        """A "did you mean" suffix for an unknown theme name."""
        return suggest(norm.slugify(name), list(self.themes)) or suggest(norm.slugify(name), self.index)

    def label(self, theme_id: str) -> str:
        theme = self.themes.get(theme_id)
        return theme.label if theme else theme_id


def bundled_themes_path() -> Path:
    return data_dir("policies") / THEMES_FILE


def load_themes(
    extra: str | Path | None, problems: Problems, limits: Limits = DEFAULT_LIMITS, bundled: bool = True
) -> Themes:
    """The bundled themes, then ``extra``'s on top (same id: the user's entry wins)."""
    themes: dict[str, Theme] = {}
    files: list[str] = []
    # the bundled file is ours, read with the default limits; a user's file gets the user's limits
    paths = [(bundled_themes_path(), DEFAULT_LIMITS)] if bundled else []
    if extra is not None:
        paths.append((Path(extra), limits))
    for path, path_limits in paths:
        shown_path = display_path(path)
        files.append(shown_path)
        themes.update(_read_themes_file(path, shown_path, problems, path_limits))
    return Themes(themes, tuple(files))


def _read_themes_file(path: Path, shown_path: str, problems: Problems, limits: Limits) -> dict[str, Theme]:
    f = _FileChecker(shown_path, problems)
    if not path.is_file():
        what = "does not exist" if not path.exists() else "is not a regular file"
        problems.add("unreadable-file", Location(shown_path), "themes", what=what)
        return {}
    before = problems.error_count
    doc = read_yaml(path, shown_path, problems, limits)
    if doc is None:
        if problems.error_count == before:
            f.add("empty-file", (1, 1), "themes")
        return {}
    m = f.mapping(doc, "a themes file", (1, 1))
    if m is None:
        return {}
    f.unknown_fields(m, THEMES_FIELDS, "themes file")
    raw = m.get("themes")
    if raw is None:
        f.text(m, "themes", "themes file", required=True)  # reports the missing field
        return {}
    themes_map = f.mapping(raw, "'themes'", m.val_pos["themes"])
    if themes_map is None:
        return {}
    out: dict[str, Theme] = {}
    names: dict[str, str] = {}  # every slug (id or alias) in this file -> its theme id
    for key, value in themes_map.items():
        kpos = themes_map.key_pos[key]
        tid = f.check_slug(key, "theme id", kpos)
        if tid is None:
            continue
        if tid in names:
            owner = names[tid]
            what = "defined twice" if owner == tid else f"already an alias of theme '{owner}'"
            f.add("duplicate-theme", kpos, theme=tid, what=what)
            continue
        names[tid] = tid
        what = f"theme '{tid}'"
        tm = f.mapping(value, what, themes_map.val_pos[key])
        if tm is None:
            continue
        f.unknown_fields(tm, THEME_FIELDS, what)
        label = f.text(tm, "label", what, required=True)
        statement = f.text(tm, "statement", what, required=True)
        aliases = f.aliases(tm, what, names, tid, "theme")
        if label is None or statement is None:
            continue
        out[tid] = Theme(tid, norm.collapse(label), norm.collapse(statement), tuple(aliases), shown_path)
    return out


_TRUE = frozenset({"true", "yes", "on"})
_FALSE = frozenset({"false", "no", "off"})


def parse_flag(value: object) -> bool | None:
    """A YAML boolean written as text (``true``/``false``, ``yes``/``no``), or None when it is not one."""
    if value is None or value is INVALID or not isinstance(value, str):
        return None
    text = value.strip().lower()
    return True if text in _TRUE else False if text in _FALSE else None


def theme_ref(f: object, tm: YMap, what: str) -> tuple[str, bool, tuple[int, int]] | None:
    """A topic's ``theme:`` as written: (name, negated, position of the name), or None when absent
    or malformed (reported). ``f`` is the loader's file checker."""
    assert isinstance(f, _FileChecker)
    value = tm.get("theme")
    pos = tm.val_pos.get("theme") or tm.pos
    if value is None or value is INVALID:
        if value is None and "theme" in tm:
            f.add("missing-field", pos, "empty", what=what, key="theme")
        return None
    if isinstance(value, str):
        name = value.strip()
        if not name:
            f.add("missing-field", pos, "empty", what=what, key="theme")
            return None
        return name, False, pos
    if isinstance(value, YMap):
        f.unknown_fields(value, ("id", "negated"), f"{what} theme")
        name_raw = f.text(value, "id", f"{what} theme", required=True)
        if name_raw is None:
            return None
        negated = False
        if "negated" in value:
            flag = parse_flag(value.get("negated"))
            if flag is None:
                f.add(
                    "wrong-type", value.val_pos["negated"], what=f"{what} theme field 'negated'",
                    expected="true or false", found=shown(value.get("negated")),
                )  # fmt: skip
                return None
            negated = flag
        return name_raw, negated, value.val_pos["id"]
    f.add(
        "wrong-type",
        pos,
        what=f"{what} field 'theme'",
        expected="a theme id or {id: ..., negated: true}",
        found=describe(value),
    )
    return None
