"""The ecs-app CrossGuard policy pack: `pulumi preview --policy-pack policies`.

Only builds and serves the pack: constructing `PolicyPack` starts the analyzer's gRPC
server and never returns, so nothing may import this file. The controls live in the
plain package `controls/` (tests and `python -m deploy check` use them directly).
"""

import sys
from pathlib import Path

from pulumi_policy import EnforcementLevel, PolicyPack

# The acceptance policy runs deploy/aws/acceptance (pure: botocore and regex only) from the project root.
sys.path.append(str(Path(__file__).resolve().parent.parent))

from controls.pulumi_adapter import policies

PolicyPack(
    name="ecs-app-controls",
    description="AWS Security Hub (FSBP) controls, ECS reliability rules and the AWS acceptance check for the "
                "ecs-app stack",
    enforcement_level=EnforcementLevel.ADVISORY,  # each policy sets its own level; this is only the fallback
    policies=policies(),
)
