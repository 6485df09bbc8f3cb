"""Values derived from the configuration (`deploy.config.resolve`)."""

from deploy.config import resolve
from tests.conftest import make_config, service


def test_catch_all_rule_comes_after_specific_paths_and_hosts():
    cfg = make_config(services={
        "web": service(),
        "api": service(loadBalancer={"paths": ["/api/*"]}),
        "admin": service(loadBalancer={"hosts": ["admin.example.com"]}),
    })
    p = resolve.listener_priorities(cfg)
    assert p["admin"] < p["api"] < p["web"]
    assert p == {"admin": 100, "api": 110, "web": 120}


def test_explicit_priorities_are_kept_and_skipped_by_derived_ones():
    cfg = make_config(services={
        "web": service(),
        "api": service(loadBalancer={"paths": ["/api/*"], "priority": 100}),
    })
    assert resolve.listener_priorities(cfg) == {"api": 100, "web": 110}


def test_adding_a_service_does_not_renumber_an_explicit_priority():
    before = make_config(services={"web": service(loadBalancer={"priority": 500})})
    after = make_config(services={"web": service(loadBalancer={"priority": 500}),
                                  "api": service(loadBalancer={"paths": ["/api/*"]})})
    assert resolve.listener_priorities(before)["web"] == resolve.listener_priorities(after)["web"] == 500


def test_grace_period_covers_start_period_and_the_healthy_threshold():
    cfg = make_config(services={"web": service(
        containers={"app": {"image": {"uri": "nginx"}, "ports": [80],
                            "healthCheck": {"command": ["CMD", "true"], "startPeriod": 40}}},
        loadBalancer={"healthCheck": {"interval": 15, "healthyThreshold": 3, "timeout": 5}})})
    assert resolve.health_check_grace_period(cfg.services["web"]) == 40 + 15 * 3


def test_grace_period_override_wins():
    cfg = make_config(services={"web": service(loadBalancer={"healthCheckGracePeriod": 120})})
    assert resolve.health_check_grace_period(cfg.services["web"]) == 120


def test_public_ip_only_in_the_cheapest_network():
    cheap = make_config({"network": {"nat": "none"}})
    assert resolve.assign_public_ip(cheap.network, cheap.services["web"]) is True
    nat = make_config({"network": {"nat": "single"}})
    assert resolve.assign_public_ip(nat.network, nat.services["web"]) is False
    endpoints = make_config({"network": {"nat": "none", "endpoints": {
        "s3": True, "interface": ["ecr.api", "ecr.dkr", "logs"]}}})
    assert resolve.assign_public_ip(endpoints.network, endpoints.services["web"]) is False


def test_platform_follows_architecture():
    assert resolve.platform("ARM64") == "linux/arm64"
    assert resolve.platform("X86_64") == "linux/amd64"


# --- stack-wide values (were properties of StackConfig) ----------------------------------

CERT_ARN = "arn:aws:acm:us-east-1:123456789012:certificate/0f1e2d3c-4b5a-6978-8a9b-0c1d2e3f4a5b"


def test_prefix_is_the_name_else_the_stack_name():
    assert resolve.prefix(make_config(stack="dev")) == "dev"
    assert resolve.prefix(make_config({"name": "blue"}, stack="dev")) == "blue"


def test_tags_of_the_config_come_last_and_win():
    cfg = make_config({"tags": {"Team": "a", "ManagedBy": "hand"}}, stack="dev")
    assert resolve.tags(cfg) == {"Project": "ecs-app", "Stack": "dev", "ManagedBy": "hand", "Team": "a"}


def test_https_is_on_with_a_certificate_unless_turned_off():
    assert resolve.https(make_config()) is False
    assert resolve.https(make_config({"loadBalancer": {"certificateArn": CERT_ARN}})) is True
    assert resolve.https(make_config({"loadBalancer": {"certificateArn": CERT_ARN, "https": False}})) is False


def test_a_service_strategy_wins_over_the_cluster_default():
    cfg = make_config({"cluster": {"capacityProviderStrategy": [{"provider": "FARGATE_SPOT", "weight": 1}]}},
                      services={"web": service(), "api": service(
                          loadBalancer={"paths": ["/api/*"]},
                          capacityProviderStrategy=[{"provider": "FARGATE", "weight": 1}])})
    assert [i.provider for i in resolve.strategy(cfg, cfg.services["web"])] == ["FARGATE_SPOT"]
    assert [i.provider for i in resolve.strategy(cfg, cfg.services["api"])] == ["FARGATE"]
    assert not resolve.on_ec2(cfg, cfg.services["web"])


def test_grace_period_is_never_below_60_seconds_by_default():
    cfg = make_config(services={"web": service(loadBalancer={"healthCheck": {"interval": 5, "timeout": 2, "healthyThreshold": 2}})})
    assert resolve.health_check_grace_period(cfg.services["web"]) == 60


def _web(paths, hosts=()):
    return service(loadBalancer={"paths": list(paths), "hosts": list(hosts)})


def test_priorities_follow_specificity_not_names():
    cfg = make_config(services={
        "a-cart": _web(["/cart/*"]), "b-users": _web(["/cart/users/*"]), "c-all": _web(["/*"]),
        "d-wild": _web(["/*"], ["*.example.com"]), "e-api": _web(["/*"], ["api.example.com"])})
    p = resolve.listener_priorities(cfg)
    assert sorted(p, key=p.get) == ["e-api", "d-wild", "b-users", "a-cart", "c-all"]


def test_a_rule_shadows_another_when_it_matches_every_request_of_it():
    cart, users = make_config(services={"a": _web(["/cart/*"]), "b": _web(["/cart/users/*"])}).services.values()
    assert resolve.shadows(cart, users) and not resolve.shadows(users, cart)
    wild, api = make_config(services={"w": _web(["/*"], ["*.example.com"]),
                                      "a": _web(["/*"], ["API.example.com"])}).services.values()
    assert resolve.shadows(wild, api) and not resolve.shadows(api, wild)


# --- container restart policies ------------------------------------------------------------------

SIDECAR = {"image": {"uri": "busybox:1.36"}, "essential": False}


def _restart_policies(**containers):
    cfg = make_config(services={"web": service(containers={
        "app": {"image": {"uri": "busybox:1.36"}, "ports": [8080]}, **containers})})
    return resolve.resolve(cfg).services["web"].restart_policies


def test_a_sidecar_is_restarted_by_default_and_an_essential_container_is_not():
    policies = _restart_policies(side=SIDECAR)
    assert policies["app"] is None
    assert policies["side"] is not None and policies["side"].enabled is True
    assert policies["side"].ignored_exit_codes == [] and policies["side"].restart_attempt_period is None


def test_a_container_others_wait_for_to_complete_is_not_restarted_by_default():
    policies = _restart_policies(init=SIDECAR, side={**SIDECAR, "dependsOn": [
        {"container": "init", "condition": "SUCCESS"}]})
    assert policies["init"] is None and policies["side"] is not None


def test_an_explicit_restart_policy_wins_over_the_default():
    policies = _restart_policies(side={**SIDECAR, "restartPolicy": {"enabled": False}})
    assert policies["side"] is not None and policies["side"].enabled is False
    app_policy = {"enabled": True, "ignoredExitCodes": [0], "restartAttemptPeriod": 120}
    essential = make_config(services={"web": service(containers={
        "app": {"image": {"uri": "busybox:1.36"}, "ports": [8080], "restartPolicy": app_policy}})})
    found = resolve.resolve(essential).services["web"].restart_policies["app"]
    assert found is not None and (found.ignored_exit_codes, found.restart_attempt_period) == ([0], 120)
