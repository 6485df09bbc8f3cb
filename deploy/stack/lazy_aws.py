"""Load `pulumi_aws` service packages one class at a time.

`pulumi_aws` imports its service packages lazily, but the first touch of one (say
`aws.ec2`) runs its `__init__.py`, which imports every module of that service: about
190 for EC2, each defining its input classes. The stack uses a dozen resource types, so
most of the work is wasted: it was about 80% of the offline plan's run time.

`enable()` installs an import hook that replaces each `pulumi_aws.<service>` package
with a module whose attributes load on first use: `Vpc` imports `pulumi_aws.ec2.vpc`,
`get_vpc_output` imports `pulumi_aws.ec2.get_vpc`, `*Args` come from `_inputs`, output
types from `outputs`. The classes are the provider's own; only the order in which its
modules are imported changes. Names are resolved from the generated file layout
(`SecurityGroupIngressRule` -> `security_group_ingress_rule.py`); anything not found
that way falls back to the package's full `__init__`.
"""

from __future__ import annotations

import importlib
import importlib.abc
import importlib.machinery
import importlib.util
import re
import sys
import types
from collections.abc import Sequence
from pathlib import Path
from typing import Any

_ROOTS = ("pulumi_aws", "pulumi_awsx")
_SKIP = {"_utilities", "_inputs", "outputs", "_enums", "config", "provider"}
_CAMEL = re.compile(r"(?<=[a-z0-9])(?=[A-Z])|(?<=[A-Z])(?=[A-Z][a-z])")


def snake(name: str) -> str:
    return _CAMEL.sub("_", name).lower()


class _LazyService(types.ModuleType):
    def __getattr__(self, name: str) -> Any:
        if name.startswith("__"):
            raise AttributeError(name)
        value = _resolve(self, name)
        setattr(self, name, value)
        return value


def _resolve(pkg: types.ModuleType, name: str) -> Any:
    directory = Path(pkg.__path__[0])
    candidates = []
    if name.endswith("_output"):
        candidates.append(name[: -len("_output")])
    candidates.append(snake(name))
    if name.endswith(("Args", "ArgsDict")):
        candidates.append(snake(re.sub(r"(Args|ArgsDict)$", "", name)))
        candidates.append("_inputs")
    candidates += ["outputs", "_enums", "_inputs"]
    for module_name in candidates:
        if (directory / f"{module_name}.py").exists() or (directory / module_name).is_dir():
            module = importlib.import_module(f"{pkg.__name__}.{module_name}")
            if module_name == name:
                return module
            if hasattr(module, name):
                return getattr(module, name)
    # Unknown layout: run the package's real __init__ in this module's namespace, once.
    if not pkg.__dict__.get("__lazy_full__"):
        pkg.__dict__["__lazy_full__"] = True
        init = Path(pkg.__file__ or directory / "__init__.py")
        exec(compile(init.read_text(), str(init), "exec"), pkg.__dict__)  # noqa: S102 - the provider's own file
    if name in pkg.__dict__:
        return pkg.__dict__[name]
    raise AttributeError(f"module {pkg.__name__!r} has no attribute {name!r}")


class _Loader(importlib.abc.Loader):
    def __init__(self, spec: importlib.machinery.ModuleSpec):
        self._spec = spec

    def create_module(self, spec):
        module = _LazyService(spec.name)
        module.__path__ = list(spec.submodule_search_locations or [])
        module.__file__ = spec.origin
        module.__package__ = spec.name
        module.__spec__ = spec
        return module

    def exec_module(self, module):
        # pulumi_aws wraps service packages in importlib's LazyLoader, which resets the
        # module's class to ModuleType just before calling this: restore ours.
        module.__class__ = _LazyService


class _Finder(importlib.abc.MetaPathFinder):
    def find_spec(self, fullname: str, path: Sequence[str] | None,
                  target: types.ModuleType | None = None) -> importlib.machinery.ModuleSpec | None:
        parts = fullname.split(".")
        if len(parts) != 2 or parts[0] not in _ROOTS or parts[1] in _SKIP:
            return None
        spec = importlib.machinery.PathFinder.find_spec(fullname, path)
        if spec is None or not spec.submodule_search_locations:
            return None
        spec.loader = _Loader(spec)
        return spec


_FINDER = _Finder()


def enable() -> None:
    """Install the hook (idempotent). Service packages imported before stay as they are."""
    if _FINDER not in sys.meta_path:
        sys.meta_path.insert(0, _FINDER)
