"""The estimate read from rendered resources, against figures computed by hand (us-east-1 prices).

Resources are built by hand in the shape the offline plan records (type token, camelCase
inputs, mock `state`), so every section can be checked on its own, including EC2 capacity.
"""

from __future__ import annotations

import json

import pytest

from deploy.aws import prices
from deploy.cli import main
from deploy.offline import engine as offline
from deploy.offline.cost import Assumptions, estimate, report
from tests.conftest import make_config

H = 730


def res(type_: str, logical: str, custom: bool = True, id: str | None = None, state: dict | None = None,
        **inputs) -> offline.Resource:
    """A resource as the offline plan records it; keyword arguments are its camelCase inputs."""
    return offline.Resource(f"urn:pulumi:t::p::{type_}::{logical}", type_, logical, None, inputs, custom,
                            id=id or f"{logical}-id", state=state or {})


def lines_of(*resources, region="us-east-1", **assume):
    est = estimate(offline.Rendered("p", "t", list(resources)), region, Assumptions(**assume))
    return est, {line.item: line for line in est.lines}


def task_def(name: str, cpu: str, memory: str, arch: str = "X86_64", log_group: str | None = None, **extra):
    containers = [{"name": "app", "logConfiguration": {"logDriver": "awslogs",
                                                       "options": {"awslogs-group": log_group}}}] if log_group else []
    return res("aws:ecs/taskDefinition:TaskDefinition", name, state={"arn": f"arn:td/{name}:1"}, cpu=cpu,
               memory=memory, runtimePlatform={"cpuArchitecture": arch}, containerDefinitions=json.dumps(containers),
               **extra)


def service(name: str, td: str, desired: int, strategy: list | None = None, public: bool = False, **extra):
    inputs = {"taskDefinition": f"arn:td/{td}:1", "desiredCount": desired,
              "networkConfiguration": {"assignPublicIp": public}, **extra}
    if strategy is not None:
        inputs["capacityProviderStrategies"] = [{"capacityProvider": p, "base": b, "weight": w} for p, b, w in strategy]
    return res("aws:ecs/service:Service", name, state={"name": name}, **inputs)


def test_nat_gateways_and_their_elastic_ips_and_other_ips():
    _, lines = lines_of(res("aws:ec2/natGateway:NatGateway", "nat-0", allocationId="eip-0-id"),
                        res("aws:ec2/natGateway:NatGateway", "nat-1", allocationId="eip-1-id"),
                        res("aws:ec2/eip:Eip", "eip-0"), res("aws:ec2/eip:Eip", "eip-1"),
                        res("aws:ec2/eip:Eip", "bastion-ip"))
    assert lines["NAT gateways"].monthly == pytest.approx(2 * H * 0.045)  # 65.70
    assert lines["NAT gateway public IPv4 (Elastic IPs)"].monthly == pytest.approx(2 * H * 0.005)  # 7.30
    assert lines["other Elastic IPs"].monthly == pytest.approx(1 * H * 0.005)  # 3.65
    assert lines["NAT gateways"].resources == ("nat-0", "nat-1")


def test_alb_hours_lcu_and_one_public_ip_per_az_but_none_when_internal():
    _, lines = lines_of(res("aws:lb/loadBalancer:LoadBalancer", "web", subnets=["a", "b", "c"]),
                        res("aws:lb/loadBalancer:LoadBalancer", "inner", internal=True, subnets=["a", "b"]),
                        alb_lcu=2)
    assert lines["ALB web"].monthly == pytest.approx(H * 0.0225)  # 16.425
    assert lines["ALB web capacity units"].monthly == pytest.approx(2 * H * 0.008)  # 11.68 at the 2-LCU assumption
    assert lines["ALB web public IPv4"].monthly == pytest.approx(3 * H * 0.005)  # 10.95
    assert "ALB inner public IPv4" not in lines and "ALB inner" in lines


def test_fargate_split_by_strategy_with_spot_discount_public_ips_and_autoscaling_range():
    _, lines = lines_of(task_def("a", "512", "1024"),
                        service("a-svc", "a", 2, [("FARGATE", 1, 1), ("FARGATE_SPOT", 0, 1)], public=True),
                        res("aws:appautoscaling/target:Target", "a-scaling", resourceId="service/c/a-svc",
                            minCapacity=1, maxCapacity=4))
    rate = 0.5 * 0.04048 + 1 * 0.004445  # 0.024685 per task-hour
    # 2 tasks: 1 base on FARGATE, the other split 1:1 -> 1.5 on-demand, 0.5 Spot
    assert lines["Fargate a-svc"].monthly == pytest.approx(1.5 * H * rate)  # 27.03
    assert lines["Fargate Spot a-svc"].monthly == pytest.approx(0.5 * H * rate * 0.3)  # 2.70
    assert lines["public IPv4 of tasks (assignPublicIp)"].monthly == pytest.approx(2 * H * 0.005)  # 7.30
    # min 1 task: all on-demand = 18.02; max 4: 2.5 on-demand + 1.5 Spot = 45.05 + 8.11 = 53.16
    assert "autoscaling 1..4 tasks: $18.02..$53.16/month" in lines["Fargate a-svc"].note
    assert "autoscaling" not in lines["Fargate Spot a-svc"].note  # shown once per service


def scheduled_action(name, **capacity):
    return res("aws:appautoscaling/scheduledAction:ScheduledAction", f"a-scaling-schedule-{name}", name=name,
               resourceId="service/c/a-svc", schedule="cron(0 7 ? * MON-FRI *)", scalableTargetAction=capacity)


def test_schedules_widen_the_autoscaling_range_but_not_the_priced_tasks_and_cost_nothing_themselves():
    est, lines = lines_of(task_def("a", "512", "1024"), service("a-svc", "a", 2, [("FARGATE", 0, 1)]),
                          res("aws:appautoscaling/target:Target", "a-scaling", resourceId="service/c/a-svc",
                              minCapacity=2, maxCapacity=4),
                          scheduled_action("peak", minCapacity=4, maxCapacity=10),
                          scheduled_action("night", minCapacity=1))
    rate = 0.5 * 0.04048 + 1 * 0.004445  # 0.024685 per task-hour
    assert lines["Fargate a-svc"].monthly == pytest.approx(2 * H * rate)  # desiredCount, as without schedules
    # 1 task (the night's min) = $18.02; 10 tasks (the peak's max) = $180.20
    assert "autoscaling 1..10 tasks with its schedules: $18.02..$180.20/month" in lines["Fargate a-svc"].note
    assert est.unpriced_types == {}
    assert "scheduled scaling (`autoscaling.schedules`) and predictive scaling are not priced by time of day" in \
        report.as_text(est)


def test_the_schedule_assumption_is_printed_only_for_plans_with_schedules():
    est, _ = lines_of(task_def("a", "512", "1024"), service("a-svc", "a", 2, [("FARGATE", 0, 1)]))
    assert "scheduled scaling" not in report.as_text(est)


def test_arm_tasks_use_arm_prices_and_extra_ephemeral_storage_is_charged():
    _, lines = lines_of(task_def("b", "1024", "2048", "ARM64", ephemeralStorage={"sizeInGib": 50}),
                        service("b-svc", "b", 1, [("FARGATE", 0, 1)]))
    assert lines["Fargate b-svc"].unit_price == pytest.approx(1 * 0.03238 + 2 * 0.00356)  # 0.0395
    assert lines["Fargate b-svc"].monthly == pytest.approx(H * 0.0395)  # 28.835
    assert lines["Fargate storage b-svc"].monthly == pytest.approx(30 * H * 0.000111)  # 2.4309


def test_arm_tasks_on_fargate_spot_pay_the_arm_rate_at_the_spot_discount():
    _, lines = lines_of(task_def("c", "1024", "2048", "ARM64"), service("c-svc", "c", 2, [("FARGATE_SPOT", 0, 1)]))
    arm_rate = 1 * 0.03238 + 2 * 0.00356  # 0.0395 per task-hour on demand
    assert lines["Fargate Spot c-svc"].monthly == pytest.approx(2 * H * arm_rate * 0.3)  # 17.30
    assert "Fargate c-svc" not in lines


def test_service_without_strategy_uses_the_cluster_default_strategy():
    _, lines = lines_of(task_def("c", "256", "512"), service("c-svc", "c", 4),
                        res("aws:ecs/clusterCapacityProviders:ClusterCapacityProviders", "cap",
                            defaultCapacityProviderStrategies=[
                                {"capacityProvider": "FARGATE_SPOT", "base": 0, "weight": 1},
                                {"capacityProvider": "FARGATE", "base": 1, "weight": 0}]))
    rate = 0.25 * 0.04048 + 0.5 * 0.004445  # 0.0123425
    assert lines["Fargate c-svc"].monthly == pytest.approx(1 * H * rate)  # the base, listed second
    assert lines["Fargate Spot c-svc"].monthly == pytest.approx(3 * H * rate * 0.3)


def test_tasks_on_an_ec2_capacity_provider_cost_nothing_beyond_the_instances():
    _, lines = lines_of(task_def("w", "1024", "2048"), service("w-svc", "w", 3, [("prod-ec2-cp", 0, 1)]))
    line = lines["EC2 tasks w-svc"]
    assert line.monthly == 0 and "prod-ec2-cp" in line.note and line.unit_price == 0.0


def test_mixed_instances_group_at_min_size_with_base_percentage_spot_and_root_volumes():
    template = res("aws:ec2/launchTemplate:LaunchTemplate", "lt", id="lt-123",
                   blockDeviceMappings=[{"deviceName": "/dev/xvda", "ebs": {"volumeSize": 50, "volumeType": "gp3"}}])
    group = res("aws:autoscaling/group:Group", "asg", minSize=5, maxSize=10, desiredCapacity=7,
                mixedInstancesPolicy={
                    "launchTemplate": {"launchTemplateSpecification": {"launchTemplateId": "lt-123"},
                                       "overrides": [{"instanceType": "m6i.large"}, {"instanceType": "c6i.large"}]},
                    "instancesDistribution": {"onDemandBaseCapacity": 1, "onDemandPercentageAboveBaseCapacity": 20}})
    _, lines = lines_of(template, group)
    # 5 instances (minSize): 1 + 4 x 20% = 1.8 on-demand, 3.2 Spot at 40% of $0.096
    assert lines["EC2 m6i.large on-demand (asg)"].monthly == pytest.approx(1.8 * H * 0.096)  # 126.144
    assert lines["EC2 m6i.large Spot (asg)"].monthly == pytest.approx(3.2 * H * 0.096 * 0.4)  # 89.7024
    assert lines["EBS gp3 root volumes (asg)"].monthly == pytest.approx(5 * 50 * 0.08)  # 20.00


def test_plain_launch_template_group_and_an_unknown_instance_type_is_not_priced():
    lt = res("aws:ec2/launchTemplate:LaunchTemplate", "lt2", id="lt-2", instanceType="t3.medium")
    odd = res("aws:ec2/launchTemplate:LaunchTemplate", "lt3", id="lt-3", instanceType="x9.huge")
    _, lines = lines_of(lt, odd, res("aws:autoscaling/group:Group", "small", minSize=2, launchTemplate={"id": "lt-2"}),
                        res("aws:autoscaling/group:Group", "odd", minSize=1, launchTemplate={"id": "lt-3"}))
    assert lines["EC2 t3.medium on-demand (small)"].monthly == pytest.approx(2 * H * 0.0416)  # 60.736
    assert lines["EBS gp3 root volumes (small)"].monthly == pytest.approx(2 * 30 * 0.08)  # the 30 GiB assumption
    unknown = lines["EC2 x9.huge on-demand (odd)"]
    assert unknown.unit_price is None and unknown.monthly == 0 and "no us-east-1 price for x9.huge" in unknown.note


def test_interface_endpoints_per_az_and_free_gateway_endpoints():
    _, lines = lines_of(res("aws:ec2/vpcEndpoint:VpcEndpoint", "ecr-api", vpcEndpointType="Interface",
                            serviceName="com.amazonaws.us-east-1.ecr.api", subnetIds=["a", "b", "c"]),
                        res("aws:ec2/vpcEndpoint:VpcEndpoint", "s3", vpcEndpointType="Gateway",
                            serviceName="com.amazonaws.us-east-1.s3"))
    assert lines["interface endpoint ecr.api"].monthly == pytest.approx(3 * H * 0.01)  # 21.90
    assert lines["gateway endpoint s3"].monthly == 0


def test_logs_by_writing_tasks_flow_logs_and_retention_and_ecr_storage():
    group = res("aws:cloudwatch/logGroup:LogGroup", "a-logs", name="/ecs/a", retentionInDays=30,
                state={"arn": "arn:logs:a"})
    flow = res("aws:cloudwatch/logGroup:LogGroup", "flow-logs", name="/vpc/flow", state={"arn": "arn:logs:flow"})
    _, lines = lines_of(task_def("a", "256", "512", log_group="/ecs/a"), service("a-svc", "a", 2), group, flow,
                        res("aws:ec2/flowLog:FlowLog", "flow", logDestination="arn:logs:flow"),
                        res("aws:ecr/repository:Repository", "r1"), res("aws:ecr/repository:Repository", "r2"),
                        log_gb_per_task=1.5)
    # 2 tasks x 1.5 GB + 1 GB of flow logs = 4 GB ingested at $0.50
    assert lines["CloudWatch Logs ingestion"].monthly == pytest.approx(4 * 0.50)
    # kept: 3 GB x 30 days / 30.4167 + 1 GB x 12 months (never expires)
    stored = 3 * 30 / (730 / 24) + 1 * 12
    assert lines["CloudWatch Logs storage"].monthly == pytest.approx(stored * 0.03)
    assert lines["ECR storage"].monthly == pytest.approx(2 * 1 * 0.10)


def test_total_and_categories_and_unpriced_and_per_request_types_are_reported():
    est, _ = lines_of(res("aws:ec2/natGateway:NatGateway", "nat", allocationId="eip-id"), res("aws:ec2/eip:Eip", "eip"),
                      res("aws:sqs/queue:Queue", "jobs"), res("aws:ec2/vpc:Vpc", "vpc"),
                      res("aws:kinesis/stream:Stream", "events"),
                      res("ecsapp:network:Network", "net", custom=False))
    # the gateway 32.85 + its address 3.65 + 10 GB processed (the default traffic) at $0.045 = 36.95
    assert est.total == pytest.approx(H * 0.045 + H * 0.005 + 10 * 0.045)
    assert est.by_category() == {"network": pytest.approx(36.95)}
    assert est.unpriced_types == {"aws:kinesis/stream:Stream": 1}  # a VPC is free; components are not resources
    assert est.per_request == {"aws:sqs/queue:Queue": 1}
    assert not est.complete
    text = report.as_text(est)
    assert "Total (incomplete: see Not priced)" in text
    assert "  - aws:kinesis/stream:Stream: 1" in text
    assert "  - SQS queues (per million requests; the first million a month are free): 1" in text


def test_alarms_are_priced_per_alarm_month_and_not_priced_where_the_price_is_unconfirmed():
    alarms = [res("aws:cloudwatch/metricAlarm:MetricAlarm", f"a{i}") for i in range(3)]
    est, lines = lines_of(*alarms)
    assert lines["CloudWatch alarms"].monthly == pytest.approx(3 * 0.10)
    assert est.complete
    seoul, lines = lines_of(*alarms, region="ap-northeast-2")
    assert lines["CloudWatch alarms"].unit_price is None and lines["CloudWatch alarms"].monthly == 0
    assert seoul.unpriced_types == {"aws:cloudwatch/metricAlarm:MetricAlarm": 3}
    assert report.as_json(seoul)["complete"] is False


def test_an_instance_type_without_a_price_makes_the_estimate_incomplete():
    template = res("aws:ec2/launchTemplate:LaunchTemplate", "lt", instanceType="x9z.large")
    group = res("aws:autoscaling/group:Group", "asg", minSize=1, maxSize=2,
                launchTemplate={"id": "lt-id"})
    est, _ = lines_of(template, group)
    assert est.unpriced_types == {"aws:autoscaling/group:Group": 1}
    assert report.as_json(est)["notPriced"] == {"aws:autoscaling/group:Group": 1}


def test_seoul_prices_and_fallback_region_note():
    est, lines = lines_of(res("aws:ec2/natGateway:NatGateway", "nat"), region="ap-northeast-2")
    assert lines["NAT gateways"].monthly == pytest.approx(H * 0.059)  # 43.07
    assert est.own_table
    other = estimate(offline.Rendered("p", "t", []), "eu-west-1")
    assert other.table.region == "us-east-1" and not other.own_table
    assert "no price table for eu-west-1" in report.as_json(other)["assumptions"][0]


def test_json_shape_is_stable_and_text_prints_every_assumption():
    est, _ = lines_of(res("aws:ec2/natGateway:NatGateway", "nat"))
    data = report.as_json(est)
    assert list(data) == ["project", "stack", "region", "currency", "hoursPerMonth", "total", "byCategory",
                          "lines", "assumptions", "notIncluded", "notPriced", "prices", "perRequest", "complete"]
    assert list(data["lines"][0]) == ["category", "item", "quantity", "unit", "unitPrice", "monthly", "resources",
                                      "note"]
    assert data["prices"]["readOn"] == prices.TABLES["us-east-1"].read_on
    text = report.as_text(est)
    assert all(a in text for a in Assumptions().lines())
    assert "Total" in text and "32.85" in text


def test_cost_exits_1_when_something_is_not_priced_unless_allowed(tmp_path, capsys):
    import yaml

    from tests.conftest import ROOT

    doc = yaml.safe_load((ROOT / "Pulumi.prod.yaml").read_text())
    doc["config"]["aws:region"] = "ap-northeast-2"  # no confirmed alarm price there
    doc["config"]["ecs-app:loadBalancer"]["certificateArn"] = (
        "arn:aws:acm:ap-northeast-2:123456789012:certificate/0d5f2c9e-1111-4a2b-9c3d-7e8f90a1b2c3")
    seoul = tmp_path / "Pulumi.seoul.yaml"
    seoul.write_text(yaml.safe_dump(doc))
    assert main(["cost", "--config-file", str(seoul), "--json"]) == 1
    captured = capsys.readouterr()
    assert json.loads(captured.out)["complete"] is False
    # the dashboard, alarms and Container Insights metrics have no confirmed Seoul price: named, not counted as $0
    assert captured.err.startswith("not priced, left out of the total: "
                                   "aws:cloudwatch/dashboard:Dashboard (1), "
                                   "aws:cloudwatch/metricAlarm:MetricAlarm (10), "
                                   "aws:ecs/cluster:Cluster (1); ")  # Container Insights metrics: no Seoul price
    assert main(["cost", "--config-file", str(seoul), "--allow-unpriced"]) == 0


def test_cost_command_on_the_dev_stack(capsys):
    assert main(["cost", "--stack", "dev", "--json"]) == 0
    data = json.loads(capsys.readouterr().out)
    assert data["stack"] == "dev" and data["region"] == "us-east-1"
    assert data["total"] == pytest.approx(sum(line["monthly"] for line in data["lines"]), abs=1e-3)
    # dev's way out is a t4g.nano NAT instance (`nat: instance`): $0.0042/h, an 8 GiB disk and its address
    nat = next(line for line in data["lines"] if line["item"] == "EC2 t4g.nano on-demand (dev-nat-0-asg)")
    assert nat["monthly"] == pytest.approx(730 * 0.0042)
    ip = next(line for line in data["lines"] if line["item"] == "NAT instance public IPv4 (Elastic IPs)")
    assert ip["monthly"] == pytest.approx(730 * 0.005)
    assert not any(line["item"] == "NAT gateways" for line in data["lines"])
    # the goal of the dev stack (its mandatory controls pass: tests/offline/test_check.py)
    assert data["complete"] and data["total"] <= 45
    # its one ARM64 task is on Fargate Spot, at 30% of the ARM64 on-demand rate
    task = next(line for line in data["lines"] if line["resources"] == ["dev-web-svc"])
    assert task["item"].startswith("Fargate Spot") and task["unitPrice"] == pytest.approx(
        0.3 * (0.25 * 0.03238 + 0.5 * 0.00356))
    # loadBalancer.expectedLcu: 0.1 in the stack file is the LCU line's quantity
    lcu = next(line for line in data["lines"] if line["item"] == "ALB dev-alb capacity units")
    assert (lcu["quantity"], lcu["monthly"]) == (pytest.approx(73), pytest.approx(73 * 0.008))


def test_expected_lcu_defaults_to_one_and_is_read_from_the_config():
    from deploy.cli.commands.cost import config_assumptions

    assert config_assumptions(make_config())["alb_lcu"] == 1.0
    assert config_assumptions(make_config({"loadBalancer": {"expectedLcu": 2.5}}))["alb_lcu"] == 2.5


# --- the ways out, Container Insights and the assumed traffic ---------------------------------

def test_a_regional_nat_gateway_is_listed_as_not_priced_per_az_rather_than_guessed():
    subnets = [res("aws:ec2/subnet:Subnet", f"s{i}") for i in range(4)]  # 2 AZs: a public and a private each
    est, lines = lines_of(res("aws:ec2/natGateway:NatGateway", "nat", availabilityMode="regional"), *subnets)
    line = lines["regional NAT gateway nat"]
    assert (line.quantity, line.unit, line.unit_price) == (2 * 730, "AZ-hour", None)
    assert "rate not confirmed" in line.note
    assert lines["NAT gateway data processing"].unit_price is None
    assert est.unpriced_types == {"aws:ec2/natGateway:NatGateway": 1} and not est.complete  # once, on two lines


def test_a_nat_instance_address_is_named_as_such_and_charges_no_processing_fee():
    eni = res("aws:ec2/networkInterface:NetworkInterface", "nat-eni", sourceDestCheck=False)
    _, lines = lines_of(eni, res("aws:ec2/eip:Eip", "nat-eip", networkInterface="nat-eni-id"),
                        res("aws:ec2/eip:Eip", "spare"))
    assert lines["NAT instance public IPv4 (Elastic IPs)"].resources == ("nat-eip",)
    assert lines["other Elastic IPs"].resources == ("spare",)
    assert "NAT gateway data processing" not in lines


def test_traffic_is_processed_by_the_nat_gateway_or_else_by_the_interface_endpoints():
    endpoint = res("aws:ec2/vpcEndpoint:VpcEndpoint", "logs", vpcEndpointType="Interface",
                   serviceName="com.amazonaws.us-east-1.logs", subnetIds=["a", "b"])
    _, alone = lines_of(endpoint, traffic_gb=100)
    assert alone["interface endpoint data processing"].monthly == pytest.approx(100 * 0.01)
    _, both = lines_of(endpoint, res("aws:ec2/natGateway:NatGateway", "nat"), traffic_gb=100)
    assert both["NAT gateway data processing"].monthly == pytest.approx(100 * 0.045)
    assert "interface endpoint data processing" not in both


def test_container_insights_metrics_are_counted_per_cluster_service_and_task_family():
    cluster = res("aws:ecs/cluster:Cluster", "c", settings=[{"name": "containerInsights", "value": "enabled"}])
    services = [res("aws:ecs/service:Service", f"svc{i}") for i in range(2)]
    families = [res("aws:ecs/taskDefinition:TaskDefinition", f"td{i}", family=f"f{i}") for i in range(2)]
    _, lines = lines_of(cluster, *services, *families)
    line = lines["Container Insights (enabled) c"]
    assert line.quantity == 11 + 13 * 2 + 8 * 2 and line.monthly == pytest.approx(53 * 0.30)
    off = res("aws:ecs/cluster:Cluster", "c", settings=[{"name": "containerInsights", "value": "disabled"}])
    assert not any(item.startswith("Container Insights") for item in lines_of(off)[1])
    enhanced = res("aws:ecs/cluster:Cluster", "c", settings=[{"name": "containerInsights", "value": "enhanced"}])
    assert lines_of(enhanced)[1]["Container Insights (enhanced) c"].unit_price is None  # billed per observation


def test_cost_traffic_flag_changes_the_processing_line_and_refuses_a_negative_amount(capsys):
    assert main(["cost", "--stack", "prod", "--json", "--traffic-gb", "200", "--allow-unpriced"]) == 0
    data = json.loads(capsys.readouterr().out)
    line = next(x for x in data["lines"] if x["item"] == "NAT gateway data processing")
    assert line["monthly"] == pytest.approx(200 * 0.045)
    assert main(["cost", "--stack", "dev", "--traffic-gb", "-1"]) == 2
    assert "--traffic-gb: a number of GB from 0 (got '-1')" in capsys.readouterr().err


def test_a_scheduled_task_is_priced_from_its_runs_its_expected_duration_and_its_size(capsys):
    td = task_def("report-task", "512", "1024")
    schedule = res("aws:scheduler/schedule:Schedule", "report-schedule", scheduleExpression="cron(0 3 * * ? *)",
                   target={"ecsParameters": {"taskDefinitionArn": "arn:td/report-task:1", "taskCount": 2,
                                             "capacityProviderStrategies": [{"capacityProvider": "FARGATE",
                                                                             "weight": 1}]}})
    _, lines = lines_of(td, schedule, run_seconds={"report-schedule": 1800})
    line = lines["scheduled task report-schedule"]
    hours = 365 / 12 * 0.5 * 2  # daily runs x half an hour x 2 tasks
    assert line.quantity == pytest.approx(hours)
    assert line.monthly == pytest.approx(hours * (0.5 * 0.04048 + 1 * 0.004445))
    paused = res("aws:scheduler/schedule:Schedule", "report-schedule", scheduleExpression="rate(1 hour)",
                 target=schedule.inputs["target"])
    paused.inputs["state"] = "DISABLED"  # (`state=` of res() is the resource's outputs)
    assert lines_of(td, paused)[1]["scheduled task report-schedule"].monthly == 0
    # prod's nightly report: the config's expectedDuration (default 300 s) reaches the estimate
    assert main(["cost", "--stack", "prod", "--json", "--allow-unpriced"]) == 0
    data = json.loads(capsys.readouterr().out)
    report = next(x for x in data["lines"] if x["item"] == "scheduled task prod-nightly-report-schedule")
    assert report["quantity"] == pytest.approx(365 / 12 * 300 / 3600, abs=1e-4)  # JSON rounds to 4 places


def _scaled_worker(low: int, high: int):
    return (task_def("w-task", "1024", "2048"),
            res("aws:ecs/service:Service", "w-svc", state={"name": "w-svc"}, taskDefinition="arn:td/w-task:1",
                desiredCount=1, capacityProviderStrategies=[{"capacityProvider": "FARGATE", "weight": 1}]),
            res("aws:appautoscaling/target:Target", "w-target", resourceId="service/c/w-svc", minCapacity=low,
                maxCapacity=high))


def test_a_worker_that_scales_to_zero_is_priced_at_its_busy_fraction_of_max_and_shows_its_range():
    hour = 1 * 0.04048 + 2 * 0.004445
    _, idle = lines_of(*_scaled_worker(0, 10))
    assert "Fargate w-svc" not in idle  # no fraction: priced at min 0, not at the desired count of 1
    _, busy = lines_of(*_scaled_worker(0, 10), busy_fraction={"w-svc": 0.05})
    line = busy["Fargate w-svc"]
    assert line.quantity == pytest.approx(0.5 * 730) and line.monthly == pytest.approx(0.5 * 730 * hour)
    assert "busy 5% of the month at 10, else 0" in line.note
    assert f"autoscaling 0..10 tasks: $0.00..${10 * 730 * hour:,.2f}/month" in line.note


def test_expected_busy_fraction_is_a_share_from_0_to_1(capsys):
    worker = {"kind": "worker", "containers": {"app": {"image": {"uri": "public.ecr.aws/x/y:1"}}},
              "autoscaling": {"min": 0, "max": 4, "expectedBusyFraction": 1.5}}
    with pytest.raises(Exception, match=r"services\.w\.autoscaling\.expectedBusyFraction"):
        make_config(services={"w": worker})


def test_prods_dashboard_is_priced_at_three_dollars_a_month(capsys):
    assert main(["cost", "--stack", "prod", "--json", "--allow-unpriced"]) == 0
    data = json.loads(capsys.readouterr().out)
    (line,) = [x for x in data["lines"] if x["item"] == "CloudWatch dashboards"]
    assert line["category"] == "monitoring" and line["quantity"] == 1 and line["monthly"] == pytest.approx(3.00)


def test_alarms_are_priced_per_metric_they_evaluate_not_per_alarm():
    metric = {"namespace": "AWS/ApplicationELB", "metricName": "RequestCount", "period": 60, "stat": "Sum"}
    rate = res("aws:cloudwatch/metricAlarm:MetricAlarm", "web-5xx", metricQueries=[
        {"id": "e0", "metric": metric}, {"id": "r0", "metric": metric}, {"id": "e1", "metric": metric},
        {"id": "r1", "metric": metric}, {"id": "rate", "expression": "100 * (e0 + e1) / (r0 + r1)"}])
    plain = res("aws:cloudwatch/metricAlarm:MetricAlarm", "queue-age", metricName="ApproximateAgeOfOldestMessage")
    _, lines = lines_of(rate, plain)
    line = lines["CloudWatch alarms"]
    # 4 metrics in the expression + 1: $0.10 each (standard resolution), the expression itself is free
    assert (line.quantity, line.unit, line.monthly) == (5, "alarm metric-month", pytest.approx(0.50))
    assert line.note == "2 alarms evaluating 5 metrics"


def test_a_web_acl_association_adds_nothing_but_says_the_acl_is_billed_outside_the_stack():
    association = res("aws:wafv2/webAclAssociation:WebAclAssociation", "alb-waf",
                      webAclArn="arn:aws:wafv2:us-east-1:123456789012:regional/webacl/shop/0f1e2d3c")
    est, _ = lines_of(association)
    assert est.total == 0
    assert est.unpriced_types == {}
    assert est.per_request == {"aws:wafv2/webAclAssociation:WebAclAssociation": 1}
    assert ("  - AWS WAF: the attached web ACL, outside the stack (per web ACL, rule and million requests it "
            "inspects): 1") in report.as_text(est)


def test_a_firelens_stack_pays_for_the_groups_its_router_and_its_routed_containers_write():
    # The router logs to its own group (awslogs); the app's cloudwatch_logs output writes the service's group.
    app = {"name": "app", "logConfiguration": {"logDriver": "awsfirelens", "options": {
        "Name": "cloudwatch_logs", "log_group_name": "/ecs/a", "region": "us-east-1"}}}
    router = {"name": "log_router", "logConfiguration": {"logDriver": "awslogs", "options": {
        "awslogs-group": "/ecs/a/log-router"}}}
    task = res("aws:ecs/taskDefinition:TaskDefinition", "a", state={"arn": "arn:td/a:1"}, cpu="256", memory="512",
               containerDefinitions=json.dumps([app, router]))
    groups = [res("aws:cloudwatch/logGroup:LogGroup", f"g{i}", name=n, retentionInDays=30)
              for i, n in enumerate(["/ecs/a", "/ecs/a/log-router"])]
    _, lines = lines_of(task, service("a-svc", "a", 3), *groups)
    # 3 tasks x 1 GB into each of the two groups
    assert lines["CloudWatch Logs ingestion"].monthly == pytest.approx(6 * 0.50)
