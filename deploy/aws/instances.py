"""EC2 instance types the capacity rules understand: architecture, vCPUs, memory (pure).

Generated from the families' regular size ladder (AWS EC2 instance type pages). Memory
a task can use is less than the instance's: the OS and the ECS agent keep some. ECS
registers roughly 90-95% depending on size; `usable_memory_mib` takes 90%, so a task that
passes here fits in practice.
"""

from __future__ import annotations

from dataclasses import dataclass

USABLE_MEMORY_SHARE = 0.90

_SIZES = {"medium": 1, "large": 2, "xlarge": 4, "2xlarge": 8, "4xlarge": 16, "8xlarge": 32, "12xlarge": 48,
          "16xlarge": 64}
# family -> (architecture, GiB per vCPU, smallest size)
_FAMILIES: dict[str, tuple[str, int, str]] = {
    **{f: ("x86_64", 4, "large") for f in ("m5", "m5a", "m6i", "m6a", "m7i", "m7a")},
    **{f: ("arm64", 4, "medium") for f in ("m6g", "m7g", "m8g")},
    **{f: ("x86_64", 2, "large") for f in ("c5a", "c6i", "c6a", "c7i", "c7a")},
    **{f: ("arm64", 2, "medium") for f in ("c6g", "c7g", "c8g")},
    **{f: ("x86_64", 8, "large") for f in ("r5", "r6i", "r6a", "r7i")},
    **{f: ("arm64", 8, "medium") for f in ("r6g", "r7g", "r8g")},
}
# Burstable families: 2 vCPUs up to large, memory doubling per size from nano's 0.5 GiB.
_BURSTABLE = {"t3": "x86_64", "t3a": "x86_64", "t4g": "arm64"}
_BURSTABLE_SIZES: dict[str, tuple[int, float]] = {"nano": (2, 0.5), "micro": (2, 1), "small": (2, 2), "medium": (2, 4),
                                                 "large": (2, 8), "xlarge": (4, 16),
                    "2xlarge": (8, 32)}


# Network interfaces per instance, by size: the ladder the EC2 User Guide's table ("Maximum IP
# addresses per network interface", https://docs.aws.amazon.com/AWSEC2/latest/UserGuide/AvailableIpPerENI.html)
# gives for the general purpose, compute and memory optimized families listed here (t3.nano 2,
# t3.small 3, m5.large 3, t3.xlarge 4, m5.4xlarge 8, m5.16xlarge 15, ...).
_INTERFACES = {"nano": 2, "micro": 2, "medium": 2, "small": 3, "large": 3, "xlarge": 4, "2xlarge": 4, "4xlarge": 8,
               "8xlarge": 8, "9xlarge": 8, "12xlarge": 8, "16xlarge": 15, "18xlarge": 15, "24xlarge": 15}
# Burstable types differ at medium: t3.medium and t4g.medium have 3.
_BURSTABLE_INTERFACES = {**_INTERFACES, "medium": 3}


@dataclass(frozen=True)
class InstanceType:
    name: str
    architecture: str  # "x86_64" or "arm64", as in AWS's AMI parameters
    vcpus: int
    memory_mib: int
    network_interfaces: int = 2

    @property
    def awsvpc_tasks(self) -> int:
        """Tasks in awsvpc mode one instance holds without ENI trunking: each needs its own interface,
        and the instance keeps one (ECS Developer Guide, "Amazon ECS task networking options for EC2")."""
        return self.network_interfaces - 1

    @property
    def cpu_units(self) -> int:
        return self.vcpus * 1024

    @property
    def usable_memory_mib(self) -> int:
        return int(self.memory_mib * USABLE_MEMORY_SHARE)


def _table() -> dict[str, InstanceType]:
    table: dict[str, InstanceType] = {}
    for family, (arch, gib_per_vcpu, smallest) in _FAMILIES.items():
        sizes = list(_SIZES)
        for size in sizes[sizes.index(smallest):]:
            vcpus = _SIZES[size]
            table[f"{family}.{size}"] = InstanceType(f"{family}.{size}", arch, vcpus, vcpus * gib_per_vcpu * 1024,
                                                     _INTERFACES[size])
    # c5 is the one family off the regular ladder: 9xlarge and 18xlarge instead of 8x/16x.
    for size, vcpus in {"large": 2, "xlarge": 4, "2xlarge": 8, "4xlarge": 16, "9xlarge": 36, "12xlarge": 48,
                        "18xlarge": 72, "24xlarge": 96}.items():
        table[f"c5.{size}"] = InstanceType(f"c5.{size}", "x86_64", vcpus, vcpus * 2 * 1024, _INTERFACES[size])
    for family, arch in _BURSTABLE.items():
        for size, (vcpus, gib) in _BURSTABLE_SIZES.items():
            table[f"{family}.{size}"] = InstanceType(f"{family}.{size}", arch, vcpus, int(gib * 1024),
                                                     _BURSTABLE_INTERFACES[size])
    return table


TABLE: dict[str, InstanceType] = _table()


def lookup(name: str) -> InstanceType | None:
    return TABLE.get(name)


def task_architecture(instance_architecture: str) -> str:
    """ECS task `cpuArchitecture` for an instance architecture."""
    return "ARM64" if instance_architecture == "arm64" else "X86_64"


def families() -> list[str]:
    return sorted({name.split(".")[0] for name in TABLE})
