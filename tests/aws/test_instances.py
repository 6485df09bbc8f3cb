"""Instance type table: architecture, vCPUs and memory the EC2 capacity rules size tasks against."""

import pytest

from deploy.aws import instances

GIB = 1024


@pytest.mark.parametrize("name,architecture,vcpus,memory_gib", [
    ("m7g.large", "arm64", 2, 8),
    ("m6g.medium", "arm64", 1, 4),
    ("c6i.xlarge", "x86_64", 4, 8),
    ("c7g.2xlarge", "arm64", 8, 16),
    ("t3.medium", "x86_64", 2, 4),
    ("t3.micro", "x86_64", 2, 1),
    ("t4g.2xlarge", "arm64", 8, 32),
    ("r7g.2xlarge", "arm64", 8, 64),
    ("r6i.large", "x86_64", 2, 16),
    ("m5.16xlarge", "x86_64", 64, 256),
])
def test_known_types_have_their_architecture_vcpus_and_memory(name, architecture, vcpus, memory_gib):
    found = instances.lookup(name)
    assert found is not None
    assert (found.name, found.architecture, found.vcpus, found.memory_mib) == (
        name, architecture, vcpus, memory_gib * GIB)


def test_cpu_units_are_1024_per_vcpu():
    assert instances.lookup("c6i.xlarge").cpu_units == 4096
    assert instances.lookup("m6g.medium").cpu_units == 1024


def test_tasks_may_use_90_percent_of_an_instances_memory():
    assert instances.USABLE_MEMORY_SHARE == 0.90
    assert instances.lookup("m7g.large").usable_memory_mib == 7372  # int(8192 * 0.9)
    assert instances.lookup("t3.medium").usable_memory_mib == 3686  # int(4096 * 0.9)
    assert instances.lookup("r7g.2xlarge").usable_memory_mib == int(65536 * 0.9)


@pytest.mark.parametrize("name", [
    "m7g.nano",       # no such size in the family
    "m6i.medium",     # x86_64 general purpose starts at large
    "c6i.metal",      # sizes outside the ladder
    "z9.large",       # unknown family
    "m7g",            # no size
    "M7G.LARGE",      # AWS type names are lowercase
    "",
])
def test_unknown_types_are_none(name):
    assert instances.lookup(name) is None


def test_task_architecture_maps_ami_names_to_ecs_names():
    assert instances.task_architecture("arm64") == "ARM64"
    assert instances.task_architecture("x86_64") == "X86_64"


def test_families_are_sorted_and_unique():
    families = instances.families()
    assert families == sorted(set(families))
    assert {"m7g", "c6i", "t3", "r7g", "t4g"} <= set(families)


def test_every_table_entry_is_named_by_its_key_and_has_a_known_architecture():
    for name, entry in instances.TABLE.items():
        assert entry.name == name
        assert entry.architecture in ("x86_64", "arm64")
        assert entry.vcpus >= 1 and entry.memory_mib >= 512  # the nano sizes: 0.5 GiB


def test_c5_sizes_are_the_ones_aws_sells():
    assert instances.lookup("c5.8xlarge") is None
    assert instances.lookup("c5.16xlarge") is None
    nine = instances.lookup("c5.9xlarge")
    assert nine is not None and (nine.vcpus, nine.memory_mib) == (36, 72 * GIB)
