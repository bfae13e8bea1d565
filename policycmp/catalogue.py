"""The problem catalogue: every problem code policycmp reports, declared once.

Each :class:`ProblemType` gives a code its severity, a title (what is wrong, as the README's
problem table says it) and the message templates its problems are written from; a code whose
problems read differently in different places (``wrong-type``: a mapping, a text, a list) has
one template per variant. :meth:`policycmp.problems.Problem.of` builds a problem from here, so a
code's severity is never chosen at the place that reports it, and the README table is checked
against this catalogue (``tests/test_readme.py``).
"""

from __future__ import annotations

from typing import Literal, NamedTuple

Severity = Literal["error", "warning"]


class ProblemType(NamedTuple):
    """One problem code: its severity, what it means, and how its messages read."""

    code: str
    severity: Severity
    title: str  # the README table's "what is wrong"
    templates: dict[str, str]  # variant -> message template (str.format fields); "" is the default
    usage: bool = False  # reported as a usage error (exit 2) rather than a problem in a file

    def message(self, variant: str = "", /, **fields: object) -> str:
        return self.templates[variant].format(**fields)

    @property
    def severity_label(self) -> str:
        """The severity as the README table shows it."""
        return "usage (exit 2)" if self.usage else self.severity


def _t(template: str, **variants: str) -> dict[str, str]:
    return {"": template, **variants}


_STANCES = "write asserts, denies or qualifies (the direction relative to the topic's statement)"

_TYPES = (
    # -- reading a file: YAML syntax and the limits on hostile input ----------------------------
    ProblemType(
        "yaml-syntax", "error",
        "the file is not valid YAML (bad indentation, unclosed quote or bracket, a control character)",
        _t("{what}; check the quoting and indentation here",
           directive="{what}; a corpus file needs no '%' directive (%YAML, %TAG): remove the line",
           character='character U+{code:04X} is not allowed in YAML; remove it or escape it inside a double-quoted string as "\\u...."'),
    ),
    ProblemType(
        "duplicate-key", "error",
        "a key appears twice in one mapping (YAML would silently keep the last value)",
        _t("duplicate key {key} (first at line {line}, column {column}); YAML would keep only the last value: remove or rename one"),
    ),
    ProblemType(
        "bad-key", "error", "a key that is a list, mapping or merge key (`<<`)",
        _t("a key must be plain text, not a list, mapping or tagged value",
           merge="merge keys ('<<') are not supported; write the fields out"),
    ),
    ProblemType(
        "missing-field", "error", "a required field is absent or empty",
        _t("{what} is missing the required field '{key}'",
           empty="{what} field '{key}' is empty; give it a value",
           empty_list="{what} field '{key}' is an empty list; cite at least one source"),
    ),
    ProblemType(
        "unknown-field", "warning", "a field policycmp does not know (with a suggestion); it is ignored",
        _t("unknown field {key} in {what}{hint}; it is ignored"),
    ),
    ProblemType(
        "wrong-type", "error", "e.g. a list where text is expected, or `claims` that is not a list",
        _t("{what} must be {expected}, not {found}"),
    ),
    ProblemType(
        "unknown-topic", "error", "a claim's topic is no topic id or alias of case.yaml",
        _t("unknown topic {value}{hint}; topics are defined in case.yaml"),
    ),
    ProblemType(
        "unknown-stance", "error",
        "not a stance or stance alias, or a word that reads both ways (`concedes`, `admits`, `acknowledges`, `accepts`)",
        _t("unknown stance {value}{hint}; " + _STANCES,
           ambiguous="stance {value} is ambiguous: {why}; " + _STANCES),
    ),
    ProblemType(
        "unknown-source", "error", "a claim cites a source id the actor file does not define",
        _t("{what} cites unknown source {value}{hint}; sources are defined under 'sources'"),
    ),
    ProblemType(
        "unknown-source-type", "error", "not a source type or alias",
        _t("{what} has unknown type {value}{hint}"),
    ),
    ProblemType(
        "unknown-group", "error", "a topic names a group that `groups` does not define",
        _t("{what} names unknown group '{group}'{hint}"),
    ),
    ProblemType(
        "unknown-ground", "error", "not one of contract, policy, law, fact, principle",
        _t("unknown ground {value}{hint}"),
    ),
    ProblemType(
        "unknown-dsa-category", "warning", "`dsa_category` does not look like `STATEMENT_CATEGORY_…`",
        _t("{what} dsa_category {value} does not look like a DSA Transparency Database category such as 'STATEMENT_CATEGORY_VIOLENCE'"),
    ),
    ProblemType(
        "bad-date", "error", "a date in no accepted form, or an impossible one",
        _t("{what} date {value}: {reason}"),
    ),
    ProblemType(
        "bad-url", "error", "a URL that is not http(s), has no host, or contains spaces or quotes",
        _t("{what} url {value} {reason}"),
    ),
    ProblemType(
        "bad-slug", "error",
        "an id with characters other than letters, digits, hyphens and dots, or with an invisible character",
        _t("{what} {value} is not a usable id; use letters, digits and hyphens (e.g. 'my-id')",
           invisible="{what} {value} holds an invisible character (U+{code:04X}); remove it"),
    ),
    ProblemType(
        "confusable-id", "error",
        "an id that mixes scripts (Latin `ws` with a Cyrillic `а`), or looks the same as another id (Unicode TS #39 skeleton)",
        _t("{what} {value} looks the same as {other} (in {first}); a reader could not tell them apart: rename one",
           mixed="{what} {value} mixes scripts ({scripts}), so it can pass for another id; write it in one script"),
    ),
    ProblemType(
        "duplicate-actor", "error", "two actor files use the same actor id",
        _t("actor id '{actor}' is already used in {first}; actor ids must be unique"),
    ),
    ProblemType(
        "reserved-id", "error",
        "an actor id that names a column of the comparison table (`topic`, `label`, `group`, `verdict`)",
        _t("actor id '{actor}' names a column of the comparison table ({reserved}); choose another id, e.g. '{actor}-1'"),
    ),
    ProblemType(
        "duplicate-claim", "error", "two claims of one actor share an id",
        _t("claim id '{claim}' is already used at line {line}; claim ids must be unique within an actor"),
    ),
    ProblemType(
        "duplicate-topic", "error", "two topics (or a topic and an alias) normalize to the same id",
        _t("topic id '{topic}' is {what}; topic ids and aliases must be unique",
           alias="alias {alias} of topic '{topic}' already names topic '{owner}'; an alias must name one topic"),
    ),
    ProblemType(
        "duplicate-source", "error", "two source ids of one actor normalize to the same id",
        _t("source id '{source}' is defined twice; rename one"),
    ),
    ProblemType(
        "duplicate-group", "error", "two group ids normalize to the same id",
        _t("group '{group}' is defined twice; remove or rename one"),
    ),
    ProblemType(
        "unknown-theme", "error",
        "a topic's `theme:` names no theme of `policies/themes.yaml` or the `--themes` file (with a suggestion)",
        _t("{what} names unknown theme {value}{hint}; define it in {where} (or pass --themes FILE)"),
    ),
    ProblemType(
        "duplicate-theme", "error", "two themes (or a theme and an alias) of one themes file normalize to the same id",
        _t("theme id '{theme}' is {what}; theme ids and aliases must be unique",
           alias="alias {alias} of theme '{theme}' already names theme '{owner}'; an alias must name one theme"),
    ),
    ProblemType(
        "bad-wikidata", "error", "an actor's `wikidata:` is not a Wikidata item id (`Q` and digits, e.g. `Q312`)",
        _t("wikidata item {value} is not a Wikidata item id; write 'Q' and its digits, e.g. 'Q312' (as in wikidata.org/wiki/Q312)"),
    ),
    ProblemType(
        "identity-unconfirmed", "warning",
        "`across`: two joined actors have different names and no `wikidata:` item confirms they are one",
        _t("actor '{actor}' ({name}) in {case} is joined to '{other}' ({other_name}) in {other_case} by {by},"
           " but their names differ and no wikidata item confirms it; add the same 'wikidata:' to both,"
           " or give distinct actors distinct ids"),
    ),
    ProblemType(
        "duplicate-case", "error", "both case.yaml and case.yml exist",
        _t("both {first} and {second} exist; keep one"),
    ),
    ProblemType(
        "missing-case", "error", "the corpus directory has no case.yaml",
        _t("no case.yaml in the corpus directory; start one with 'policycmp new case DIR'",
           shadows="no case.yaml in the local folder '{name}', which is read instead of the bundled case"
           " '{name}'; rename or move the folder, or run policycmp from another directory"),
    ),
    ProblemType(
        "empty-file", "error", "a file with no YAML content",
        _t("actor file is empty; give it 'actor', 'name', 'role', 'sources' and 'claims'",
           case="case.yaml is empty; give it 'case', 'title' and 'topics'",
           themes="themes file is empty; give it a 'themes' mapping"),
    ),
    ProblemType(
        "no-actors", "warning", "the corpus has no actor files",
        _t("no actor files (*.yaml) besides case.yaml; add one file per actor"),
    ),
    ProblemType(
        "no-claims", "warning", "an actor file with an empty claims list",
        _t("the actor has no claims yet"),
    ),
    ProblemType(
        "unused-topic", "warning",
        "a topic of case.yaml that no claim uses (reported once every actor file reads without errors)",
        _t("topic '{topic}' is used by no claim; remove it, or add the claims that address it"),
    ),
    ProblemType(
        "unused-source", "warning", "a source no claim of its actor file cites",
        _t("source '{source}' is cited by no claim; remove it, or cite it with 'source: {source}'"),
    ),
    ProblemType(
        "topic-mismatch", "error",
        "`reliability`: a topic one coder's case.yaml lists and another's does not (coders code the same topics)",
        _t("topic '{topic}' is not in the case.yaml of {coders}; coders code the same topics: add it there or remove it here"),
    ),
    ProblemType(
        "not-utf8", "error",
        "the file is not UTF-8, e.g. Latin-1 or UTF-16 (the position of the first bad byte is given)",
        _t("byte 0x{byte:02x} is not valid UTF-8; save the file as UTF-8",
           nul="byte 0x00 (NUL): the file looks like UTF-16 or UTF-32; save it as UTF-8"),
    ),
    ProblemType(
        "file-too-large", "error", "over the size limit (10 MiB; `--max-file-size`)",
        _t("file is {size:,} bytes, over the limit of {limit:,}; split it or raise the limit with --max-file-size",
           grew="file is over the limit of {limit:,} bytes"),
    ),
    ProblemType(
        "disallowed-tag", "error", "a YAML tag other than the standard ones (`!!python/...`, `!custom`)",
        _t("tag {tag} is not allowed; corpus files use plain YAML values only"),
    ),
    ProblemType(
        "alias-limit", "error", 'YAML aliases expand to too many values ("billion laughs")',
        _t("aliases expand to over {limit:,} values; write the values out or use fewer aliases"),
    ),
    ProblemType(
        "recursive-alias", "error", "a YAML value contains an alias to itself (`&a [*a]`)",
        _t("this value contains an alias to itself, so it never ends; write the values out instead"),
    ),
    ProblemType(
        "nesting-limit", "error", "nesting deeper than 100 levels",
        _t("nesting deeper than {limit} levels; a corpus file needs only a few",
           composed="nesting deeper than {limit} levels"),
    ),
    ProblemType(
        "symlink-outside", "error", "a symbolic link to a file outside the corpus directory (not followed)",
        _t("link points outside the corpus directory and is not followed; copy the file into the corpus instead"),
    ),
    ProblemType(
        "unreadable-file", "error",
        "the file cannot be read (permissions), or is a named pipe, device or broken link (never opened)",
        _t("cannot read file: {reason}", skipped="{what}; it is not read",
           themes="themes file {what}; pass a YAML file with a 'themes' mapping"),
    ),
    ProblemType(
        "missing-file", "error", "`diff` was given an actor file that does not exist",
        _t("no such actor file"),
    ),
    ProblemType(
        "missing-text", "warning", "a source's `text:` file does not exist, is not a regular file or cannot be reached (its quotes show as `no-text`)",
        _t("{what} text file {value} does not exist; its quotes cannot be checked",
           not_file="{what} text {value} is {kind}, not a file; its quotes cannot be checked",
           unreachable="{what} text file {value} cannot be reached ({reason}); its quotes cannot be checked"),
    ),
    ProblemType(
        "unreadable-text", "warning",
        "`quotes`: a source text exists but cannot be used (not UTF-8, over 10 MiB (PDF: 64 MiB), not a regular file; a PDF that is encrypted, damaged or past a safety limit); its quotes show as `no-text`",
        _t("source text cannot be used: {reason}"),
    ),
    ProblemType(
        "no-text-layer", "warning",
        "`quotes`: a PDF source text has no text at all (a scan without OCR); its quotes show as `no-text`",
        _t("PDF has no text layer ({reason}); its quotes cannot be checked: run OCR on it (e.g. ocrmypdf)"
           " or save a text copy beside it"),
    ),
    ProblemType(
        "bad-text-path", "error", "a source's `text:` is absolute, points outside the corpus directory, or is no usable path (a NUL, a name too long)",
        _t("{what} text {value} must be a path inside the corpus directory, relative to it",
           unusable="{what} text {value} is not a usable path: {reason}"),
    ),
    ProblemType(
        "template-error", "error",
        "a `--template-dir` template failed to load or render (file and line of the template)",
        _t("{reason}"),
    ),
    ProblemType(
        "not-a-corpus", "error", "`--corpus` names no directory",
        _t("corpus directory {what}; pass a directory holding case.yaml"),
        usage=True,
    ),
)  # fmt: skip

CATALOGUE: dict[str, ProblemType] = {t.code: t for t in _TYPES}


def problem_type(code: str) -> ProblemType:
    """The catalogue entry of ``code``; an undeclared code is a bug, named as such."""
    try:
        return CATALOGUE[code]
    except KeyError:
        raise KeyError(f"problem code {code!r} is not declared in policycmp/catalogue.py") from None


def markdown_table() -> str:
    """The README's problem table, one row per code in catalogue order."""
    rows = ["| code | severity | what is wrong |", "|---|---|---|"]
    rows += [f"| `{t.code}` | {t.severity_label} | {t.title} |" for t in _TYPES]
    return "\n".join(rows) + "\n"
