"""The one list of controls: what the CrossGuard pack enforces and what `deploy check` reports."""

from __future__ import annotations

from . import compute, ecr, ecs, elb, iam, network, reliability, storage
from .model import Control

REGISTRY: tuple[Control, ...] = tuple(
    ecs.CONTROLS + ecr.CONTROLS + elb.CONTROLS + network.CONTROLS + compute.CONTROLS + iam.CONTROLS
    + storage.CONTROLS + reliability.CONTROLS)

BY_ID = {c.id: c for c in REGISTRY}
BY_POLICY_NAME = {c.policy_name: c for c in REGISTRY}

if not len(BY_ID) == len(REGISTRY) == len(BY_POLICY_NAME):
    raise ValueError("control IDs and policy names must be unique")
