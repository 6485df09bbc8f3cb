"""What to tell a user about a key the model does not have (pure): a near miss, or a feature not supported yet.

A suggestion is made only when it is both close and of the same kind, because a wrong
"did you mean" sends the user to the wrong setting (`gpu` is not a misspelt `cpu`):

- close: equal but for case, `_` and `-` (`desiredcount`, `desired_count`); or at most one
  edit (insertion, deletion, substitution, swap of neighbours) per four characters typed
  (`memroy`, `netwrk`); or an abbreviation: the same first letter, every typed letter in
  order, at least half as long (`pth` for `path`, `certArn` for `certificateArn`);
- the same kind: a mapping is never suggested for a list or a single value, nor the
  other way round (`port: 8080` is not `ports`).

An ECS API name for one of our settings (`mountPoints` for `mounts`) is suggested as well,
with the same kind check.

Keys users try for features the project does not have yet (GPUs, Windows...) get
a clear "not supported yet" pointing to the README section that shows how to add them next
to the stack, instead of a hint.
"""

from __future__ import annotations

import re
from collections.abc import Collection, Mapping
from typing import Annotated, Any, Literal, Union, get_args, get_origin

MAPPING, LIST, SCALAR = "mapping", "list", "scalar"
ANY_KIND = frozenset({MAPPING, LIST, SCALAR})

README_SECTION = '"Not supported yet"'

_OTHER_VOLUMES = "volumes other than EFS (`volumes.<name>.efs`) and task storage (`writablePaths`)"
_GPUS = "GPUs"
_WINDOWS = "Windows containers"
_NLB = "network load balancers"
_APP_MESH = "App Mesh (use `calls`: ECS Service Connect)"

UNSUPPORTED: Mapping[str, Mapping[str, str]] = {
    # model class name -> normalised key -> the feature it asks for
    "Container": {
        "volumesfrom": _OTHER_VOLUMES,
        "gpu": _GPUS, "gpus": _GPUS, "resourcerequirements": _GPUS,
    },
    "Service": {
        "gpu": _GPUS, "gpus": _GPUS,
        "operatingsystemfamily": _WINDOWS, "windows": _WINDOWS,
        "appmesh": _APP_MESH, "mesh": _APP_MESH, "proxyconfiguration": _APP_MESH,
    },
    "LoadBalancer": {
        "type": _NLB, "loadbalancertype": _NLB, "nlb": _NLB,
    },
}


ALIASES: Mapping[str, str] = {
    # normalised key -> the setting of ours that it names: the ECS API's word for the same thing. Suggested
    # only where that setting exists (so `mountPoints` on a container) and the value is of its kind.
    "mountpoints": "mounts",
}


def normalised(key: str) -> str:
    return re.sub(r"[_-]", "", key).lower()


def unsupported(model: str | None, key: str) -> str | None:
    """The message for a key that asks for a feature the model does not have yet, else None."""
    feature = UNSUPPORTED.get(model or "", {}).get(normalised(key))
    if feature is None:
        return None
    return f"not supported yet ({feature}); the README section {README_SECTION} shows how to add it next to the stack"


def value_kind(value: Any) -> str | None:
    """What the user wrote: a mapping, a list or a single value (None: nothing, any kind fits)."""
    if value is None:
        return None
    if isinstance(value, Mapping):
        return MAPPING
    if isinstance(value, (list, tuple)):
        return LIST
    return SCALAR


def annotation_kinds(annotation: Any) -> frozenset[str]:
    """The kinds of value a field's type accepts (`list[str] | None`: a list)."""
    if annotation is None or annotation is type(None):
        return frozenset()
    origin = get_origin(annotation)
    if origin is Annotated:
        return annotation_kinds(get_args(annotation)[0])
    if origin is Union or type(annotation).__name__ == "UnionType":
        kinds: frozenset[str] = frozenset()
        for arg in get_args(annotation):
            kinds |= annotation_kinds(arg)
        return kinds
    if origin is Literal:
        return frozenset({SCALAR})
    if origin in (dict, Mapping) or annotation is dict or hasattr(annotation, "model_fields"):
        return frozenset({MAPPING})
    if origin in (list, tuple, set, frozenset) or annotation in (list, tuple, set, frozenset):
        return frozenset({LIST})
    if annotation is Any:
        return ANY_KIND
    return frozenset({SCALAR})


def edits(a: str, b: str) -> int:
    """Insertions, deletions, substitutions and swaps of neighbouring letters that turn `a` into `b`
    (optimal string alignment distance)."""
    previous2: list[int] = []
    previous = list(range(len(b) + 1))
    for i, ca in enumerate(a, 1):
        current = [i] + [0] * len(b)
        for j, cb in enumerate(b, 1):
            current[j] = min(previous[j] + 1, current[j - 1] + 1, previous[j - 1] + (ca != cb))
            if i > 1 and j > 1 and ca == b[j - 2] and a[i - 2] == cb:
                current[j] = min(current[j], previous2[j - 2] + 1)
        previous2, previous = previous, current
    return previous[-1]


def _abbreviates(a: str, b: str) -> bool:
    if len(a) < 3 or a[0] != b[0] or 2 * len(a) < len(b):
        return False
    rest = iter(b)
    return all(c in rest for c in a)


def closeness(typed: str, known: str) -> int | None:
    """How close `known` is to what was typed (0 closest), or None when it is not a plausible meaning."""
    a, b = normalised(typed), normalised(known)
    if a == b:
        return 0
    distance = edits(a, b)
    if distance <= len(a) // 4:
        return distance
    if _abbreviates(a, b):
        return len(a)  # after any misspelling of the same length budget
    return None


def suggestion(typed: str, candidates: Mapping[str, Collection[str]], value: Any = None) -> str | None:
    """The known key a typed one most plausibly means, or None. `candidates`: key -> kinds it accepts."""
    kind = value_kind(value)
    alias = ALIASES.get(normalised(typed))
    if alias is not None and alias in candidates and (kind is None or not candidates[alias]
                                                      or kind in candidates[alias]):
        return alias
    ranked = sorted((rank, known) for known, kinds in candidates.items()
                    if (kind is None or not kinds or kind in kinds)
                    and (rank := closeness(typed, known)) is not None)
    return ranked[0][1] if ranked else None
