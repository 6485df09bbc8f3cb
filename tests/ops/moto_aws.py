"""A moto server on loopback, and a deployed stack's AWS resources made in it through boto3.

The tests of `deploy.ops.tasks`, `deploy.ops.logs` and of `run` / `logs` talk to this server exactly as they
talk to AWS: boto3 clients whose endpoint comes from AWS_ENDPOINT_URL. A test module takes
the fixtures with `pytest_plugins = ["tests.ops.moto_aws"]`; the `aws` fixture carries the
helpers (`aws.deploy_stack()`, `aws.put_log(...)`, `aws.set_transition(...)`).

What moto (5.2) does with tasks, which the tests are written around:
- RunTask keeps `overrides`, `platformVersion`, `startedBy`; of a capacity provider strategy
  it reports the first provider as `capacityProviderName`; the network configuration is not
  echoed, but the task's ENI is created in the first subnet with the security groups.
- A task is model `ecs::task` of moto's state manager: by default each DescribeTasks moves it
  one step, RUNNING -> DEACTIVATING -> STOPPING -> DEPROVISIONING -> STOPPED, so the fourth
  DescribeTasks sees STOPPED. `aws.set_transition("immediate")` stops it at once;
  `("manual", times=N)` holds it N DescribeTasks per step.
- Its only container is the task definition's first, always `exitCode` 0; no `stopCode`.
  StopTask sets STOPPED and `stoppedReason` (the exit code stays 0).
- CreateService ignores `capacityProviderStrategy` (UpdateService keeps it); awsvpc RunTask
  fails (HTTP 500) unless the VPC has DNS host names and every container sets `memory`.
- PutLogEvents refuses events older than 14 days: tests log at about now.
"""

from __future__ import annotations

import json
import logging
import time
import urllib.request
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import boto3
import pytest

REGION = "us-east-1"


@pytest.fixture(scope="session")
def moto_endpoint():
    """One moto server per test process, on 127.0.0.1 and a free port."""
    from moto.server import ThreadedMotoServer

    logging.getLogger("werkzeug").setLevel(logging.ERROR)
    server = ThreadedMotoServer(ip_address="127.0.0.1", port=0, verbose=False)
    server.start()
    host, port = server.get_host_and_port()
    yield f"http://{host}:{port}"
    server.stop()


def moto_api(endpoint: str, path: str, body: dict[str, Any] | None = None) -> None:
    request = urllib.request.Request(f"{endpoint}/moto-api/{path}", data=json.dumps(body or {}).encode(),
                                     method="POST")
    with urllib.request.urlopen(request, timeout=10):  # the loopback moto server
        pass


def now_ms() -> int:
    return int(time.time() * 1000)


def _container(name: str, prefix: str | None, essential: bool = True) -> dict[str, Any]:
    definition: dict[str, Any] = {"name": name, "image": "public.ecr.aws/docker/library/busybox:1.36",
                                  "memory": 256, "essential": essential, "command": ["sleep", "3600"]}
    if prefix is not None:
        definition["logConfiguration"] = {"logDriver": "awslogs", "options": {
            "awslogs-group": f"/ecs/test-{prefix}", "awslogs-region": REGION, "awslogs-stream-prefix": prefix}}
    return definition


@dataclass
class Aws:
    endpoint: str
    session: Any

    def client(self, name: str) -> Any:
        return self.session.client(name)

    def set_transition(self, progression: str, times: int | None = None) -> None:
        """How moto moves tasks towards STOPPED (its state manager, model `ecs::task`)."""
        transition: dict[str, Any] = {"progression": progression}
        if times is not None:
            transition["times"] = times
        moto_api(self.endpoint, "state-manager/set-transition", {"model_name": "ecs::task", "transition": transition})

    def deploy_stack(self) -> dict[str, Any]:
        """What `up` creates for two services, made with boto3: `web` (an ECS service on a Fargate Spot strategy,
        private subnets) and `nightly` (a scheduled task, public IP, its own security group). Returns the stack
        outputs as `outputs --json` prints them, plus `securityGroups` (not an output) to check against."""
        ec2, ecs, logs = self.client("ec2"), self.client("ecs"), self.client("logs")
        vpc = ec2.create_vpc(CidrBlock="10.20.0.0/16")["Vpc"]["VpcId"]
        ec2.modify_vpc_attribute(VpcId=vpc, EnableDnsHostnames={"Value": True})
        private = [ec2.create_subnet(VpcId=vpc, CidrBlock=f"10.20.{i}.0/24")["Subnet"]["SubnetId"] for i in (1, 2)]
        public = ec2.create_subnet(VpcId=vpc, CidrBlock="10.20.100.0/24")["Subnet"]["SubnetId"]
        web_sg = ec2.create_security_group(GroupName="test-web", Description="web tasks", VpcId=vpc)["GroupId"]
        nightly_sg = ec2.create_security_group(GroupName="test-nightly", Description="nightly", VpcId=vpc)["GroupId"]
        cluster = ecs.create_cluster(clusterName="test-cluster", capacityProviders=["FARGATE", "FARGATE_SPOT"])
        for group in ("/ecs/test-web", "/ecs/test-nightly"):
            logs.create_log_group(logGroupName=group)
        fargate = {"networkMode": "awsvpc", "requiresCompatibilities": ["FARGATE"], "cpu": "256", "memory": "512"}
        web = ecs.register_task_definition(family="test-web", **fargate, containerDefinitions=[
            _container("app", "web"), _container("side", "web", essential=False)])["taskDefinition"]
        # The first container is not essential: the default container is the essential one.
        nightly = ecs.register_task_definition(family="test-nightly", **fargate, containerDefinitions=[
            _container("init", None, essential=False), _container("job", "nightly")])["taskDefinition"]
        ecs.create_service(cluster="test-cluster", serviceName="test-web-svc",
                           taskDefinition=web["taskDefinitionArn"], desiredCount=0, launchType="FARGATE",
                           platformVersion="1.4.0", networkConfiguration={"awsvpcConfiguration": {
                               "subnets": private, "securityGroups": [web_sg], "assignPublicIp": "DISABLED"}})
        ecs.update_service(cluster="test-cluster", service="test-web-svc", capacityProviderStrategy=[
            {"capacityProvider": "FARGATE_SPOT", "weight": 1, "base": 0},
            {"capacityProvider": "FARGATE", "weight": 0, "base": 1}])
        self.client("scheduler").create_schedule(
            Name="test-nightly-schedule", ScheduleExpression="cron(0 3 * * ? *)", FlexibleTimeWindow={"Mode": "OFF"},
            Target={"Arn": cluster["cluster"]["clusterArn"], "RoleArn": "arn:aws:iam::123456789012:role/test-invoke",
                    "EcsParameters": {
                        "TaskDefinitionArn": nightly["taskDefinitionArn"], "TaskCount": 1,
                        "PlatformVersion": "LATEST", "CapacityProviderStrategy": [
                            {"capacityProvider": "FARGATE", "weight": 1}],
                        "NetworkConfiguration": {"awsvpcConfiguration": {
                            "Subnets": [public], "SecurityGroups": [nightly_sg], "AssignPublicIp": "ENABLED"}}}})
        return {
            "clusterName": "test-cluster", "clusterArn": cluster["cluster"]["clusterArn"],
            "serviceNames": {"web": "test-web-svc"},
            "taskDefinitionArns": {"web": web["taskDefinitionArn"], "nightly": nightly["taskDefinitionArn"]},
            "logGroupNames": {"web": "/ecs/test-web", "nightly": "/ecs/test-nightly"},
            "scheduleNames": {"nightly": "test-nightly-schedule"},
            "privateSubnetIds": private, "publicSubnetIds": [public],
            "securityGroups": {"web": web_sg, "nightly": nightly_sg},
        }

    def put_log(self, group: str, stream: str, *messages: str, at: int | None = None) -> None:
        """Log events as the awslogs driver writes them, one millisecond apart from `at` (default now)."""
        logs = self.client("logs")
        if not logs.describe_log_streams(logGroupName=group, logStreamNamePrefix=stream)["logStreams"]:
            logs.create_log_stream(logGroupName=group, logStreamName=stream)
        start = at if at is not None else now_ms()
        logs.put_log_events(logGroupName=group, logStreamName=stream,
                            logEvents=[{"timestamp": start + i, "message": m} for i, m in enumerate(messages)])

    def task(self, task_arn: str) -> dict[str, Any]:
        return self.client("ecs").describe_tasks(cluster="test-cluster", tasks=[task_arn])["tasks"][0]

    def task_network(self, task: dict[str, Any]) -> tuple[str, list[str]]:
        """(subnet, security groups) of a task's network interface: what RunTask's awsvpcConfiguration said."""
        details = {d["name"]: d["value"] for d in task["attachments"][0]["details"]}
        eni = self.client("ec2").describe_network_interfaces(NetworkInterfaceIds=[details["networkInterfaceId"]])
        return details["subnetId"], [g["GroupId"] for g in eni["NetworkInterfaces"][0]["Groups"]]


@pytest.fixture
def aws(moto_endpoint, monkeypatch) -> Aws:
    """An empty moto account, and an environment in which boto3 finds only it (test credentials, its endpoint)."""
    moto_api(moto_endpoint, "reset")
    moto_api(moto_endpoint, "state-manager/unset-transition", {"model_name": "ecs::task"})
    for var in ("AWS_REGION", "AWS_DEFAULT_REGION", "AWS_PROFILE", "AWS_SESSION_TOKEN",
                "AWS_CONTAINER_CREDENTIALS_RELATIVE_URI", "AWS_CONTAINER_CREDENTIALS_FULL_URI"):
        monkeypatch.delenv(var, raising=False)
    monkeypatch.setenv("AWS_ACCESS_KEY_ID", "testing")
    monkeypatch.setenv("AWS_SECRET_ACCESS_KEY", "testing")
    monkeypatch.setenv("AWS_ENDPOINT_URL", moto_endpoint)
    monkeypatch.setenv("AWS_CONFIG_FILE", "/nonexistent/aws-config")
    monkeypatch.setenv("AWS_SHARED_CREDENTIALS_FILE", "/nonexistent/aws-credentials")
    monkeypatch.setenv("AWS_EC2_METADATA_DISABLED", "true")
    return Aws(moto_endpoint, boto3.Session(region_name=REGION))


@pytest.fixture
def outputs_file(aws, tmp_path) -> tuple[dict[str, Any], Path]:
    """The deployed stack's outputs, and the file `python -m deploy outputs --stack S --json > FILE` saves."""
    outputs = aws.deploy_stack()
    path = tmp_path / "outputs.json"
    path.write_text(json.dumps({k: v for k, v in outputs.items() if k != "securityGroups"}, indent=2))
    return outputs, path
