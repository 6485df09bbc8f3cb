"""ECS controls: task definitions, services, clusters and capacity providers.

Task definition checks read the real ECS keys inside the `containerDefinitions` JSON
(`privileged`, `readonlyRootFilesystem`, `logConfiguration`, `user`) and the task-level
`pidMode`. Popular scanners look for a container key `privilege` and a container-level
`pidMode`, neither of which ECS has, so a privileged task passes them; here those keys
are simply not ECS settings and are ignored.
"""

from __future__ import annotations

from collections.abc import Iterator, Mapping
from typing import Any

from .model import ADVISORY, DISABLED, MANDATORY, Control, NotApplicable, Res, flag, get, json_prop, known, objects

SERVICE = "aws:ecs/service:Service"
TASK = "aws:ecs/taskDefinition:TaskDefinition"
CLUSTER = "aws:ecs/cluster:Cluster"
CAPACITY_PROVIDER = "aws:ecs/capacityProvider:CapacityProvider"
SCHEDULE = "aws:scheduler/schedule:Schedule"
FSBP = "AWS Foundational Security Best Practices"
CATALOG = "AWS Security Hub control catalog (not in FSBP)"

FARGATE_PROVIDERS = {"FARGATE", "FARGATE_SPOT"}
LATEST_FARGATE = {"LATEST", "1.4.0"}  # FSBP ECS.10's parameter latestLinuxVersion is 1.4.0
OURS = "this project"
CREDENTIAL_VARIABLES = {"AWS_ACCESS_KEY_ID", "AWS_SECRET_ACCESS_KEY", "ECS_ENGINE_AUTH_DATA"}


def containers(r: Res) -> list[dict[str, Any]]:
    """The container definitions of a task definition, decoded from the JSON string AWS receives."""
    defs = json_prop(r.props, "containerDefinitions")
    if not isinstance(defs, list) or not defs:
        raise NotApplicable("the task definition has no container definitions")
    return [c for c in defs if isinstance(c, dict)]


def _label(c: Mapping[str, Any]) -> str:
    return f"container {c.get('name', '?')!s}"


def _windows(r: Res) -> bool:
    family = known(get(r.props, "runtimePlatform.operatingSystemFamily"), "runtimePlatform")
    return isinstance(family, str) and family.upper().startswith("WINDOWS")


def no_public_ip(r: Res, _: Mapping) -> Iterator[str]:
    # AWS checks services only; a scheduled task (EventBridge Scheduler) gets an ENI the same way.
    path = "target.ecsParameters.networkConfiguration" if r.type == SCHEDULE else "networkConfiguration"
    if r.type == SCHEDULE and get(r.props, "target.ecsParameters") is None:
        raise NotApplicable("the schedule does not run an ECS task")
    if flag(known(get(r.props, f"{path}.assignPublicIp"), "assignPublicIp")) is True:
        yield f"{path}.assignPublicIp is true: tasks get public IP addresses"


def no_host_pid(r: Res, _: Mapping) -> Iterator[str]:
    # pidMode is a task-level setting; a container-level "pidMode" is not an ECS key.
    if known(r.props.get("pidMode"), "pidMode") == "host":
        yield "pidMode is host: containers share the host's process namespace"


def no_privileged(r: Res, _: Mapping) -> Iterator[str]:
    for c in containers(r):
        if flag(c.get("privileged")) is True:  # the ECS key is `privileged`, not `privilege`
            yield f"{_label(c)}: privileged is true"


def readonly_root(r: Res, _: Mapping) -> Iterator[str]:
    if _windows(r):
        raise NotApplicable("Windows containers cannot use a read-only root filesystem")
    for c in containers(r):
        if flag(c.get("readonlyRootFilesystem")) is not True:  # absent counts as false, as in AWS's rule
            yield f"{_label(c)}: readonlyRootFilesystem is {c.get('readonlyRootFilesystem', 'absent')}"


def no_credentials_in_environment(r: Res, _: Mapping) -> Iterator[str]:
    for c in containers(r):
        for var in c.get("environment") or []:
            if isinstance(var, dict) and var.get("name") in CREDENTIAL_VARIABLES:
                yield f"{_label(c)}: environment variable {var['name']} holds AWS credentials; use the task role"


def logging_configured(r: Res, _: Mapping) -> Iterator[str]:
    for c in containers(r):
        if not get(c, "logConfiguration.logDriver"):
            yield f"{_label(c)}: no logConfiguration.logDriver"


def latest_fargate_platform(r: Res, _: Mapping) -> Iterator[str]:
    launch_type = known(r.props.get("launchType"), "launchType")
    providers = {known(get(s, "capacityProvider"), "capacityProvider")
                 for s in objects(r.props.get("capacityProviderStrategies"), "capacityProviderStrategies")}
    if launch_type not in (None, "FARGATE") or (providers and not providers & FARGATE_PROVIDERS):
        raise NotApplicable("the service does not run on Fargate")
    version = known(r.props.get("platformVersion"), "platformVersion")
    if version is not None and version not in LATEST_FARGATE:
        yield f"platformVersion is {version}; use LATEST (or 1.4.0)"


def container_insights(r: Res, _: Mapping) -> Iterator[str]:
    settings = objects(r.props.get("settings"), "settings")
    value = next((s.get("value") for s in settings if isinstance(s, dict) and s.get("name") == "containerInsights"),
                 None)
    if known(value, "containerInsights") not in ("enabled", "enhanced"):
        yield f"containerInsights is {value or 'not set'}; use enabled or enhanced"


def managed_termination_protection(r: Res, _: Mapping) -> Iterator[str]:
    provider = known(r.props.get("autoScalingGroupProvider"), "autoScalingGroupProvider")
    if provider is None:
        raise NotApplicable("not an Auto Scaling group capacity provider")
    value = known(provider.get("managedTerminationProtection"), "managedTerminationProtection")
    if value != "ENABLED":
        yield f"autoScalingGroupProvider.managedTerminationProtection is {value or 'not set'}; use ENABLED " \
              "(with managed scaling and the group's protectFromScaleIn)"
    if known(get(provider, "managedScaling.status"), "managedScaling.status") != "ENABLED":
        yield "autoScalingGroupProvider.managedScaling is not ENABLED (termination protection needs it)"


def non_root_user(r: Res, _: Mapping) -> Iterator[str]:
    if _windows(r):
        raise NotApplicable("Windows containers: ECS.21 applies instead")
    for c in containers(r):
        user = str(c.get("user") or "")
        if user.split(":")[0] in ("", "root", "0"):
            yield f"{_label(c)}: runs as {user or 'the image default user (root unless the image says otherwise)'}"


def no_exec(r: Res, _: Mapping) -> Iterator[str]:
    # ECS Exec gives whoever may call ecs:ExecuteCommand a shell in the containers, as root whatever `user` says
    # (ECS developer guide, ECS Exec considerations): break-glass access to accept knowingly in production.
    if flag(known(r.props.get("enableExecuteCommand"), "enableExecuteCommand")) is True:
        yield "enableExecuteCommand is true: whoever may call ecs:ExecuteCommand gets a root shell in its " \
              "containers; turn `exec` off, or accept it with a reason in the stack's policy config"


CONTROLS = [
    Control("ECS.2", "ECS services and scheduled tasks do not assign public IP addresses", "high", MANDATORY,
            (SERVICE, SCHEDULE), FSBP, validate=no_public_ip),
    Control("ECS.3", "Task definitions do not share the host's process namespace", "high", MANDATORY, (TASK,),
            FSBP, validate=no_host_pid),
    Control("ECS.4", "Containers run non-privileged", "high", MANDATORY, (TASK,), FSBP, validate=no_privileged),
    Control("ECS.5", "Containers have read-only root filesystems", "high", MANDATORY, (TASK,), FSBP,
            validate=readonly_root),
    Control("ECS.8", "No AWS credentials in container environment variables", "high", MANDATORY, (TASK,), FSBP,
            validate=no_credentials_in_environment),
    Control("ECS.9", "Containers have a logging configuration", "high", MANDATORY, (TASK,), FSBP,
            validate=logging_configured),
    Control("ECS.10", "Fargate services run the latest platform version", "medium", MANDATORY, (SERVICE,), FSBP,
            validate=latest_fargate_platform),
    Control("ECS.12", "ECS clusters use Container Insights", "medium", MANDATORY, (CLUSTER,), FSBP,
            validate=container_insights),
    Control("ECS.19", "Capacity providers have managed termination protection", "medium", MANDATORY,
            (CAPACITY_PROVIDER,), CATALOG, validate=managed_termination_protection),
    Control("ECS.20", "Linux containers run as a non-root user", "medium", ADVISORY, (TASK,), CATALOG,
            validate=non_root_user),
    Control("SEC.2", "Production services keep ECS Exec off", "medium", DISABLED, (SERVICE,), OURS,
            validate=no_exec, production_enforcement=ADVISORY),
]
