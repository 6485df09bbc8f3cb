"""Time the offline plan for generated stacks of 1, 10 and 50 services, against the floor.

    python bench/plan_bench.py [--repeat N] [--json]

Each measurement is a fresh `python -m deploy plan --json` process (what a user runs), the
median of N runs. The floor is `python -c "import pulumi, pulumi_aws"`; the class floor
also loads every AWS resource class the dev stack creates (pulumi_aws loads its classes on
first use, so the import floor alone pays for none of them). Goals: 50 services
render in under 4x the time of 1 service; the dev stack renders within 3x the floor.
Ratios, not absolute times, are what to compare across machines.
"""

from __future__ import annotations

import argparse
import json
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

import yaml

ROOT = Path(__file__).resolve().parent.parent
SIZES = (1, 10, 50)
GOAL_SCALE = 4.0  # 50 services vs 1
GOAL_FLOOR = 3.0  # dev stack vs import floor


def generated_stack(services: int) -> dict:
    """A prod-like stack: 3 AZs, NAT per AZ, every service behind the ALB and autoscaled."""
    svcs = {}
    for i in range(services):
        svcs[f"svc{i:02d}"] = {
            "cpu": 512, "memory": 1024,
            "containers": {"app": {"image": {"uri": f"public.ecr.aws/nginx/nginx-unprivileged:1.27-{i}"},
                                   "ports": [8080], "environment": {"INDEX": str(i)}}},
            "loadBalancer": {"paths": [f"/s{i}/*"]},
            "autoscaling": {"min": 1, "max": 4, "cpuTarget": 70},
        }
    return {"config": {"aws:region": "us-east-1",
                       "ecs-app:network": {"azCount": 3, "nat": "per-az"},
                       "ecs-app:services": svcs}}


def write_stack(directory: Path, services: int) -> Path:
    """The generated stack with `services` services, as a stack file in `directory`."""
    path = directory / f"Pulumi.bench{services}.yaml"
    path.write_text(yaml.safe_dump(generated_stack(services)))
    return path


def timed(cmd: list[str], repeat: int) -> float:
    samples = []
    for _ in range(repeat):
        start = time.perf_counter()
        subprocess.run(cmd, cwd=ROOT, check=True, stdout=subprocess.DEVNULL)
        samples.append(time.perf_counter() - start)
    return statistics.median(samples)


# Every pulumi_aws class the dev stack creates, loaded the way the plan loads them: what any
# program creating these resources must pay before registering the first one.
CLASS_FLOOR = (
    "from deploy.stack import lazy_aws; lazy_aws.enable(); import pulumi, pulumi_aws as aws, pulumi_awsx as awsx; "
    "[getattr(getattr(aws, m), n) for m, n in ["
    "('ec2','Vpc'),('ec2','Subnet'),('ec2','InternetGateway'),('ec2','Eip'),('ec2','NatGateway'),"
    "('ec2','RouteTable'),('ec2','Route'),('ec2','RouteTableAssociation'),('ec2','DefaultSecurityGroup'),"
    "('ec2','FlowLog'),('ec2','SecurityGroup'),('vpc','SecurityGroupIngressRule'),"
    "('vpc','SecurityGroupEgressRule'),('ecs','Cluster'),('ecs','ClusterCapacityProviders'),"
    "('ecs','TaskDefinition'),('ecs','Service'),('lb','LoadBalancer'),('lb','TargetGroup'),('lb','Listener'),"
    "('lb','ListenerRule'),('iam','Role'),('iam','RolePolicy'),('ecr','Repository'),('ecr','LifecyclePolicy'),"
    "('cloudwatch','LogGroup')]]; awsx.ecr.Image"
)


def measure(command: list[str], repeat: int) -> dict[str, float]:
    py = sys.executable
    results = {"import floor": timed([py, "-c", "import pulumi, pulumi_aws"], repeat),
               "class floor": timed([py, "-c", CLASS_FLOOR], repeat),
               "dev stack": timed([py, "-m", "deploy", *command, "--stack", "dev"], repeat)}
    with tempfile.TemporaryDirectory() as tmp:
        for n in SIZES:
            path = write_stack(Path(tmp), n)
            results[f"{n} services"] = timed([py, "-m", "deploy", *command, "--config-file", str(path)], repeat)
    return results


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--repeat", type=int, default=5)
    parser.add_argument("--json", action="store_true", help="print the figures as JSON")
    args = parser.parse_args()
    results = measure(["plan", "--json"], args.repeat)
    scale = results["50 services"] / results["1 services"]
    floor = results["dev stack"] / results["import floor"]
    class_floor = results["dev stack"] / results["class floor"]
    if args.json:
        print(json.dumps({"seconds": results, "ratio_50_to_1": scale, "ratio_dev_to_floor": floor,
                          "ratio_dev_to_class_floor": class_floor}, indent=2))
    else:
        for name, seconds in results.items():
            print(f"{name:>14}: {seconds:6.2f} s  ({seconds / results['import floor']:.2f}x floor)")
        print(f"\n50 services / 1 service: {scale:.2f}x (goal < {GOAL_SCALE}x) "
              f"{'OK' if scale < GOAL_SCALE else 'MISSED'}")
        print(f"dev stack / import floor: {floor:.2f}x (goal < {GOAL_FLOOR}x) "
              f"{'OK' if floor < GOAL_FLOOR else 'MISSED'}")
        print(f"dev stack / class floor: {class_floor:.2f}x (loading the AWS classes the stack uses)")
    return 0 if scale < GOAL_SCALE and floor < GOAL_FLOOR else 1


if __name__ == "__main__":
    sys.exit(main())
