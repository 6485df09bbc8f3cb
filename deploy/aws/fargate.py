"""Fargate task sizes: the CPU/memory pairs AWS accepts (pure, no Pulumi).

Source: AWS ECS Developer Guide, "Task CPU and memory" (Fargate), 0.25 to 16 vCPU.
8 and 16 vCPU need Linux platform version 1.4.0 or later, which `LATEST` is.
"""

from __future__ import annotations

# cpu units -> (min MiB, max MiB, step MiB); 256 is the one irregular row.
_RANGES: dict[int, tuple[int, int, int]] = {
    512: (1024, 4096, 1024),
    1024: (2048, 8192, 1024),
    2048: (4096, 16384, 1024),
    4096: (8192, 30720, 1024),
    8192: (16384, 61440, 4096),
    16384: (32768, 122880, 8192),
}
_CPU_256 = (512, 1024, 2048)

CPU_VALUES: tuple[int, ...] = (256, *_RANGES)


def memory_options(cpu: int) -> tuple[int, ...]:
    """Every memory size (MiB) Fargate accepts with `cpu` units; empty if `cpu` is not a Fargate size."""
    if cpu == 256:
        return _CPU_256
    if cpu not in _RANGES:
        return ()
    low, high, step = _RANGES[cpu]
    return tuple(range(low, high + 1, step))


def is_valid_size(cpu: int, memory: int) -> bool:
    return memory in memory_options(cpu)


def describe_memory_options(cpu: int) -> str:
    """Human-readable allowed memory for a CPU size, for error messages."""
    if cpu == 256:
        return "512, 1024 or 2048"
    low, high, step = _RANGES[cpu]
    return f"{low} to {high} in steps of {step}"


def vcpu(cpu: int) -> float:
    return cpu / 1024

