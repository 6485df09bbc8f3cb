"""Connection: one service admitted to call another by name (ECS Service Connect).

Creates the ingress rule on the called service's task security group that admits the
caller's task security group on the called port, and nothing else: a service that is not
a declared caller cannot reach it.
"""

from __future__ import annotations

from dataclasses import dataclass

import pulumi
import pulumi_aws as aws

from deploy.aws import tokens


@dataclass(frozen=True, kw_only=True)
class ConnectionArgs:
    caller: str
    caller_security_group_id: pulumi.Input[str]
    target_security_group_id: pulumi.Input[str]
    port: int


class Connection(pulumi.ComponentResource):
    def __init__(self, name: str, args: ConnectionArgs, opts: pulumi.ResourceOptions | None = None):
        super().__init__(tokens.CONNECTION, name, None, opts)
        self.rule = aws.vpc.SecurityGroupIngressRule(
            f"{name}-ingress", security_group_id=args.target_security_group_id, ip_protocol="tcp",
            from_port=args.port, to_port=args.port, referenced_security_group_id=args.caller_security_group_id,
            description=f"Service Connect calls from {args.caller}", opts=pulumi.ResourceOptions(parent=self))
        self.register_outputs({})
