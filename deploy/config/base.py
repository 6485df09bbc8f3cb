"""The base of every config model, and the capacity provider strategy shared by sections."""

from __future__ import annotations

from typing import Literal

from pydantic import BaseModel, ConfigDict, Field
from pydantic.alias_generators import to_camel


class Model(BaseModel):
    model_config = ConfigDict(
        alias_generator=to_camel, populate_by_name=True, extra="forbid", frozen=True
    )


class StrategyItem(Model):
    provider: Literal["FARGATE", "FARGATE_SPOT", "EC2"] = Field(
        description="Capacity provider: FARGATE, FARGATE_SPOT, or EC2 (the stack's `cluster.ec2` group).")
    base: int = Field(0, ge=0, le=100000, description="Tasks always placed on this provider first.")
    weight: int = Field(0, ge=0, le=1000, description="Relative share of the tasks beyond the base.")
