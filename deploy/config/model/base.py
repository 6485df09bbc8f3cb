"""The base of every config model, and the capacity provider strategy shared by sections."""

from __future__ import annotations

from typing import Annotated, Literal

from pydantic import BaseModel, ConfigDict, Field
from pydantic.alias_generators import to_camel

from .types import Bounds


class Model(BaseModel):
    """camelCase keys as in the stack file, unknown keys refused, values frozen once read."""

    model_config = ConfigDict(alias_generator=to_camel, populate_by_name=True, extra="forbid", frozen=True)


class StrategyItem(Model):
    provider: Literal["FARGATE", "FARGATE_SPOT", "EC2"] = Field(
        description="Capacity provider: FARGATE, FARGATE_SPOT, or EC2 (the stack's `cluster.ec2` group).")
    base: Annotated[int, Bounds(0, 100000)] = Field(0, description="Tasks always placed on this provider first.")
    weight: Annotated[int, Bounds(0, 1000)] = Field(0, description="Relative share of the tasks beyond the base.")
