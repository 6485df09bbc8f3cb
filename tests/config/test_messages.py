"""Every problem the configuration can report reads as one line a person understands.

The failing configs of `test_rules.py` and `test_workload_rules.py`, plus `EXTRA` below, are
parsed once; every `Problem(...)` written in `deploy/config/rules/` and `deploy/config/parse.py`
must have been reported by at least one of them (so a new rule cannot skip this test), and
every problem reported must:

- name a real config key (a path through the config model, as the stack file writes it);
- continue the key as a sentence: `key: must be ...`, `key: 'x' is not ...`, never `key: Must`,
  `key: String should ...` or `key: (5) must ...`;
- count correctly (`1 item`, never `1 items` or `item(s)`);
- show values as the stack file writes them: no Python `None`, no model class names such as
  `DependsOn`, no reprs of internal objects;
- have no trailing period, and fit one line.
"""

from __future__ import annotations

import ast
import copy
import inspect
import re
import sys
import typing
from collections.abc import Iterator
from typing import Any, get_args, get_origin

import pytest
from pydantic import BaseModel

from deploy.config import model as config_model
from deploy.config import parse as parse_module
from deploy.config import problems as problems_module
from deploy.config.model import StackConfig
from deploy.config.model import base as model_base
from deploy.config.model import service as model_service
from deploy.config.model import stack as model_stack
from deploy.config.model import types as model_types
from deploy.config.parse import parse
from deploy.config.problems import ConfigError, Problem
from deploy.config.rules import CONCERNS
from deploy.config.source import RawConfig
from tests.config import test_rules, test_workload_rules
from tests.config.test_deployment_rules import CASES as DEPLOYMENT_CASES
from tests.config.test_volume_rules import CASES as VOLUME_CASES
from tests.conftest import PRIVATE_IMAGE, raw_config, service

CERT_IN_EU = "arn:aws:acm:eu-west-1:123456789012:certificate/0f1e2d3c-4b5a-6978-8a9b-0c1d2e3f4a5b"
SECRET = "arn:aws:secretsmanager:us-east-1:123456789012:secret:db-AbCdEf"
TASK_ENDPOINTS = {"s3": True, "interface": ["ecr.api", "ecr.dkr", "logs"]}


def _app(**fields: Any) -> dict[str, Any]:
    return {"image": {"uri": PRIVATE_IMAGE}, **fields}


def _built(**fields: Any) -> dict[str, Any]:
    return {"image": {"build": {"context": "./app"}}, **fields}


def _ec2_worker(**fields: Any) -> dict[str, Any]:
    return {"kind": "worker", "capacityProviderStrategy": [{"provider": "EC2", "weight": 1}], "architecture": "ARM64",
            "containers": {"w": _app()}, **fields}


EC2 = {"cluster": {"ec2": {"instanceTypes": ["m7g.large"]}}}

# The rules the two tables of failing configs do not reach: (overrides, services, stack).
EXTRA: list[tuple[dict[str, Any] | None, dict[str, Any] | None, str]] = [
    *((None, services, "test") for services, _, _ in DEPLOYMENT_CASES),
    *((None, services, "test") for services, _, _ in VOLUME_CASES),
    (None, {"a": service(loadBalancer={"paths": ["/a/*"], "priority": 100}),
            "b": service(loadBalancer={"paths": ["/b/*"], "priority": 101}, deployment={"strategy": "canary"})},
     "test"),
    ({"name": "ecs-shop", **EC2}, None, "test"),                                    # reserved provider prefix
    ({"cluster": {"ec2": {"instanceTypes": ["m7g.large"], "maxSize": 1}}},
     {"w": _ec2_worker(desiredCount=3)}, "test"),                                    # no room for awsvpc tasks
    (EC2, {"w": _ec2_worker(memory=64)}, "test"),                                    # EC2 task below 128 MiB
    (None, {"web": service(containers={})}, "test"),                                 # no container
    (None, {"web": service(containers={"app": _app(ports=[8080], writablePaths=["/tmp/x", "/tmp-x"])})}, "test"),
    ({"loadBalancer": {"certificateArn": CERT_IN_EU}}, None, "test"),               # certificate of another Region
    (None, {"web": service(loadBalancer={"container": "side"},
                           containers={"app": _app(ports=[8080]), "side": _app()})}, "test"),
    (None, {"web": service(loadBalancer={"hosts": ["localhost"]})}, "test"),         # host ALB refuses
    (None, {"web": service(loadBalancer={"paths": ["/a", "/b", "/c", "/d", "/e", "/f"]})}, "test"),
    (None, {"cart": service(loadBalancer={"paths": ["/cart/*"], "priority": 100}),
            "users": service(loadBalancer={"paths": ["/cart/users/*"], "priority": 200})}, "test"),
    (None, None, "My_Stack"),                                                        # stack name is no prefix
    ({"name": "a" * 21}, None, "test"),                                              # ALB and target group names
    ({"name": "internal"}, None, "test"),
    (None, {"web": service(gpu=1)}, "test"),                                          # not supported yet
    (None, {"web": service(containers={"app_": _built(ports=[8080])})}, "test"),     # ECR repository name edge
    (None, {"web": service(containers={"a" * 250: _built(ports=[8080])})}, "test"),  # ECR repository name length
    (None, {"web": service(containers={"a-b": _built(ports=[8080])}),
            "web-a": {"kind": "worker", "containers": {"b": {"image": {"tag": "v1"}}}}}, "test"),
    (None, {"web": service(containers={"app": _app(ports=[8080]), "App": _app()})}, "test"),
    ({"network": {"cidr": "10.0.0.0/23"}}, None, "test"),                            # no room for the ALB
    ({"network": {"nat": "none", "endpoints": TASK_ENDPOINTS}},
     {"web": service(containers={"app": _app(ports=[8080], secrets={"DB": SECRET})})}, "test"),
    ({"network": {"nat": "none", "endpoints": TASK_ENDPOINTS}},
     {"web": service(containers={"app": {"image": {"uri": "public.ecr.aws/nginx/nginx:1.27"}, "ports": [8080]}})},
     "test"),
    (None, {"web": service(containers={"app": {"image": {"build": {"context": "./nope"}}, "ports": [8080]}})},
     "test"),
    ({"cluster": {"containerInsights": "disabled"}},
     {"w": {"kind": "worker", "containers": {"w": _app()}, "queue": {},
            "autoscaling": {"min": 0, "max": 4, "messagesPerTask": 10}}}, "test"),
    (None, {"web": service(autoscaling={"min": 5, "max": 2}, desiredCount=3)}, "test"),
    ({"tags": {f"team{i}": "x" for i in range(46)}}, None, "test"),
    ({"tags": {"k" * 129: "x", "v": "x" * 257, "aws:owner": "me"}}, None, "test"),
    (None, {"w": {"kind": "worker", "containers": {"w": _app()},
                  "queue": {"messageRetentionDays": 14, "deadLetterRetentionDays": 7}}}, "test"),
    (None, {"a": service(calls=["b"]),
            "b": {"kind": "worker", "containers": {"b": _app(ports=[9000])}, "calls": ["a"]}}, "test"),
    # parse.py: keys, namespaces, the region, the services mapping, unknown nested keys
    ({"servces": {}, "ecsapp:network": {}, "aws:region": "[secret]"}, None, "test"),
    ({"aws:region": "mars-central-1", "services": ["web"]}, None, "test"),
    ({"aws:region": None, "network": {"nta": "none"}}, None, "test"),
    # pydantic's shapes: empty values, mappings of a model where the file has something else
    ({"network": {"nat": None, "flowLogs": "on"}, "cluster": {"capacityProviderStrategy": [None, "FARGATE"]}},
     {"web": service(containers={"app": _app(ports=[8080], dependsOn=["db"], environment={"A": None})},
                     taskRole={"statements": ["s3:GetObject"]})}, "test"),
]


def _configs() -> Iterator[RawConfig]:
    for p in [*test_rules.RULES, *test_rules.SHAPES]:
        yield raw_config(copy.deepcopy(p.values[0]))
    for p in [*test_workload_rules.EC2_RULES, *test_workload_rules.KIND_RULES, *test_workload_rules.CALL_RULES,
              *test_workload_rules.EXEC_RULES, *test_workload_rules.SEND_RULES,
              *test_workload_rules.LOGGING_RULES]:
        yield raw_config(copy.deepcopy(p.values[1]), services=copy.deepcopy(p.values[0]))
    for overrides, services, stack in EXTRA:
        yield raw_config(copy.deepcopy(overrides), stack, copy.deepcopy(services))


WRITERS = [*CONCERNS, parse_module]
"""The modules that write problems: every `Problem(...)` in them must be reported by a config above."""


def _call_sites(module: Any) -> set[tuple[str, int]]:
    tree = ast.parse(inspect.getsource(module))
    return {(module.__name__, node.lineno) for node in ast.walk(tree)
            if isinstance(node, ast.Call) and isinstance(node.func, ast.Name) and node.func.id == "Problem"}


@pytest.fixture(scope="module")
def reported() -> tuple[list[Problem], set[tuple[str, int]]]:
    """Every problem of every failing config, and the `Problem(...)` call sites that made them."""
    hits: set[tuple[str, int]] = set()

    def recorder(module: Any) -> Any:
        def record(*args: Any, **kwargs: Any) -> Problem:
            hits.add((module.__name__, sys._getframe(1).f_lineno))
            return Problem(*args, **kwargs)
        return record

    found: list[Problem] = []
    with pytest.MonkeyPatch.context() as patch:
        for module in WRITERS:
            patch.setattr(module, "Problem", recorder(module))
        for raw in _configs():
            with pytest.raises(ConfigError) as info:
                parse(raw)
            found += info.value.problems
    return found, hits


def test_every_problem_a_rule_can_write_is_reported_by_one_of_the_configs(reported):
    _, hits = reported
    missing = sorted(set().union(*(_call_sites(m) for m in WRITERS)) - hits)
    assert missing == [], "add a failing config to EXTRA for each of these Problem(...) lines"


# --- what a message must look like ---------------------------------------------------------------


def _model_classes() -> set[str]:
    found = set()
    for module in (config_model, model_base, model_service, model_stack, model_types, problems_module):
        found |= {name for name, value in vars(module).items() if inspect.isclass(value)}
    # Names of one capitalised word are also English or AWS words ("Service Connect", "Container Insights").
    return {name for name in found if len(re.findall(r"[A-Z]", name)) >= 2 and not name.isupper()}


CLASS_NAMES = re.compile(r"\b(" + "|".join(sorted(_model_classes())) + r")\b")
MISCOUNTED = re.compile(r"\b1 (character|item|entr(y|ie)|instance|task|zone|container|service|value|tag|day|port|"
                        r"endpoint|subnet|provider)s\b|\(s\)")
PYTHON_WORDS = re.compile(r"\b(None|True|False)\b|<[\w.]+ object|object at 0x|\b[A-Z]\w*\(\w+=")
PROPER_NOUNS = {"CloudWatch", "Fargate", "Pulumi", "Docker"}
"""Capitalised words a message may start with: names, not the start of a sentence."""


def _starts_like_a_continuation(message: str) -> bool:
    """`key: <message>` reads on: a lowercase word, a value, a quoted or backticked name, or an AWS term."""
    first = message.split()[0]
    if re.match(r"[a-z0-9'\"`/\[{*.-]", first):
        return True
    word = re.match(r"[A-Za-z0-9_]+", first)
    return bool(word) and (word.group(0).upper() == word.group(0) or word.group(0) in PROPER_NOUNS)


ROOT_KEYS = {f.alias or name: f for name, f in StackConfig.model_fields.items()
             if name not in ("project", "stack", "region", "secret_keys")}


def _walk(annotation: Any, parts: list[str]) -> bool:
    """`parts` is a path into a value of this type (model fields by their camelCase key, map keys, [i])."""
    if not parts:
        return True
    origin = get_origin(annotation)
    if origin is typing.Annotated:
        return _walk(get_args(annotation)[0], parts)
    if origin is typing.Union or type(annotation).__name__ == "UnionType":
        return any(_walk(a, parts) for a in get_args(annotation) if a is not type(None))
    if origin is list:
        return bool(re.fullmatch(r"\[\d+\]", parts[0])) and _walk(get_args(annotation)[0], parts[1:])
    if origin is dict:
        value = get_args(annotation)[1]
        if inspect.isclass(value) and issubclass(value, BaseModel):
            return not parts[0].startswith("[") and _walk(value, parts[1:])  # services.<name>, containers.<name>
        return len(parts) >= 1  # environment.<VAR>, tags.<key>: the rest is the map's key
    if inspect.isclass(annotation) and issubclass(annotation, BaseModel):
        field = next((f for n, f in annotation.model_fields.items() if parts[0] in (n, f.alias)), None)
        return field is not None and _walk(field.annotation, parts[1:])
    return False


def is_config_key(key: str) -> bool:
    """A key of the stack file: `aws:region`, the stack name, or a path through the config model."""
    if key in ("aws:region", "stack name"):
        return True
    parts = [p for p in re.split(r"\.|(?=\[)", key) if p]
    field = ROOT_KEYS.get(parts[0])
    return field is not None and _walk(field.annotation, parts[1:])


def test_the_key_walker_tells_config_keys_from_others():
    assert is_config_key("services.web.containers.app") and is_config_key("network.endpoints.interface[0]")
    assert is_config_key("services.web.containers.app.dependsOn[0].container") and is_config_key("tags.Team")
    assert not is_config_key("network.flowLogs.enabled.x") and not is_config_key("services.web.loadBalancer.x")
    assert not is_config_key("services.web.memroy") and not is_config_key("project")


def _faults(p: Problem) -> list[str]:
    faults = []
    key = p.key
    named = re.search(r"\(got '([^']*)'\)$", p.message)
    if named and key.endswith("." + named.group(1)):  # a map key refused as a name: `containers.app.v2`
        key = key[: -len(named.group(1))] + "name"
    written_by_user = p.message.startswith(("unknown", "namespace", "not supported yet"))  # the key the user wrote
    if not written_by_user and not is_config_key(key):
        faults.append("the key is not a config key")
    if not _starts_like_a_continuation(p.message):
        faults.append("does not continue the key as a sentence")
    for pattern, fault in ((MISCOUNTED, "miscounts"), (CLASS_NAMES, "names a model class"),
                           (PYTHON_WORDS, "shows a Python value"), (re.compile(r"instance of"), "says instance of")):
        if pattern.search(p.message):
            faults.append(fault)
    if p.message.endswith(".") and not p.message.endswith("..."):
        faults.append("ends with a period")
    if "\n" in str(p) or len(p.message) >= 300:
        faults.append("does not fit one line")
    return faults


def test_every_problem_reads_as_one_line_that_names_its_key(reported):
    found, _ = reported
    assert len(found) > 150
    bad = {str(p): faults for p in found if (faults := _faults(p))}
    assert bad == {}


@pytest.mark.parametrize("message", [
    "Input should be a valid dictionary", "(5) must not exceed max (2)", "needs at least 1 item(s)",
    "use a service name of at most 1 characters", "must be a mapping (got None)",
    "must be a valid dictionary or instance of DependsOn", "ends like a sentence.",
])
def test_the_checks_catch_the_slips_they_are_for(message):
    assert _faults(Problem("services.web.cpu", message))
