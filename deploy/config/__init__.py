"""Stack configuration: the typed model, its rules, and the readers (file and runtime)."""

from .load import SECRET_PLACEHOLDER, ConfigError, RawConfig, load, parse, project_name, read_runtime, read_stack_file
from .model import StackConfig
from .rules import Problem

__all__ = [
    "SECRET_PLACEHOLDER", "ConfigError", "Problem", "RawConfig", "StackConfig",
    "load", "parse", "project_name", "read_runtime", "read_stack_file",
]
