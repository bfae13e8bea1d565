"""Read YAML as an editor's language server does (YAML 1.2 core schema) and hand it to a JSON Schema.

yaml-language-server parses YAML 1.2: ``2021-01-09`` and ``yes`` stay text, ``2021`` is a number,
``true`` a boolean, ``~`` null. PyYAML's ``safe_load`` follows YAML 1.1 (dates, ``yes`` -> True),
so documents are composed with PyYAML and their scalars resolved here by the 1.2 core rules.
"""

from __future__ import annotations

import math
import re
from typing import Any

import yaml

_NULL = re.compile(r"^(?:~|null|Null|NULL|)$")
_BOOL = re.compile(r"^(?:true|True|TRUE|false|False|FALSE)$")
_INT10 = re.compile(r"^[-+]?[0-9]+$")
_INT8 = re.compile(r"^0o[0-7]+$")
_INT16 = re.compile(r"^0x[0-9a-fA-F]+$")
_FLOAT = re.compile(r"^[-+]?(?:\.[0-9]+|[0-9]+(?:\.[0-9]*)?)(?:[eE][-+]?[0-9]+)?$")
_INF = re.compile(r"^[-+]?\.(?:inf|Inf|INF)$")
_NAN = re.compile(r"^\.(?:nan|NaN|NAN)$")
_TAG = "tag:yaml.org,2002:"


def _plain(text: str) -> Any:
    """A plain (unquoted) scalar by the YAML 1.2 core schema."""
    if _NULL.match(text):
        return None
    if _BOOL.match(text):
        return text.lower() == "true"
    if _INT10.match(text):
        return int(text)
    if _INT8.match(text):
        return int(text[2:], 8)
    if _INT16.match(text):
        return int(text[2:], 16)
    if _FLOAT.match(text):
        return float(text)
    if _INF.match(text):
        return -math.inf if text.startswith("-") else math.inf
    if _NAN.match(text):
        return math.nan
    return text


class _Composer(yaml.SafeLoader):
    """Composes nodes only; every plain scalar keeps its text for ``_scalar`` to resolve."""

    def resolve(self, kind: type, value: Any, implicit: Any) -> str:
        if kind is yaml.ScalarNode:
            return _TAG + "str" if not implicit[0] else "?"
        return _TAG + ("seq" if kind is yaml.SequenceNode else "map")


def _value(node: yaml.Node) -> Any:
    if isinstance(node, yaml.ScalarNode):
        if node.tag == "?":  # plain
            return _plain(node.value)
        if node.tag in (_TAG + "int", _TAG + "float", _TAG + "bool", _TAG + "null"):
            return _plain(node.value)
        return node.value
    if isinstance(node, yaml.SequenceNode):
        return [_value(n) for n in node.value]
    assert isinstance(node, yaml.MappingNode)
    out: dict[str, Any] = {}
    for k, v in node.value:
        key = _value(k)
        name = "null" if key is None else str(key).lower() if isinstance(key, bool) else str(key)
        out.setdefault(name, _value(v))
    return out


def load(text: str) -> Any:
    """One YAML document as JSON values, the way a YAML 1.2 language server reads it."""
    node = yaml.compose(text, Loader=_Composer)
    return None if node is None else _value(node)
