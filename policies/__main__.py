"""The ecs-app CrossGuard policy pack: `pulumi preview --policy-pack policies`.

Only builds and serves the pack: constructing `PolicyPack` starts the analyzer's gRPC
server and never returns, so nothing may import this file. The controls live in the
plain package `controls/` (tests and `python -m deploy check` use them directly).
"""

from controls.pulumi_adapter import policies
from pulumi_policy import EnforcementLevel, PolicyPack

PolicyPack(
    name="ecs-app-controls",
    description="AWS Security Hub (FSBP) controls and ECS reliability rules for the ecs-app stack",
    enforcement_level=EnforcementLevel.ADVISORY,  # each policy sets its own level; this is only the fallback
    policies=policies(),
)
