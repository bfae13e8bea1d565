"""Deterministic generator of valid synthetic policycmp corpora.

Usage::

    python benchmarks/generate.py --actors 1000 --topics 100 --seed 0 OUT_DIR

writes ``OUT_DIR/case.yaml`` and one YAML file per actor. The same arguments always
produce byte-identical files. Every generated corpus is meant to validate without
errors: topics are referenced by id or by an alias written with varied case,
spaces and underscores; stances, source types and dates use the aliases and
written forms that the normalization rules accept.

The text is built directly (not with ``yaml.dump``) so that 100,000 claims are
written in a few seconds. Free text is always written as a double-quoted YAML
string (or, for some summaries, a folded block scalar); slugs are written plain
unless YAML would read them as something other than a string.

Importable: ``from benchmarks.generate import generate_corpus``.
"""

from __future__ import annotations

import argparse
import hashlib
import json
import random
import re
import sys
import time
from collections.abc import Sequence
from datetime import date, timedelta
from pathlib import Path

__all__ = ["MARKER_NAME", "generate_corpus", "generator_digest", "main"]

#: Hidden file written next to the corpus; records the parameters (never read by policycmp,
#: which only reads ``*.yaml`` / ``*.yml``). Its presence marks a directory as generated,
#: so a later run may replace the YAML files in it.
MARKER_NAME = ".policycmp-bench.json"

#: Refuse to write a file this large: policycmp limits the size of input files.
MAX_FILE_BYTES = 8 * 1024 * 1024

# Plain ASCII lower-case words: used for slugs and for text.
_WORDS_TEXT = """
    abuse access account action activity admin agreement app appeal approval audience
    ban board breach business cache campaign capitol change civic cloud code comment
    community compliance conduct consent content context council court coverage crowd
    data decision defamation delay deplatform developer device discourse dispute domain
    election enforcement error event evidence exception extremism fairness feed filter
    forum fraud freedom group guideline harassment harm hashtag hosting identity incident
    incitement injunction integrity intent interest journalist language law liability
    license market media member message militia misinformation moderation network
    notice obligation operator order outage parody partner payment platform plan
    police policy post practice press privacy process protest provider public publisher
    reach reason record remedy removal report request response review right risk rule
    safety scale search security server service signal speech spam standard store
    subscriber suspension system takedown term threat timeline tool traffic transparency
    trust update user vendor venue video violation violence volunteer warning website
"""
WORDS: tuple[str, ...] = tuple(_WORDS_TEXT.split())

# Extra tokens sprinkled into free text: punctuation, non-ASCII letters, and the two
# characters that need escaping in a double-quoted YAML string.
SPECIAL_TOKENS: tuple[str, ...] = (
    '"violent"',
    "“moderation”",
    "O'Neil",
    "§230",
    "café",
    "naïve",
    "—",
    "don't",
    "50%",
    "#hashtag",
    "@handle",
    "a\\b",
    "e.g.",
    "(sic)",
    "[redacted]",
    "key:value",
    "Zürich",
    "&",
)

STANCE_FORMS: dict[str, tuple[str, ...]] = {
    "asserts": (
        "asserts",
        "claims",
        "alleges",
        "argues",
        "affirms",
        "agrees",
        "supports",
        "yes",
    ),
    "denies": (
        "denies",
        "rejects",
        "disputes",
        "refutes",
        "contests",
        "disagrees",
        "no",
    ),
    "qualifies": ("qualifies", "partly", "partially", "nuanced", "mixed"),
}

# (as written in the file, human label used for the source title)
SOURCE_TYPES: tuple[tuple[str, str], ...] = (
    ("tos", "Terms of Service"),
    ("terms", "Terms"),
    ("Terms of Service", "Terms of Service"),
    ("aup", "Acceptable Use Policy"),
    ("acceptable-use-policy", "Acceptable Use Policy"),
    ("community-guidelines", "Community Guidelines"),
    ("Community Guidelines", "Community Guidelines"),
    ("review-guidelines", "Review Guidelines"),
    ("app review guidelines", "App Review Guidelines"),
    ("developer-policy", "Developer Policy"),
    ("developer terms", "Developer Terms"),
    ("contract", "Contract"),
    ("customer agreement", "Customer Agreement"),
    ("letter", "Letter"),
    ("press-statement", "Press Statement"),
    ("statement", "Statement"),
    ("social-post", "Post"),
    ("post", "Post"),
    ("tweet", "Tweet"),
    ("interview", "Interview"),
    ("court-filing", "Court Filing"),
    ("complaint", "Complaint"),
    ("motion", "Motion"),
    ("brief", "Brief"),
    ("declaration", "Declaration"),
    ("court-order", "Court Order"),
    ("order", "Order"),
    ("ruling", "Ruling"),
    ("opinion", "Opinion"),
    ("news-report", "News Report"),
    ("article", "Article"),
    ("news", "News"),
    ("other", "Document"),
)

ROLES: tuple[str, ...] = (
    "cloud-host",
    "app-store",
    "platform",
    "social-network",
    "court",
    "regulator",
    "payment-processor",
    "advocacy-group",
    "news-outlet",
    "government",
)

GROUPS: tuple[tuple[str, str], ...] = (
    ("harm", "Harmful content"),
    ("moderation", "Moderation"),
    ("contract", "Contract and terms"),
    ("speech", "Speech and expression"),
    ("process", "Process and notice"),
    ("law", "Law and liability"),
)

GROUNDS: tuple[str, ...] = ("contract", "policy", "law", "fact", "principle")

DSA_CATEGORIES: tuple[str, ...] = (
    "STATEMENT_CATEGORY_VIOLENCE",
    "STATEMENT_CATEGORY_ILLEGAL_OR_HARMFUL_SPEECH",
    "STATEMENT_CATEGORY_RISK_FOR_PUBLIC_SECURITY",
    "STATEMENT_CATEGORY_SCOPE_OF_PLATFORM_SERVICE",
)

MONTHS: tuple[str, ...] = (
    "January",
    "February",
    "March",
    "April",
    "May",
    "June",
    "July",
    "August",
    "September",
    "October",
    "November",
    "December",
)

DATE_START = date(2020, 6, 1)
DATE_SPAN_DAYS = 400

# Scalars that YAML 1.1 (PyYAML) would not read as strings when written plain.
_YAML_RESERVED = frozenset(("y", "n", "yes", "no", "on", "off", "true", "false", "null"))
_PLAIN_SLUG = re.compile(r"[a-z][a-z0-9]*(?:-[a-z0-9]+)*\Z")
_SLUG_RUNS = re.compile(r"[\s_]+")


def slugify(text: str) -> str:
    """Slug as the specification defines it (ASCII input only, so NFC is a no-op here)."""
    return _SLUG_RUNS.sub("-", text.strip().lower())


def dq(text: str) -> str:
    """A double-quoted YAML scalar (the generated text holds no control characters)."""
    return '"' + text.replace("\\", "\\\\").replace('"', '\\"') + '"'


def scalar(text: str) -> str:
    """Plain when ``text`` is a slug YAML reads back as the same string, else double-quoted."""
    if _PLAIN_SLUG.match(text) and text not in _YAML_RESERVED:
        return text
    return dq(text)


def _capitalize(word: str) -> str:
    return word[:1].upper() + word[1:]


def _title(words: Sequence[str]) -> str:
    return " ".join(_capitalize(w) for w in words)


def _sentence(rng: random.Random, n_words: int, special_rate: float = 0.01) -> str:
    words = rng.choices(WORDS, k=n_words)
    if rng.random() < special_rate * n_words:
        words[rng.randrange(1, n_words)] = rng.choice(SPECIAL_TOKENS)
    if n_words > 8 and rng.random() < 0.5:
        i = rng.randrange(3, n_words - 3)
        words[i] += ","
    return _capitalize(words[0]) + " " + " ".join(words[1:]) + "."


def _date_text(rng: random.Random) -> str:
    """A date as YAML text, in one of the accepted forms (some quoted: see below)."""
    d = DATE_START + timedelta(days=rng.randrange(DATE_SPAN_DAYS))
    form = rng.randrange(7)
    if form <= 1:  # a YAML date
        return d.isoformat()
    if form == 2:  # an ISO date as a string
        return dq(d.isoformat())
    if form == 3:  # month precision: plain, YAML reads it as a string
        return f"{d.year:04d}-{d.month:02d}"
    if form == 4:  # year precision: quoted, or YAML would read an int
        return dq(f"{d.year:04d}")
    if form == 5:
        return dq(f"{MONTHS[d.month - 1]} {d.day}, {d.year}")
    return dq(f"{d.day} {MONTHS[d.month - 1][:3]} {d.year}")


def _vary_case(rng: random.Random, phrase: str) -> str:
    """The same slug written differently: case, underscores, doubled separators, padding."""
    words = phrase.split(" ")
    form = rng.randrange(6)
    if form == 0:
        out = phrase
    elif form == 1:  # e.g. "Topic_12 Alias"
        out = _capitalize(words[0]) + "_" + " ".join(_capitalize(w) for w in words[1:])
    elif form == 2:
        out = phrase.upper()
    elif form == 3:
        out = "_".join(words)
    elif form == 4:
        out = "  ".join(_capitalize(w) for w in words)
    else:
        out = " " + " __ ".join(words) + " "
    return out


class _Topic:
    __slots__ = ("aliases", "p_assert", "tid")

    def __init__(self, tid: str, aliases: tuple[str, str], p_assert: float) -> None:
        self.tid = tid
        self.aliases = aliases
        self.p_assert = p_assert


def _make_topics(rng: random.Random, n_topics: int) -> list[_Topic]:
    topics = []
    for n in range(1, n_topics + 1):
        w1, w2, w3, w4 = rng.sample(WORDS, 4)
        # Disjoint shapes keep ids and aliases unique: "<w>-<w>-<n>", "topic <n> alias",
        # "<w> <w> question <n>" (no word of WORDS is "topic", "alias" or "question").
        tid = f"{w1}-{w2}-{n}"
        aliases = (f"topic {n} alias", f"{w3} {w4} question {n}")
        topics.append(_Topic(tid, aliases, rng.uniform(0.15, 0.85)))
    return topics


def _case_yaml(rng: random.Random, slug: str, topics: list[_Topic], n_actors: int) -> str:
    n_groups = max(1, min(len(GROUPS), len(topics) // 8))
    groups = GROUPS[:n_groups]
    out = [
        f"case: {scalar(slug)}",
        "title: " + dq(f"Synthetic dispute: {n_actors} actors, {len(topics)} topics (benchmark corpus)"),
        "summary: >-",
    ]
    summary = " ".join(_sentence(rng, rng.randint(12, 24)) for _ in range(3))
    out.extend(_fold(summary, "  "))
    out.append(f"subject: {dq('Example Platform')}")
    out.append("groups:")
    for key, label in groups:
        out.append(f"  {key}:")
        out.append(f"    label: {dq(label)}")
    out.append("topics:")
    for i, t in enumerate(topics):
        label_words = t.tid.split("-")[:2]
        out.append(f"  {t.tid}:")
        out.append(f"    label: {dq(_title(label_words) + ' ' + str(i + 1))}")
        out.append(f"    statement: {dq(_sentence(rng, rng.randint(8, 18), 0.0))}")
        if i % 9 != 8:
            out.append(f"    group: {groups[i % n_groups][0]}")
        out.append(f"    aliases: [{dq(t.aliases[0])}, {dq(t.aliases[1])}]")
        if rng.random() < 0.3:
            out.append(f"    dsa_category: {rng.choice(DSA_CATEGORIES)}")
    return "\n".join(out) + "\n"


def _fold(text: str, indent: str, width: int = 76) -> list[str]:
    """Lines of a folded block scalar holding ``text`` (single spaces, no leading space)."""
    lines: list[str] = []
    line = ""
    for word in text.split(" "):
        if line and len(indent) + len(line) + 1 + len(word) > width:
            lines.append(indent + line)
            line = word
        else:
            line = f"{line} {word}" if line else word
    if line:
        lines.append(indent + line)
    return lines


def _stance(rng: random.Random, topic: _Topic, previous: str | None) -> str:
    if previous is not None:
        # A second claim on a topic mostly repeats or nuances the first; rarely contradicts it.
        r = rng.random()
        if r < 0.6:
            return previous
        if r < 0.95:
            return "qualifies"
    r = rng.random()
    if r < 0.15:
        return "qualifies"
    return "asserts" if r < 0.15 + 0.85 * topic.p_assert else "denies"


def _actor_yaml(rng: random.Random, index: int, topics: list[_Topic], claims_per_actor: int) -> tuple[str, str, int]:
    """(slug, YAML text, number of claims) of actor number ``index`` (0-based)."""
    w1, w2 = rng.sample(WORDS, 2)
    slug = f"{w1}-{w2}-{index + 1:04d}"
    role = ROLES[rng.randrange(len(ROLES))]
    name = f"{_capitalize(w1)} {_capitalize(w2)} {index + 1}"
    out = [
        f"actor: {slug}",
        f"name: {dq(name)}",
        f"role: {role}",
    ]
    if rng.random() < 0.8:
        out.append(f"description: {dq(_sentence(rng, rng.randint(10, 25)))}")

    # Sources.
    out.append("sources:")
    source_ids: list[str] = []
    for k in rng.sample(range(len(SOURCE_TYPES)), rng.randint(3, 6)):
        written, human = SOURCE_TYPES[k]
        sid = f"{slugify(written)}-{len(source_ids) + 1}"
        source_ids.append(sid)
        out.append(f"  {sid}:")
        out.append(f"    title: {dq(f'{name} {human}')}")
        out.append(f"    type: {scalar(written)}")
        if rng.random() < 0.9:
            out.append(f"    date: {_date_text(rng)}")
        if rng.random() < 0.75:
            out.append(f"    url: {dq(f'https://{w1}-{w2}.example.com/{slugify(written)}/{index + 1}')}")
        if rng.random() < 0.6:
            publisher = _title(rng.sample(WORDS, 2)) + " " + rng.choice(("News", "Press", "Inc."))
            out.append(f"    publisher: {dq(publisher)}")

    # Which topics the claims address: ~80% of the claims go to distinct topics, the rest
    # address some of those topics a second time; the other topics get no claim.
    n_topics = len(topics)
    n_distinct = min(n_topics, max(1, round(claims_per_actor * 0.8)))
    chosen = rng.sample(range(n_topics), n_distinct)
    extra = [chosen[rng.randrange(n_distinct)] for _ in range(claims_per_actor - n_distinct)]
    order = chosen + extra
    rng.shuffle(order)

    out.append("claims:")
    stances: dict[int, str] = {}
    for j, ti in enumerate(order):
        topic = topics[ti]
        stance = _stance(rng, topic, stances.get(ti))
        stances.setdefault(ti, stance)
        lead = "  - "
        if rng.random() < 0.85:
            out.append(f"{lead}id: c{j + 1}-{'-'.join(rng.sample(WORDS, 2))}")
            lead = "    "
        by_id = rng.random() < 0.5
        ref = topic.tid if by_id else _vary_case(rng, topic.aliases[rng.randrange(2)])
        out.append(f"{lead}topic: {scalar(ref)}")
        forms = STANCE_FORMS[stance]
        written = stance if rng.random() < 0.5 else forms[rng.randrange(1, len(forms))]
        out.append(f"    stance: {scalar(written)}")
        summary = _sentence(rng, rng.randint(15, 35))
        if rng.random() < 0.1:
            out.append("    summary: >-")
            out.extend(_fold(summary, "      "))
        else:
            if rng.random() < 0.05:
                summary = summary.replace(" ", "  ", 2)  # whitespace runs collapse
            out.append(f"    summary: {dq(summary)}")
        if rng.random() < 0.5:
            out.append(f"    quote: {dq(_sentence(rng, rng.randint(10, 40)))}")
        if rng.random() < 0.25:
            src = rng.sample(source_ids, 2)
            out.append(f"    source: [{src[0]}, {src[1]}]")
        else:
            out.append(f"    source: {source_ids[rng.randrange(len(source_ids))]}")
        if rng.random() < 0.35:
            clause = f"Section {rng.randint(1, 12)}.{rng.randint(1, 9)}: " + _title(
                rng.sample(WORDS, rng.randint(2, 5))
            )
            out.append(f"    clause: {dq(clause)}")
        if rng.random() < 0.6:
            out.append(f"    ground: {GROUNDS[rng.randrange(len(GROUNDS))]}")
        if rng.random() < 0.2:
            office = rng.choice(("Trust & Safety", "General Counsel", "Policy Team", "CEO"))
            out.append(f"    speaker: {dq(f'{name} {office}')}")
        if rng.random() < 0.25:
            out.append(f"    date: {_date_text(rng)}")
    return slug, "\n".join(out) + "\n", len(order)


def generator_digest() -> str:
    """A digest of this file: a corpus generated by another version is regenerated."""
    return hashlib.sha256(Path(__file__).read_bytes()).hexdigest()[:16]


def _write(path: Path, text: str) -> int:
    data = text.encode("utf-8")
    if len(data) > MAX_FILE_BYTES:
        raise ValueError(
            f"{path.name} would be {len(data) / 2**20:.1f} MiB (limit {MAX_FILE_BYTES // 2**20} "
            "MiB): use fewer claims per actor"
        )
    path.write_bytes(data)
    return len(data)


def generate_corpus(
    out_dir: Path,
    actors: int,
    topics: int,
    claims_per_actor: int | None = None,
    seed: int = 0,
) -> int:
    """Write a valid synthetic corpus into ``out_dir``; return the number of claims.

    ``claims_per_actor`` defaults to ``topics``. The YAML files of a directory written by
    an earlier call are replaced; a directory holding other YAML files is refused.
    """
    out_dir = Path(out_dir)
    if actors < 1 or topics < 1:
        raise ValueError("actors and topics must be at least 1")
    cpa = topics if claims_per_actor is None else claims_per_actor
    if cpa < 1:
        raise ValueError("claims per actor must be at least 1")
    out_dir.mkdir(parents=True, exist_ok=True)
    existing = sorted(p for p in out_dir.iterdir() if p.suffix in (".yaml", ".yml"))
    marker = out_dir / MARKER_NAME
    if existing:
        if not marker.exists():
            raise FileExistsError(f"{out_dir} already holds YAML files not written by this generator")
        for p in existing:
            p.unlink()
    marker.unlink(missing_ok=True)

    case_rng = random.Random(f"policycmp-bench:{seed}:case:{topics}")
    topic_list = _make_topics(case_rng, topics)
    slug = f"synthetic-a{actors}-t{topics}-s{seed}"
    total_bytes = _write(out_dir / "case.yaml", _case_yaml(case_rng, slug, topic_list, actors))
    n_claims = 0
    for i in range(actors):
        rng = random.Random(f"policycmp-bench:{seed}:actor:{i}")
        actor_slug, text, n = _actor_yaml(rng, i, topic_list, cpa)
        total_bytes += _write(out_dir / f"{actor_slug}.yaml", text)
        n_claims += n
    info = {
        "actors": actors,
        "topics": topics,
        "claims_per_actor": cpa,
        "seed": seed,
        "claims": n_claims,
        "bytes": total_bytes,
        "generator": generator_digest(),
    }
    marker.write_text(json.dumps(info, indent=2, sort_keys=True) + "\n", encoding="utf-8")
    return n_claims


def main(argv: Sequence[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description="Write a deterministic, valid synthetic policycmp corpus.")
    parser.add_argument("--actors", type=int, default=100, help="number of actor files")
    parser.add_argument("--topics", type=int, default=100, help="number of topics in case.yaml")
    parser.add_argument(
        "--claims-per-actor",
        type=int,
        default=None,
        help="claims in each actor file (default: the number of topics)",
    )
    parser.add_argument("--seed", type=int, default=0, help="random seed (default 0)")
    parser.add_argument("out_dir", type=Path, metavar="OUT_DIR")
    args = parser.parse_args(argv)
    start = time.perf_counter()
    try:
        n = generate_corpus(args.out_dir, args.actors, args.topics, args.claims_per_actor, args.seed)
    except (ValueError, FileExistsError) as exc:
        print(f"generate.py: error: {exc}", file=sys.stderr)
        return 2
    elapsed = time.perf_counter() - start
    size = sum(p.stat().st_size for p in args.out_dir.iterdir() if p.suffix == ".yaml")
    print(
        f"wrote {n} claims, {args.actors} actors, {args.topics} topics to {args.out_dir} "
        f"({size / 2**20:.1f} MiB) in {elapsed:.2f} s"
    )
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
