"""The HTML report: parsed with the stdlib html.parser and checked element by element.

Counts are compared with the result objects the report is drawn from (the table, the agreement
matrix, the selected claims), so that the page shows exactly what the comparison computed.
"""

from __future__ import annotations

import re
import subprocess
import sys
import textwrap
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from html.parser import HTMLParser
from pathlib import Path
from typing import Any

import jinja2
import pytest
from hypothesis import assume, given
from hypothesis import strategies as st
from markupsafe import Markup, escape

import policycmp
from policycmp.problems import PolicyError
from policycmp.render.html import _output_escape, environment, safe_url
from policycmp.render.report import anchor, build_report, display_date, heat_colors

VOID = {"area", "base", "br", "col", "embed", "hr", "img", "input", "link", "meta", "source", "track", "wbr"}
REQUIRED_BLOCKS = {"title", "head", "header", "matrix", "evidence", "heatmap", "timeline", "sources", "footer"}


# -- a small DOM from html.parser ---------------------------------------------------------------


@dataclass
class Node:
    tag: str
    attrs: dict[str, str]
    parent: Node | None = None
    children: list[Node | str] = field(default_factory=list)

    @property
    def classes(self) -> set[str]:
        return set(self.attrs.get("class", "").split())

    def text(self) -> str:
        return "".join(c if isinstance(c, str) else c.text() for c in self.children)

    def iter(self) -> Iterator[Node]:
        for c in self.children:
            if isinstance(c, Node):
                yield c
                yield from c.iter()

    def find_all(self, tag: str | None = None, cls: str | None = None, **attrs: str) -> list[Node]:
        return [
            n
            for n in self.iter()
            if (tag is None or n.tag == tag)
            and (cls is None or cls in n.classes)
            and all(n.attrs.get(k.replace("_", "-")) == v for k, v in attrs.items())
        ]

    def find(self, tag: str | None = None, cls: str | None = None, **attrs: str) -> Node:
        found = self.find_all(tag, cls, **attrs)
        assert found, f"no <{tag} class={cls} {attrs}>"
        return found[0]


class TreeBuilder(HTMLParser):
    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.root = Node("#root", {})
        self.current = self.root
        self.doctype: str | None = None
        self.errors: list[str] = []

    def handle_decl(self, decl: str) -> None:
        self.doctype = decl

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        node = Node(tag, {k: v or "" for k, v in attrs}, self.current)
        self.current.children.append(node)
        if tag not in VOID:
            self.current = node

    def handle_startendtag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        self.current.children.append(Node(tag, {k: v or "" for k, v in attrs}, self.current))

    def handle_endtag(self, tag: str) -> None:
        if tag in VOID:
            return
        if self.current.tag != tag:
            self.errors.append(f"</{tag}> closes <{self.current.tag}>")
            node: Node | None = self.current
            while node is not None and node.tag != tag:
                node = node.parent
            if node is None:
                return
            self.current = node
        assert self.current.parent is not None
        self.current = self.current.parent

    def handle_data(self, data: str) -> None:
        self.current.children.append(data)


def parse(html: str) -> TreeBuilder:
    builder = TreeBuilder()
    builder.feed(html)
    builder.close()
    assert not builder.errors, builder.errors[:5]
    assert builder.current is builder.root, f"unclosed <{builder.current.tag}>"
    return builder


def css_selectors(css: str) -> list[str]:
    """Every selector of a stylesheet, looking inside @media blocks."""
    css = re.sub(r"/\*.*?\*/", "", css, flags=re.S)
    selectors: list[str] = []
    depth_stack: list[bool] = []  # True for an at-rule block (its contents are rules)
    buf = ""
    for ch in css:
        if ch == "{":
            head = buf.strip()
            buf = ""
            if head.startswith("@"):
                depth_stack.append(True)
            else:
                selectors.extend(s.strip() for s in head.split(","))
                depth_stack.append(False)
        elif ch == "}":
            depth_stack.pop()
            buf = ""
        elif ch == ";" and (not depth_stack or depth_stack[-1]):
            buf = ""
        else:
            buf += ch
    return selectors


# -- fixtures -----------------------------------------------------------------------------------


@pytest.fixture(scope="module")
def bundled() -> policycmp.Corpus:
    return policycmp.load()


@pytest.fixture(scope="module")
def bundled_page(bundled: policycmp.Corpus) -> tuple[Any, TreeBuilder]:
    report = build_report(bundled)
    return report, parse(report.to_html())


HOSTILE = "<script>alert(1)</script>"
ATTR = '" onmouseover="x'


def write_hostile_corpus(root: Path) -> Path:
    """A valid corpus whose every free-text field tries to break out of the HTML."""
    root.mkdir()
    (root / "case.yaml").write_text(
        textwrap.dedent(
            f"""\
            case: hostile
            title: '{HOSTILE} title {ATTR}'
            summary: '{HOSTILE} summary'
            subject: '{ATTR} subject'
            groups:
              g1: {{label: '{HOSTILE} group {ATTR}'}}
            topics:
              t1:
                label: '{HOSTILE} label {ATTR}'
                statement: '{HOSTILE} statement'
                group: g1
              t2:
                label: plain
                statement: plain statement
              t1-title:
                label: an id that ends like a derived id
                statement: ids stay unique
            """
        ),
        encoding="utf-8",
    )
    for actor, stance in (("one", "asserts"), ("two", "denies")):
        (root / f"{actor}.yaml").write_text(
            textwrap.dedent(
                f"""\
                actor: {actor}
                name: '{HOSTILE} {actor} {ATTR}'
                role: platform
                description: '{HOSTILE} description'
                sources:
                  src:
                    title: '{HOSTILE} source {ATTR}'
                    type: letter
                    date: 2021-01-0{len(actor)}
                    publisher: '{ATTR} publisher'
                    url: https://example.org/a?b=1&c=2
                claims:
                  - topic: t1
                    stance: {stance}
                    summary: '{HOSTILE} summary {ATTR}'
                    quote: '{HOSTILE} quote {ATTR}'
                    clause: '{HOSTILE} clause'
                    speaker: '{ATTR} speaker'
                    source: src
                  - topic: t2
                    stance: qualifies
                    summary: undated? no, dated by its source
                    source: src
                  - topic: t1-title
                    stance: asserts
                    summary: about the topic named t1-title
                    source: src
                """
            ),
            encoding="utf-8",
        )
    return root


# -- structure: what the results hold is what the page shows -------------------------------------


def test_every_topic_and_actor_is_shown(bundled_page: tuple[Any, TreeBuilder]) -> None:
    report, page = bundled_page
    root = page.root
    topics = list(report.table.frame.index)
    assert [r.attrs["data-topic"] for r in root.find_all("tr", "pc-row")] == topics
    assert [s.attrs["data-topic"] for s in root.find_all("section", "pc-topic")] == topics
    actors = report.table.actors
    # the case's subject (Parler) is the first actor column, where a phone screen shows it; then table order
    shown = [th.attrs["data-actor"] for th in root.find_all("th", "pc-col-actor")]
    assert shown[0] == "parler" and report.corpus.case.subject == "Parler"
    assert shown[1:] == [a for a in actors if a != "parler"]
    first = root.find("th", "pc-col-actor")
    assert "pc-subject" in first.classes and "case subject" in first.text()
    assert len(root.find_all("th", "pc-subject")) == 1
    names = {a.name for a in report.corpus.actors.values()}
    assert names <= {th.find("a").text().strip() for th in root.find_all("th", "pc-col-actor")}


def test_matrix_matches_the_table_result(bundled_page: tuple[Any, TreeBuilder]) -> None:
    report, page = bundled_page
    frame = report.table.frame
    rows = page.root.find_all("tr", "pc-row")
    assert len(rows) == len(frame)
    for row, (topic, rec) in zip(rows, frame.to_dict("index").items(), strict=True):
        assert row.attrs["data-verdict"] == rec["verdict"]
        verdict = row.find("td", "pc-verdict").find("a")
        assert f"pc-v-{rec['verdict']}" in verdict.classes
        assert rec["verdict"] in verdict.text()
        assert verdict.attrs["href"] == "#pc-" + anchor("t", str(topic))
        cells = row.find_all("td", "pc-cell")
        assert len(cells) == len(report.table.actors)
        for cell, actor in zip(cells, [a.id for a in report.matrix_actors], strict=True):  # subject first
            position = rec[actor]
            if position is None:
                assert "pc-none" in cell.classes
                assert cell.find_all("a") == []
            else:
                link = cell.find("a")
                assert f"pc-p-{position}" in link.classes
                assert position in link.text()
                assert link.attrs["href"] == "#pc-" + anchor("e", str(topic), actor)


def test_group_rows_follow_group_order(bundled_page: tuple[Any, TreeBuilder]) -> None:
    report, page = bundled_page
    labels = [tr.text().strip() for tr in page.root.find_all("tr", "pc-group")]
    expected = [g.label for g in report.corpus.case.groups]
    assert labels == [g for g in expected if g in labels]
    assert len(labels) == len(set(report.table.frame["group"]))


def test_evidence_holds_every_selected_claim(bundled_page: tuple[Any, TreeBuilder]) -> None:
    report, page = bundled_page
    claims = report.table.claims
    articles = page.root.find_all("article", "pc-claim")
    assert len(articles) == len(claims)
    assert len({a.attrs["id"] for a in articles}) == len(articles)
    shown = {(a.attrs["data-actor"], a.attrs["data-claim"]) for a in articles}
    assert shown == set(zip(claims["actor"], claims["claim"], strict=True))
    # each claim sits in its topic's section, with its summary, quote and source title
    by_id = {(r["actor"], r["claim"]): r for r in claims.to_dict("records")}
    for article in articles:
        rec = by_id[(article.attrs["data-actor"], article.attrs["data-claim"])]
        section = article.parent
        while section is not None and "pc-topic" not in section.classes:
            section = section.parent
        assert section is not None and section.attrs["data-topic"] == rec["topic"]
        assert rec["summary"] in article.text()
        if isinstance(rec["quote"], str):
            assert article.find("blockquote").text() == rec["quote"]
        for title in rec["source_title"].split("; "):
            assert title in article.text()


def test_heatmap_is_n_by_n_with_the_agreement_scores(bundled_page: tuple[Any, TreeBuilder]) -> None:
    report, page = bundled_page
    n = len(report.agreement.actors)
    table = page.root.find("table", "pc-heatmap")
    rows = table.find("tbody").find_all("tr")
    assert len(rows) == n
    assert all(len(r.find_all("td")) == n for r in rows)
    assert len(table.find("thead").find_all("th")) == n
    matrix = report.agreement.matrix.to_numpy()
    shared = report.agreement.shared_square().to_numpy()
    for i, row in enumerate(rows):
        for j, cell in enumerate(row.find_all("td")):
            if i == j:
                assert "pc-heat-self" in cell.classes
            elif shared[i, j] < report.agreement.min_shared:  # no score, the counts still shown
                assert cell.find("span", "pc-heat-score").text() == f"n<{report.agreement.min_shared}"
                assert cell.find("span", "pc-heat-counts").text().endswith(f"/ {shared[i, j]}")
            else:
                score = cell.find("span", "pc-heat-score").text().replace("\u2212", "-")
                assert float(score) == pytest.approx(matrix[i, j], abs=0.005)


def test_timeline_lists_every_claim_by_date(bundled_page: tuple[Any, TreeBuilder]) -> None:
    report, page = bundled_page
    events = page.root.find_all("li", "pc-event")
    assert len(events) == len(report.table.claims)
    dates = [day.find("time").attrs["datetime"] if day.find_all("time") else None
             for day in page.root.find_all("li", "pc-day")]  # fmt: skip
    known = [d for d in dates if d is not None]
    assert known == sorted(known)
    assert None not in dates[: len(known)]  # undated last


def test_sources_are_listed_per_actor(bundled_page: tuple[Any, TreeBuilder]) -> None:
    report, page = bundled_page
    for actor in report.table.actors:
        block = page.root.find("section", "pc-actor-sources", data_actor=actor)
        rows = block.find_all("tr", "pc-source")
        assert [r.find("code").text() for r in rows] == list(report.corpus.actors[actor].sources)


def test_internal_links_resolve_and_external_links_are_http(bundled_page: tuple[Any, TreeBuilder]) -> None:
    _, page = bundled_page
    ids = {n.attrs["id"] for n in page.root.iter() if "id" in n.attrs}
    assert len(ids) == sum(1 for n in page.root.iter() if "id" in n.attrs), "duplicate ids"
    external = 0
    for a in page.root.find_all("a"):
        href = a.attrs["href"]
        if href.startswith("#"):
            assert href[1:] in ids, href
        else:
            assert href.startswith(("https://", "http://")), href
            assert "pc-ext" in a.classes
            assert a.attrs.get("rel") == "noopener noreferrer"
            external += 1
    assert external > 0
    assert all(re.fullmatch(r"pc-[a-z0-9_.-]+", i) for i in ids), [
        i for i in ids if not re.fullmatch(r"pc-[a-z0-9_.-]+", i)
    ][:5]


def test_self_contained(bundled_page: tuple[Any, TreeBuilder]) -> None:
    report, page = bundled_page
    html = report.to_html()
    root = page.root
    assert page.doctype is not None and page.doctype.lower() == "doctype html"
    assert root.find_all("link", rel="stylesheet") == []
    assert all(n.attrs.get("href", "").startswith("data:") for n in root.find_all("link"))
    for node in root.iter():
        assert "src" not in node.attrs, node.tag
        assert node.tag not in ("img", "iframe", "object", "embed", "video", "audio", "base", "form")
        assert not any(k.startswith("on") for k in node.attrs), node.attrs
    scripts = root.find_all("script")
    assert len(scripts) == 1
    styles = "".join(s.text() for s in root.find_all("style"))
    assert "@import" not in styles and "url(" not in styles and "@font-face" not in styles
    assert "http" not in styles + scripts[0].text()
    csp = root.find("meta", http_equiv="Content-Security-Policy").attrs["content"]
    assert "default-src 'none'" in csp
    assert re.search(r"""(?:src|href)\s*=\s*["']?(?!#|data:|https?://)[a-z]+:""", html, re.I) is None


def test_required_blocks_are_defined() -> None:
    import jinja2.nodes

    env = environment()
    source = env.loader.get_source(env, "report.html.j2")[0]  # type: ignore[union-attr]
    blocks = {b.name for b in env.parse(source).find_all(jinja2.nodes.Block)}
    assert blocks >= REQUIRED_BLOCKS


@pytest.mark.parametrize("name", ["mini", "special", "semantics", "quotes"])
def test_every_test_corpus_renders_consistently(name: str) -> None:
    corpus = policycmp.load(Path(__file__).parent / "corpora" / name)
    report = corpus.report()
    page = parse(report.to_html())
    root = page.root
    assert len(root.find_all("tr", "pc-row")) == len(report.table.frame)
    assert len(root.find_all("article", "pc-claim")) == len(report.table.claims)
    assert len(root.find_all("li", "pc-event")) == len(report.table.claims)
    assert len(root.find("table", "pc-heatmap").find("tbody").find_all("td")) == len(corpus.actors) ** 2
    ids = [n.attrs["id"] for n in root.iter() if "id" in n.attrs]
    assert len(ids) == len(set(ids))
    assert all(a.attrs["href"][1:] in ids for a in root.find_all("a") if a.attrs["href"].startswith("#"))


def test_empty_selection_says_so(mini_dir: Path) -> None:
    page = parse(policycmp.load(mini_dir).report(as_of="2020-01-01").to_html())
    assert page.root.find_all("tr", "pc-row") == []
    assert len(page.root.find_all("p", "pc-empty")) == 3
    assert "1 Jan 2020" in page.root.find("section", id="pc-matrix").text()


# -- escaping and links -------------------------------------------------------------------------


@pytest.mark.parametrize(
    "url",
    ["javascript:alert(1)", "JavaScript:alert(1)", " javascript:alert(1)", "data:text/html,<b>x</b>",
     "vbscript:msgbox", "file:///etc/passwd", "//evil.example/x", "/relative", "ftp://host/x",
     'https://x.example/"onmouseover="a', "https://", "", None],
)  # fmt: skip
def test_safe_url_rejects_anything_but_http(url: str | None) -> None:
    assert safe_url(url) is None


@pytest.mark.parametrize("url", ["https://aws.amazon.com/aup/", "http://example.org/a?b=1&c=2", "HTTPS://EXAMPLE.ORG"])
def test_safe_url_keeps_http_links(url: str) -> None:
    assert safe_url(url) == url
    assert safe_url(f"  {url} ") == url


def test_hostile_text_is_escaped(tmp_path: Path) -> None:
    corpus = policycmp.load(write_hostile_corpus(tmp_path / "hostile"))
    for fragment in (False, True):
        html = build_report(corpus).to_html(fragment=fragment)
        assert HOSTILE not in html
        assert "&lt;script&gt;alert(1)&lt;/script&gt;" in html
        assert ATTR not in html
        page = parse(html)
        ids = [n.attrs["id"] for n in page.root.iter() if "id" in n.attrs]
        assert len(ids) == len(set(ids))
        for node in page.root.iter():
            assert not any(k.startswith("on") for k in node.attrs), node.attrs
        scripts = page.root.find_all("script")
        assert len(scripts) == (0 if fragment else 1)
        assert all("alert" not in s.text() for s in scripts)
        # the text survives, as text: in headings, summaries, quotes, attributes
        assert HOSTILE in page.root.find("h1").text()
        assert any(HOSTILE in b.text() for b in page.root.find_all("blockquote"))
        assert any(ATTR.strip('" ') in (n.attrs.get("title") or "") for n in page.root.iter())
        link = page.root.find("a", "pc-ext")
        assert link.attrs["href"] == "https://example.org/a?b=1&c=2"
    assert 'href="https://example.org/a?b=1&amp;c=2"' in html


def test_only_http_urls_become_links(tmp_path: Path) -> None:
    """The loader rejects other schemes; a URL changed after loading is still never linked."""
    corpus = policycmp.load(write_hostile_corpus(tmp_path / "hostile"))
    actor = corpus.actors["one"]
    actor.sources["src"] = actor.sources["src"]._replace(url="javascript:alert(1)")
    page = parse(build_report(corpus).to_html())
    hrefs = [a.attrs["href"] for a in page.root.find_all("a")]
    assert not any("javascript" in h.lower() for h in hrefs)
    assert hrefs.count("https://example.org/a?b=1&c=2") == 4  # actor two: its three claims and its source list
    assert "javascript:" not in build_report(corpus).to_html()


class _Html:
    def __html__(self) -> str:
        return "<b>safe</b>"


class _Sub(str):
    pass


@pytest.mark.parametrize(
    "value",
    ['<a href="x">&\'', "", "plain", 0, 42, -7, True, None, 0.5, Markup("<i>&amp;</i>"), _Html(), _Sub("<u>"),
     ["<x>"], {"k": "<v>"}],
)  # fmt: skip
def test_output_escape_writes_what_markupsafe_writes(value: object) -> None:
    assert str(_output_escape()(value)) == str(escape(value))


def test_templates_render_the_same_with_markupsafe_escape(tmp_path: Path) -> None:
    """Macros, {% set %} blocks, filters and |safe compose as with jinja2's own escape."""
    (tmp_path / "t.html.j2").write_text(
        textwrap.dedent("""\
            {% macro m(x) %}<b>{{ x }}</b>{% endmacro %}
            {% set block %}<i>{{ s }}</i>{% endset %}
            {{ m(s) }}|{{ m(m(s)) }}|{{ block }}|{{ block ~ s }}|{{ s ~ n }}|{{ s|e }}|{{ s|safe }}|{{ n }}|{{ f }}
            {{ s|upper }}|{{ s|replace("<", "[") }}|{{ items|join(s) }}|{{ "%s-%d"|format(s, n) }}|{{ m(s)|striptags }}
            {% autoescape false %}{{ s }}{% endautoescape %}|{% for i in items %}{{ loop.index }}{{ i }}{% endfor %}
        """),
        encoding="utf-8",
    )
    context = {"s": HOSTILE + ATTR, "n": 3, "f": 0.25, "items": ["<a>", Markup("<b>")]}
    ours = environment(tmp_path).get_template("t.html.j2").render(context)
    env = environment(tmp_path)
    env.template_class = jinja2.Template  # jinja2's own, building a Markup for every output
    assert ours == env.get_template("t.html.j2").render(context)
    assert "&lt;script&gt;" in ours


@pytest.mark.parametrize("part", ['a"b<c>', "ünïcode", "dotted.id", "x y", "--", "x_2ey"])
def test_anchors_are_attribute_safe(part: str) -> None:
    made = anchor("t", part, "aws")
    assert re.fullmatch(r"t-[a-z0-9_.-]+", made)
    assert made != anchor("t", part + "x", "aws")


def test_anchors_are_injective() -> None:
    """Ids that a slug-and-hash scheme would merge keep their own anchors (percent-style encoding)."""
    ids = ["x.y", "x-y", "x_y", "x--y", "x-y-2e", "x_2ey", "X.Y", "x y", "x.y.z", "x"]
    made = [anchor("t", i) for i in ids]
    assert len(set(made)) == len(ids), made
    assert anchor("t", "x.y") == "t-x_2ey"
    assert anchor("e", "a", "b.c") != anchor("e", "a.b", "c")
    assert anchor("e", "a-", "b") != anchor("e", "a", "-b")


@given(st.text(max_size=12), st.text(max_size=12), st.text(max_size=12), st.text(max_size=12))
def test_anchors_never_collide(a: str, b: str, c: str, d: str) -> None:
    assume((a, b) != (c, d))
    assert anchor("e", a, b) != anchor("e", c, d)
    assert re.fullmatch(r"e-[a-z0-9_.-]*", anchor("e", a, b))


def test_element_ids_are_prefixed_per_render(bundled: policycmp.Corpus) -> None:
    report = build_report(bundled)
    page = report.to_html()
    assert 'id="pc-report"' in page and 'id="pc-matrix"' in page  # a page keeps the plain ids
    first, second = report.to_html(fragment=True), report.to_html(fragment=True)
    ids = [re.findall(r' id="([^"]+)"', html) for html in (first, second)]
    prefixes = [found[0].removesuffix("report") for found in ids]
    assert len(set(prefixes)) == 2  # a fresh prefix for every fragment
    for found, prefix in zip(ids, prefixes, strict=True):
        assert len(found) == len(set(found))  # unique within a render
        assert all(i.startswith(prefix) for i in found)
        assert prefix != "pc-"
    assert not set(ids[0]) & set(ids[1])  # two fragments share a page without a duplicate id
    fixed = report.to_html(fragment=True, id_prefix="one-")
    assert fixed == report.to_html(fragment=True, id_prefix="one-")  # reproducible when the prefix is given
    assert 'id="one-report"' in fixed and 'href="#one-matrix"' in fixed
    for bad in ("", "1x", "a b", 'a"', "a" * 41, "a.b"):
        with pytest.raises(ValueError, match="id prefix"):
            report.to_html(fragment=True, id_prefix=bad)


def _contrast(a: str, b: str) -> float:
    def lum(h: str) -> float:
        r, g, bl = (int(h[i : i + 2], 16) / 255 for i in (1, 3, 5))
        f = [c / 12.92 if c <= 0.03928 else ((c + 0.055) / 1.055) ** 2.4 for c in (r, g, bl)]
        return 0.2126 * f[0] + 0.7152 * f[1] + 0.0722 * f[2]

    high, low = sorted((lum(a), lum(b)), reverse=True)
    return (high + 0.05) / (low + 0.05)


def test_heatmap_colours_keep_text_readable() -> None:
    for step in range(-100, 101):
        background, ink = heat_colors(step / 100)
        assert _contrast(background, ink) >= 4.5, step
    assert heat_colors(1.0)[0] != heat_colors(-1.0)[0]


@pytest.mark.parametrize(
    ("value", "shown"), [("2021-01-09", "9 Jan 2021"), ("2021-01", "Jan 2021"), ("2021", "2021"), (None, "")]
)
def test_dates_keep_their_precision(value: str | None, shown: str) -> None:
    assert display_date(value) == shown


# -- fragment and templates ---------------------------------------------------------------------


def test_fragment_is_one_scoped_section(bundled: policycmp.Corpus) -> None:
    html = build_report(bundled).to_html(fragment=True)
    assert html.lstrip().startswith('<section class="policycmp-report"')
    assert "<!DOCTYPE" not in html.upper()
    page = parse(html)
    top = [c for c in page.root.children if isinstance(c, Node)]
    assert [n.tag for n in top] == ["section"]
    for tag in ("html", "head", "body", "script", "title", "meta", "link"):
        assert page.root.find_all(tag) == [], tag
    styles = page.root.find_all("style")
    assert len(styles) == 1
    selectors = css_selectors(styles[0].text())
    assert len(selectors) > 50
    root = page.root.find("section").attrs["id"]
    assert re.fullmatch(r"pc[0-9a-f]{8}-report", root)
    bad = [s for s in selectors if not s.startswith(f"#{root}")]
    assert bad == []


def test_css_selector_parser_sees_media_blocks() -> None:
    css = ".a b { x: 1 } @media print { .c, .d::after { y: 2 } } /* .e {} */ @media (x) { f { z: 3 } }"
    assert css_selectors(css) == [".a b", ".c", ".d::after", "f"]


def test_template_override_by_name(bundled: policycmp.Corpus, tmp_path: Path) -> None:
    (tmp_path / "_legend.html.j2").write_text('<aside class="my-legend">{{ case.id }}</aside>\n', encoding="utf-8")
    page = parse(build_report(bundled).to_html(template_dir=tmp_path))
    assert page.root.find("aside", "my-legend").text() == bundled.case.id
    assert page.root.find_all("aside", "pc-legend") == []
    assert page.root.find_all("table", "pc-matrix")  # everything else is still there


def test_template_extends_default_with_super(bundled: policycmp.Corpus, tmp_path: Path) -> None:
    (tmp_path / "report.html.j2").write_text(
        '{% extends "default:report.html.j2" %}\n'
        "{% block title %}Custom: {{ super() }}{% endblock %}\n"
        '{% block footer %}<p class="mine">{{ title }}</p>{{ super() }}{% endblock %}\n'
        "{% block timeline %}{% endblock %}\n",
        encoding="utf-8",
    )
    page = parse(build_report(bundled).to_html(template_dir=tmp_path))
    assert page.root.find("title").text() == f"Custom: {bundled.case.title}"
    assert page.root.find("p", "mine").text() == bundled.case.title
    assert page.root.find_all("footer", "pc-footer")
    assert page.root.find_all("section", id="pc-timeline") == []
    assert page.root.find_all("section", id="pc-heatmap")


@pytest.mark.parametrize(
    "expression",
    [
        "cycler.__init__.__globals__.os.popen('touch {marker}').read()",
        "joiner.__init__.__globals__.os.system('touch {marker}')",
        "lipsum.__globals__['os'].system('touch {marker}')",
        "().__class__.__base__.__subclasses__()",
        "self._TemplateReference__context.cycler.__init__.__globals__.os.system('touch {marker}')",
    ],
    ids=["cycler-globals", "joiner-globals", "lipsum-globals", "subclasses", "context"],
)
def test_a_template_cannot_run_code(bundled: policycmp.Corpus, tmp_path: Path, expression: str) -> None:
    """Templates render in jinja2's sandbox: no attribute path leads to os or to Python's internals."""
    marker = tmp_path / "ran"
    templates = tmp_path / "templates"
    templates.mkdir()
    (templates / "_legend.html.j2").write_text("{{ " + expression.format(marker=marker) + " }}\n", encoding="utf-8")
    with pytest.raises(PolicyError) as caught:
        build_report(bundled).to_html(template_dir=templates)
    assert not marker.exists()
    [problem] = caught.value.problems
    assert problem.code == "template-error"
    assert problem.location.path.endswith("_legend.html.j2")


def test_title_option(bundled: policycmp.Corpus) -> None:
    page = parse(bundled.report(title="Parler & <the> platforms").to_html())
    assert page.root.find("title").text() == "Parler & <the> platforms"
    assert page.root.find("h1").text() == "Parler & <the> platforms"
    page = parse(build_report(bundled).to_html(title="Another"))
    assert page.root.find("h1").text() == "Another"


def test_filters_narrow_the_report(mini_dir: Path) -> None:
    corpus = policycmp.load(mini_dir)
    report = corpus.report(actors=["host,forum"], group=["process"])
    page = parse(report.to_html())
    # the case's subject (Forum) leads the matrix; the sources keep the --actors order
    assert [th.attrs["data-actor"] for th in page.root.find_all("th", "pc-col-actor")] == ["forum", "host"]
    assert [s.attrs["data-actor"] for s in page.root.find_all("section", "pc-actor-sources")] == ["host", "forum"]
    assert len(page.root.find("table", "pc-heatmap").find("tbody").find_all("td")) == 4
    assert {r.attrs["data-topic"] for r in page.root.find_all("tr", "pc-row")} == {"warned", "political"}
    assert len(page.root.find_all("article", "pc-claim")) == len(report.table.claims) == 4
    early = parse(corpus.report(as_of="2021-01-10").to_html())
    assert len(early.root.find_all("li", "pc-event")) == len(corpus.table(as_of="2021-01-10").claims)


def test_inconsistent_actor_is_noted(mini_dir: Path) -> None:
    page = parse(policycmp.load(mini_dir).report().to_html())
    cell = page.root.find("tr", "pc-row", data_topic="moderation").find("a", "pc-p-inconsistent")
    assert cell.text() == "inconsistent"
    # each badge's mark is drawn once by the stylesheet, from its class, and kept from screen readers
    css = "".join(s.text() for s in page.root.find_all("style"))
    assert '.pc-p-inconsistent::before { content: "±"; content: "±" / ""; }' in css
    assert '.pc-v-conflict::before { content: "!"; content: "!" / ""; }' in css
    assert "both asserts and denies" in page.root.find("ul", "pc-notes").text()


def test_output_is_deterministic(mini_dir: Path) -> None:
    corpus = policycmp.load(mini_dir)
    assert corpus.report().to_html() == policycmp.load(mini_dir).report().to_html()
    assert "Generated" not in corpus.report().to_html()
    assert "2030-01-01" in build_report(corpus, generated="2030-01-01").to_html()


def test_result_to_html_still_renders_table_fragments(mini_dir: Path) -> None:
    corpus = policycmp.load(mini_dir)
    for result in (corpus.table(), corpus.diff("host", "forum"), corpus.agreement()):
        page = parse(result.to_html())
        assert page.root.find_all("table", "pc-table")


# -- the command --------------------------------------------------------------------------------


def test_cli_report_writes_the_file(cli: Callable[..., Any], mini_dir: Path, tmp_path: Path) -> None:
    out = tmp_path / "report.html"
    result = cli("report", "-c", mini_dir, "-o", out, "--title", "Mini & co")
    assert result.exit_code == 0, result.stderr
    assert result.stdout == ""
    page = parse(out.read_text(encoding="utf-8"))
    assert page.root.find("h1").text() == "Mini & co"
    assert len(page.root.find_all("article", "pc-claim")) == len(policycmp.load(mini_dir).claims)
    assert [p.name for p in tmp_path.iterdir()] == ["report.html"]  # no temporary file left


def test_cli_report_to_stdout_and_fragment(cli: Callable[..., Any], mini_dir: Path) -> None:
    full = cli("report", "-c", mini_dir)
    assert full.exit_code == 0
    assert full.stdout.startswith("<!DOCTYPE html>")
    fragment = cli("report", "-c", mini_dir, "--fragment", "--actors", "host,court")
    assert fragment.exit_code == 0
    assert fragment.stdout.lstrip().startswith('<section class="policycmp-report"')
    assert "<html" not in fragment.stdout


def test_cli_report_template_dir(cli: Callable[..., Any], mini_dir: Path, tmp_path: Path) -> None:
    (tmp_path / "report.html.j2").write_text(
        '{% extends "default:report.html.j2" %}{% block header %}<h1 id="pc-title">X</h1>{{ super() }}{% endblock %}',
        encoding="utf-8",
    )
    result = cli("report", "-c", mini_dir, "--template-dir", tmp_path)
    assert result.exit_code == 0
    assert len(parse(result.stdout).root.find_all("h1")) == 2


def test_cli_report_errors(cli: Callable[..., Any], mini_dir: Path, tmp_path: Path) -> None:
    result = cli("report", "-c", mini_dir, "--actors", "hots")
    assert result.exit_code == 2
    assert "did you mean 'host'" in result.stderr
    result = cli("report", "-c", mini_dir, "--template-dir", tmp_path / "missing")
    assert result.exit_code == 2
    assert "--template-dir" in result.stderr
    (tmp_path / "_matrix.html.j2").write_text("{% for %}", encoding="utf-8")
    result = cli("report", "-c", mini_dir, "--template-dir", tmp_path, "-o", tmp_path / "out.html")
    assert result.exit_code == 1
    assert "_matrix.html.j2:1:" in result.stderr and "[template-error]" in result.stderr
    assert "Traceback" not in result.stderr
    assert not (tmp_path / "out.html").exists()
    (tmp_path / "_matrix.html.j2").write_text("<p>\n{{ no_such_name }}", encoding="utf-8")
    result = cli("report", "-c", mini_dir, "--template-dir", tmp_path)
    assert result.exit_code == 1
    assert "no_such_name" in result.stderr
    assert "_matrix.html.j2:2:1: error: UndefinedError" in result.stderr  # located, like a corpus problem
    (tmp_path / "_matrix.html.j2").write_text("{{ 1 / 0 }}", encoding="utf-8")
    result = cli("report", "-c", mini_dir, "--template-dir", tmp_path)
    assert result.exit_code == 1  # the user's template, not an internal error
    assert "_matrix.html.j2:1:1: error: ZeroDivisionError" in result.stderr


def test_cli_stays_import_light() -> None:
    code = (
        "import sys\n"
        "from policycmp.cli import app\n"
        "from typer.testing import CliRunner\n"
        "r = CliRunner().invoke(app, ['report', '--help'])\n"
        "assert r.exit_code == 0, r.output\n"
        "r = CliRunner().invoke(app, ['validate'])\n"
        "assert r.exit_code == 0, r.output\n"
        "print(sorted(m for m in ('jinja2', 'pandas') if m in sys.modules))\n"
    )
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True)
    assert out.stdout.strip() == "[]"


def test_verdict_filter_selects_topics_evidence_and_timeline(cli: Callable[..., Any], tmp_path: Path) -> None:
    import re

    import policycmp

    corpus = policycmp.load()
    table = corpus.table(actors=["aws,parler"], verdict=["conflict"])
    conflicts = set(table.frame.index)
    assert conflicts
    assert set(table.claims["topic"]) <= conflicts  # the claims behind the shown topics only
    out = tmp_path / "conflicts.html"
    result = cli("report", "--actors", "aws,parler", "--verdict", "conflict", "-o", out)
    assert result.exit_code == 0
    html = out.read_text(encoding="utf-8")
    timeline_topics = set(re.findall(r'class="pc-event" data-actor="[^"]*" data-topic="([^"]+)"', html))
    assert timeline_topics == conflicts
    assert html.count('class="pc-claim ') == len(table.claims)
