"""Check a request against AWS's own API model (botocore's service models) (pure).

botocore's `ParamValidator` checks required members and types only; AWS also declares, per
member, `min`/`max` (lengths of strings, lists and maps; values of numbers), `enum` and
`pattern`, which the service enforces. `problems(service, operation, request)` walks the
operation's input shape and reports every breach, by member path (`Target.RetryPolicy.
MaximumRetryAttempts`). Members the request does not carry are only reported when the
shape requires them; members the shape does not know are ignored (requests here are
partial: only fields that map one-to-one from the Pulumi inputs are filled in).
"""

from __future__ import annotations

import functools
from collections.abc import Iterator, Mapping
from dataclasses import dataclass
from typing import Any

import botocore.session
import regex
from botocore.model import ListShape, MapShape, OperationModel, Shape, StructureShape

from .documented import BY_MEMBER

NUMBER_TYPES = ("integer", "long", "double", "float")


@functools.cache
def _session() -> botocore.session.Session:
    return botocore.session.get_session()


@functools.cache
def operation(service: str, name: str) -> OperationModel:
    """The API model of one operation, e.g. ("ecs", "RegisterTaskDefinition")."""
    return _session().get_service_model(service).operation_model(name)


def botocore_version() -> str:
    return str(botocore.__version__)


# A Java regex writes characters outside the BMP as UTF-16 surrogate pairs; Python strings hold
# code points.
_SURROGATE_PAIRS = (r"\uD800\uDC00-\uDBFF\uDFFF", r"\U00010000-\U0010FFFF")


@functools.cache
def _pattern(java: str) -> regex.Pattern[str] | None:
    """AWS model patterns are Java regexes; `regex` reads their Unicode classes (`\\p{L}`,
    `\\p{Print}`). A pattern that still does not compile is not checked: never a false finding."""
    try:
        return regex.compile(java.replace(*_SURROGATE_PAIRS))
    except regex.error:
        return None


@dataclass(frozen=True)
class Breach:
    path: str
    """Member path in the request, e.g. `Target.RetryPolicy.MaximumRetryAttempts`."""
    message: str
    """What AWS allows, and what the request has."""
    source: str
    """Where AWS says so: the model member and constraint, or a documented rule's source."""
    rule: str = "api-model"


def problems(service: str, name: str, request: Mapping[str, Any]) -> list[Breach]:
    """Every breach of the operation's input shape and of the documented rules of its members.

    The request itself may be partial (its required members are not checked); structures
    inside it come whole from the inputs and are checked completely. Members are matched
    without regard to case: Pulumi writes `enableEcsManagedTags` where the Scheduler API
    says `EnableECSManagedTags`, and `awsvpcConfiguration` sits among PascalCase siblings.
    """
    shape = operation(service, name).input_shape
    return list(_Walk(service).check(request, shape, "", top=True)) if shape is not None else []


def _join(path: str, member: str) -> str:
    return f"{path}.{member}" if path else member


class _Walk:
    def __init__(self, service: str):
        self.service = service

    def _model(self, shape: Shape, member: str | None, kind: str) -> str:
        return f"botocore {self.service} {shape.name}{'.' + member if member else ''} ({kind})"

    def _documented(self, parent: Shape, member: str | None, value: Any, path: str) -> Iterator[Breach]:
        for rule in BY_MEMBER.get((self.service, parent.name, member), ()):
            problem = rule.check(value)
            if problem:
                yield Breach(path, problem, rule.source, rule.id)

    def check(self, value: Any, shape: Shape, path: str, top: bool = False,
              parent: Shape | None = None, member: str | None = None) -> Iterator[Breach]:
        if value is None:
            return
        if parent is not None and member is not None and not path.endswith("]"):
            yield from self._documented(parent, member, value, path)
        kind, meta = shape.type_name, shape.metadata
        where = parent if parent is not None else shape

        def breach(message: str, constraint: str) -> Breach:
            return Breach(path, message, self._model(where, member, constraint))

        if isinstance(shape, StructureShape):
            if not isinstance(value, Mapping):
                yield breach(f"must be an object (got {_show(value)})", "type")
                return
            yield from self._documented(shape, None, value, path)
            given = {str(k).lower(): k for k in value}
            if not top:
                for required in shape.required_members:
                    key = given.get(required.lower())
                    if key is None or value[key] is None:
                        yield Breach(_join(path, required), "is required", self._model(shape, required, "required"))
            for name, member_shape in shape.members.items():
                key = given.get(name.lower())
                if key is not None:
                    yield from self.check(value[key], member_shape, _join(path, name), parent=shape, member=name)
        elif isinstance(shape, ListShape):
            if not isinstance(value, (list, tuple)):
                yield breach(f"must be a list (got {_show(value)})", "type")
                return
            for message in _size(len(value), meta, "items"):
                yield breach(message, "length")
            for i, item in enumerate(value):
                yield from self.check(item, shape.member, f"{path}[{i}]", parent=parent, member=member)
        elif isinstance(shape, MapShape):
            if not isinstance(value, Mapping):
                yield breach(f"must be a map (got {_show(value)})", "type")
                return
            for message in _size(len(value), meta, "entries"):
                yield breach(message, "length")
            for key, item in value.items():
                yield from self.check(key, shape.key, f"{path}.{key}(key)")
                yield from self.check(item, shape.value, f"{path}.{key}")
        elif kind == "string":
            if not isinstance(value, str):
                yield breach(f"must be a string (got {_show(value)})", "type")
                return
            for message in _size(len(value), meta, "characters", value):
                yield breach(message, "length")
            enum = meta.get("enum")
            if enum and value not in enum:
                yield breach(f"must be one of {', '.join(enum)} (got {_show(value)})", "enum")
            compiled = _pattern(meta["pattern"]) if "pattern" in meta else None
            if compiled is not None and compiled.fullmatch(value) is None:
                yield breach(f"must match {meta['pattern']} (got {_show(value)})", "pattern")
        elif kind == "boolean":
            if not isinstance(value, bool):
                yield breach(f"must be true or false (got {_show(value)})", "type")
        elif kind in NUMBER_TYPES:
            if isinstance(value, bool) or not isinstance(value, (int, float)):
                yield breach(f"must be a number (got {_show(value)})", "type")
                return
            if kind in ("integer", "long") and isinstance(value, float) and not value.is_integer():
                yield breach(f"must be a whole number (got {_show(value)})", "type")
            low, high = meta.get("min"), meta.get("max")
            if (low is not None and value < low) or (high is not None and value > high):
                yield breach(f"must be {_range(low, high)} (got {_show(value)})", "range")


def _size(size: int, meta: Mapping[str, Any], unit: str, value: Any = None) -> Iterator[str]:
    low, high = meta.get("min"), meta.get("max")
    if (low is not None and size < low) or (high is not None and size > high):
        got = f"{size}: {_show(value)}" if value is not None else str(size)
        last = high if high is not None else low
        yield f"must have {_range(low, high)} {unit if last != 1 else _SINGULAR.get(unit, unit)} (got {got})"


_SINGULAR = {"items": "item", "entries": "entry", "characters": "character"}


def _range(low: Any, high: Any) -> str:
    if low is not None and high is not None:
        return f"{low} to {high}"
    return f"at least {low}" if low is not None else f"at most {high}"


def _show(value: Any) -> str:
    """A payload value in a message; JSON's `null`, `true` and `false`, as the request carries them."""
    if value is None or isinstance(value, bool):
        return "null" if value is None else str(value).lower()
    text = repr(value)
    return text if len(text) <= 80 else text[:77] + "..."
