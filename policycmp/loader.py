"""Load a corpus directory: read every file, check every rule, normalize every value.

Files -> located YAML values (``yamlio``) -> checked and normalized model objects (``model``),
with every problem in every file collected into one :class:`Problems`. Nothing is dropped
silently: a claim is either a ``Claim`` record or the subject of a reported error.
"""

from __future__ import annotations

import gc
import os
from collections.abc import Callable
from pathlib import Path
from typing import Any, NamedTuple

from . import normalize as norm
from .model import Actor, Case, Claim, Group, Source, Topic, topic_index
from .problems import Location, Problem, Problems, shown, suggest
from .yamlio import DEFAULT_LIMITS, INVALID, Limits, YMap, YSeq, describe, is_symlink_outside, read_yaml

Progress = Callable[[int, int], None]  # (files read, files in all), called before each file

CASE_FILES = ("case.yaml", "case.yml")
# The comparison table has these columns beside one column per actor (SPEC section 5).
RESERVED_ACTOR_IDS = ("topic", "label", "group", "verdict")
YAML_SUFFIXES = (".yaml", ".yml")

CASE_FIELDS = ("case", "title", "summary", "subject", "groups", "topics")
GROUP_FIELDS = ("label",)
TOPIC_FIELDS = ("label", "statement", "group", "aliases", "dsa_category")
ACTOR_FIELDS = ("actor", "name", "role", "description", "sources", "claims")
SOURCE_FIELDS = ("title", "type", "date", "url", "publisher", "text")
CLAIM_FIELDS = (
    "id", "topic", "stance", "summary", "quote", "source",
    "clause", "ground", "speaker", "date",
)  # fmt: skip


class Loaded(NamedTuple):
    """What loading produced: the model (when the case file could be read) and all problems."""

    case: Case | None
    actors: tuple[Actor, ...]
    claims: list[Claim]
    problems: list[Problem]

    @property
    def ok(self) -> bool:
        return self.case is not None and not any(p.severity == "error" for p in self.problems)


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

    def error(self, code: str, message: str, pos: tuple[int, int]) -> None:
        self.problems.error(code, message, self.at(pos))

    def mapping(self, value: Any, what: str, pos: tuple[int, int]) -> YMap | None:
        if isinstance(value, YMap):
            return value
        if value is INVALID:  # already reported
            return None
        self.error("wrong-type", f"{what} must be a mapping of 'key: value' lines, not {describe(value)}", pos)
        return None

    def unknown_fields(self, m: YMap, allowed: tuple[str, ...], what: str) -> None:
        for key in m:
            if key not in allowed:
                hint = suggest(key, allowed) or f" (allowed: {', '.join(allowed)})"
                self.problems.warning(
                    "unknown-field",
                    f"unknown field {shown(key)} in {what}{hint}; it is ignored",
                    self.at(m.key_pos[key]),
                )

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
                    self.error("missing-field", f"{what} field '{key}' is empty; give it a value", m.val_pos[key])
                else:
                    self.error("missing-field", f"{what} is missing the required field '{key}'", m.pos)
            return None
        if isinstance(value, str):
            text = value.strip()
            if not text and required:
                self.error("missing-field", f"{what} field '{key}' is empty; give it a value", m.val_pos[key])
                return None
            return text or None
        self.error("wrong-type", f"{what} field '{key}' must be text, not {describe(value)}", m.val_pos[key])
        return None

    def slug(self, m: YMap, key: str, what: str, required: bool = False) -> str | None:
        raw = self.text(m, key, what, required)
        if raw is None:
            return None
        return self.check_slug(raw, f"{what} field '{key}'", m.val_pos[key])

    def check_slug(self, raw: str, what: str, pos: tuple[int, int]) -> str | None:
        slug = norm.slugify(raw)
        if norm.is_valid_slug(slug):
            return slug
        self.error(
            "bad-slug",
            f"{what} {shown(raw)} is not a usable id; use letters, digits and hyphens (e.g. 'my-id')",
            pos,
        )
        return None

    def date(self, m: YMap, key: str, what: str) -> str | None:
        raw = self.text(m, key, what)
        if raw is None:
            return None
        try:
            return norm.date(raw)
        except norm.DateError as exc:
            self.error("bad-date", f"{what} date {shown(raw)}: {exc}", m.val_pos[key])
            return None

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
                    self.error("wrong-type", f"each item of {what} '{key}' must be text, not {describe(item)}", pos)
            return out
        self.error(
            "wrong-type", f"{what} field '{key}' must be text or a list of texts, not {describe(value)}", m.val_pos[key]
        )
        return []


class CorpusLoader:
    """Loads one corpus directory; use :func:`load_corpus`."""

    def __init__(self, root: Path, limits: Limits = DEFAULT_LIMITS, progress: Progress | None = None) -> None:
        self.root = root
        self.progress = progress
        self.shown_root = display_path(root)
        self.limits = limits
        self.problems = Problems()
        self.topic_index: dict[str, str] = {}  # slug of id or alias -> topic id
        self.topic_ids: list[str] = []
        self.case_ok = False
        self.case_unreadable = False  # case.yaml exists but cannot be read (reported)

    def shown(self, name: str) -> str:
        return os.path.join(self.shown_root, printable_path(name))

    # -- files -------------------------------------------------------------------------------

    def files(self) -> tuple[Path | None, list[Path]]:
        case_file: Path | None = None
        actor_files: list[Path] = []
        for entry in sorted(self.root.iterdir(), key=lambda p: p.name):
            name = entry.name
            if name.startswith(".") or not name.endswith(YAML_SUFFIXES) or entry.is_dir():
                continue  # directories (and links to them) are never read
            if is_symlink_outside(entry, self.root):
                self.problems.error(
                    "symlink-outside",
                    "link points outside the corpus directory and is not followed;"
                    " copy the file into the corpus instead",
                    Location(self.shown(name)),
                )
                continue
            if not entry.is_file():  # a named pipe, a device, a socket or a broken link: never opened
                what = "a link to nothing" if entry.is_symlink() and not entry.exists() else "not a regular file"
                self.problems.error("unreadable-file", f"{what}; it is not read", Location(self.shown(name)))
                self.case_unreadable |= name in CASE_FILES
                continue
            if name in CASE_FILES:
                if case_file is not None:
                    self.problems.error(
                        "duplicate-case",
                        f"both {case_file.name} and {name} exist; keep one",
                        Location(self.shown(name)),
                    )
                    continue
                case_file = entry
            else:
                actor_files.append(entry)
        return case_file, actor_files

    def load(self) -> Loaded:
        case_file, actor_files = self.files()
        case = None
        if case_file is not None:
            case = self.load_case(case_file)
        elif not self.case_unreadable:  # an unreadable case.yaml is reported already
            self.problems.error(
                "missing-case",
                "no case.yaml in the corpus directory; create one with 'case', 'title' and 'topics'"
                " (see 'policycmp schema case')",
                Location(self.shown("case.yaml")),
            )
        if not actor_files:
            self.problems.warning(
                "no-actors",
                "no actor files (*.yaml) besides case.yaml; add one file per actor",
                Location(self.shown_root),
            )
        actors: list[Actor] = []
        claims: list[Claim] = []
        first_file: dict[str, str] = {}
        for done, path in enumerate(actor_files, start=1):
            if self.progress is not None:
                self.progress(done, len(actor_files))
            loaded = self.load_actor(path)
            if loaded is None:
                continue
            actor, actor_claims, pos = loaded
            if actor.id in first_file:
                self.problems.error(
                    "duplicate-actor",
                    f"actor id '{actor.id}' is already used in {first_file[actor.id]}; actor ids must be unique",
                    Location(actor.path, *pos),
                )
                continue
            first_file[actor.id] = actor.path
            actors.append(actor)
            claims.extend(actor_claims)
        return Loaded(case, tuple(actors), claims, self.problems.sorted())

    def use_case(self, case: Case) -> None:
        """Check actor files against an already loaded case (its topic ids and aliases)."""
        self.topic_ids.extend(t.id for t in case.topics)
        self.topic_index.update(topic_index(case))
        self.case_ok = True

    def read(self, path: Path, f: _FileChecker, empty_message: str) -> Any:
        """Read one file; an empty document (no error while reading) is an error too."""
        before = self.problems.error_count
        doc = read_yaml(path, f.path, self.problems, self.limits)
        if doc is None and self.problems.error_count == before:
            f.error("empty-file", empty_message, (1, 1))
        return doc

    # -- case.yaml ---------------------------------------------------------------------------

    def load_case(self, path: Path) -> Case | None:
        shown_path = self.shown(path.name)
        f = _FileChecker(shown_path, self.problems)
        doc = self.read(path, f, "case.yaml is empty; give it 'case', 'title' and 'topics'")
        m = f.mapping(doc, "case.yaml", (1, 1)) if doc is not None else None
        if m is None:
            return None
        f.unknown_fields(m, CASE_FIELDS, "case.yaml")
        case_id = f.slug(m, "case", "case.yaml", required=True)
        title = f.text(m, "title", "case.yaml", required=True)
        summary = f.text(m, "summary", "case.yaml")
        subject = f.text(m, "subject", "case.yaml")
        groups = self.load_groups(f, m)
        topics = self.load_topics(f, m, {g.id for g in groups})
        if case_id is None or title is None:
            return None
        return Case(
            case_id, norm.collapse(title), norm.collapse(summary) if summary else None,
            subject, tuple(groups), tuple(topics), shown_path,
        )  # fmt: skip

    def load_groups(self, f: _FileChecker, m: YMap) -> list[Group]:
        raw = m.get("groups")
        if raw is None:
            return []
        groups_map = f.mapping(raw, "'groups'", m.val_pos["groups"])
        if groups_map is None:
            return []
        groups: list[Group] = []
        seen: set[str] = set()
        for key, value in groups_map.items():
            kpos = groups_map.key_pos[key]
            gid = f.check_slug(key, "group id", kpos)
            if gid is None:
                continue
            if gid in seen:
                f.error("duplicate-group", f"group '{gid}' is defined twice; remove or rename one", kpos)
                continue
            seen.add(gid)
            if isinstance(value, str):  # shorthand: `harm: Harmful content`
                label: str | None = norm.collapse(value) or None
            else:
                gm = f.mapping(value, f"group '{gid}'", groups_map.val_pos[key])
                if gm is None:
                    continue
                f.unknown_fields(gm, GROUP_FIELDS, f"group '{gid}'")
                label = f.text(gm, "label", f"group '{gid}'", required=True)
            if label is not None:
                groups.append(Group(gid, norm.collapse(label)))
        return groups

    def load_topics(self, f: _FileChecker, m: YMap, group_ids: set[str]) -> list[Topic]:
        raw = m.get("topics")
        if raw is None:
            f.text(m, "topics", "case.yaml", required=True)  # reports the missing field
            return []
        topics_map = f.mapping(raw, "'topics'", m.val_pos["topics"])
        if topics_map is None:
            return []
        topics: list[Topic] = []
        index = self.topic_index
        for key, value in topics_map.items():
            kpos = topics_map.key_pos[key]
            tid = f.check_slug(key, "topic id", kpos)
            if tid is None:
                continue
            if tid in index:
                owner = index[tid]
                what = "defined twice" if owner == tid else f"already an alias of topic '{owner}'"
                f.error("duplicate-topic", f"topic id '{tid}' is {what}; topic ids and aliases must be unique", kpos)
                continue
            index[tid] = tid
            self.topic_ids.append(tid)
            tm = f.mapping(value, f"topic '{tid}'", topics_map.val_pos[key])
            if tm is None:
                continue
            what = f"topic '{tid}'"
            f.unknown_fields(tm, TOPIC_FIELDS, what)
            label = f.text(tm, "label", what, required=True)
            statement = f.text(tm, "statement", what, required=True)
            group = f.slug(tm, "group", what)
            if group is not None and group not in group_ids:
                hint = suggest(group, group_ids) or (
                    " (no groups are defined; add a 'groups' mapping)" if not group_ids else ""
                )
                f.error("unknown-group", f"{what} names unknown group '{group}'{hint}", tm.val_pos["group"])
                group = None
            aliases: list[str] = []
            for alias_raw, apos in f.text_list(tm, "aliases", what):
                alias = norm.slugify(alias_raw)
                if not alias:
                    continue
                alias_owner = index.get(alias)
                if alias_owner is not None and alias_owner != tid:
                    f.error(
                        "duplicate-topic",
                        f"alias {shown(alias_raw)} of topic '{tid}' already names topic '{alias_owner}'; an alias must name one topic",
                        apos,
                    )
                    continue
                index[alias] = tid
                aliases.append(alias_raw)
            dsa = f.text(tm, "dsa_category", what)
            if dsa is not None and not (dsa.startswith("STATEMENT_CATEGORY_") and dsa.replace("_", "").isupper()):
                self.problems.warning(
                    "unknown-dsa-category",
                    f"{what} dsa_category {shown(dsa)} does not look like a DSA Transparency Database"
                    " category such as 'STATEMENT_CATEGORY_VIOLENCE'",
                    f.at(tm.val_pos["dsa_category"]),
                )
            if label is None or statement is None:
                continue
            topics.append(Topic(tid, norm.collapse(label), norm.collapse(statement), group, tuple(aliases), dsa))
        self.case_ok = True
        return topics

    # -- actor files -------------------------------------------------------------------------

    def load_actor(
        self, path: Path, shown_path: str | None = None
    ) -> tuple[Actor, list[Claim], tuple[int, int]] | None:
        shown_path = shown_path or self.shown(path.name)
        f = _FileChecker(shown_path, self.problems)
        doc = self.read(path, f, "actor file is empty; give it 'actor', 'name', 'role', 'sources' and 'claims'")
        if doc is None:
            return None
        m = f.mapping(doc, "an actor file", (1, 1))
        if m is None:
            return None
        f.unknown_fields(m, ACTOR_FIELDS, "actor file")
        actor_id = f.slug(m, "actor", "actor file", required=True)
        if actor_id in RESERVED_ACTOR_IDS:
            f.error(
                "reserved-id",
                f"actor id '{actor_id}' names a column of the comparison table"
                f" ({', '.join(RESERVED_ACTOR_IDS)}); choose another id, e.g. '{actor_id}-1'",
                m.val_pos["actor"],
            )
            actor_id = None
        name = f.text(m, "name", "actor file", required=True)
        role = f.slug(m, "role", "actor file", required=True)
        description = f.text(m, "description", "actor file")
        sources = self.load_sources(f, m)
        claims = self.load_claims(f, m, actor_id or "?", sources)
        sources = sources or {}
        if actor_id is None or name is None or role is None:
            return None
        actor = Actor(
            actor_id, norm.collapse(name), role,
            norm.collapse(description) if description else None, sources, shown_path,
        )  # fmt: skip
        return actor, claims, m.val_pos.get("actor") or m.pos

    def load_sources(self, f: _FileChecker, m: YMap) -> dict[str, Source] | None:
        """The actor's sources; None when 'sources' itself is missing or unusable (reported)."""
        raw = m.get("sources")
        if raw is None:
            f.text(m, "sources", "actor file", required=True)
            return None
        sm = f.mapping(raw, "'sources'", m.val_pos["sources"])
        if sm is None:
            return None
        sources: dict[str, Source] = {}
        for key, value in sm.items():
            kpos = sm.key_pos[key]
            sid = f.check_slug(key, "source id", kpos)
            if sid is None:
                continue
            if sid in sources:
                f.error("duplicate-source", f"source id '{sid}' is defined twice; rename one", kpos)
                continue
            what = f"source '{sid}'"
            src = f.mapping(value, what, sm.val_pos[key])
            if src is None:
                continue
            f.unknown_fields(src, SOURCE_FIELDS, what)
            title = f.text(src, "title", what, required=True)
            type_raw = f.text(src, "type", what, required=True)
            stype = None
            if type_raw is not None:
                stype = norm.source_type(type_raw)
                if stype is None:
                    hint = suggest(norm.slugify(type_raw), norm.SOURCE_TYPE_ALIASES) or (
                        f" (one of: {', '.join(norm.SOURCE_TYPES)})"
                    )
                    f.error(
                        "unknown-source-type", f"{what} has unknown type {shown(type_raw)}{hint}", src.val_pos["type"]
                    )
            sdate = f.date(src, "date", what)
            url = f.text(src, "url", what)
            if url is not None and (why := norm.url_problem(url)) is not None:
                f.error("bad-url", f"{what} url {shown(url)} {why}", src.val_pos["url"])
                url = None
            publisher = f.text(src, "publisher", what)
            text = self.text_path(f, src, what)
            if title is None or stype is None:
                sources[sid] = Source(sid, "", "other")  # keeps claims citing it from extra errors
                continue
            sources[sid] = Source(
                sid, norm.collapse(title), stype, sdate, url, norm.collapse(publisher) if publisher else None, text
            )
        return sources

    def text_path(self, f: _FileChecker, src: YMap, what: str) -> str | None:
        """A source's ``text:``: a path inside the corpus directory; missing files are warned."""
        raw = f.text(src, "text", what)
        if raw is None:
            return None
        pos = src.val_pos["text"]
        relative = Path(raw)
        root = Path(os.path.realpath(self.root))
        target = Path(os.path.realpath(self.root / relative))
        if relative.is_absolute() or not target.is_relative_to(root):
            f.error(
                "bad-text-path",
                f"{what} text {shown(raw)} must be a path inside the corpus directory, relative to it",
                pos,
            )
            return None
        if not target.is_file():
            self.problems.warning(
                "missing-text",
                f"{what} text file {shown(raw)} does not exist; its quotes cannot be checked",
                f.at(pos),
            )
        return relative.as_posix()

    def load_claims(
        self, f: _FileChecker, m: YMap, actor_id: str, known_sources: dict[str, Source] | None
    ) -> list[Claim]:
        raw = m.get("claims")
        if raw is None:
            f.text(m, "claims", "actor file", required=True)
            return []
        if raw is INVALID:
            return []
        sources = known_sources or {}
        if not isinstance(raw, YSeq):
            f.error(
                "wrong-type",
                f"'claims' must be a list of claims ('- topic: ...'), not {describe(raw)}",
                m.val_pos["claims"],
            )
            return []
        if not raw:
            self.problems.warning("no-claims", "the actor has no claims yet", f.at(m.val_pos["claims"]))
        check_topics = self.case_ok
        topic_index = self.topic_index
        pending: list[tuple[dict[str, Any], tuple[int, int] | None]] = []
        used_ids: dict[str, tuple[int, int]] = {}
        ok = True
        for number, (item, pos) in enumerate(zip(raw, raw.item_pos, strict=True), start=1):
            what = f"claim {number}"
            c = f.mapping(item, what, pos)
            if c is None:
                ok = False
                continue
            for key in c:
                if key not in CLAIM_FIELDS:
                    f.unknown_fields(c, CLAIM_FIELDS, what)
                    break
            row: dict[str, Any] = {"line": c.pos[0]}
            id_pos = None
            if "id" in c:
                cid = f.slug(c, "id", what, required=True)
                if cid is None:
                    ok = False
                else:
                    id_pos = c.val_pos["id"]
                    if cid in used_ids:
                        first = used_ids[cid]
                        f.error(
                            "duplicate-claim",
                            f"claim id '{cid}' is already used at line {first[0]}; claim ids must be unique within an actor",
                            id_pos,
                        )
                        ok = False
                    used_ids[cid] = id_pos
                    row["claim"] = cid
                    what = f"claim '{cid}'"
            topic_raw = f.text(c, "topic", what, required=True)
            if topic_raw is not None:
                tid = topic_index.get(norm.slugify(topic_raw))
                if tid is None and check_topics:
                    hint = suggest(norm.slugify(topic_raw), self.topic_ids) or suggest(
                        norm.slugify(topic_raw), topic_index
                    )
                    f.error(
                        "unknown-topic",
                        f"unknown topic {shown(topic_raw)}{hint}; topics are defined in case.yaml",
                        c.val_pos["topic"],
                    )
                row["topic"] = tid
            stance_raw = f.text(c, "stance", what, required=True)
            if stance_raw is not None:
                st = norm.stance(stance_raw)
                if st is None:
                    hint = (
                        suggest(norm.slugify(stance_raw), norm.STANCE_ALIASES) or " (use asserts, denies or qualifies)"
                    )
                    f.error("unknown-stance", f"unknown stance {shown(stance_raw)}{hint}", c.val_pos["stance"])
                row["stance"] = st
            summary = f.text(c, "summary", what, required=True)
            row["summary"] = norm.collapse(summary) if summary else None
            row["quote"] = f.text(c, "quote", what)
            cited: list[str] = []
            if "source" not in c or c["source"] is None:
                f.text(c, "source", what, required=True)
            elif isinstance(c["source"], YSeq) and not c["source"]:  # `source: []` cites nothing
                f.error(
                    "missing-field",
                    f"{what} field 'source' is an empty list; cite at least one source",
                    c.val_pos["source"],
                )
            for sid_raw, spos in f.text_list(c, "source", what):
                sid = norm.slugify(sid_raw)
                if known_sources is None:  # 'sources' is missing or broken: reported once already
                    ok = False
                elif sid not in sources:
                    hint = suggest(sid, sources) or (" (the actor file has no sources)" if not sources else "")
                    f.error(
                        "unknown-source",
                        f"{what} cites unknown source {shown(sid_raw)}{hint}; sources are defined under 'sources'",
                        spos,
                    )
                    ok = False
                elif sid not in cited:
                    cited.append(sid)
            row["sources"] = cited
            row["clause"] = f.text(c, "clause", what)
            ground_raw = f.text(c, "ground", what)
            row["ground"] = None
            if ground_raw is not None:
                row["ground"] = norm.ground(ground_raw)
                if row["ground"] is None:
                    hint = suggest(norm.slugify(ground_raw), norm.GROUNDS) or f" (one of: {', '.join(norm.GROUNDS)})"
                    f.error("unknown-ground", f"unknown ground {shown(ground_raw)}{hint}", c.val_pos["ground"])
            row["speaker"] = f.text(c, "speaker", what)
            row["date"] = f.date(c, "date", what)
            if "date" in c and c["date"] is not None and row["date"] is None:
                ok = False
            if row.get("topic") is None or row.get("stance") is None or row["summary"] is None or not cited:
                ok = False
            pending.append((row, id_pos))
        if not ok or self.problems.has_errors:
            return []  # the corpus will not load; the problems say why
        return self._records(f.path, actor_id, pending, used_ids, sources)

    def _records(
        self,
        path: str,
        actor_id: str,
        pending: list[tuple[dict[str, Any], tuple[int, int] | None]],
        used_ids: dict[str, tuple[int, int]],
        sources: dict[str, Source],
    ) -> list[Claim]:
        counters: dict[str, int] = {}
        out: list[Claim] = []
        for row, _ in pending:
            cid = row.get("claim")
            if cid is None:  # generated: '<topic>-<n>', skipping ids written in the file
                n = counters.get(row["topic"], 0)
                while True:
                    n += 1
                    cid = f"{row['topic']}-{n}"
                    if cid not in used_ids:
                        break
                counters[row["topic"]] = n
                used_ids[cid] = (0, 0)
            cited = [sources[s] for s in row["sources"]]
            first = cited[0]
            out.append(
                Claim(
                    actor=actor_id,
                    claim=cid,
                    topic=row["topic"],
                    stance=row["stance"],
                    summary=row["summary"],
                    quote=row["quote"],
                    source="; ".join(s.id for s in cited),
                    source_title="; ".join(s.title for s in cited),
                    source_type=first.type,
                    date=row["date"] or first.date,
                    clause=row["clause"],
                    ground=row["ground"],
                    speaker=row["speaker"],
                    path=path,
                    line=row["line"],
                    publisher=first.publisher,
                    url=first.url,
                )
            )
        return out


def load_corpus(root: Path, limits: Limits = DEFAULT_LIMITS, progress: Progress | None = None) -> Loaded:
    """Load and check every file of the corpus at ``root``.

    The cyclic garbage collector is paused meanwhile: loading makes millions of small objects
    and no reference cycles, and the collector's repeated passes over the growing heap cost
    about a quarter of the time on a 100,000-claim corpus. Reference counting still frees
    every file's YAML nodes as soon as it is read.
    """
    was_enabled = gc.isenabled()
    gc.disable()
    try:
        return CorpusLoader(root, limits, progress).load()
    finally:
        if was_enabled:
            gc.enable()
