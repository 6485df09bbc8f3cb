"""deploy.stack.lazy_aws resolves exactly the names the provider's own packages export."""

import json
import subprocess
import sys

import pytest

from deploy.stack import lazy_aws
from tests.conftest import ROOT

SERVICES = ["ec2", "vpc", "ecs", "lb", "iam", "ecr", "cloudwatch", "appautoscaling", "acm", "route53"]

COLLECT = f"""
import json, sys, importlib
lazy = sys.argv[1] == "lazy"
if lazy:
    from deploy.stack import lazy_aws
    lazy_aws.enable()
import pulumi_aws
names = json.loads(sys.argv[2]) if lazy else None
out = {{}}
for svc in {SERVICES!r}:
    pkg = getattr(pulumi_aws, svc)
    pkg.outputs  # pulumi's lazy module loads the package on the first non-introspection access
    wanted = names[svc] if lazy else [n for n in dir(pkg) if not n.startswith("_") and n[0].isupper() or n.startswith("get_")]
    out[svc] = {{}}
    for n in wanted:
        obj = getattr(pkg, n)
        out[svc][n] = getattr(obj, "__module__", None) or getattr(obj, "__name__", None)
print(json.dumps(out))
"""


def collect(mode: str, names: dict | None = None) -> dict:
    result = subprocess.run([sys.executable, "-c", COLLECT, mode, json.dumps(names or {})], cwd=ROOT,
                            capture_output=True, text=True, check=True, timeout=300)
    return json.loads(result.stdout)


@pytest.mark.integration
def test_every_class_and_function_resolves_to_the_same_module_as_the_full_import():
    eager = collect("eager")
    lazy = collect("lazy", {svc: list(names) for svc, names in eager.items()})
    assert sum(len(v) for v in eager.values()) > 1500
    assert lazy == eager


def test_snake_case_follows_the_generated_file_names():
    assert lazy_aws.snake("SecurityGroupIngressRule") == "security_group_ingress_rule"
    assert lazy_aws.snake("ClusterCapacityProviders") == "cluster_capacity_providers"
    assert lazy_aws.snake("Eip") == "eip"


@pytest.mark.integration
def test_unused_service_modules_are_not_imported():
    code = ("from deploy.stack import lazy_aws; lazy_aws.enable(); import sys, pulumi_aws as aws; aws.ec2.Vpc; "
            "print(sum(m.startswith('pulumi_aws.ec2.') for m in sys.modules))")
    count = int(subprocess.run([sys.executable, "-c", code], cwd=ROOT, capture_output=True, text=True,
                               check=True).stdout)
    assert count < 10  # vpc, _inputs, outputs, _enums: not the ~190 modules of the package
