"""What to do about the controls that fail a stack: the settings that cause them, and how to accept one.

A mandatory failure says what is wrong with a resource; the stack's author needs to know
which setting made it and the choices they have. For the failures a setting of this
project explains (plain HTTP without a certificate, public IPs without a NAT, a production
stack without deletion protection, writable root filesystems for ECS Exec) the advice names the keys; for a development stack that
accepts one of them it gives the exception to add to the stack's policy config, with the
exact resource names. Every other mandatory failure gets the general way out.
"""

from __future__ import annotations

import json
from collections.abc import Iterator
from dataclasses import dataclass

from policies.controls import Evaluation, PolicyConfig
from policies.controls.engine import ControlResult
from policies.controls.registry import REGISTRY

from ...aws import naming
from ...config import resolve
from ...config.model import StackConfig

PLAIN_HTTP_REASON = "development stack without a certificate: the load balancer serves plain HTTP by design"
PUBLIC_IP_REASON = "development stack without a NAT gateway: its tasks run in public subnets by design"
EXEC_REASON = ("ECS Exec is on: its SSM agent needs a writable root filesystem (ECS developer guide, ECS Exec "
               "considerations)")


@dataclass(frozen=True)
class Advice:
    control: str
    """The control it is about (`ELB.1`), or `production` for the stack as a whole."""
    message: str
    exception: str | None = None
    """A policy config entry that accepts the findings, as one JSON line, when accepting them is reasonable."""

    def as_json(self) -> dict[str, str | None]:
        return {"control": self.control, "message": self.message, "exception": self.exception}


def advise(cfg: StackConfig, policy: PolicyConfig, evaluation: Evaluation, policy_path: str) -> list[Advice]:
    """Advice for every control that fails the stack (exit 1), then for production set outside the file."""
    found = [_advice(cfg, policy, r, policy_path) for r in evaluation.results if r.blocking]
    if policy.production_by:
        found.append(Advice("production", f"{policy.production_by} makes `check` treat the stack as production; "
                                          "`pulumi preview --policy-pack policies` reads production from the policy "
                                          f"config only, so add the line below to {policy_path} and pass it with "
                                          "--policy-pack-config (as for prod)",
                            json.dumps(_production_levels(policy))))
    return found


def _advice(cfg: StackConfig, policy: PolicyConfig, result: ControlResult, path: str) -> Advice:
    cid = result.control.id
    # A production stack fixes these; only a development stack may accept them.
    accept = not policy.production
    if cid == "ELB.1" and not resolve.https(cfg):
        return Advice(cid, "the load balancer serves plain HTTP because the stack sets no certificate; for HTTPS "
                           "(HTTP then redirects) set `loadBalancer.domain` and `loadBalancer.hostedZoneId`, or "
                           "`loadBalancer.certificateArn`"
                           + (f"; a development stack may accept plain HTTP instead, with this exception in {path}"
                              if accept else ""), _exception(result, PLAIN_HTTP_REASON) if accept else None)
    if cid == "ECS.2" and list(_public_by_default(cfg)):
        return Advice(cid, "`network.nat: none` without endpoints gives the tasks public IPs; add "
                           "`network.endpoints` (s3 and ecr.api, ecr.dkr, logs) or a NAT"
                           + (f"; a development stack may accept public IPs instead, with this exception in {path}"
                              if accept else ""), _exception(result, PUBLIC_IP_REASON) if accept else None)
    exec_tasks = _exec_task_definitions(cfg, result)
    if cid == "ECS.5" and exec_tasks:
        # AWS does not support ECS Exec with a read-only root filesystem: accepting ECS.5 is the only way to have both.
        return Advice(cid, f"ECS Exec (`exec: true`) needs writable root filesystems; accept ECS.5 for those task "
                           f"definitions with this exception in {path}, or turn exec off",
                      _exception(result, EXEC_REASON, exec_tasks))
    if cid == "ELB.6" and policy.production:
        return Advice(cid, f"the stack is production{f' ({policy.production_by})' if policy.production_by else ''}: "
                           "set `loadBalancer.deletionProtection: true`")
    return Advice(cid, "change the settings that make the resources above fail, or accept a finding with its "
                       f"reason in {path} (docs/policies.md, \"Per-stack policy config\")")


def _public_by_default(cfg: StackConfig) -> Iterator[str]:
    for name, svc in cfg.services.items():
        if svc.assign_public_ip is None and resolve.assign_public_ip(cfg.network, svc, resolve.on_ec2(cfg, svc)):
            yield name


def _exec_task_definitions(cfg: StackConfig, result: ControlResult) -> set[str]:
    """The failing task definitions that belong to services with ECS Exec (logical names `<component>-task`)."""
    wanted = {f"{naming.service_component_name(resolve.prefix(cfg), n)}-task" for n in resolve.exec_services(cfg)}
    return {f.resource.name for f in result.violations} & wanted


def _exception(result: ControlResult, reason: str, only: set[str] | None = None) -> str:
    names = sorted({f.resource.name for f in result.violations if only is None or f.resource.name in only})
    return json.dumps({result.control.policy_name: {"exceptions": [{"resource": n, "reason": reason}
                                                                   for n in names]}})


def _production_levels(policy: PolicyConfig) -> dict[str, str]:
    return {c.policy_name: policy.level(c) for c in REGISTRY if c.production_enforcement}
