"""Rules that need the whole plan, not one request: routes for image pulls, regions, partitions, uniqueness (pure)."""

from __future__ import annotations

import json
import re
from collections import Counter
from collections.abc import Callable, Iterable, Iterator, Mapping, Sequence
from dataclasses import dataclass
from typing import Any

from .. import limits, regions
from .. import tokens as t
from .requests import Payload, json_input

MAX_TAGS, MAX_TAG_KEY, MAX_TAG_VALUE = limits.MAX_TAGS, limits.MAX_TAG_KEY, limits.MAX_TAG_VALUE


@dataclass(frozen=True)
class PlanFinding:
    resource: Payload
    input: str
    message: str
    source: str
    rule: str


@dataclass(frozen=True)
class PlanRule:
    id: str
    source: str
    check: Callable[[Sequence[Payload], str], Iterator[tuple[Payload, str, str]]]
    """(payloads, region) -> (resource, input, message) for each breach."""


def _strings(value: Any, path: str) -> Iterator[tuple[str, str]]:
    """(path, string) of every string in an input, JSON documents included."""
    if isinstance(value, str):
        if value[:1] in "[{":
            try:
                decoded = json.loads(value)
            except ValueError:
                decoded = None
            if isinstance(decoded, (dict, list)):
                yield from _strings(decoded, path)
                return
        yield path, value
    elif isinstance(value, Mapping):
        for k, v in value.items():
            yield from _strings(v, f"{path}.{k}" if path else str(k))
    elif isinstance(value, list):
        for i, v in enumerate(value):
            yield from _strings(v, f"{path}[{i}]")


_ARN = re.compile(r"arn:([a-z-]+):")


def _partitions(payloads: Sequence[Payload], region: str) -> Iterator[tuple[Payload, str, str]]:
    expected = regions.partition(region)
    if expected is None:
        return
    for p in payloads:
        for path, value in _strings(p.inputs, ""):
            m = _ARN.match(value)
            if m and m.group(1) != expected:
                yield p, path, (f"is an ARN of partition {m.group(1)!r}; {region} is in partition {expected!r} "
                                f"(got {value[:90]!r})")


def _certificate_region(payloads: Sequence[Payload], region: str) -> Iterator[tuple[Payload, str, str]]:
    for p in payloads:
        if p.type != t.LISTENER:
            continue
        arn = p.inputs.get("certificateArn")
        if isinstance(arn, str) and arn.startswith("arn:"):
            parts = arn.split(":")
            if len(parts) > 3 and parts[2] == "acm" and region and parts[3] != region:
                yield p, "certificateArn", (f"is an ACM certificate in {parts[3]}; a load balancer in {region} can use "
                                            f"only certificates of its own region (got {arn!r})")


_PRIVATE_ECR = r"\d{{12}}\.dkr\.ecr\.{region}\.amazonaws\.com(\.cn)?/"


def _routes_out(p: Payload) -> bool:
    """A NAT gateway, or a route to a network interface (a NAT instance's) for 0.0.0.0/0."""
    return p.type == t.NAT_GATEWAY or (p.type == t.ROUTE and p.inputs.get("destinationCidrBlock") == "0.0.0.0/0"
                                        and bool(p.inputs.get("networkInterfaceId")))


def _image_routes(payloads: Sequence[Payload], region: str) -> Iterator[tuple[Payload, str, str]]:
    """Private tasks in a VPC of this plan without a NAT gateway pull images through the ECR endpoints,
    which serve only this region's private ECR."""
    if not any(p.type == t.VPC for p in payloads) or any(_routes_out(p) for p in payloads):
        return  # an existing VPC (its routes are unknown here), or a NAT gateway or instance routes every pull
    private_ecr = re.compile(_PRIVATE_ECR.format(region=re.escape(region)))
    runs: list[tuple[Payload, Any]] = []
    for p in payloads:
        if p.type == t.SERVICE:
            runs.append((p, (p.inputs.get("networkConfiguration") or {}).get("assignPublicIp")))
        elif p.type == t.SCHEDULE:
            network = ((p.inputs.get("target") or {}).get("ecsParameters") or {}).get("networkConfiguration") or {}
            runs.append((p, network.get("assignPublicIp")))
    if not runs or all(public for _, public in runs):
        return
    for task in (p for p in payloads if p.type == t.TASK_DEFINITION):
        containers = json_input(task, "containerDefinitions")
        for i, c in enumerate(containers if isinstance(containers, list) else []):
            image = c.get("image") if isinstance(c, dict) else None
            if isinstance(image, str) and not private_ecr.match(image):
                yield task, f"containerDefinitions[{i}].image", (
                    f"{image!r} is not in this region's private ECR; without a NAT gateway, private tasks pull "
                    f"only through the ECR endpoints, which serve {region}'s private registries alone (not ECR "
                    "Public, Docker Hub or another region)")


def _tags(payloads: Sequence[Payload], region: str) -> Iterator[tuple[Payload, str, str]]:
    for p in payloads:
        tags = p.inputs.get("tags")
        if isinstance(tags, Mapping):
            pairs = [(str(k), str(v)) for k, v in tags.items()]
        elif isinstance(tags, list):  # Auto Scaling groups: [{key, value, propagateAtLaunch}]
            pairs = [(str(x.get("key")), str(x.get("value"))) for x in tags if isinstance(x, Mapping)]
        else:
            continue
        if len(pairs) > MAX_TAGS:
            yield p, "tags", f"AWS takes at most {MAX_TAGS} tags per resource (got {len(pairs)})"
        for key, value in pairs:
            if len(key) > MAX_TAG_KEY:
                yield p, f"tags.{key[:30]}", f"tag keys are at most {MAX_TAG_KEY} characters (got {len(key)})"
            if len(value) > MAX_TAG_VALUE:
                yield p, f"tags.{key[:30]}", f"tag values are at most {MAX_TAG_VALUE} characters (got {len(value)})"


_UNIQUE_NAMES = (t.LOG_GROUP, t.HTTP_NAMESPACE, t.QUEUE, t.SCHEDULE)


def _unique(payloads: Sequence[Payload], region: str) -> Iterator[tuple[Payload, str, str]]:
    urns = Counter(p.urn for p in payloads if p.urn)
    for p in payloads:
        if p.urn and urns[p.urn] > 1:
            yield p, "urn", f"is registered {urns[p.urn]} times; Pulumi refuses a second resource with the same URN"
            urns[p.urn] = 0  # report once
    names = Counter((p.type, p.inputs.get("name")) for p in payloads
                    if p.type in _UNIQUE_NAMES and isinstance(p.inputs.get("name"), str))
    for p in payloads:
        key = (p.type, p.inputs.get("name"))
        if names.get(key, 0) > 1:
            yield p, "name", f"{key[1]!r} is the name of {names[key]} resources; AWS refuses the second"
            names[key] = 0


RULES: tuple[PlanRule, ...] = (
    PlanRule("Plan.Partition", "https://docs.aws.amazon.com/IAM/latest/UserGuide/reference-arns.html", _partitions),
    PlanRule("Plan.CertificateRegion",
             "https://docs.aws.amazon.com/acm/latest/userguide/acm-regions.html (certificates are regional; an "
             "Application Load Balancer needs one from its own Region)", _certificate_region),
    PlanRule("Plan.ImagePullRoute",
             "https://docs.aws.amazon.com/AmazonECR/latest/userguide/vpc-endpoints.html (the endpoints serve "
             "Amazon ECR private repositories in the Region)", _image_routes),
    PlanRule("Plan.Tags", "botocore ecs RegisterTaskDefinitionRequest.tags: \"Maximum number of tags per resource - "
             "50\", \"Maximum key length - 128\", \"Maximum value length - 256\"", _tags),
    PlanRule("Plan.Unique", "Pulumi: one resource per URN; AWS: log group, namespace, queue and schedule names are "
             "unique per account and Region", _unique),
)


def check(payloads: Iterable[Payload], region: str) -> list[PlanFinding]:
    items = list(payloads)
    return [PlanFinding(p, where, message, rule.source, rule.id)
            for rule in RULES for p, where, message in rule.check(items, region)]
