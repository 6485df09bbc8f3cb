"""`cost --stack S [--config-file F] [--json] [--allow-unpriced] [--traffic-gb N]`: monthly cost estimate, offline.

An estimate that leaves out something it cannot price (an instance type or a region
missing from the price table) still prints, then exits 1 with what is missing on stderr,
unless `--allow-unpriced`: a total that silently omits a cost is worse than none.
"""

from __future__ import annotations

import argparse
import json
import sys
from dataclasses import replace
from typing import Any

from ...config.model import StackConfig
from ..app import EXIT_FAILURE, EXIT_OK, load_config, stack_arguments


def register(sub: argparse._SubParsersAction) -> None:
    p = sub.add_parser("cost", help="monthly cost estimate of the stack, line by line (offline)")
    stack_arguments(p)
    p.add_argument("--json", action="store_true", help="print the estimate as one JSON object")
    p.add_argument("--allow-unpriced", action="store_true",
                   help="exit 0 even when some resources could not be priced (they are still listed)")
    p.add_argument("--traffic-gb", type=_gigabytes, default=None, metavar="N",
                   help="GB a month the private subnets send out through NAT gateways or interface endpoints "
                        "(default: 10)")
    p.set_defaults(handler=run)


def config_assumptions(cfg: StackConfig) -> dict[str, Any]:
    """What the config says that the plan cannot: the ALB's expected LCUs, each schedule's expected run time
    and each autoscaled service's busy fraction, by the logical names the components give
    (`<component>-schedule`, `-svc`)."""
    from ...config.resolve import resolve

    services = resolve(cfg).services.values()
    return {
        "alb_lcu": cfg.load_balancer.expected_lcu,
        "run_seconds": {f"{s.component}-schedule": s.config.schedule.expected_duration
                        for s in services if s.config.schedule is not None},
        "busy_fraction": {f"{s.component}-svc": s.config.autoscaling.expected_busy_fraction for s in services
                          if s.config.autoscaling is not None
                          and s.config.autoscaling.expected_busy_fraction is not None},
        "efs_gb": {f"{logical}-fs": s.config.volumes[volume].efs.expected_gb
                   for s in services for volume, logical in s.file_systems.items()},
    }


def _gigabytes(text: str) -> float:
    try:
        value = float(text)
    except ValueError:
        value = -1.0
    if not 0 <= value < 1e9:  # also refuses nan, which compares false
        raise argparse.ArgumentTypeError(f"a number of GB from 0 (got {text!r})")
    return value


def run(args: argparse.Namespace) -> int:
    from ...offline import plan
    from ...offline.cost import estimate, report
    from ...offline.cost.estimate import DEFAULT_ASSUMPTIONS

    cfg = load_config(args.stack, args.config_file)
    assumptions = replace(DEFAULT_ASSUMPTIONS, **config_assumptions(cfg))
    if args.traffic_gb is not None:
        assumptions = replace(assumptions, traffic_gb=args.traffic_gb)
    result = estimate(plan.render(cfg), cfg.region, assumptions)
    print(json.dumps(report.as_json(result), indent=2) if args.json else report.as_text(result))
    if not result.complete and not args.allow_unpriced:
        missing = ", ".join(f"{t} ({n})" for t, n in sorted(result.unpriced_types.items()))
        print(f"not priced, left out of the total: {missing}; pass --allow-unpriced to accept the estimate",
              file=sys.stderr)
        return EXIT_FAILURE
    return EXIT_OK
