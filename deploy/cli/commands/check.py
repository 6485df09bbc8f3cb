"""`check --stack S [--config-file F] [--policy-config P] [--json]`: the policy pack over the offline plan.

Runs every control of `policies/controls` (what `pulumi preview --policy-pack policies`
enforces) over the rendered stack, with the stack's policy config (production when the
stack sets `protect: true`), and says what to do about each mandatory failure. Exit 0 when
no mandatory control fails, 1 when one does, 2 for an invalid stack or policy config.
"""

from __future__ import annotations

import argparse
import json
from pathlib import Path

from ...errors import ArgumentError
from ..app import EXIT_OK, load_config, stack_arguments


def register(sub: argparse._SubParsersAction) -> None:
    p = sub.add_parser("check", help="run the policy pack's controls over the offline plan (exit 1 on a "
                                     "mandatory failure)")
    stack_arguments(p)
    p.add_argument("--policy-config", type=Path,
                   help="policy config (default: policies/config/<stack>.json when it exists)")
    p.add_argument("--json", action="store_true", help="print the report as one JSON object")
    p.set_defaults(handler=run)


def run(args: argparse.Namespace) -> int:
    from policies.controls import PolicyConfigError

    from ...offline import compliance, plan
    from ...offline.compliance import report
    from ...offline.compliance.advice import advise

    cfg = load_config(args.stack, args.config_file)
    try:
        # Read before rendering: a broken policy config fails fast, like a broken stack config.
        policy = compliance.load_policy_config(cfg.stack, args.policy_config, protected=cfg.protect)
    except PolicyConfigError as exc:
        raise ArgumentError(str(exc)) from exc
    rendered = plan.render(cfg)
    evaluation = compliance.check(rendered, policy)
    advice = advise(cfg, policy, evaluation, compliance.config_display(cfg.stack, policy))
    if args.json:
        print(json.dumps(report.as_json(rendered, policy, evaluation, advice), indent=2))
    else:
        print(report.as_text(rendered, policy, evaluation, advice))
    return EXIT_OK if evaluation.exit_code == 0 else evaluation.exit_code
