from deploy import defaults
from tests.conftest import make_config, service


def test_catch_all_rule_comes_after_specific_paths_and_hosts():
    cfg = make_config(services={
        "web": service(),
        "api": service(loadBalancer={"paths": ["/api/*"]}),
        "admin": service(loadBalancer={"hosts": ["admin.example.com"]}),
    })
    p = defaults.listener_priorities(cfg)
    assert p["admin"] < p["api"] < p["web"]
    assert p == {"admin": 100, "api": 110, "web": 120}


def test_explicit_priorities_are_kept_and_skipped_by_derived_ones():
    cfg = make_config(services={
        "web": service(),
        "api": service(loadBalancer={"paths": ["/api/*"], "priority": 100}),
    })
    assert defaults.listener_priorities(cfg) == {"api": 100, "web": 110}


def test_adding_a_service_does_not_renumber_an_explicit_priority():
    before = make_config(services={"web": service(loadBalancer={"priority": 500})})
    after = make_config(services={"web": service(loadBalancer={"priority": 500}),
                                  "api": service(loadBalancer={"paths": ["/api/*"]})})
    assert defaults.listener_priorities(before)["web"] == defaults.listener_priorities(after)["web"] == 500


def test_grace_period_covers_start_period_and_the_healthy_threshold():
    cfg = make_config(services={"web": service(
        containers={"app": {"image": {"uri": "nginx"}, "ports": [80],
                            "healthCheck": {"command": ["CMD", "true"], "startPeriod": 40}}},
        loadBalancer={"healthCheck": {"interval": 15, "healthyThreshold": 3, "timeout": 5}})})
    assert defaults.health_check_grace_period(cfg.services["web"]) == 40 + 15 * 3


def test_grace_period_override_wins():
    cfg = make_config(services={"web": service(loadBalancer={"healthCheckGracePeriod": 120})})
    assert defaults.health_check_grace_period(cfg.services["web"]) == 120


def test_public_ip_only_in_the_cheapest_network():
    cheap = make_config({"network": {"nat": "none"}})
    assert defaults.assign_public_ip(cheap.network, cheap.services["web"]) is True
    nat = make_config({"network": {"nat": "single"}})
    assert defaults.assign_public_ip(nat.network, nat.services["web"]) is False
    endpoints = make_config({"network": {"nat": "none", "endpoints": {
        "s3": True, "interface": ["ecr.api", "ecr.dkr", "logs"]}}})
    assert defaults.assign_public_ip(endpoints.network, endpoints.services["web"]) is False


def test_platform_follows_architecture():
    assert defaults.platform("ARM64") == "linux/arm64"
    assert defaults.platform("X86_64") == "linux/amd64"
