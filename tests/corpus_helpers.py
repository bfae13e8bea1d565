"""Building small corpora in a test's temporary directory.

The tests start from a copy of the small corpus under ``tests/corpora/mini`` and replace or add a
file or two. The base texts of its court and case files are written out here, line for line, so
that a test's expected lines and columns can be read off directly.
"""

from __future__ import annotations

import re
import shutil
from collections.abc import Mapping
from pathlib import Path

MINI = Path(__file__).resolve().parent / "corpora" / "mini"

# One problem as every command prints it, and the closing summary line.
PROBLEM_LINE = re.compile(
    r"^(?P<path>.+):(?P<line>\d+):(?P<column>\d+): (?P<severity>error|warning): (?P<message>.+) \[(?P<code>[a-z0-9-]+)\]$"
)
SUMMARY_LINE = re.compile(r"^\d+ errors?, \d+ warnings? in \d+ files?$")

# The court's actor file, line for line as in the small corpus.
COURT = """\
actor: court
name: The Court
role: court
sources:
  order:
    title: Order denying injunction
    type: order
    date: 2021-01-21
claims:
  - topic: political
    stance: denies
    summary: The court found no evidence of political motive.
    source: order
  - topic: violent-content
    stance: asserts
    summary: The court found violent posts undisputed.
    source: order
"""
# The same with only its first claim.
COURT_ONE_CLAIM = COURT[: COURT.index("  - topic: violent-content")]

# The small corpus's case.yaml without its leading comment: line 1 is `case: mini`.
CASE = """\
case: mini
title: A small dispute
summary: >-
  Host removes a forum; the forum objects.
subject: Forum
groups:
  harm: {label: Harmful content}
  process: {label: Process}
topics:
  violent-content:
    label: Violent content
    statement: The forum hosted violent content.
    group: harm
    aliases: [violence, Violent Posts]
    dsa_category: STATEMENT_CATEGORY_VIOLENCE
  warned:
    label: Warnings given
    statement: The host warned the forum before removing it.
    group: process
    aliases: [notice]
  political:
    label: Political motive
    statement: The removal was politically motivated.
    group: process
  moderation:
    label: Moderation adequate
    statement: The forum's moderation was adequate.
    group: harm
"""


def copy_mini(tmp_path: Path, name: str = "corpus", files: Mapping[str, str | bytes] | None = None) -> Path:
    """A writable copy of the small corpus at ``tmp_path / name``.

    ``files`` maps a file name in the corpus to the text (written as UTF-8) or bytes it should
    hold instead, or that a new file should hold.
    """
    root = tmp_path / name
    shutil.copytree(MINI, root)
    for file, content in (files or {}).items():
        data = content.encode("utf-8") if isinstance(content, str) else content
        (root / file).write_bytes(data)
    return root
