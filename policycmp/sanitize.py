"""Text made safe to show: in a terminal, in JSON, and quoted inside a problem message.

Every corpus string is hostile: control characters (ANSI escapes among them), bidirectional
overrides and line separators are written as visible escapes before they reach an output.
"""

from __future__ import annotations

import re

# Control characters (ANSI escapes among them) and bidirectional overrides, as visible escapes.
_TERM_SAFE = {c: f"\\x{c:02x}" for c in (*range(0x20), 0x7F, *range(0x80, 0xA0))}
_TERM_SAFE.update({0x09: "\\t", 0x0A: "\\n", 0x0D: "\\r", 0x1B: "\\e"})
_TERM_SAFE.update({c: f"\\u{c:04x}" for c in (0x061C, 0x200E, 0x200F, *range(0x202A, 0x202F), *range(0x2066, 0x206A))})
_TERM_SAFE.update({0x2028: "\\u2028", 0x2029: "\\u2029"})  # line and paragraph separators: line breaks too


# Characters JSON may carry raw that a terminal (C1 controls such as CSI U+009B) or a reader's
# display (bidi overrides, line separators) would act on: written as \\uXXXX, which is the same
# JSON string. C0 controls are escaped by json.dumps itself.
_JSON_UNSAFE = re.compile("[\x7f-\x9f\u061c\u200e\u200f\u2028\u2029\u202a-\u202e\u2066-\u2069]")


def json_dumps(value: object, indent: int | None = 2) -> str:
    """``json.dumps`` (UTF-8 text, not ASCII escapes) with the characters above escaped."""
    import json

    text = json.dumps(value, indent=indent, ensure_ascii=False)
    return _JSON_UNSAFE.sub(lambda m: f"\\u{ord(m.group()):04x}", text)


def term_safe(text: str) -> str:
    """Text that cannot drive a terminal: ``ESC[31m`` shows as ``\\e[31m``, U+202E as ``\\u202e``."""
    return text.translate(_TERM_SAFE)


def shown(value: object, limit: int = 60) -> str:
    """Quote a user value for a message: control characters made visible, long text cut."""
    text = term_safe(str(value))
    if len(text) > limit:
        text = text[: limit - 1] + "…"
    return f"'{text}'"
