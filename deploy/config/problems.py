"""The problem type and the small checks every rule module shares (pure)."""

from __future__ import annotations

import re
from dataclasses import dataclass, field, replace
from typing import Iterable, Iterator

from .. import limits
from .base import StrategyItem

SECRET_PLACEHOLDER = "[secret]"  # what load.py puts in place of `secure:` values

SERVICE_NAME = re.compile(r"^[a-z][a-z0-9-]*[a-z0-9]$|^[a-z]$")
CONTAINER_NAME = re.compile(r"^[A-Za-z0-9_-]{1,255}$")
PREFIX = re.compile(r"^[a-z]([a-z0-9-]*[a-z0-9])?$")
ENV_NAME = re.compile(r"^[A-Za-z_][A-Za-z0-9_]*$")
CERT_ARN = re.compile(r"^arn:aws[a-z-]*:acm:[a-z0-9-]+:\d{12}:certificate/[A-Za-z0-9-]+$")
KMS_ARN = re.compile(r"^arn:aws[a-z-]*:kms:[a-z0-9-]+:\d{12}:(key|alias)/[A-Za-z0-9/_-]+$")
SECRET_ARN = re.compile(r"^arn:aws[a-z-]*:secretsmanager:[a-z0-9-]+:\d{12}:secret:[A-Za-z0-9/_+=.@-]+")
SSM_ARN = re.compile(r"^arn:aws[a-z-]*:ssm:[a-z0-9-]+:\d{12}:parameter/[A-Za-z0-9/_.-]+$")
SSM_NAME = re.compile(r"^/?[A-Za-z0-9_.-]+(/[A-Za-z0-9_.-]+)*$")
BUCKET = re.compile(r"^[a-z0-9][a-z0-9.-]{1,61}[a-z0-9]$")
# FSBP ECS.8: long-lived credentials must never be plain environment variables.
FORBIDDEN_ENV = ("AWS_ACCESS_KEY_ID", "AWS_SECRET_ACCESS_KEY", "ECS_ENGINE_AUTH_DATA")


@dataclass(frozen=True)
class Problem:
    key: str
    message: str
    basis: tuple[str, ...] = field(default=(), compare=False)
    """Config sections the judgment relied on besides `key` (e.g. `cluster` for a service run by
    the cluster's default strategy). When one of them could not be read, the problem is not
    reported: it would be judged against defaults, not against what the user wrote."""

    def __str__(self) -> str:
        return f"{self.key}: {self.message}"


def based_on(basis: tuple[str, ...], problems: Iterable[Problem]) -> Iterator[Problem]:
    """The same problems, also relying on `basis`."""
    for p in problems:
        yield replace(p, basis=p.basis + basis) if basis else p


def strategy_basis(svc) -> tuple[str, ...]:
    """A service's capacity is the cluster's default strategy unless it names its own."""
    return () if svc.capacity_provider_strategy is not None else ("cluster",)


def in_range(key: str, value: int, bounds: tuple[int, int], unit: str = "") -> Iterator[Problem]:
    low, high = bounds
    if not low <= value <= high:
        yield Problem(key, f"must be {low} to {high}{unit} (got {value})")


def retention(key: str, days: int | None) -> Iterator[Problem]:
    if days is not None and days not in limits.LOG_RETENTION_DAYS:
        allowed = ", ".join(map(str, limits.LOG_RETENTION_DAYS))
        yield Problem(key, f"CloudWatch Logs does not accept {days} days; use one of {allowed}")


def kms(key: str, arn: str | None) -> Iterator[Problem]:
    if arn is not None and not KMS_ARN.match(arn):
        yield Problem(key, f"must be a KMS key or alias ARN (arn:aws:kms:<region>:<account>:key/<id>), got {arn!r}")


def strategy_problems(key: str, items: list[StrategyItem]) -> Iterator[Problem]:
    if not items:
        yield Problem(key, "needs at least one capacity provider")
        return
    providers = [i.provider for i in items]
    if len(set(providers)) != len(providers):
        yield Problem(key, "names a capacity provider twice")
    if sum(1 for i in items if i.base > 0) > 1:
        yield Problem(key, "only one capacity provider may have a `base`")
    if not any(i.weight > 0 for i in items):
        yield Problem(key, "at least one capacity provider needs a `weight` above 0")


def missing_endpoints(net, interface: Iterable[str], s3: bool = True) -> list[str]:
    """Endpoints a network without NAT lacks: the `interface` ones (in that order), then `s3`."""
    have = set(net.endpoints.interface)
    return [e for e in interface if e not in have] + (["s3"] if s3 and not net.endpoints.s3 else [])
