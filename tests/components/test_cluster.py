"""Cluster component: Container Insights and the Fargate capacity providers with their default strategy."""

import pytest

from components.cluster import Cluster, StrategyEntry, strategy_inputs
from tests.conftest import make_config
from tests.factories import cluster_args

CLUSTER = "aws:ecs/cluster:Cluster"
CAPACITY = "aws:ecs/clusterCapacityProviders:ClusterCapacityProviders"

SPOT_HEAVY = (StrategyEntry(provider="FARGATE_SPOT", weight=3), StrategyEntry(provider="FARGATE", base=1, weight=1))


def build(cfg=None, **overrides):
    return lambda: Cluster("app", cluster_args(cfg, **overrides))


def test_config_default_container_insights_enabled_reaches_the_cluster(render):
    cluster = render(build(make_config())).one(CLUSTER)
    assert cluster.inputs["settings"] == [{"name": "containerInsights", "value": "enabled"}]


@pytest.mark.parametrize("value", ["enhanced", "disabled"])
def test_container_insights_setting_follows_args(render, value):
    cluster = render(build(container_insights=value)).one(CLUSTER)
    assert cluster.inputs["settings"] == [{"name": "containerInsights", "value": value}]


@pytest.mark.parametrize("value", ["enhanced", "disabled"])
def test_container_insights_setting_follows_the_config(render, value):
    cfg = make_config({"cluster": {"containerInsights": value}})
    cluster = render(build(cfg)).one(CLUSTER)
    assert cluster.inputs["settings"] == [{"name": "containerInsights", "value": value}]


def test_fargate_and_fargate_spot_are_associated_with_the_cluster(render):
    r = render(build())
    capacity = r.one(CAPACITY)
    assert capacity.inputs["capacityProviders"] == ["FARGATE", "FARGATE_SPOT"]
    # Wired to this cluster by value: the association names the cluster resource's own name.
    assert capacity.inputs["clusterName"] == r.one(CLUSTER).state["name"]


def test_config_default_strategy_all_on_demand_fargate_reaches_the_cluster(render):
    capacity = render(build(make_config())).one(CAPACITY)
    assert capacity.inputs["defaultCapacityProviderStrategies"] == [
        {"capacityProvider": "FARGATE", "base": 0, "weight": 1}]


def test_default_strategy_carries_base_and_weights_sorted_by_provider(render):
    capacity = render(build(default_strategy=SPOT_HEAVY)).one(CAPACITY)
    assert capacity.inputs["defaultCapacityProviderStrategies"] == [
        {"capacityProvider": "FARGATE", "base": 1, "weight": 1},
        {"capacityProvider": "FARGATE_SPOT", "base": 0, "weight": 3},
    ]


def test_strategy_from_the_config_reaches_the_cluster(render):
    cfg = make_config({"cluster": {"capacityProviderStrategy": [
        {"provider": "FARGATE_SPOT", "weight": 3}, {"provider": "FARGATE", "base": 1, "weight": 1}]}})
    capacity = render(build(cfg)).one(CAPACITY)
    assert capacity.inputs["defaultCapacityProviderStrategies"] == [
        {"capacityProvider": "FARGATE", "base": 1, "weight": 1},
        {"capacityProvider": "FARGATE_SPOT", "base": 0, "weight": 3},
    ]


def test_reordering_the_strategy_does_not_change_the_inputs(render):
    forward = render(build(default_strategy=SPOT_HEAVY)).one(CAPACITY).inputs
    backward = render(build(default_strategy=tuple(reversed(SPOT_HEAVY)))).one(CAPACITY).inputs
    assert forward["defaultCapacityProviderStrategies"] == backward["defaultCapacityProviderStrategies"]


def test_component_exposes_the_cluster_resources_name_and_arn(render):
    def program():
        cluster = Cluster("app", cluster_args())
        return {"name": cluster.name, "arn": cluster.arn}

    r = render(program)
    cluster = r.one(CLUSTER)
    assert r.outputs == {"name": cluster.state["name"], "arn": cluster.state["arn"]}


def test_every_child_is_parented_to_the_component(render):
    r = render(build())
    component = r.one("ecsapp:cluster:Cluster")
    assert {x.type for x in r.children(component)} == {CLUSTER, CAPACITY}


def test_strategy_inputs_sorts_by_provider_and_uses_the_provider_input_shape():
    assert strategy_inputs(SPOT_HEAVY, {}) == [
        {"capacity_provider": "FARGATE", "base": 1, "weight": 1},
        {"capacity_provider": "FARGATE_SPOT", "base": 0, "weight": 3},
    ]


def test_strategy_inputs_is_independent_of_the_input_order():
    assert strategy_inputs(SPOT_HEAVY, {}) == strategy_inputs(tuple(reversed(SPOT_HEAVY)), {})


def test_strategy_inputs_maps_config_provider_names_to_real_ones():
    entries = (StrategyEntry(provider="EC2", weight=1),)
    assert strategy_inputs(entries, {"EC2": "p-ec2-cp"}) == [{"capacity_provider": "p-ec2-cp", "base": 0, "weight": 1}]


# --- ECS Exec session logs ---------------------------------------------------------------------

LOG_GROUP = "aws:cloudwatch/logGroup:LogGroup"
KMS_ARN = "arn:aws:kms:us-east-1:123456789012:key/1234abcd-12ab-34cd-56ef-1234567890ab"
WRITABLE_WEB = {"containers": {"app": {"image": {"uri": "busybox:1.36"}, "ports": [8080],
                                       "readonlyRootFilesystem": False}}, "exec": True}


def test_without_ecs_exec_the_cluster_has_no_execute_command_configuration_and_no_session_log_group(render):
    r = render(build(make_config()))
    assert "configuration" not in r.one(CLUSTER).inputs
    assert r.of_type(LOG_GROUP) == []


def test_ecs_exec_sessions_are_logged_to_the_stacks_session_log_group(render):
    cfg = make_config({"logs": {"retentionDays": 90}}, services={"web": WRITABLE_WEB})
    r = render(build(cfg))
    group = r.one(LOG_GROUP)
    assert (group.inputs["name"], group.inputs["retentionInDays"]) == ("/ecs-exec/ecs-app/test", 90)
    assert "kmsKeyId" not in group.inputs
    assert r.one(CLUSTER).inputs["configuration"] == {"executeCommandConfiguration": {
        "logging": "OVERRIDE", "logConfiguration": {"cloudWatchLogGroupName": "/ecs-exec/ecs-app/test",
                                                    "cloudWatchEncryptionEnabled": False}}}


def test_with_a_logs_key_the_session_log_group_and_the_sessions_are_encrypted_with_it(render):
    cfg = make_config({"logs": {"kmsKeyArn": KMS_ARN}}, services={"web": WRITABLE_WEB})
    r = render(build(cfg))
    assert r.one(LOG_GROUP).inputs["kmsKeyId"] == KMS_ARN
    execute = r.one(CLUSTER).inputs["configuration"]["executeCommandConfiguration"]
    assert execute["kmsKeyId"] == KMS_ARN
    assert execute["logConfiguration"]["cloudWatchEncryptionEnabled"] is True


def test_a_protected_stack_protects_the_session_log_group(render):
    cfg = make_config({"protect": True}, services={"web": WRITABLE_WEB})
    assert render(build(cfg)).one(LOG_GROUP).protect is True
