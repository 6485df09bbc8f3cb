"""The typed stack configuration (pydantic): every key, its type, its single-value limits and its default.

One model per section; `types` holds the single-field limits. Keys are camelCase in
`Pulumi.<stack>.yaml`, as Pulumi config keys usually are; unknown keys are errors. Every
field documents its meaning and default once, where it is declared: this is the only place
defaults live. Values derived from several settings are computed by `deploy.config.resolve`;
rules that relate several settings are in `deploy.config.rules`.
"""

from .base import Model, StrategyItem
from .service import (
    Autoscaling,
    Build,
    Container,
    ContainerHealthCheck,
    DependsOn,
    Deployment,
    Efs,
    IamStatement,
    Image,
    Logging,
    LogRouter,
    Mount,
    Predictive,
    Queue,
    RestartPolicy,
    Routing,
    ScalingSchedule,
    Schedule,
    Send,
    Service,
    TargetHealthCheck,
    TaskRole,
    Volume,
)
from .stack import (
    SCALARS,
    SECTIONS,
    AccessLogs,
    Alerts,
    Cluster,
    Ec2Capacity,
    Endpoints,
    ExistingNetwork,
    FlowLogs,
    FromTerraform,
    LoadBalancer,
    Logs,
    NatInstance,
    Network,
    Registry,
    StackConfig,
    TerraformOutputs,
)

__all__ = [
    "SCALARS", "SECTIONS", "AccessLogs", "Alerts", "Autoscaling", "Build", "Cluster", "Container", "ContainerHealthCheck",
    "DependsOn", "Deployment", "Ec2Capacity", "Efs", "Endpoints", "ExistingNetwork", "FlowLogs", "FromTerraform", "IamStatement", "Image",
    "LoadBalancer", "LogRouter", "Logging", "Logs", "Model", "Mount", "NatInstance", "Network", "Predictive", "Queue", "Registry", "RestartPolicy", "Routing", "ScalingSchedule", "Schedule", "Send", "Service", "StackConfig",
    "StrategyItem", "TargetHealthCheck", "TaskRole", "TerraformOutputs", "Volume",
]
