"""IAM, CloudWatch Logs and SQS controls. Policy documents are JSON strings, as AWS receives them."""

from __future__ import annotations

import json

import pytest

from tests.policies.test_support import Case, assert_case, res, run

ROLE_POLICY = "aws:iam/rolePolicy:RolePolicy"
POLICY = "aws:iam/policy:Policy"
ROLE = "aws:iam/role:Role"
ATTACHMENT = "aws:iam/rolePolicyAttachment:RolePolicyAttachment"
LOG_GROUP = "aws:cloudwatch/logGroup:LogGroup"
QUEUE = "aws:sqs/queue:Queue"
SECRET_ARN = "arn:aws:secretsmanager:us-east-1:123456789012:secret:prod/web/db-AbCdEf"


def doc(*statements: dict) -> str:
    return json.dumps({"Version": "2012-10-17", "Statement": list(statements)})


def allow(action, resource, **extra) -> dict:
    return {"Effect": "Allow", "Action": action, "Resource": resource, **extra}


def inline(*statements: dict, name: str = "task-policy") -> object:
    return res(ROLE_POLICY, {"role": "task-role", "policy": doc(*statements)}, name=name)


# What the stack's execution roles really hold: ECR's token action needs "*", the rest is named.
EXECUTION = inline(allow("ecr:GetAuthorizationToken", "*", Sid="EcrToken"),
                   allow(["ecr:BatchGetImage", "ecr:GetDownloadUrlForLayer"], ["arn:aws:ecr:::repository/web"]),
                   allow("secretsmanager:GetSecretValue", [SECRET_ARN]), name="execution-policy")

CASES = [
    Case("IAM.1", "scoped execution policy", (EXECUTION,), "pass"),
    Case("IAM.1", "\"*\" on \"*\" inline", (inline(allow("*", "*")),), "fail", "full administrator"),
    Case("IAM.1", "\"*\" on \"*\" in a managed policy", (res(POLICY, {"policy": doc(allow(["*"], ["*"]))}),),
         "fail", "Action \"*\" on Resource \"*\""),
    Case("IAM.1", "AdministratorAccess attached", (res(ATTACHMENT, {
        "role": "r", "policyArn": "arn:aws:iam::aws:policy/AdministratorAccess"}),), "fail", "AdministratorAccess"),
    Case("IAM.1", "ECS instance role attached", (res(ATTACHMENT, {
        "role": "r", "policyArn": "arn:aws:iam::aws:policy/service-role/AmazonEC2ContainerServiceforEC2Role"}),),
         "pass"),
    Case("IAM.1", "admin inline policy on a role", (res(ROLE, {"assumeRolePolicy": doc(), "inlinePolicies": [
        {"name": "admin", "policy": doc(allow("*", "*"))}]}),), "fail", "inline policy admin"),
    Case("IAM.21", "named actions", (EXECUTION,), "pass"),
    Case("IAM.21", "a service wildcard", (inline(allow("s3:*", ["arn:aws:s3:::bucket/*"])),), "fail",
         "allows Action s3:*"),
    Case("IAM.21", "NotAction with a service wildcard", (inline({"Effect": "Allow", "NotAction": "iam:*",
                                                                   "Resource": "*"}),), "fail", "NotAction iam:*"),
    Case("IAM.21", "Describe* is not a service wildcard", (inline(allow("ec2:Describe*", "*")),), "pass"),
    Case("SEC.1", "secret named by ARN", (EXECUTION,), "pass"),
    Case("SEC.1", "every secret", (inline(allow("secretsmanager:GetSecretValue", "*")),), "fail",
         "secretsmanager:GetSecretValue on Resource \"*\""),
    Case("SEC.1", "every KMS key through a wildcard action", (inline(allow("kms:Decr*", "*")),), "fail",
         "kms:Decrypt"),
    Case("SEC.1", "NotAction on \"*\" grants secret reads", (inline({"Effect": "Allow", "NotAction": ["iam:*"],
                                                                       "Resource": "*"}),), "fail",
         "ssm:GetParameters"),
    Case("SEC.1", "a Deny on \"*\" grants nothing", (inline({"Effect": "Deny", "Action": "kms:Decrypt",
                                                               "Resource": "*"}),), "pass"),
    Case("CloudWatch.16", "a year of logs", (res(LOG_GROUP, {"name": "/ecs/web", "retentionInDays": 365}),),
         "pass"),
    Case("CloudWatch.16", "a week of logs", (res(LOG_GROUP, {"name": "/ecs/web", "retentionInDays": 7}),), "fail",
         "retentionInDays is 7"),
    Case("CloudWatch.16", "never expire", (res(LOG_GROUP, {"name": "/ecs/web"}),), "fail", "never expire"),
    Case("SQS.1", "SSE-SQS", (res(QUEUE, {"sqsManagedSseEnabled": True}),), "pass"),
    Case("SQS.1", "provider default (SSE-SQS)", (res(QUEUE, {"visibilityTimeoutSeconds": 30}),), "pass"),
    Case("SQS.1", "KMS instead of SSE-SQS", (res(QUEUE, {"sqsManagedSseEnabled": False,
                                                          "kmsMasterKeyId": "alias/queue"}),), "pass"),
    Case("SQS.1", "encryption switched off", (res(QUEUE, {"sqsManagedSseEnabled": False}),), "fail",
         "stored unencrypted"),
]


@pytest.mark.parametrize("case", CASES, ids=lambda c: f"{c.control}: {c.label}")
def test_case(case):
    assert_case(case)


def test_trust_policies_are_not_identity_policies():
    role = res(ROLE, {"assumeRolePolicy": doc({"Effect": "Allow", "Action": "sts:AssumeRole",
                                               "Principal": {"Service": "ecs-tasks.amazonaws.com"}})})
    for control in ("IAM.1", "IAM.21", "SEC.1"):
        assert run(control, role).status == "pass", control


def test_the_statement_is_named_by_sid():
    result = run("IAM.1", inline(allow("*", "*", Sid="Everything")))
    assert result.violations[0].message == "policy statement 'Everything' allows Action \"*\" on Resource \"*\" " \
                                           "(full administrator)"


def test_log_retention_minimum_is_a_policy_parameter():
    group = res(LOG_GROUP, {"name": "/ecs/web", "retentionInDays": 90})
    assert run("CloudWatch.16", group).status == "fail"
    assert run("CloudWatch.16", group, config={"cloudwatch-16": {"minRetentionDays": 90}}).status == "pass"
