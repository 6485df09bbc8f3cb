"""Run the stack program offline: Pulumi mocks answer every resource and lookup.

No Pulumi CLI, no AWS account, no network. A recording mock monitor keeps what the engine
would receive for each resource (URN, type, name, parent, camelCase inputs); the mocks
answer with plausible values for the configured region, so outputs look like AWS's.
Used by `python -m deploy plan` and by the tests, so both see the same thing.
"""

from __future__ import annotations

import hashlib
from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any

import pulumi
from pulumi.runtime import mocks as pmocks

from ..aws import certificates, naming, regions, tokens
from ..aws.tokens import SECRET_PLACEHOLDER as SECRET
from ..stack import sdk

ACCOUNT = "123456789012"


@dataclass(frozen=True)
class Resource:
    urn: str
    type: str
    name: str
    parent: str | None
    inputs: dict[str, Any]
    custom: bool
    id: str | None = None
    state: dict[str, Any] = field(default_factory=dict)
    """What the mocks answered (inputs plus computed outputs such as `arn`)."""
    dependencies: tuple[str, ...] = ()
    """URNs of explicit and implied dependencies, as the engine receives them (sorted)."""
    ignore_changes: tuple[str, ...] = ()
    protect: bool = False
    delete_before_replace: bool = False
    retain_on_delete: bool = False
    custom_timeouts: dict[str, str] = field(default_factory=dict)
    """`create` / `update` / `delete` durations the engine waits (e.g. "30m"); empty: the provider's."""

    @property
    def options(self) -> dict[str, Any]:
        """The resource options that decide ordering and protection (contract: `plan --json` `options`)."""
        return {"protect": self.protect, "ignoreChanges": list(self.ignore_changes),
                "deleteBeforeReplace": self.delete_before_replace, "retainOnDelete": self.retain_on_delete,
                "customTimeouts": dict(self.custom_timeouts)}

    def to_json(self) -> dict[str, Any]:
        return {"urn": self.urn, "type": self.type, "name": self.name, "parent": self.parent,
                "inputs": self.inputs, "dependencies": list(self.dependencies), "options": self.options}


@dataclass
class Rendered:
    project: str
    stack: str
    resources: list[Resource] = field(default_factory=list)
    outputs: dict[str, Any] = field(default_factory=dict)
    invokes: list[tuple[str, dict[str, Any]]] = field(default_factory=list)
    """(token, arguments) of the lookups (data sources) the program made."""

    def of_type(self, type_: str) -> list[Resource]:
        return [r for r in self.resources if r.type == type_]

    def one(self, type_: str, name: str | None = None) -> Resource:
        found = [r for r in self.of_type(type_) if name is None or r.name == name]
        if len(found) != 1:
            raise LookupError(f"expected one {type_} {name or ''}, found {[r.name for r in found]}")
        return found[0]

    def by_urn(self, urn: str) -> Resource:
        return next(r for r in self.resources if r.urn == urn)

    def children(self, parent: Resource) -> list[Resource]:
        return [r for r in self.resources if r.parent == parent.urn]

    def to_json(self) -> dict[str, Any]:
        return {"project": self.project, "stack": self.stack,
                "resources": [r.to_json() for r in self.resources], "outputs": self.outputs}


def _hex(*parts: str, n: int = 8) -> str:
    return hashlib.sha256("/".join(parts).encode()).hexdigest()[:n]


class OfflineMocks(pulumi.runtime.Mocks):
    """Plausible AWS answers: IDs, ARNs, URLs and lookups for `region`."""

    def __init__(self, region: str, account: str = ACCOUNT):
        self.region = region
        self.account = account
        self.partition = regions.partition(region) or "aws"
        self.dns_suffix = "amazonaws.com.cn" if self.partition == "aws-cn" else "amazonaws.com"
        self.invokes: list[tuple[str, dict[str, Any]]] = []
        """(token, arguments) of every lookup the program made, in order."""

    def new_resource(self, args: pulumi.runtime.MockResourceArgs):
        state = dict(args.inputs)
        name = args.name
        arn = f"arn:{self.partition}:{args.typ.split(':')[1].split('/')[0]}:{self.region}:{self.account}:{name}"
        state.setdefault("arn", arn)
        extra = _COMPUTED.get(args.typ)
        if extra is not None:
            state.update(extra(self, name, state))
        return f"{name}-{_hex(args.typ, name)}", state

    def call(self, args: pulumi.runtime.MockCallArgs):
        token = args.token
        self.invokes.append((token, _plain(dict(args.args))))
        if token == tokens.GET_AVAILABILITY_ZONES:
            letters = "abcdef"
            return {"names": [f"{self.region}{c}" for c in letters],
                    "zoneIds": [f"{self.region[:2]}{self.region.split('-')[1][:1]}1-az{i + 1}" for i in range(6)],
                    "id": self.region}
        if token == tokens.GET_CALLER_IDENTITY:
            return {"accountId": self.account, "arn": f"arn:{self.partition}:iam::{self.account}:user/offline",
                    "userId": "AIDAOFFLINE", "id": self.account}
        if token == tokens.GET_REGION:
            return {"name": self.region, "region": self.region, "id": self.region}
        if token == tokens.GET_PARTITION:
            return {"partition": self.partition, "dnsSuffix": self.dns_suffix, "id": self.partition}
        if token == tokens.GET_VPC:
            return {"id": args.args.get("id"), "cidrBlock": "10.0.0.0/16", "arn": f"arn:{self.partition}:ec2:::vpc"}
        if token == tokens.GET_SUBNET:
            # Inside the VPC answered above, one /24 per subnet ID.
            subnet = args.args.get("id", "")
            return {"id": subnet, "cidrBlock": f"10.0.{int(_hex(subnet, n=2), 16)}.0/24"}
        if token == tokens.GET_PARAMETER:
            return {"name": args.args.get("name"), "value": f"ami-{_hex(args.args.get('name', ''), n=17)}",
                    "type": "String", "id": args.args.get("name")}
        return {}


def _repo(m: OfflineMocks, name: str, s: dict) -> dict:
    return {"name": name, "arn": f"arn:{m.partition}:ecr:{m.region}:{m.account}:repository/{name}", "repositoryUrl": f"{m.account}.dkr.ecr.{m.region}.{m.dns_suffix}/{name}",
            "registryId": m.account}


def _image(m: OfflineMocks, name: str, s: dict) -> dict:
    return {"imageUri": f"{s.get('repositoryUrl', name)}@sha256:{_hex(name, n=64)}"}


def _alb(m: OfflineMocks, name: str, s: dict) -> dict:
    return {"name": name, "arn": f"arn:{m.partition}:elasticloadbalancing:{m.region}:{m.account}:loadbalancer/app/{name}/"
            f"{_hex(name, n=16)}", "dnsName": f"{name}-{int(_hex(name), 16) % 10**9}.{m.region}.elb.{m.dns_suffix}",
            "arnSuffix": f"app/{name}/{_hex(name, n=16)}", "zoneId": "Z35SXDOTRQ7X7K"}


def _tg(m: OfflineMocks, name: str, s: dict) -> dict:
    return {"name": name, "arn": f"arn:{m.partition}:elasticloadbalancing:{m.region}:{m.account}:targetgroup/{name}/"
            f"{_hex(name, n=16)}", "arnSuffix": f"targetgroup/{name}/{_hex(name, n=16)}"}


def _task(m: OfflineMocks, name: str, s: dict) -> dict:
    family = s.get("family", name)
    return {"revision": 1, "arn": f"arn:{m.partition}:ecs:{m.region}:{m.account}:task-definition/{family}:1",
            "arnWithoutRevision": f"arn:{m.partition}:ecs:{m.region}:{m.account}:task-definition/{family}"}


def _cert(m: OfflineMocks, name: str, s: dict) -> dict:
    """One validation option per name, as ACM returns them; `*.x` gets the same CNAME as `x`, as in ACM."""
    names = [s.get("domainName", "example.com"), *(s.get("subjectAlternativeNames") or [])]
    options = []
    for domain in names:
        base = certificates.validated_name(domain)
        options.append({"domainName": domain, "resourceRecordName": f"_{_hex(base)}.{base}.",
                        "resourceRecordType": "CNAME",
                        "resourceRecordValue": f"_{_hex(base, 'v')}.acm-validations.aws."})
    return {"domainValidationOptions": options}


def _named(m: OfflineMocks, name: str, s: dict) -> dict:
    return {"name": s.get("name") or name}


def _queue(m: OfflineMocks, name: str, s: dict) -> dict:
    # pulumi-aws appends `.fifo` to a FIFO queue's auto-name (see deploy.aws.naming.FIFO_SUFFIX).
    physical = s.get("name") or (name + naming.FIFO_SUFFIX if s.get("fifoQueue") is True else name)
    return {"name": physical, "arn": f"arn:{m.partition}:sqs:{m.region}:{m.account}:{physical}",
            "url": f"https://sqs.{m.region}.{m.dns_suffix}/{m.account}/{physical}"}


def _arn(pattern: str) -> Callable[[OfflineMocks, str, dict], dict]:
    def compute(m: OfflineMocks, name: str, s: dict) -> dict:
        physical = s.get("name") or name
        return {"name": physical, "arn": pattern.format(partition=m.partition, region=m.region, account=m.account,
                                                         name=physical)}
    return compute


_COMPUTED: dict[str, Callable[[OfflineMocks, str, dict], dict]] = {
    tokens.REPOSITORY: _repo,
    tokens.IMAGE: _image,
    tokens.LOAD_BALANCER: _alb,
    tokens.TARGET_GROUP: _tg,
    tokens.TASK_DEFINITION: _task,
    tokens.CERTIFICATE: _cert,
    tokens.CLUSTER: _arn("arn:{partition}:ecs:{region}:{account}:cluster/{name}"),
    tokens.SERVICE: _arn("arn:{partition}:ecs:{region}:{account}:service/{name}"),
    tokens.ROLE: _arn("arn:{partition}:iam::{account}:role/{name}"),
    tokens.LOG_GROUP: _arn("arn:{partition}:logs:{region}:{account}:log-group:{name}"),
    tokens.RECORD: lambda m, n, s: {"fqdn": str(s.get("name", n)).rstrip(".")},
    tokens.QUEUE: _queue,
    tokens.SCHEDULE: _arn("arn:{partition}:scheduler:{region}:{account}:schedule/default/{name}"),
    tokens.CAPACITY_PROVIDER: _arn("arn:{partition}:ecs:{region}:{account}:capacity-provider/{name}"),
    tokens.ASG: _arn(
        "arn:{partition}:autoscaling:{region}:{account}:autoScalingGroup:00000000-0000-0000-0000-000000000000:"
        "autoScalingGroupName/{name}"),
    tokens.INSTANCE_PROFILE: _arn("arn:{partition}:iam::{account}:instance-profile/{name}"),
    tokens.HTTP_NAMESPACE: lambda m, n, s: {
        "arn": f"arn:{m.partition}:servicediscovery:{m.region}:{m.account}:namespace/ns-{_hex(n, n=16)}"},
    tokens.LAUNCH_TEMPLATE: lambda m, n, s: {"latestVersion": 1, "defaultVersion": 1},
    tokens.LISTENER: lambda m, n, s: {"arn": f"arn:{m.partition}:elasticloadbalancing:{m.region}:{m.account}:"
                                             f"listener/app/{n.split('-alb')[0]}-alb/{_hex(n, n=16)}/{_hex(n, 'l', n=16)}"},
    # A rule's ARN is its listener's, as `listener-rule/...`, plus the rule's own ID.
    tokens.LISTENER_RULE: lambda m, n, s: {
        "arn": f"{str(s.get('listenerArn', '')).replace(':listener/', ':listener-rule/')}/{_hex(n, 'r', n=16)}"},
    tokens.METRIC_ALARM: _arn("arn:{partition}:cloudwatch:{region}:{account}:alarm:{name}"),
    tokens.SNS_TOPIC: _arn("arn:{partition}:sns:{region}:{account}:{name}"),
    tokens.EFS_FILE_SYSTEM: lambda m, n, s: {
        "arn": f"arn:{m.partition}:elasticfilesystem:{m.region}:{m.account}:file-system/fs-{_hex(n, n=17)}"},
}


class RecordingMonitor(pmocks.MockMonitor):
    """A mock monitor that also keeps each registration's parent and inputs."""

    def __init__(self, mocks: pulumi.runtime.Mocks):
        super().__init__(mocks)
        self.recorded: list[Resource] = []

    def RegisterResource(self, request):
        response = super().RegisterResource(request)
        if request.type != tokens.STACK:
            parent = request.parent or None
            if parent is not None and parent.split("::")[2] == tokens.STACK:
                parent = None  # top-level: the stack itself is not a resource of the program
            inputs = _plain(sdk.deserialize(request.object))
            registration = self.resources.get(response.urn)
            self.recorded.append(Resource(
                response.urn, request.type, request.name, parent, inputs, bool(request.custom),
                id=registration.id if registration else None,
                state=_plain(registration.state) if registration else {},
                dependencies=tuple(sorted(request.dependencies)), ignore_changes=tuple(request.ignoreChanges),
                protect=bool(request.protect), delete_before_replace=bool(request.deleteBeforeReplace),
                retain_on_delete=bool(request.retainOnDelete),
                custom_timeouts={k: v for k in ("create", "update", "delete")
                                 if (v := getattr(request.customTimeouts, k, ""))}))
        return response


def _plain(value: Any) -> Any:
    """JSON-safe copy of deserialized inputs; secrets shown as a placeholder."""
    if isinstance(value, dict):
        if sdk.is_secret_value(value):
            return SECRET
        return {k: _plain(v) for k, v in value.items()}
    if isinstance(value, (list, tuple)):
        return [_plain(v) for v in value]
    if isinstance(value, float) and value.is_integer():
        return int(value)  # the wire format has only doubles; AWS integers read better as such
    if value is None or isinstance(value, (str, int, float, bool)):
        return value
    return str(value)


def render(program: Callable[[], dict[str, Any] | None], project: str, stack: str, region: str) -> Rendered:
    """Run `program` under fresh mocks; return every registered resource and the resolved outputs."""
    mocks = OfflineMocks(region)
    monitor = RecordingMonitor(mocks)
    pulumi.runtime.settings.reset_options(project=project, stack=stack)
    pulumi.runtime.set_mocks(mocks, project=project, stack=stack, preview=False, monitor=monitor)
    sdk.reset_runtime()
    holder: dict[str, Any] = {}

    async def resolve(outputs: dict[str, Any]) -> dict[str, Any]:
        result = {}
        for key, value in outputs.items():
            out = pulumi.Output.from_input(value)
            if await out.is_secret():
                result[key] = SECRET
            else:
                result[key] = _plain(await out.future())
        return result

    def run() -> None:
        outputs = program() or {}
        holder["outputs"] = sdk.wait(resolve({k: v for k, v in outputs.items() if v is not None}))

    sdk.run_program(run)
    resources = _tree_order(monitor.recorded)
    return Rendered(project, stack, resources, holder.get("outputs", {}), list(mocks.invokes))


def _tree_order(recorded: list[Resource]) -> list[Resource]:
    """Parents before children, siblings sorted by name then type: stable across runs."""
    by_parent: dict[str | None, list[Resource]] = {}
    for r in recorded:
        by_parent.setdefault(r.parent, []).append(r)
    ordered: list[Resource] = []

    def visit(parent: str | None) -> None:
        for r in sorted(by_parent.get(parent, []), key=lambda r: (r.name, r.type)):
            ordered.append(r)
            visit(r.urn)

    visit(None)
    return ordered
