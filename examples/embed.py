"""Embedding deployments in your own tooling: update dev, check it answers, then release the same image.

    python examples/embed.py 3f2a1b9

Everything goes through `deploy.ops.api`, the same functions `python -m deploy` uses: progress
arrives line by line through `on_output`; every failure is a `DeployError` (`Failure`,
`ArgumentError`, `ConfigError`) whose message is one line per problem.
"""

from __future__ import annotations

import sys
import urllib.request
from collections.abc import Callable
from pathlib import Path
from typing import Any

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))  # run from anywhere: the project root

from deploy.ops import api


def healthy(url: str) -> bool:
    with urllib.request.urlopen(f"{url}/health", timeout=10) as response:
        return response.status == 200


def promote(tag: str, *, log: Callable[[str], Any] = print, check: Callable[[str], bool] = healthy,
            pulumi_command: Any | None = None) -> int:
    """Release `tag` to dev; if dev's load balancer answers, release it to prod too."""
    dev = api.release("dev", "web", image_tag=tag, on_output=lambda line: log(f"[dev] {line}"),
                      pulumi_command=pulumi_command)
    url = api.outputs("dev", pulumi_command=pulumi_command)["albUrl"].value
    if not check(url):
        log(f"dev revision {dev.revision} is not healthy at {url}: prod keeps its image")
        return 1
    prod = api.release("prod", "web", image_tag=tag, on_output=lambda line: log(f"[prod] {line}"),
                       pulumi_command=pulumi_command)
    log(f"web {tag}: dev revision {dev.revision}, prod revision {prod.revision}")
    return 0


if __name__ == "__main__":
    try:
        sys.exit(promote(sys.argv[1]))
    except api.DeployError as exc:
        print(f"error: {exc}", file=sys.stderr)
        sys.exit(1)
