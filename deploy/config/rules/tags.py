"""Tags: what every resource carries must fit AWS's tag limits."""

from __future__ import annotations

from collections.abc import Iterator

from ...aws.limits import MAX_TAG_KEY, MAX_TAG_VALUE, MAX_TAGS
from .. import resolve
from ..model import StackConfig
from ..problems import Problem

OWN_TAGS = ("Project", "Stack", "ManagedBy", "Name", "Service")
"""Tags the stack adds itself (Name on most resources, Service on a service's)."""


def check(cfg: StackConfig) -> Iterator[Problem]:
    total = len(set(resolve.tags(cfg)) | set(OWN_TAGS))
    if total > MAX_TAGS:
        yield Problem("tags", f"with the stack's own {', '.join(OWN_TAGS)} a resource would carry {total} tags; AWS "
                              f"takes at most {MAX_TAGS}: drop {total - MAX_TAGS}")
    for key, value in cfg.tags.items():
        if len(key) > MAX_TAG_KEY:
            yield Problem(f"tags.{key[:30]}", f"tag keys are at most {MAX_TAG_KEY} characters (got {len(key)})")
        if len(value) > MAX_TAG_VALUE:
            yield Problem(f"tags.{key[:30]}", f"tag values are at most {MAX_TAG_VALUE} characters (got {len(value)})")
        if key.lower().startswith("aws:"):
            yield Problem(f"tags.{key[:30]}", "the aws: prefix is reserved for AWS's own tags")
