"""Volumes and mounts: EFS file systems a service mounts, and where its containers see them.

Sources (ECS API model, botocore `ecs` / `efs`, and the ECS developer guide, "Amazon EFS volumes"):
- `EFSVolumeConfiguration.rootDirectory`: "If an EFS access point is specified in the
  `authorizationConfig`, the root directory parameter must either be omitted or set to `/`".
- `MountPoint.sourceVolume` must name a volume of the task definition (`Volume.name`).
- a container cannot mount two volumes at one path: Docker refuses duplicate mount points.
- Fargate mounts EFS from platform version 1.4.0 on; the stack always runs `LATEST` (1.4.0), so
  no setting here can pick an older one.
"""

from __future__ import annotations

from collections.abc import Iterator

from ...aws import naming
from ..model import Efs, Service, StackConfig
from ..problems import Problem

_CREATED_ONLY = ("kms_key_arn", "kmsKeyArn"), ("transition_to_ia", "transitionToIa")


def check(cfg: StackConfig) -> Iterator[Problem]:
    for name, svc in cfg.services.items():
        yield from _volumes(f"services.{name}", svc)
        yield from _mounts(f"services.{name}", svc)


def _volumes(key: str, svc: Service) -> Iterator[Problem]:
    writable = {naming.volume_name(c, p) for c, container in svc.containers.items() for p in container.writable_paths}
    for vname, volume in svc.volumes.items():
        vkey = f"{key}.volumes.{vname}"
        if vname in writable:
            yield Problem(vkey, f"{vname!r} is the name of the task volume of a `writablePaths` entry; name the "
                                "volume otherwise")
        yield from _efs(f"{vkey}.efs", volume.efs)


def _efs(key: str, efs: Efs) -> Iterator[Problem]:
    if efs.create == (efs.file_system_id is not None):
        yield Problem(key, "set either `fileSystemId` (an existing file system) or `create: true` (the stack "
                           "creates one), not both" if efs.create else
                           "set `fileSystemId` (an existing file system, fs-...) or `create: true`")
        return
    if efs.create:
        if efs.access_point_id is not None:
            yield Problem(f"{key}.accessPointId", "an access point belongs to an existing file system: the stack "
                                                  "creates none for `create: true`; use `rootDirectory` instead")
        return
    for attr, alias in _CREATED_ONLY:
        if getattr(efs, attr) is not None:
            yield Problem(f"{key}.{alias}", "applies only to a file system the stack creates (`create: true`); "
                                            "an existing one keeps its own settings")
    if "expected_gb" in efs.model_fields_set:
        yield Problem(f"{key}.expectedGb", "applies only to a file system the stack creates (`create: true`); "
                                           "`cost` does not price an existing one")
    # botocore ecs EFSVolumeConfiguration.rootDirectory: omitted or "/" with an access point.
    if efs.access_point_id is not None and efs.root_directory not in (None, "/"):
        yield Problem(f"{key}.rootDirectory", f"must be absent or '/' with an access point, which sets the "
                                              f"directory itself (got {efs.root_directory!r})")


def _mounts(key: str, svc: Service) -> Iterator[Problem]:
    for cname, c in svc.containers.items():
        ckey = f"{key}.containers.{cname}"
        paths = {p.rstrip("/") or "/": f"writablePaths[{i}]" for i, p in enumerate(c.writable_paths)}
        for i, m in enumerate(c.mounts):
            mkey = f"{ckey}.mounts[{i}]"
            if m.volume not in svc.volumes:
                known = ", ".join(sorted(svc.volumes)) or "none"
                yield Problem(f"{mkey}.volume", f"{m.volume!r} is not a volume of this service (`volumes`: {known})")
            path = m.path.rstrip("/") or "/"
            if path in paths:
                yield Problem(f"{mkey}.path", f"{m.path!r} is already mounted by {paths[path]}; a container "
                                              "mounts one volume at a path")
            paths.setdefault(path, f"mounts[{i}]")
