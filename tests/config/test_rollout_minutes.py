"""How long a traffic-shifting deployment takes, and how long `pulumi up` waits for it (`deploy.config.resolve`).

Numbers are worked out by hand: 5 minutes for the new tasks to start, the traffic shift, `bakeTime`, the old
targets' deregistration delay rounded up to minutes; the provider's 20 minutes on top for the timeout.
"""

from __future__ import annotations

import pytest

from deploy.config import resolve
from deploy.config.model.service import Canary, Deployment, Linear
from tests.conftest import make_config, service


@pytest.mark.parametrize("deployment,minutes", [
    (Deployment(strategy="rolling"), 0),
    (Deployment(strategy="blue-green"), 0),
    (Deployment(strategy="canary"), 5),  # default canary bake time
    (Deployment(strategy="canary", canary=Canary(percent=1, bake_time=12)), 12),
    (Deployment(strategy="linear"), 6),  # 25 % steps: 4 steps, 3 waits of 2 minutes
    (Deployment(strategy="linear", linear=Linear(step_percent=30, step_bake_time=3)), 9),  # 30/60/90/100
    (Deployment(strategy="linear", linear=Linear(step_percent=3, step_bake_time=1)), 33),  # 34 steps
    (Deployment(strategy="linear", linear=Linear(step_percent=100, step_bake_time=10)), 0),  # one step
], ids=["rolling", "blue-green", "canary", "canary-12", "linear", "linear-30", "linear-3", "linear-100"])
def test_shift_minutes(deployment, minutes):
    assert resolve.shift_minutes(deployment) == minutes


@pytest.mark.parametrize("deployment,delay,minutes", [
    (Deployment(strategy="blue-green"), 0, 5 + 0 + 5 + 0),
    (Deployment(strategy="blue-green"), 30, 5 + 0 + 5 + 1),
    (Deployment(strategy="blue-green", bake_time=0), 60, 5 + 0 + 0 + 1),
    (Deployment(strategy="blue-green", bake_time=0), 61, 5 + 0 + 0 + 2),
    (Deployment(strategy="linear"), 30, 5 + 6 + 5 + 1),
    (Deployment(strategy="linear", linear=Linear(step_percent=10, step_bake_time=4), bake_time=20), 300,
     5 + 9 * 4 + 20 + 5),
    (Deployment(strategy="canary"), 30, 5 + 5 + 5 + 1),
    (Deployment(strategy="canary", canary=Canary(bake_time=5), bake_time=10), 30, 5 + 5 + 10 + 1),  # prod's web
    (Deployment(strategy="canary", canary=Canary(bake_time=0), bake_time=0), 3600, 5 + 0 + 0 + 60),
], ids=["blue-green", "blue-green-30s", "blue-green-60s", "blue-green-61s", "linear", "linear-10", "canary",
        "canary-prod", "canary-1h-drain"])
def test_rollout_minutes(deployment, delay, minutes):
    assert resolve.rollout_minutes(deployment, delay) == minutes


@pytest.mark.parametrize("deployment,delay,minutes", [
    (Deployment(strategy="rolling"), 300, 20),
    (Deployment(strategy="blue-green"), 30, 20 + 11),
    (Deployment(strategy="linear"), 30, 20 + 17),
    (Deployment(strategy="canary", canary=Canary(bake_time=5), bake_time=10), 30, 20 + 21),
    (Deployment(strategy="canary", wait_for_steady_state=False), 30, 20),
], ids=["rolling", "blue-green", "linear", "canary-prod", "canary-no-wait"])
def test_update_timeout_minutes(deployment, delay, minutes):
    assert resolve.update_timeout_minutes(deployment, delay) == minutes


def test_the_resolved_rollout_counts_the_services_own_deregistration_delay():
    cfg = make_config(services={"web": service(loadBalancer={"deregistrationDelay": 125},
                                               deployment={"strategy": "canary", "bakeTime": 2})})
    rollout = resolve.resolve(cfg).services["web"].rollout
    assert rollout is not None
    assert rollout.minutes == 5 + 5 + 2 + 3
