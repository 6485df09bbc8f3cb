"""The controls of the `ecs-app` CrossGuard policy pack, as plain importable Python.

Everything here is pure Python with relative imports only, so the same package loads as
`controls` inside the pack (`policies/` is the pack's working directory) and as
`policies.controls` from the repository root (tests, `python -m deploy check`). Only
`pulumi_adapter` needs `pulumi_policy`; nothing here imports it.
"""

from .engine import Evaluation, evaluate
from .model import UNKNOWN, Control, NotApplicable, Res, Stack
from .registry import BY_ID, BY_POLICY_NAME, REGISTRY
from .settings import PolicyConfig, PolicyConfigError, Waiver

__all__ = ["BY_ID", "BY_POLICY_NAME", "REGISTRY", "UNKNOWN", "Control", "Evaluation", "NotApplicable",
           "PolicyConfig", "PolicyConfigError", "Res", "Stack", "Waiver", "evaluate"]
