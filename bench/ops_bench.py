"""Time `cost` and `diagram` against `plan` for generated stacks of 1, 10 and 50 services.

    python bench/ops_bench.py [--repeat N] [--json]

Each measurement is a fresh `python -m deploy <command> --config-file <stack>` process (what
a user runs), the median of N runs, on the same generated stacks as `plan_bench.py`. Both
commands render the offline plan first, so their ratio to `plan --json` shows what the
estimate and the diagram themselves add. Ratios, not seconds, compare across machines.
"""

from __future__ import annotations

import argparse
import json
import sys
import tempfile
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))  # run as a script from anywhere
from bench.plan_bench import SIZES, timed, write_stack

COMMANDS = {"plan": ["plan", "--json"], "cost": ["cost", "--json"], "diagram": ["diagram", "--no-png"]}


def measure(repeat: int) -> dict[int, dict[str, float]]:
    results: dict[int, dict[str, float]] = {}
    with tempfile.TemporaryDirectory() as tmp:
        for n in SIZES:
            path = write_stack(Path(tmp), n)
            results[n] = {name: timed([sys.executable, "-m", "deploy", *argv, "--config-file", str(path)], repeat)
                          for name, argv in COMMANDS.items()}
    return results


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--repeat", type=int, default=5)
    parser.add_argument("--json", action="store_true", help="print the figures as JSON")
    args = parser.parse_args()
    results = measure(args.repeat)
    ratios = {n: {name: r[name] / r["plan"] for name in ("cost", "diagram")} for n, r in results.items()}
    if args.json:
        print(json.dumps({"seconds": results, "ratio_to_plan": ratios}, indent=2))
        return 0
    print(f"{'services':>8}  {'plan s':>7}  {'cost s':>7}  {'diagram s':>9}  {'cost/plan':>9}  {'diagram/plan':>12}")
    for n, r in results.items():
        print(f"{n:>8}  {r['plan']:7.2f}  {r['cost']:7.2f}  {r['diagram']:9.2f}  {ratios[n]['cost']:8.2f}x  "
              f"{ratios[n]['diagram']:11.2f}x")
    return 0


if __name__ == "__main__":
    sys.exit(main())
