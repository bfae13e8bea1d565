"""Words too long for their column, in pandoc's PDF and Word document of the Markdown tables.

A generated corpus holds what a real one may: 80-character ids with and without hyphens, dotted
and snake_case names, long URLs and numbers in summaries, compound words, words of one letter
repeated, Markdown's special characters inside a long word, and (for Word, which pdflatex cannot
set) Chinese. pdflatex's log must show no ``Overfull \\hbox``, the PDF no words run together,
and each column of the Word document must hold the widest piece its words break into.
"""

from __future__ import annotations

import html
import re
import subprocess
import unicodedata
import zipfile
from pathlib import Path

import pytest
import yaml

import policycmp
from policycmp.render.markdown import ZWSP, _split_word, _width, breakable

from .test_clients import client
from .test_papers import OVERFULL, glued, pandoc_pdf, pdf_text

LONG_TOPICS = {
    "internationalcontentmoderationtransparencyandaccountabilityobligationsunderlaws": (
        "Internationalcontentmoderationtransparencyobligations under the law"
    ),
    "extraterritorial-jurisdiction-over-platformaccountabilityrequirements-in-the-eu": (
        "Extraterritorial jurisdiction (https://eur-lex.europa.eu/legal-content/EN/TXT/?uri=CELEX:32022R2065)"
    ),
    "section.230.c.1.immunity.for.interactive.computer.services.providers.and.users": (
        "Section 230(c)(1) immunity for interactive_computer_services_providers_and_users"
    ),
    "notice": "Notice",
}
ACTORS = [
    "internationalbroadcastingandtelecommunicationsregulatoryauthority",
    "forum",
    "host-with-a-very-long-hyphenated-identifierthatkeepsgoingandgoing-for-wrapping",
]
SUMMARIES = [
    "See https://www.example.org/policies/content-moderation/2021/01/10/statement-on-the-removal.html"
    "?ref=policycmp&utm_source=test for the statement.",
    "Donaudampfschifffahrtsgesellschaftskapitänsmützenabzeichen and "
    "Rindfleischetikettierungsüberwachungsaufgabenübertragungsgesetz are words too.",
    "Order 123456789012345678901234567890123456789012345678901234567890 names "
    "very_long_snake_case_identifier_that_goes_on_and_on and veryLongCamelCaseIdentifierThatGoesOnAndOn.",
    "A" + "a" * 79 + " is one word; so is *emphasis*_and_[brackets]|pipes|&amp;<b>tags</b>`code`~tilde~^caret^.",
    "ŁódźżółćęśąńłódźżółćęśąńłódźżółćęśąńŁódźżółćęśąń keeps its letters.",
]


def write_corpus(root: Path, cjk: bool = False) -> Path:
    """A valid corpus of long words in ``root``; ``cjk``: summaries and labels in Chinese too."""
    root.mkdir(parents=True, exist_ok=True)
    topics = {slug: {"label": label, "statement": f"{label}."} for slug, label in LONG_TOPICS.items()}
    if cjk:
        topics["notice"]["label"] = "通知义务与平台内容审核透明度要求及其在跨境数据流动中的适用范围"
    case = {"case": "long-words", "title": "Long words", "summary": "Words too long for a column.", "topics": topics}
    (root / "case.yaml").write_text(yaml.safe_dump(case, allow_unicode=True, sort_keys=False), encoding="utf-8")
    summaries = [
        *SUMMARIES,
        *(["平台声称其内容审核制度完全符合适用法律的要求并且一直及时处理用户举报的违规内容"] if cjk else []),
    ]
    for a, actor in enumerate(ACTORS):
        claims = []
        for t, topic in enumerate(LONG_TOPICS):
            claims.append({
                "id": f"{actor[:40]}-claim-number-{t}-regardingtheremovalofcontentfromtheplatform"[:80].strip("-"),
                "topic": topic,
                "stance": ["asserts", "denies", "qualifies"][(a + t) % 3],
                "summary": summaries[(a + t) % len(summaries)],
                "quote": summaries[(a + t + 1) % len(summaries)],
                "source": "statement",
            })  # fmt: skip
        doc = {
            "actor": actor,
            "name": actor.replace("-", " ").title(),
            "role": "platform",
            "sources": {
                "statement": {
                    "title": "Statement",
                    "type": "statement",
                    "date": "2021-01-10",
                    "url": "https://www.example.org/policies/content-moderation/2021/01/10/statement.html",
                }
            },
            "claims": claims,
        }
        (root / f"{actor[:30]}.yaml").write_text(yaml.safe_dump(doc, allow_unicode=True, sort_keys=False), "utf-8")
    return root


COMMANDS = {
    "table": ["table", "--all"],
    "diff": ["diff", ACTORS[0], ACTORS[2]],
    "agreement": ["agreement"],
    "claims": ["claims"],
    "quotes": ["quotes"],
    "topics": ["topics"],
    "actors": ["actors"],
}


@pytest.fixture(scope="module")
def long_words(tmp_path_factory: pytest.TempPathFactory) -> Path:
    root = write_corpus(tmp_path_factory.mktemp("long") / "corpus")
    corpus = policycmp.load(root)  # valid: no error
    assert len(corpus.actors) == 3
    return root


def markdown_of(cli, root: Path, command: str) -> str:
    res = cli(*COMMANDS[command], "-c", root, "-f", "md")
    assert res.exit_code == 0, res.stderr
    return str(res.stdout)


def test_the_corpus_is_hostile(long_words):
    """Without break points inside words they cannot fit: a topic id is wider than the line, and
    every claim id of the first actor has a piece between hyphens wider than half of it."""
    from policycmp.render.layout import BREAKS, LINEWIDTH

    assert _width(next(iter(LONG_TOPICS))) > LINEWIDTH
    claims = yaml.safe_load((long_words / f"{ACTORS[0][:30]}.yaml").read_text(encoding="utf-8"))["claims"]
    assert all(max(_width(w) for w in BREAKS.split(c["id"])) > LINEWIDTH / 2 for c in claims)


@pytest.mark.parametrize("command", list(COMMANDS))
def test_pandoc_pdf_of_long_words_has_no_overfull_boxes(cli, long_words, tmp_path, command):
    markdown = markdown_of(cli, long_words, command)
    log, pdf = pandoc_pdf(tmp_path, markdown)
    assert OVERFULL.findall(log) == []
    # pdflatex sets '`' as a left quote and '^' as a circumflex accent
    assert glued(pdf_text(pdf, raw=True).replace("\u2018", "`").replace("\u02c6", "^"), markdown) == []
    text = pdf_text(pdf)
    assert "Łódź" in text or command != "claims"


def word_columns(tmp_path: Path, markdown: str) -> list[float]:
    """Each column's text width in pandoc's Word document, in points."""
    from policycmp.render.markdown import WORD_MARGINS, WORD_WIDTH

    (tmp_path / "t.md").write_text(markdown, encoding="utf-8")
    subprocess.run([client("pandoc"), "t.md", "-o", "t.docx"], cwd=tmp_path, check=True, timeout=60)
    with zipfile.ZipFile(tmp_path / "t.docx") as docx:
        xml = docx.read("word/document.xml").decode("utf-8")
    grid = [int(w) for w in re.findall(r'<w:gridCol w:w="(\d+)"', xml)]
    return [twips / sum(grid) * WORD_WIDTH - WORD_MARGINS for twips in grid]


@pytest.mark.parametrize("cjk", [False, True])
@pytest.mark.parametrize("command", ["table", "claims", "quotes"])
def test_word_columns_hold_every_piece_of_long_words(cli, tmp_path, command, cjk):
    """Word breaks where the Markdown lets it: each piece between spaces, hyphens and zero-width
    spaces fits its column (12 pt Cambria, estimated from Latin Modern's widths)."""
    from policycmp.render.markdown import CAMBRIA, WORD_EM

    root = write_corpus(tmp_path / "corpus", cjk=cjk)
    markdown = markdown_of(cli, root, command)
    widths = word_columns(tmp_path, markdown)
    table = [line.strip("|").split(" | ") for line in markdown.splitlines() if line.startswith("| ")]
    assert {len(row) for row in table} == {len(widths)}
    for i, content in enumerate(widths):
        cells = [html.unescape(row[i].replace("\\", "")) for row in table]
        pieces = [p for cell in cells for p in re.split(r"[\s\u200b]+|(?<=-)", cell) if p]
        need = max(_width(p) for p in pieces) * WORD_EM * CAMBRIA
        assert content >= 0.97 * need, (i, max(pieces, key=_width), content, need)


def test_breaks_only_where_needed_and_keep_the_text():
    assert breakable("breach-of-terms", (5.0, 5.0)) == "breach-of-terms"  # it breaks after its hyphens
    assert ZWSP not in breakable("The court found no evidence of political motive.", (4.0, 4.0))  # TeX hyphenates
    for text in [*SUMMARIES, *LONG_TOPICS, *ACTORS, "平台声称其内容审核制度完全符合适用法律的要求"]:
        for limit in (2.0, 4.5, 8.0):
            broken = breakable(text, (limit, limit))
            assert broken.replace(ZWSP, "") == text
            for word in re.split(r"[\s\u200b]+|(?<=-)", broken):
                plain = word.strip(".,;()").isascii() and word.strip(".,;()").isalpha() and " " in text
                assert _width(word) <= limit * (1.6 if plain else 1.0) + 1e-9 or len(word) == 1, (text, word)


def test_pieces_keep_letters_and_sequences_whole():
    assert _split_word("https://www.example.org/policies/statement.html", 6.0)[0].endswith((".", "/"))
    for word in ["e\u0301" * 30, "👩\u200d👩\u200d👧" * 10, "a\ufe0f" * 40]:
        for piece in _split_word(word, 2.0)[1:]:
            assert unicodedata.category(piece[0]) not in ("Mn", "Me", "Cf") and piece[0] != "\u200d"
    assert "".join(_split_word("aaaa(bbbb),cccc", 1.0)).count("(") == 1
    # a flag is a pair of regional indicators; a Hangul syllable may be written as its jamo
    flags = "\U0001f1fa\U0001f1f8\U0001f1e9\U0001f1ea\U0001f1eb\U0001f1f7" * 4
    assert all(len(p) % 2 == 0 for p in _split_word(flags, 2.0))
    assert all(len(p) % 2 == 0 for p in _split_word("x" + flags, 2.0)[1:])
    jamo = unicodedata.normalize("NFD", "대한민국헌법재판소판결문" * 2)
    syllables = [unicodedata.normalize("NFC", p) for p in _split_word(jamo, 2.0)]
    assert all(unicodedata.normalize("NFD", s) in jamo for s in syllables)
    assert "".join(syllables) == "대한민국헌법재판소판결문" * 2
    for piece in _split_word(jamo, 2.0)[1:]:
        assert 0x1100 <= ord(piece[0]) <= 0x115F  # a leading consonant begins every piece
    assert not any(p.startswith((",", ")")) or p.endswith("(") for p in _split_word("aaaa(bbbb),cccc", 1.0))


@pytest.mark.parametrize(
    "args", [["quotes"], ["quotes", "-c", "epic-2020"], ["across", "parler-2021", "epic-2020"]], ids=" ".join
)
def test_pandoc_pdf_of_the_other_bundled_tables_has_no_overfull_boxes(cli, tmp_path, args):
    """The bundled results that test_papers.py does not compile through pandoc: quotes, and across two cases."""
    res = cli(*args, "-f", "md")
    assert res.exit_code == 0, res.stderr
    log, pdf = pandoc_pdf(tmp_path, str(res.stdout))
    assert OVERFULL.findall(log) == []
    assert glued(pdf_text(pdf, raw=True), str(res.stdout)) == []


@pytest.mark.parametrize("ncols", [20, 40, 200])
def test_a_table_too_wide_for_two_letters_a_column_is_drawn_whole(ncols):
    """Beyond about twenty columns (a table of as many actors) no width is left to break words
    for: the columns shrink alike as they always did, and no text is cut into letters."""
    from policycmp.render.grid import Cell, Grid
    from policycmp.render.markdown import render_markdown

    for text in ("x", "abcdefghijkl", "asserts (breach-of-terms)"):
        grid = Grid("t", "s", [f"actor-{i}" for i in range(ncols)], [[Cell(text)] * ncols for _ in range(3)])
        markdown = render_markdown(grid)
        assert ZWSP not in markdown
        assert markdown.count(text) == 3 * ncols


def test_a_table_of_forty_actors_is_drawn(cli, tmp_path):
    from benchmarks.generate import generate_corpus

    generate_corpus(tmp_path / "forty", 40, 6, 2)
    out = markdown_of(cli, tmp_path / "forty", "table")
    assert out.count("\n| ") == 7  # the header and six topics
