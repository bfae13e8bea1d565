"""Load a corpus directory: read every file, check every rule, normalize every value.

Files -> located YAML values (``yamlio``) -> checked and normalized model objects (``model``),
with every problem in every file collected into one :class:`Problems`. Nothing is dropped
silently: a claim is either a ``Claim`` record or the subject of a reported error.
"""

from __future__ import annotations

import errno
import gc
import os
import re
import stat
from collections.abc import Callable
from functools import cached_property
from pathlib import Path
from typing import TYPE_CHECKING, Any, NamedTuple

from . import confusables
from . import normalize as norm
from .checks import _FileChecker
from .checks import display_path as display_path
from .checks import printable_path as printable_path
from .model import CLAIM_COLUMNS, Actor, Case, Claim, Group, Source, Topic, source_texts, topic_index
from .problems import Location, Problem, Problems, shown, suggest
from .themes import Themes, load_themes, theme_ref
from .vocabulary import Ground, Stance
from .yamlio import DEFAULT_LIMITS, INVALID, Limits, YMap, YSeq, describe, is_symlink_outside, read_yaml

if TYPE_CHECKING:
    import pandas as pd

_WIKIDATA = re.compile(r"Q[1-9][0-9]*")
Progress = Callable[[int, int], None]  # (files read, files in all), called before each file

CASE_FILES = ("case.yaml", "case.yml")
# The comparison table has these columns beside one column per actor (README: "JSON shapes").
RESERVED_ACTOR_IDS = ("topic", "label", "group", "verdict")
YAML_SUFFIXES = (".yaml", ".yml")

CASE_FIELDS = ("case", "title", "summary", "subject", "groups", "topics")
GROUP_FIELDS = ("label",)
TOPIC_FIELDS = ("label", "statement", "group", "aliases", "dsa_category", "theme")
ACTOR_FIELDS = ("actor", "name", "role", "description", "wikidata", "same_as", "sources", "claims")
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
    generated_ids: frozenset[tuple[str, str]] = frozenset()  # (actor, claim) ids made up at load
    themes: Themes | None = None

    @property
    def ok(self) -> bool:
        return self.case is not None and not any(p.severity == "error" for p in self.problems)


class CorpusData:
    """A loaded, valid corpus: the case, its actors and the claim records (what comparing reads).

    :class:`policycmp.Corpus` adds the comparisons on top; everything below the public API
    (comparison, quotes, results, renderers) takes this.
    """

    def __init__(self, root: Path, loaded: Loaded) -> None:
        assert loaded.case is not None
        self.root = root
        self.case: Case = loaded.case
        self.actors: dict[str, Actor] = {a.id: a for a in loaded.actors}
        self.records: list[Claim] = loaded.claims
        self.warnings: list[Problem] = [p for p in loaded.problems if p.severity == "warning"]
        self.generated_ids: frozenset[tuple[str, str]] = loaded.generated_ids  # (actor, claim) ids not written
        self.themes: Themes = loaded.themes if loaded.themes is not None else Themes({})

    def __repr__(self) -> str:
        return f"<{type(self).__name__} {self.case.id!r}: {len(self.actors)} actors, {len(self.records)} claims>"

    @property
    def topics(self) -> dict[str, Topic]:
        return {t.id: t for t in self.case.topics}

    @cached_property
    def claims(self) -> pd.DataFrame:
        """The normalized claims table: one row per claim, the README's columns first."""
        import pandas as pd  # here, not at the top: loading and validating never need pandas

        frame = pd.DataFrame.from_records(self.records, columns=list(Claim._fields))
        cited: list[tuple[Source, ...]] = frame.pop("sources").tolist()
        first = [c[0] for c in cited]
        # the source columns: every cited source's id and title, "; "-separated; the first one's type, publisher, url
        frame["source"] = [c[0].id if len(c) == 1 else "; ".join(s.id for s in c) for c in cited]
        frame["source_title"] = [c[0].title if len(c) == 1 else "; ".join(s.title for s in c) for c in cited]
        frame["source_type"] = [s.type for s in first]
        frame["publisher"] = [s.publisher for s in first]
        frame["url"] = [s.url for s in first]
        frame = frame[list(CLAIM_COLUMNS)]  # row i is still self.records[i] (see records_of)
        frame["line"] = frame["line"].astype("int64")
        return frame

    def records_of(self, claims: pd.DataFrame) -> list[Claim]:
        """The claim records behind rows of :attr:`claims` (or of a selection of its rows, which
        keeps their index); ValueError for rows that are not, such as a frame whose index was reset."""
        records = self.records
        try:
            picked = [records[i] for i in claims.index.tolist()]
        except (IndexError, TypeError):
            picked = []
        try:
            keys = list(zip(claims["actor"].tolist(), claims["claim"].tolist(), strict=True))
        except KeyError:  # not the claims table's columns
            keys = []
        if len(picked) != len(keys) or any((r.actor, r.claim) != k for r, k in zip(picked, keys, strict=True)):
            raise ValueError("these rows are not rows of this corpus's claims table with their index kept")
        return picked

    @property
    def source_texts(self) -> tuple[Path, ...]:
        """The local copies of source documents (``text:``) this corpus names."""
        return source_texts(self.root, self.actors.values())


class ClaimDraft(NamedTuple):
    """A claim as read from its file and checked field by field, before its id is settled and its
    sources are looked up (``None``: the field is absent or was reported as a problem)."""

    line: int
    claim: str | None  # the id written in the file; generated later when absent
    topic: str | None
    stance: Stance | None
    summary: str | None
    quote: str | None
    sources: tuple[str, ...]  # cited source ids, in order, once each
    clause: str | None
    ground: Ground | None
    speaker: str | None
    date: str | None

    @property
    def complete(self) -> bool:
        """Every required field is there and usable."""
        return self.topic is not None and self.stance is not None and self.summary is not None and bool(self.sources)


class CorpusLoader:
    """Loads one corpus directory; use :func:`load_corpus`."""

    def __init__(
        self,
        root: Path,
        limits: Limits = DEFAULT_LIMITS,
        progress: Progress | None = None,
        themes: str | Path | None = None,
    ) -> None:
        self.root = root
        self.themes_file = themes
        self.themes = Themes({})
        self.progress = progress
        self.shown_root = display_path(root)
        self.limits = limits
        self.problems = Problems()
        self.topic_index: dict[str, str] = {}  # slug of id or alias -> topic id
        self.topic_ids: list[str] = []
        self.case_ok = False
        self.case_unreadable = False  # case.yaml exists but cannot be read (reported)
        self.topic_pos: dict[str, Location] = {}  # topic id -> its key in case.yaml
        self.used_topics: set[str] = set()
        self.generated_ids: set[tuple[str, str]] = set()
        self.source_pos: dict[str, tuple[int, int]] = {}  # the actor file being read: source id -> key

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
                self.problems.add("symlink-outside", Location(self.shown(name)))
                continue
            if not entry.is_file():  # a named pipe, a device, a socket or a broken link: never opened
                what = "a link to nothing" if entry.is_symlink() and not entry.exists() else "not a regular file"
                self.problems.add("unreadable-file", Location(self.shown(name)), "skipped", what=what)
                self.case_unreadable |= name in CASE_FILES
                continue
            if name in CASE_FILES:
                if case_file is not None:
                    self.problems.add("duplicate-case", Location(self.shown(name)), first=case_file.name, second=name)
                    continue
                case_file = entry
            else:
                actor_files.append(entry)
        return case_file, actor_files

    def load(self) -> Loaded:
        case_file, actor_files = self.files()
        case = None
        self.themes = load_themes(self.themes_file, self.problems, self.limits)
        if case_file is not None:
            case = self.load_case(case_file)
        elif not self.case_unreadable:  # an unreadable case.yaml is reported already
            self.problems.add("missing-case", Location(self.shown("case.yaml")))
        if not actor_files:
            self.problems.add("no-actors", Location(self.shown_root))
        actors: list[Actor] = []
        claims: list[Claim] = []
        first_file: dict[str, str] = {}
        looks = confusables.Lookalikes()
        errors_before = self.problems.error_count
        for done, path in enumerate(actor_files, start=1):
            if self.progress is not None:
                self.progress(done, len(actor_files))
            loaded = self.load_actor(path)
            if loaded is None:
                continue
            actor, actor_claims, pos = loaded
            if actor.id in first_file:
                self.problems.add(
                    "duplicate-actor", Location(actor.path, *pos), actor=actor.id, first=first_file[actor.id]
                )
                continue
            other = looks.earlier(actor.id)
            if other is not None:
                self.problems.add("confusable-id", Location(actor.path, *pos), what="actor id",
                                  value=shown(actor.id), other=shown(other), first=first_file[other])  # fmt: skip
                continue
            first_file[actor.id] = actor.path
            actors.append(actor)
            claims.extend(actor_claims)
        if actors and self.problems.error_count == errors_before:  # else an unread claim may use it
            for tid in self.topic_ids:
                if tid not in self.used_topics and tid in self.topic_pos:
                    self.problems.add("unused-topic", self.topic_pos[tid], topic=tid)
        return Loaded(case, tuple(actors), claims, self.problems.sorted(), frozenset(self.generated_ids), self.themes)

    def use_case(self, case: Case) -> None:
        """Check actor files against an already loaded case (its topic ids and aliases)."""
        self.topic_ids.extend(t.id for t in case.topics)
        self.topic_index.update(topic_index(case))
        self.case_ok = True

    def read(self, path: Path, f: _FileChecker, empty_variant: str) -> Any:
        """Read one file; an empty document (no error while reading) is an error too."""
        before = self.problems.error_count
        doc = read_yaml(path, f.path, self.problems, self.limits)
        if doc is None and self.problems.error_count == before:
            f.add("empty-file", (1, 1), empty_variant)
        return doc

    # -- case.yaml ---------------------------------------------------------------------------

    def load_case(self, path: Path) -> Case | None:
        shown_path = self.shown(path.name)
        f = _FileChecker(shown_path, self.problems)
        doc = self.read(path, f, "case")
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
                f.add("duplicate-group", kpos, group=gid)
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
        looks = confusables.Lookalikes()
        for key, value in topics_map.items():
            kpos = topics_map.key_pos[key]
            tid = f.check_slug(key, "topic id", kpos)
            if tid is None:
                continue
            if tid in index:
                owner = index[tid]
                what = "defined twice" if owner == tid else f"already an alias of topic '{owner}'"
                f.add("duplicate-topic", kpos, topic=tid, what=what)
                continue
            other = looks.earlier(tid)
            if other is not None:
                f.add("confusable-id", kpos, what="topic id", value=shown(key), other=shown(other), first="case.yaml")
                continue
            index[tid] = tid
            self.topic_ids.append(tid)
            self.topic_pos[tid] = f.at(kpos)
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
                f.add("unknown-group", tm.val_pos["group"], what=what, group=group, hint=hint)
                group = None
            aliases = f.aliases(tm, what, index, tid, "topic")
            dsa = f.text(tm, "dsa_category", what)
            if dsa is not None and not (dsa.startswith("STATEMENT_CATEGORY_") and dsa.replace("_", "").isupper()):
                f.add("unknown-dsa-category", tm.val_pos["dsa_category"], what=what, value=shown(dsa))
            theme, negated = self.topic_theme(f, tm, what)
            if label is None or statement is None:
                continue
            topics.append(
                Topic(tid, norm.collapse(label), norm.collapse(statement), group, tuple(aliases), dsa, theme, negated)
            )
        self.case_ok = True
        return topics

    def topic_theme(self, f: _FileChecker, tm: YMap, what: str) -> tuple[str | None, bool]:
        """A topic's theme id (checked against the themes in force) and whether it is negated."""
        if "theme" not in tm:
            return None, False
        ref = theme_ref(f, tm, what)
        if ref is None:
            return None, False
        name, negated, pos = ref
        theme = self.themes.resolve(name)
        if theme is None:
            where = " or ".join(self.themes.files) or "a themes file"
            f.add("unknown-theme", pos, what=what, value=shown(name), hint=self.themes.hint(name), where=where)
            return None, False
        return theme, negated

    # -- actor files -------------------------------------------------------------------------

    def load_actor(
        self, path: Path, shown_path: str | None = None
    ) -> tuple[Actor, list[Claim], tuple[int, int]] | None:
        shown_path = shown_path or self.shown(path.name)
        f = _FileChecker(shown_path, self.problems)
        doc = self.read(path, f, "")
        if doc is None:
            return None
        m = f.mapping(doc, "an actor file", (1, 1))
        if m is None:
            return None
        f.unknown_fields(m, ACTOR_FIELDS, "actor file")
        actor_id = f.slug(m, "actor", "actor file", required=True)
        if actor_id in RESERVED_ACTOR_IDS:
            f.add("reserved-id", m.val_pos["actor"], actor=actor_id, reserved=", ".join(RESERVED_ACTOR_IDS))
            actor_id = None
        name = f.text(m, "name", "actor file", required=True)
        role = f.slug(m, "role", "actor file", required=True)
        description = f.text(m, "description", "actor file")
        self.source_pos = {}
        wikidata = self.wikidata(f, m)
        same_as = tuple(
            slug
            for raw, pos in f.text_list(m, "same_as", "actor file")
            if (slug := f.check_slug(raw, "actor file 'same_as' id", pos)) is not None
        )
        sources = self.load_sources(f, m)
        claims = self.load_claims(f, m, actor_id or "?", sources)
        sources = sources or {}
        if actor_id is None or name is None or role is None:
            return None
        actor = Actor(
            actor_id, norm.collapse(name), role,
            norm.collapse(description) if description else None, sources, shown_path, wikidata, same_as,
        )  # fmt: skip
        return actor, claims, m.val_pos.get("actor") or m.pos

    @staticmethod
    def wikidata(f: _FileChecker, m: YMap) -> str | None:
        """The actor's Wikidata item id: ``Q`` and digits, no leading zero (``Q312``)."""
        raw = f.text(m, "wikidata", "actor file")
        if raw is None:
            return None
        if not _WIKIDATA.fullmatch(raw):
            f.add("bad-wikidata", m.val_pos["wikidata"], value=shown(raw))
            return None
        return raw

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
        looks = confusables.Lookalikes()
        for key, value in sm.items():
            kpos = sm.key_pos[key]
            sid = f.check_slug(key, "source id", kpos)
            if sid is None:
                continue
            if sid in sources:
                f.add("duplicate-source", kpos, source=sid)
                continue
            other = looks.earlier(sid)
            if other is not None:
                f.add("confusable-id", kpos, what="source id", value=shown(key), other=shown(other), first="this file")
                continue
            self.source_pos[sid] = kpos
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
                    f.add("unknown-source-type", src.val_pos["type"], what=what, value=shown(type_raw), hint=hint)
            sdate = f.date(src, "date", what)
            url = f.text(src, "url", what)
            if url is not None and (why := norm.url_problem(url)) is not None:
                f.add("bad-url", src.val_pos["url"], what=what, value=shown(url), reason=why)
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
        if "\0" in raw:
            f.add("bad-text-path", pos, "unusable", what=what, value=shown(raw), reason="it holds a NUL character")
            return None
        root = Path(os.path.realpath(self.root))
        target = Path(os.path.realpath(self.root / relative))
        if relative.is_absolute() or not target.is_relative_to(root):
            f.add("bad-text-path", pos, what=what, value=shown(raw))
            return None
        try:
            mode = os.stat(target).st_mode
        except (FileNotFoundError, NotADirectoryError):
            f.add("missing-text", pos, what=what, value=shown(raw))
            return relative.as_posix()
        except OSError as exc:  # a name over 255 bytes, a path too long, a directory that cannot be searched
            if exc.errno == errno.ENAMETOOLONG:
                f.add("bad-text-path", pos, "unusable", what=what, value=shown(raw), reason=exc.strerror)
                return None
            f.add("missing-text", pos, "unreachable", what=what, value=shown(raw), reason=exc.strerror)
            return relative.as_posix()
        if stat.S_ISDIR(mode):
            f.add("missing-text", pos, "not_file", what=what, value=shown(raw), kind="a directory")
        elif not stat.S_ISREG(mode):
            f.add("missing-text", pos, "not_file", what=what, value=shown(raw),
                  kind="not a regular file (a named pipe, device or socket)")  # fmt: skip
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
            f.add("wrong-type", m.val_pos["claims"], what="'claims'", expected="a list of claims ('- topic: ...')",
                  found=describe(raw))  # fmt: skip
            return []
        if not raw:
            f.add("no-claims", m.val_pos["claims"])
        pending: list[ClaimDraft] = []
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
            cid = None
            if "id" in c:
                cid, id_ok = self._claim_id(f, c, what, used_ids)
                ok &= id_ok
                what = f"claim '{cid}'" if cid is not None else what
            topic = self._claim_topic(f, c, what)
            stance = self._claim_stance(f, c, what)
            summary = f.text(c, "summary", what, required=True)
            quote = f.text(c, "quote", what)
            cited = self._claim_sources(f, c, what, known_sources)
            ok &= cited is not None
            clause = f.text(c, "clause", what)
            ground = self._claim_ground(f, c, what)
            speaker = f.text(c, "speaker", what)
            date = f.date(c, "date", what)
            if "date" in c and c["date"] is not None and date is None:
                ok = False
            draft = ClaimDraft(
                c.pos[0], cid, topic, stance, norm.collapse(summary) if summary else None, quote,
                tuple(cited or ()), clause, ground, speaker, date,
            )  # fmt: skip
            ok &= draft.complete
            pending.append(draft)
        if ok and known_sources:  # every claim was read, so a source none cites is unused
            cited_anywhere = {sid for draft in pending for sid in draft.sources}
            for sid in known_sources:
                if sid not in cited_anywhere and sid in self.source_pos:
                    f.add("unused-source", self.source_pos[sid], source=sid)
        if not ok or self.problems.has_errors:
            return []  # the corpus will not load; the problems say why
        return self._records(f.path, actor_id, pending, used_ids, sources)

    # -- one claim, field by field (each reports its own problems) -----------------------------

    def _claim_id(
        self, f: _FileChecker, c: YMap, what: str, used_ids: dict[str, tuple[int, int]]
    ) -> tuple[str | None, bool]:
        """A claim's written id, and whether it is usable (a duplicate is reported)."""
        cid = f.slug(c, "id", what, required=True)
        if cid is None:
            return None, False
        id_pos = c.val_pos["id"]
        unique = cid not in used_ids
        if not unique:
            f.add("duplicate-claim", id_pos, claim=cid, line=used_ids[cid][0])
        used_ids[cid] = id_pos
        return cid, unique

    def _claim_topic(self, f: _FileChecker, c: YMap, what: str) -> str | None:
        topic_raw = f.text(c, "topic", what, required=True)
        if topic_raw is None:
            return None
        slug = norm.slugify(topic_raw)
        tid = self.topic_index.get(slug)
        if tid is None and self.case_ok:
            hint = suggest(slug, self.topic_ids) or suggest(slug, self.topic_index)
            f.add("unknown-topic", c.val_pos["topic"], value=shown(topic_raw), hint=hint)
        if tid is not None:
            self.used_topics.add(tid)
        return tid

    def _claim_stance(self, f: _FileChecker, c: YMap, what: str) -> Stance | None:
        stance_raw = f.text(c, "stance", what, required=True)
        if stance_raw is None:
            return None
        st = norm.stance(stance_raw)
        if st is None:
            slug = norm.slugify(stance_raw)
            why = norm.AMBIGUOUS_STANCES.get(slug)
            if why is not None:
                f.add("unknown-stance", c.val_pos["stance"], "ambiguous", value=shown(stance_raw), why=why)
            else:
                f.add(
                    "unknown-stance",
                    c.val_pos["stance"],
                    value=shown(stance_raw),
                    hint=suggest(slug, norm.STANCE_ALIASES),
                )
        return st

    def _claim_sources(
        self, f: _FileChecker, c: YMap, what: str, known_sources: dict[str, Source] | None
    ) -> list[str] | None:
        """The source ids a claim cites, in order, once each; None when one cannot be used."""
        if "source" not in c or c["source"] is None:
            f.text(c, "source", what, required=True)
        elif isinstance(c["source"], YSeq) and not c["source"]:  # `source: []` cites nothing
            f.add("missing-field", c.val_pos["source"], "empty_list", what=what, key="source")
        sources = known_sources or {}
        cited: list[str] = []
        usable = True
        for sid_raw, spos in f.text_list(c, "source", what):
            sid = norm.slugify(sid_raw)
            if known_sources is None:  # 'sources' is missing or broken: reported once already
                usable = False
            elif sid not in sources:
                hint = suggest(sid, sources) or (" (the actor file has no sources)" if not sources else "")
                f.add("unknown-source", spos, what=what, value=shown(sid_raw), hint=hint)
                usable = False
            elif sid not in cited:
                cited.append(sid)
        return cited if usable else None

    def _claim_ground(self, f: _FileChecker, c: YMap, what: str) -> Ground | None:
        ground_raw = f.text(c, "ground", what)
        if ground_raw is None:
            return None
        ground = norm.ground(ground_raw)
        if ground is None:
            hint = suggest(norm.slugify(ground_raw), norm.GROUNDS) or f" (one of: {', '.join(norm.GROUNDS)})"
            f.add("unknown-ground", c.val_pos["ground"], value=shown(ground_raw), hint=hint)
        return ground

    def _records(
        self,
        path: str,
        actor_id: str,
        pending: list[ClaimDraft],
        used_ids: dict[str, tuple[int, int]],
        sources: dict[str, Source],
    ) -> list[Claim]:
        counters: dict[str, int] = {}
        out: list[Claim] = []
        for draft in pending:
            assert draft.topic is not None
            assert draft.stance is not None
            assert draft.summary is not None
            cid = draft.claim
            if cid is None:  # generated: '<topic>-<n>', skipping ids written in the file
                n = counters.get(draft.topic, 0)
                while True:
                    n += 1
                    cid = f"{draft.topic}-{n}"
                    if cid not in used_ids:
                        break
                counters[draft.topic] = n
                used_ids[cid] = (0, 0)
                self.generated_ids.add((actor_id, cid))
            cited = tuple(sources[s] for s in draft.sources)
            out.append(
                Claim(
                    actor=actor_id,
                    claim=cid,
                    topic=draft.topic,
                    stance=draft.stance,
                    summary=draft.summary,
                    quote=draft.quote,
                    sources=cited,
                    date=draft.date or cited[0].date,
                    clause=draft.clause,
                    ground=draft.ground,
                    speaker=draft.speaker,
                    path=path,
                    line=draft.line,
                )
            )
        return out


def load_corpus(
    root: Path,
    limits: Limits = DEFAULT_LIMITS,
    progress: Progress | None = None,
    themes: str | Path | None = None,
) -> Loaded:
    """Load and check every file of the corpus at ``root`` (topics' themes checked against the
    bundled themes and ``themes``, a user's themes file).

    The cyclic garbage collector is paused meanwhile: loading makes millions of small objects
    and no reference cycles, and the collector's repeated passes over the growing heap cost
    about a quarter of the time on a 100,000-claim corpus. Reference counting still frees
    every file's YAML nodes as soon as it is read.
    """
    was_enabled = gc.isenabled()
    gc.disable()
    try:
        return CorpusLoader(root, limits, progress, themes).load()
    finally:
        if was_enabled:
            gc.enable()
