"""Read YAML that a person wrote, with limits: no duplicate keys, no cycles, no unbounded expansion (pure).

`yaml.safe_load` takes any well-formed document: a key given twice silently keeps the last
value, an alias may refer to its own ancestor (a cycle every reader of the result recurses
into forever), nine nested aliases of nine make a billion values ("billion laughs"), and a
deeply nested document overflows the parser's recursion. A stack file is a few hundred
lines: `load` refuses each of these with a `YamlLimit` that says where, before anything
reads the values.
"""

from __future__ import annotations

from typing import Any

import yaml
from yaml.nodes import MappingNode, Node, ScalarNode, SequenceNode

MAX_BYTES = 1_000_000
"""A stack file is a few kilobytes; a megabyte is not one."""
MAX_VALUES = 100_000
"""Values in the document once every alias is expanded."""
MAX_DEPTH = 64
"""Nesting of mappings and lists."""


class YamlLimit(ValueError):
    """The document is well-formed but not something a stack file can be."""


class _Loader(yaml.SafeLoader):
    def construct_mapping(self, node: MappingNode, deep: bool = False) -> dict[Any, Any]:
        seen: dict[Any, Node] = {}
        for key_node, _ in node.value:
            if isinstance(key_node, ScalarNode):
                key = self.construct_object(key_node, deep=deep)
                if key in seen:
                    raise YamlLimit(f"key {key!r} is given twice (lines {seen[key].start_mark.line + 1} and "
                                    f"{key_node.start_mark.line + 1}); keep one")
                seen[key] = key_node
        return super().construct_mapping(node, deep=deep)


def _measure(node: Node, depth: int, counted: dict[int, int], path: set[int]) -> int:
    """Values under `node` with aliases expanded; raises YamlLimit on a cycle, depth or size."""
    if depth > MAX_DEPTH:
        raise YamlLimit(f"nests deeper than {MAX_DEPTH} levels (line {node.start_mark.line + 1})")
    key = id(node)
    if key in path:
        raise YamlLimit(f"an alias refers to a value that contains it (line {node.start_mark.line + 1})")
    if key in counted:
        return counted[key]
    path.add(key)
    total = 1
    if isinstance(node, MappingNode):
        for k, v in node.value:
            total += _measure(k, depth + 1, counted, path) + _measure(v, depth + 1, counted, path)
    elif isinstance(node, SequenceNode):
        for item in node.value:
            total += _measure(item, depth + 1, counted, path)
    path.discard(key)
    counted[key] = total
    if total > MAX_VALUES:
        raise YamlLimit(f"expands to more than {MAX_VALUES} values (aliases of aliases?)")
    return total


def load(text: str) -> Any:
    """The document's value; YamlLimit or yaml.YAMLError when it cannot be one."""
    if len(text.encode("utf-8", "replace")) > MAX_BYTES:
        raise YamlLimit(f"is larger than {MAX_BYTES // 1000} kB")
    loader = _Loader(text)
    try:
        try:
            node = loader.get_single_node()
        except RecursionError:
            raise YamlLimit(f"nests deeper than {MAX_DEPTH} levels") from None
        if node is None:
            return None
        _measure(node, 0, {}, set())
        return loader.construct_document(node)
    finally:
        loader.dispose()
