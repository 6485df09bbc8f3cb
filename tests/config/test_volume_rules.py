"""EFS volumes and mounts: what the config refuses, by key, before anything is created."""

from __future__ import annotations

from typing import Any

import pytest

from deploy.config.problems import ConfigError
from tests.conftest import PRIVATE_IMAGE, make_config

FS = "fs-0123456789abcdef0"
AP = "fsap-0123456789abcdef0"
KMS = "arn:aws:kms:us-east-1:123456789012:key/1234abcd-12ab-34cd-56ef-1234567890ab"


def web(volumes: dict[str, Any], **container: Any) -> dict[str, Any]:
    return {"web": {"containers": {"app": {"image": {"uri": PRIVATE_IMAGE}, "ports": [8080], **container}},
                    "volumes": volumes}}


CASES: list[tuple[dict[str, Any], str, str]] = [
    (web({"data": {"efs": {}}}), "services.web.volumes.data.efs",
     "set `fileSystemId` (an existing file system, fs-...) or `create: true`"),
    (web({"data": {"efs": {"fileSystemId": FS, "create": True}}}), "services.web.volumes.data.efs",
     "set either `fileSystemId` (an existing file system) or `create: true` (the stack creates one), not both"),
    (web({"data": {"efs": {"create": True, "accessPointId": AP}}}), "services.web.volumes.data.efs.accessPointId",
     "an access point belongs to an existing file system: the stack creates none for `create: true`; use "
     "`rootDirectory` instead"),
    (web({"data": {"efs": {"fileSystemId": FS, "kmsKeyArn": KMS}}}), "services.web.volumes.data.efs.kmsKeyArn",
     "applies only to a file system the stack creates (`create: true`); an existing one keeps its own settings"),
    (web({"data": {"efs": {"fileSystemId": FS, "expectedGb": 50}}}), "services.web.volumes.data.efs.expectedGb",
     "applies only to a file system the stack creates (`create: true`); `cost` does not price an existing one"),
    (web({"data": {"efs": {"fileSystemId": FS, "accessPointId": AP, "rootDirectory": "/srv"}}}),
     "services.web.volumes.data.efs.rootDirectory",
     "must be absent or '/' with an access point, which sets the directory itself (got '/srv')"),
    (web({"app-tmp": {"efs": {"create": True}}}, writablePaths=["/tmp"]), "services.web.volumes.app-tmp",
     "'app-tmp' is the name of the task volume of a `writablePaths` entry; name the volume otherwise"),
    (web({"data": {"efs": {"create": True}}}, mounts=[{"volume": "date", "path": "/data"}]),
     "services.web.containers.app.mounts[0].volume", "'date' is not a volume of this service (`volumes`: data)"),
    (web({"data": {"efs": {"create": True}}}, writablePaths=["/data"], mounts=[{"volume": "data", "path": "/data/"}]),
     "services.web.containers.app.mounts[0].path",
     "'/data/' is already mounted by writablePaths[0]; a container mounts one volume at a path"),
    (web({"a": {"efs": {"create": True}}, "b": {"efs": {"fileSystemId": FS}}},
         mounts=[{"volume": "a", "path": "/data"}, {"volume": "b", "path": "/data"}]),
     "services.web.containers.app.mounts[1].path",
     "'/data' is already mounted by mounts[0]; a container mounts one volume at a path"),
]


@pytest.mark.parametrize("services,key,message", CASES)
def test_each_invalid_combination_is_refused_with_its_key(services, key, message):
    with pytest.raises(ConfigError) as err:
        make_config(services=services)
    assert (key, message) in {(p.key, p.message) for p in err.value.problems}


@pytest.mark.parametrize("efs,key,message", [
    ({"fileSystemId": "fs-123"}, "services.web.volumes.data.efs.fileSystemId",
     "must be an EFS file system ID (fs- and 8 to 40 hex digits)"),
    ({"fileSystemId": FS, "accessPointId": "ap-1"}, "services.web.volumes.data.efs.accessPointId",
     "must be an EFS access point ID (fsap- and 8 to 40 hex digits)"),
    ({"create": True, "transitionToIa": 2}, "services.web.volumes.data.efs.transitionToIa", "1, 7, 14"),
])
def test_ids_and_days_aws_would_refuse_are_refused_by_the_model(efs, key, message):
    with pytest.raises(ConfigError) as err:
        make_config(services=web({"data": {"efs": efs}}))
    assert any(p.key == key and message in p.message for p in err.value.problems), err.value.problems


def test_a_volume_name_ecs_would_refuse_is_refused():
    with pytest.raises(ConfigError) as err:
        make_config(services=web({"my data": {"efs": {"create": True}}}))
    assert [p.key for p in err.value.problems] == ["services.web.volumes.my data"]


def test_an_existing_file_system_with_an_access_point_and_a_scheduled_task_mounting_a_created_one_are_valid():
    cfg = make_config(services={
        **web({"shared": {"efs": {"fileSystemId": FS, "accessPointId": AP, "rootDirectory": "/"}}},
              mounts=[{"volume": "shared", "path": "/shared", "readOnly": True}]),
        "job": {"kind": "scheduled", "schedule": {"expression": "rate(1 hour)"},
                "containers": {"job": {"image": {"uri": PRIVATE_IMAGE}, "mounts": [{"volume": "out", "path": "/out"}]}},
                "volumes": {"out": {"efs": {"create": True, "kmsKeyArn": KMS, "transitionToIa": 30,
                                            "expectedGb": 20}}}}})
    assert cfg.services["job"].volumes["out"].efs.expected_gb == 20
    assert cfg.services["web"].containers["app"].mounts[0].read_only is True
