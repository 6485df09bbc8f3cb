"""Pure AWS facts the rest of the package checks and computes with: no Pulumi, no config.

limits (quotas and ranges, with their sources), fargate (task sizes), instances (EC2 types),
prices (pinned list prices), naming (physical names and their limits), subnets (CIDR maths),
arns (ARN shapes), tokens (the Pulumi type tokens of what the stack creates).
"""
