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
# Invisible and format characters (Unicode category Cf, and the Hangul fillers, which are letters
# that show as nothing): they hide text, make two different strings look alike and throw columns
# out of line. The two joiners stay: ZWJ builds emoji sequences and ZWNJ is part of the spelling
# of Persian and Indic words; both are zero-width to wcwidth, so columns still line up.
_INVISIBLE = (
    0x00AD, *range(0x0600, 0x0606), 0x06DD, 0x070F, 0x0890, 0x0891, 0x08E2, 0x115F, 0x1160, 0x180E,
    0x200B, *range(0x2060, 0x2065), *range(0x206A, 0x2070), 0x3164, 0xFEFF, 0xFFA0, *range(0xFFF9, 0xFFFC),
    0x110BD, 0x110CD, *range(0x13430, 0x13440), *range(0x1BCA0, 0x1BCA4), *range(0x1D173, 0x1D17B),
    0xE0001, *range(0xE0020, 0xE0080),
)  # fmt: skip
_TERM_SAFE.update({c: f"\\u{c:04x}" if c <= 0xFFFF else f"\\U{c:08x}" for c in _INVISIBLE})


# Characters JSON may carry raw that a terminal (C1 controls such as CSI U+009B) or a reader's
# display (bidi overrides, line separators) would act on: written as \\uXXXX, which is the same
# JSON string; so are the invisible characters above. C0 controls are escaped by json.dumps itself.
_JSON_UNSAFE = re.compile(
    "[\x7f-\x9f\u061c\u200e\u200f\u2028\u2029\u202a-\u202e\u2066-\u2069" + "".join(map(chr, _INVISIBLE)) + "]"
)


def _json_escape(char: str) -> str:
    code = ord(char)
    if code <= 0xFFFF:
        return f"\\u{code:04x}"
    code -= 0x10000  # JSON writes a character beyond the BMP as its UTF-16 surrogate pair
    return f"\\u{0xD800 + (code >> 10):04x}\\u{0xDC00 + (code & 0x3FF):04x}"


def json_dumps(value: object, indent: int | None = 2) -> str:
    """``json.dumps`` (UTF-8 text, not ASCII escapes) with the characters above escaped."""
    import json

    text = json.dumps(value, indent=indent, ensure_ascii=False)
    return _JSON_UNSAFE.sub(lambda m: _json_escape(m.group()), text)


def term_safe(text: str) -> str:
    """Text that cannot drive a terminal: ``ESC[31m`` shows as ``\\e[31m``, U+202E as ``\\u202e``,
    an invisible U+200B as ``\\u200b``."""
    return text.translate(_TERM_SAFE)


def shown(value: object, limit: int = 60) -> str:
    """Quote a user value for a message: control characters made visible, long text cut."""
    text = term_safe(str(value))
    if len(text) > limit:
        text = text[: limit - 1] + "…"
    return f"'{text}'"
