"""The shapes every validator works on, and the helpers they share (pure Python, no Pulumi).

A validator sees a `Res`: the resource's type token, its name and URN, and its properties
as plain data in the engine's camelCase. CrossGuard and the offline plan both turn what
they have into `Res`, so a validator never knows which one called it. Values the engine
cannot know yet (at `pulumi preview`, or secrets the offline plan cannot read) are the
`UNKNOWN` sentinel: a validator that needs one raises `NotApplicable` instead of guessing.
"""

from __future__ import annotations

import json
from collections.abc import Callable, Iterable, Iterator, Mapping, Sequence
from dataclasses import dataclass, field
from typing import Any, Union


class _Unknown:
    """A value that is not known here (computed at deploy time, or a secret)."""

    _instance: _Unknown | None = None

    def __new__(cls) -> _Unknown:  # noqa: PYI034 - a singleton: always this class's one instance
        if cls._instance is None:
            cls._instance = super().__new__(cls)
        return cls._instance

    def __repr__(self) -> str:
        return "<unknown>"

    def __bool__(self) -> bool:
        # "Something is set, we cannot see what": present, but decisions on it go through known().
        return True


UNKNOWN = _Unknown()


class NotApplicable(Exception):
    """The control does not apply to this resource, or cannot be decided yet."""

    def __init__(self, reason: str):
        super().__init__(reason)
        self.reason = reason


@dataclass(frozen=True)
class Res:
    """One resource as a validator sees it."""

    type: str
    name: str
    urn: str
    props: Mapping[str, Any]
    """Inputs (CrossGuard resource policies, offline plan) or outputs (CrossGuard stack policies)."""
    id: str | None = None
    """Physical ID when known (offline plan mocks); None under CrossGuard at preview."""
    outputs: Mapping[str, Any] = field(default_factory=dict)
    """Extra known outputs such as `arn` or `name` (offline plan); empty under CrossGuard."""
    property_dependencies: Mapping[str, Sequence[str]] = field(default_factory=dict)
    """Property name -> URNs of the resources its value came from (CrossGuard only)."""


@dataclass(frozen=True)
class Violation:
    resource: Res
    message: str


@dataclass(frozen=True)
class Undecided:
    """A stack validator could not decide for this resource (unknown value, resource outside the stack)."""

    resource: Res
    reason: str


ResourceValidator = Callable[[Res, Mapping[str, Any]], Iterable[str]]
"""(resource, policy config) -> violation messages; raises NotApplicable when it does not apply."""
StackValidator = Callable[["Stack", Mapping[str, Any]], Iterable[Union[Violation, "Undecided"]]]
"""(all resources, policy config) -> violations, each naming its resource, and undecided resources."""


def is_unknown(value: Any) -> bool:
    return value is UNKNOWN


def known(value: Any, what: str) -> Any:
    """`value`, or NotApplicable when it is unknown: never decide on a value we cannot see."""
    if value is UNKNOWN:
        raise NotApplicable(f"{what} is not known until deployment")
    return value


def get(props: Any, path: str, default: Any = None) -> Any:
    """`props["a"]["b"]` for `path="a.b"`; `default` when a step is missing or null."""
    value = props
    for step in path.split("."):
        if value is UNKNOWN:
            return UNKNOWN
        if not isinstance(value, Mapping) or value.get(step) is None:
            return default
        value = value[step]
    return value


def items(value: Any, what: str) -> list:
    """A list property: [] when absent; NotApplicable when unknown."""
    value = known(value, what)
    if value is None:
        return []
    if isinstance(value, (list, tuple)):
        return list(value)
    return [value]


def objects(value: Any, what: str) -> list[Mapping[str, Any]]:
    """A list of blocks (dicts): [] when absent; NotApplicable when the list or one block is unknown."""
    return [b for b in (known(v, what) for v in items(value, what)) if isinstance(b, Mapping)]


def flag(value: Any) -> bool | None:
    """A boolean the provider may send as a bool or as the string "true"/"false" (launch templates do)."""
    if isinstance(value, bool):
        return value
    if isinstance(value, str) and value.lower() in ("true", "false"):
        return value.lower() == "true"
    return None


def json_prop(props: Mapping[str, Any], key: str) -> Any:
    """A property AWS receives as a JSON string (container definitions, policy documents), decoded."""
    raw = known(props.get(key), key)
    if raw is None:
        return None
    if isinstance(raw, (dict, list)):
        return raw  # some callers pass the document already decoded
    try:
        return json.loads(raw)
    except (TypeError, ValueError) as exc:
        raise NotApplicable(f"{key} is not valid JSON ({exc})") from exc


class Stack:
    """All resources of a stack, indexed for the joins stack-level controls need."""

    def __init__(self, resources: Iterable[Res]):
        self.resources = list(resources)
        self._by_urn = {r.urn: r for r in self.resources}

    def of_type(self, types: str | Iterable[str]) -> list[Res]:
        wanted = {types} if isinstance(types, str) else set(types)
        return [r for r in self.resources if r.type in wanted]

    def by_urn(self, urn: str) -> Res | None:
        return self._by_urn.get(urn)

    def referenced(self, r: Res, prop: str, values: Any, types: Iterable[str]) -> list[Res]:
        """Resources of `types` that `r`'s property `prop` (holding `values`) refers to.

        CrossGuard knows the references even when the values are still unknown at preview,
        through property dependencies; the offline plan resolves every value, so there a
        value equal to a resource's ID, ARN or name is the reference.
        """
        wanted = set(types)
        by_dependency = [d for d in (self.by_urn(u) for u in r.property_dependencies.get(prop, ()))
                         if d is not None and d.type in wanted]
        if by_dependency:
            return by_dependency
        flat = [v for v in _flatten(values) if isinstance(v, str) and v]
        if not flat:
            return []
        return [c for c in self.resources if c.type in wanted and any(v in identities(c) for v in flat)]


def identities(r: Res) -> set[str]:
    """Values by which other resources may refer to `r`."""
    found = {r.id} if r.id else set()
    for source in (r.outputs, r.props):
        for key in ("arn", "id", "name"):
            value = source.get(key)
            if isinstance(value, str) and value:
                found.add(value)
    return found


def _flatten(value: Any) -> Iterator[Any]:
    if isinstance(value, Mapping):
        for v in value.values():
            yield from _flatten(v)
    elif isinstance(value, (list, tuple)):
        for v in value:
            yield from _flatten(v)
    else:
        yield value


def require_two_azs(stack: Stack, owner: Res, prop: str, subnet_ids: Any, what: str) -> list[str]:
    """The shared rule of ELB.13, AutoScaling.2 and REL.3: subnets in at least two AZs."""
    subnets = stack.referenced(owner, prop, subnet_ids, SUBNET_TYPES)
    values = [] if is_unknown(subnet_ids) else [v for v in _flatten(subnet_ids) if v is not None]
    if not subnets and not values:
        if is_unknown(subnet_ids):
            raise NotApplicable(f"{what}: its subnets are not known until deployment")
        return [f"{what} names no subnets; at least two Availability Zones are needed"]
    zones: set[str] = set()
    undecided = len(values) > len(subnets)  # subnets created outside this stack: AZs unknown here
    for s in subnets:
        az = s.props.get("availabilityZone") or s.props.get("availabilityZoneId")
        if isinstance(az, str):
            zones.add(az)
        else:
            undecided = True
    if len(zones) >= 2:
        return []
    if undecided:
        if max(len(values), len(subnets)) < 2:
            return [f"{what} has a single subnet; at least two Availability Zones are needed"]
        raise NotApplicable(f"{what}: the Availability Zones of its subnets are not known here")
    return [f"{what} spans {len(zones)} Availability Zone{'s' if len(zones) != 1 else ''} "
            f"({', '.join(sorted(zones)) or 'none'}); at least two are needed"]


SUBNET_TYPES = ("aws:ec2/subnet:Subnet",)


MANDATORY, ADVISORY, DISABLED = "mandatory", "advisory", "disabled"
SEVERITIES = ("low", "medium", "high", "critical")


@dataclass(frozen=True)
class Control:
    """One control: what it checks, how bad a failure is, and whether it blocks a deployment."""

    id: str
    """e.g. `ECS.2` (AWS Security Hub) or `REL.1` (this project's reliability rules)."""
    title: str
    severity: str
    enforcement: str
    """Default level; a stack's policy config may override it. `disabled` for a control that only applies to a
    production stack, at its `production_enforcement`."""
    types: tuple[str, ...]
    """Resource types the control looks at (for stack controls: the ones whose presence makes it apply)."""
    source: str
    validate: ResourceValidator | None = None
    validate_stack: StackValidator | None = None
    production_enforcement: str | None = None
    """Level the control must have in a stack marked production (ELB.6)."""
    params: Mapping[str, Mapping[str, Any]] = field(default_factory=dict)
    """Extra policy config properties (JSON schema, each with a `default`)."""

    def __post_init__(self) -> None:
        if (self.validate is None) == (self.validate_stack is None):
            raise ValueError(f"{self.id}: give exactly one of validate and validate_stack")
        if self.severity not in SEVERITIES or self.enforcement not in (MANDATORY, ADVISORY, DISABLED):
            raise ValueError(f"{self.id}: unknown severity {self.severity!r} or enforcement {self.enforcement!r}")
        if self.enforcement == DISABLED and not self.production_enforcement:
            raise ValueError(f"{self.id}: a control disabled by default needs the level it has in production")

    @property
    def policy_name(self) -> str:
        """The CrossGuard policy name, also the key of this control in a policy config file."""
        return self.id.lower().replace(".", "-")

    @property
    def stack_level(self) -> bool:
        return self.validate_stack is not None

    def settings(self, config: Mapping[str, Any]) -> dict[str, Any]:
        """This control's parameters: defaults overlaid with the stack's policy config."""
        values = {k: schema.get("default") for k, schema in self.params.items()}
        values.update({k: v for k, v in config.items() if k in self.params})
        return values
