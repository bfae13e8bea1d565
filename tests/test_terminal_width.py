"""Terminal text: invisible and format characters show as visible escapes, and columns line up
with the widths a terminal gives (East Asian wide, emoji sequences, combining marks)."""

from __future__ import annotations

import re
import unicodedata
from pathlib import Path

import pytest
from typer.testing import CliRunner

from policycmp.cli import app
from policycmp.render.text import width
from policycmp.sanitize import term_safe

from .corpus_helpers import copy_mini

INVISIBLE = {
    "zero-width space": "\u200b",
    "word joiner": "\u2060",
    "byte order mark": "\ufeff",
    "inhibit symmetric swapping": "\u206a",
    "nominal digit shapes": "\u206f",
    "invisible times": "\u2062",
    "Hangul filler": "\u3164",
    "Hangul choseong filler": "\u115f",
    "Hangul jungseong filler": "\u1160",
    "halfwidth Hangul filler": "\uffa0",
    "tag A": "\U000e0041",
    "cancel tag": "\U000e007f",
    "soft hyphen": "\u00ad",
    "Mongolian vowel separator": "\u180e",
    "interlinear annotation": "\ufff9",
}


def shown_raw(text: str) -> list[str]:
    return sorted({f"U+{ord(ch):04X}" for ch in text if ch in INVISIBLE.values()})


@pytest.mark.parametrize("name", list(INVISIBLE))
def test_term_safe_shows_invisible_characters(name: str) -> None:
    char = INVISIBLE[name]
    out = term_safe(f"a{char}b")
    assert char not in out
    assert out == f"a\\u{ord(char):04x}b" if ord(char) <= 0xFFFF else out == f"a\\U{ord(char):08x}b"


def test_joiners_and_emoji_stay_as_they_are() -> None:
    family = "\U0001f468\u200d\U0001f469\u200d\U0001f467"
    assert term_safe(family) == family
    assert term_safe("\u2764\ufe0f") == "\u2764\ufe0f"
    assert term_safe("\u0645\u200c\u06cc") == "\u0645\u200c\u06cc"  # ZWNJ is part of Persian spelling


@pytest.mark.parametrize(
    ("text", "columns"),
    [("abc", 3), ("中文", 4), ("e\u0301", 1), ("\U0001f44d", 2), ("\U0001f468\u200d\U0001f469\u200d\U0001f467", 2),
     ("\u2764\ufe0f", 2), ("ｈａｌｆ", 8), ("\u0915\u094d\u0937", 2)],
)  # fmt: skip
def test_width_is_what_a_terminal_shows(text: str, columns: int) -> None:
    assert width(text) == columns


def _corpus(tmp_path: Path) -> Path:
    hidden = "".join(INVISIBLE.values())
    tricky = f"中文 e\u0301 \U0001f468\u200d\U0001f469\u200d\U0001f467 {hidden}"
    root = copy_mini(tmp_path)
    court = (root / "court.yaml").read_text(encoding="utf-8")
    court = court.replace("name: The Court", f'name: "Court {_yaml(tricky)}"')
    court = court.replace("The court found no evidence of political motive.", f'"Found {_yaml(tricky)} nothing"')
    (root / "court.yaml").write_text(court, encoding="utf-8")
    case = (root / "case.yaml").read_text(encoding="utf-8")
    case = case.replace("label: Political motive", f'label: "Motive {_yaml(tricky)}"')
    (root / "case.yaml").write_text(case, encoding="utf-8")
    return root


def _yaml(text: str) -> str:
    return "".join(ch if ch.isascii() and ch.isprintable() else f"\\U{ord(ch):08x}" for ch in text)


def _spaces_before(line: str) -> set[int]:
    """Display columns that start a cluster right after a space (where a column may start)."""
    from wcwidth import iter_graphemes

    found, col, last = set(), 0, ""
    for cluster in iter_graphemes(line):
        if last == " ":
            found.add(col)
        col += width(cluster)
        last = cluster
    if last == " ":
        found.add(col)
    return found


def _columns(line: str) -> list[int]:
    """Display columns where a run of two or more spaces ends (a column starts)."""
    from wcwidth import iter_graphemes

    starts, col, spaces = [], 0, 0
    for cluster in iter_graphemes(line):
        if cluster == " ":
            spaces += 1
        else:
            if spaces >= 2:
                starts.append(col)
            spaces = 0
        col += width(cluster)
    return starts


@pytest.mark.parametrize("command", [["claims"], ["actors"], ["table", "--all"], ["topics"]])
def test_terminal_output_shows_them_escaped_and_stays_aligned(tmp_path: Path, command: list[str]) -> None:
    root = _corpus(tmp_path)
    result = CliRunner().invoke(
        app, [*command, "-c", str(root), "-f", "text", *(["--no-color"] if command[0] in ("claims", "table") else [])]
    )
    assert result.exit_code == 0, result.output
    out = result.stdout
    assert shown_raw(out) == []
    assert "\\u200b" in out and "\\U000e0041" in out
    assert "中文" in out and "e\u0301" in out
    assert not [ch for ch in out if unicodedata.category(ch) == "Cf" and ch not in "\u200c\u200d"]
    lines = [line for line in out.splitlines()[2:] if line.strip() and not line.startswith("note:")]
    header = _columns(lines[0])
    for line in lines[1:]:
        spaces = _spaces_before(line)
        assert all(c in spaces or c > width(line) for c in header), (header, line)
    assert re.search(r"Found .*nothing|Motive|Court", out)
