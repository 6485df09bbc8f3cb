"""What changes between two renders of a stack: created, changed input by input, replaced, deleted (pure).

Like `terraform plan` between the stack as it was and as it is now, without an AWS account:
both configs are rendered offline and their resources compared by URN, which is how the
Pulumi engine matches them.

- An input whose change the provider cannot apply in place forces a replacement
  (`deploy.aws.replacements`, from the provider schema's `ForceNew`). What a replacement
  means for the resource (a new DNS name, a repository without its images) is said with it.
- A replaced resource gets new IDs and ARNs. Offline they look the same (the mocks derive
  them from names), so every input elsewhere that carries one of them is marked
  "known after apply", and replaces its resource in turn when it forces replacement there,
  as the engine would find at `pulumi up`.
- A URN that disappears while one of the same type appears under a consistently renamed
  name (`dev-web-tg` -> `dev-api-tg`, the same substitution across several resources) is a
  rename: Pulumi creates the new resource and deletes the old one, so it is reported as a
  replacement of the old one.
- Inputs under `ignoreChanges` are not compared (the engine ignores them), and a protected
  resource that would be replaced or deleted is flagged: `pulumi up` refuses it.
"""

from __future__ import annotations

import json
import re
from collections import Counter
from collections.abc import Mapping
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Any, Final

from ..aws import replacements, tokens

if TYPE_CHECKING:
    from .engine import Rendered

CREATE: Final = "create"
UPDATE: Final = "update"
REPLACE: Final = "replace"
DELETE: Final = "delete"
ACTIONS: Final = (CREATE, UPDATE, REPLACE, DELETE)

AFTER_APPLY: Final = "(known after apply)"
"""The new value of an input that carries an ID or ARN of a replaced resource."""

_MIN_REF = 12
"""Shortest computed value taken as an identity of its resource (IDs and ARNs are longer)."""


@dataclass(frozen=True)
class Snapshot:
    """What the comparison needs of one resource of a render."""

    urn: str
    type: str
    name: str
    inputs: Mapping[str, Any]
    refs: frozenset[str] = frozenset()
    """Values AWS assigns to it (ID, ARN, URL...) that other resources' inputs carry."""
    protect: bool = False
    ignore_changes: tuple[str, ...] = ()


@dataclass(frozen=True)
class InputChange:
    path: str
    """`cidrBlock`, `tags.Name`, `containerDefinitions[0].image` (JSON strings are compared inside)."""
    old: Any
    new: Any
    replaces: bool
    """This input cannot change in place: the resource is replaced."""


@dataclass(frozen=True)
class Change:
    action: str
    """create | update | replace | delete."""
    urn: str
    type: str
    name: str
    inputs: tuple[InputChange, ...] = ()
    renamed_from: str | None = None
    """The old URN, when the replacement is a rename (a new URN for the same role)."""
    because: tuple[str, ...] = ()
    """Names of replaced resources whose new IDs force this replacement."""
    protected: bool = False
    """The resource is protected: `pulumi up` refuses to replace or delete it."""

    @property
    def consequence(self) -> str:
        """What the replacement or deletion means for this resource ('' for create and update)."""
        if self.action not in (REPLACE, DELETE):
            return ""
        entry = replacements.REPLACEMENTS.get(self.type)
        return entry.consequence if entry is not None else ""

    @property
    def routine(self) -> bool:
        """Replacement is the normal way this resource changes (a task definition's new revision)."""
        entry = replacements.REPLACEMENTS.get(self.type)
        return self.action == REPLACE and entry is not None and entry.routine

    def to_json(self) -> dict[str, Any]:
        return {"action": self.action, "urn": self.urn, "type": self.type, "name": self.name,
                "renamedFrom": self.renamed_from, "because": list(self.because), "protected": self.protected,
                "routine": self.routine, "consequence": self.consequence,
                "inputs": [{"path": c.path, "old": c.old, "new": c.new, "replaces": c.replaces}
                           for c in self.inputs]}


@dataclass
class Diff:
    changes: list[Change] = field(default_factory=list)

    def of(self, action: str) -> list[Change]:
        return [c for c in self.changes if c.action == action]

    @property
    def counts(self) -> dict[str, int]:
        found = Counter(c.action for c in self.changes)
        return {a: found.get(a, 0) for a in ACTIONS}

    @property
    def urns(self) -> set[str]:
        """URNs the update would touch: each change's, and the old URN of each rename."""
        return {c.urn for c in self.changes} | {c.renamed_from for c in self.changes if c.renamed_from}

    @property
    def risky(self) -> list[Change]:
        """Replacements and deletions that lose something (not a routine new revision)."""
        return [c for c in self.changes if c.action in (REPLACE, DELETE) and not c.routine]

    def to_json(self) -> dict[str, Any]:
        return {"summary": self.counts, "changes": [c.to_json() for c in self.changes]}


# --- what the comparison reads ---------------------------------------------------------------

def snapshots(rendered: Rendered) -> dict[str, Snapshot]:
    """The custom resources of a render, with the values AWS would assign them."""
    found = {}
    for r in rendered.resources:
        if not r.custom:
            continue
        computed = {str(v) for k, v in r.state.items() if k not in r.inputs and isinstance(v, str)}
        refs = frozenset(v for v in computed | {r.id or ""} if len(v) >= _MIN_REF)
        found[r.urn] = Snapshot(r.urn, r.type, r.name, r.inputs, refs, r.protect, r.ignore_changes)
    return found


def from_plan_json(plan: Mapping[str, Any]) -> dict[str, Snapshot]:
    """Snapshots of a `plan --json` object. It carries no assigned values, so nothing cascades."""
    found = {}
    for r in plan.get("resources") or []:
        if _is_component(str(r.get("type", ""))):
            continue
        options = r.get("options") or {}
        found[r["urn"]] = Snapshot(r["urn"], r["type"], r["name"], r.get("inputs") or {},
                                   protect=bool(options.get("protect")),
                                   ignore_changes=tuple(options.get("ignoreChanges") or ()))
    return found


def _is_component(type_: str) -> bool:
    return type_.split(":", 1)[0] == tokens.COMPONENT_PACKAGE or type_ == tokens.STACK


# --- the comparison --------------------------------------------------------------------------

def compare(old: Mapping[str, Snapshot], new: Mapping[str, Snapshot]) -> Diff:
    """What `pulumi up` would do to a stack rendered as `old` to make it `new`."""
    renames = _renames([old[u] for u in old.keys() - new.keys()], [new[u] for u in new.keys() - old.keys()])
    changes: dict[str, Change] = {}
    for urn in sorted(old.keys() & new.keys()):
        inputs = _input_changes(old[urn], new[urn])
        if inputs:
            replace = any(c.replaces for c in inputs)
            changes[urn] = Change(REPLACE if replace else UPDATE, urn, new[urn].type, new[urn].name,
                                  tuple(inputs), protected=replace and old[urn].protect)
    for new_urn, old_urn in renames.items():
        changes[new_urn] = Change(REPLACE, new_urn, new[new_urn].type, new[new_urn].name,
                                  tuple(_input_changes(old[old_urn], new[new_urn])), renamed_from=old_urn,
                                  protected=old[old_urn].protect)
    _cascade(old, new, changes)
    for urn in sorted(new.keys() - old.keys() - renames.keys()):
        changes[urn] = Change(CREATE, urn, new[urn].type, new[urn].name)
    for urn in sorted(old.keys() - new.keys() - set(renames.values())):
        changes[urn] = Change(DELETE, urn, old[urn].type, old[urn].name, protected=old[urn].protect)
    order = {a: i for i, a in enumerate((REPLACE, DELETE, UPDATE, CREATE))}
    return Diff(sorted(changes.values(), key=lambda c: (order[c.action], c.type, c.name)))


def compare_renders(old: Rendered, new: Rendered) -> Diff:
    return compare(snapshots(old), snapshots(new))


def _input_changes(old: Snapshot, new: Snapshot) -> list[InputChange]:
    """The inputs that differ, leaf by leaf, each marked when it forces a replacement."""
    ignored = set(new.ignore_changes)
    before, after = flatten(old.inputs), flatten(new.inputs)
    found = []
    for path in sorted(before.keys() | after.keys()):
        if _top(path) in ignored or before.get(path) == after.get(path):
            continue
        found.append(InputChange(path, before.get(path), after.get(path),
                                 replacements.forces_replacement(new.type, path)))
    return found


def _cascade(old: Mapping[str, Snapshot], new: Mapping[str, Snapshot], changes: dict[str, Change]) -> None:
    """Mark inputs that carry an ID or ARN of a replaced resource, until nothing more is replaced."""
    done: set[str] = set()
    leaves: dict[str, dict[str, Any]] = {}
    while True:
        replaced = [c for c in changes.values() if c.action == REPLACE and c.urn not in done]
        if not replaced:
            return
        for change in replaced:
            done.add(change.urn)
            source = old.get(change.renamed_from or change.urn)
            if source is None or not source.refs:
                continue
            for urn in sorted(old.keys() & new.keys()):
                if urn in done or (urn in changes and changes[urn].renamed_from):
                    continue
                if urn not in leaves:
                    leaves[urn] = flatten(new[urn].inputs)
                carried = [p for p, v in leaves[urn].items()
                           if _top(p) not in new[urn].ignore_changes and _carries(v, source.refs)]
                if carried:
                    changes[urn] = _after_apply(changes.get(urn), new[urn], old[urn], carried, change.name)


def _after_apply(current: Change | None, new: Snapshot, old: Snapshot, paths: list[str], cause: str) -> Change:
    before = flatten(old.inputs)
    inputs = {c.path: c for c in current.inputs} if current else {}
    for path in paths:
        if path not in inputs:
            inputs[path] = InputChange(path, before.get(path), AFTER_APPLY,
                                       replacements.forces_replacement(new.type, path))
    ordered = tuple(inputs[p] for p in sorted(inputs))
    replace = any(c.replaces for c in ordered)
    because = tuple(sorted({*(current.because if current else ()), cause}))
    return Change(REPLACE if replace else UPDATE, new.urn, new.type, new.name, ordered, because=because,
                  protected=replace and old.protect)


def _carries(value: Any, refs: frozenset[str]) -> bool:
    """`value` holds one of `refs` whole (an ARN inside a policy), not as the start of a longer name."""
    if isinstance(value, str):
        return any(re.search(rf"(?<![\w-]){re.escape(ref)}(?![\w-])", value) for ref in refs if ref in value)
    if isinstance(value, list):
        return any(_carries(v, refs) for v in value)
    return False


def _renames(deleted: list[Snapshot], created: list[Snapshot]) -> dict[str, str]:
    """New URN -> old URN for resources renamed by one consistent substitution of name parts.

    A substitution counts only when at least two resources follow it: a service or a
    prefix renamed renames every resource made for it, while one resource removed and an
    unrelated one added share no pattern.
    """
    candidates: Counter[tuple[tuple[str, ...], tuple[str, ...]]] = Counter()
    for d in deleted:
        for c in created:
            if c.type == d.type and (sub := _substitution(d.name, c.name)) is not None:
                candidates[sub] += 1
    pairs: dict[str, str] = {}
    taken: set[str] = set()
    for sub, count in sorted(candidates.items(), key=lambda kv: (-kv[1], kv[0])):
        if count < 2:
            break
        for d in deleted:
            if d.urn in taken:
                continue
            target = _apply(sub, d.name)
            match = next((c for c in created if c.type == d.type and c.name == target and c.urn not in pairs),
                         None)
            if match is not None:
                pairs[match.urn] = d.urn
                taken.add(d.urn)
    return pairs


def _substitution(old: str, new: str) -> tuple[tuple[str, ...], tuple[str, ...]] | None:
    """The hyphen-separated parts that differ between two names, after their common start and end."""
    a, b = old.split("-"), new.split("-")
    start = 0
    while start < min(len(a), len(b)) and a[start] == b[start]:
        start += 1
    end = 0
    while end < min(len(a), len(b)) - start and a[-1 - end] == b[-1 - end]:
        end += 1
    middle_a, middle_b = tuple(a[start:len(a) - end]), tuple(b[start:len(b) - end])
    return (middle_a, middle_b) if middle_a and middle_b else None


def _apply(sub: tuple[tuple[str, ...], tuple[str, ...]], name: str) -> str | None:
    parts, (old, new) = name.split("-"), sub
    for i in range(len(parts) - len(old) + 1):
        if tuple(parts[i:i + len(old)]) == old:
            return "-".join([*parts[:i], *new, *parts[i + len(old):]])
    return None


# --- inputs as leaves --------------------------------------------------------------------------

def flatten(value: Mapping[str, Any]) -> dict[str, Any]:
    """Leaf path -> value. Objects and lists of objects are walked; a string holding a JSON
    document (container definitions, policies) is walked inside; lists of plain values are
    leaves, so a list that changes reads as one line."""
    out: dict[str, Any] = {}
    _walk(dict(value), "", out)
    return out


def _walk(value: Any, path: str, out: dict[str, Any]) -> None:
    if isinstance(value, str) and value[:1] in "[{":
        try:
            value = json.loads(value)
        except ValueError:
            pass
    if isinstance(value, dict):
        if not value and path:
            out[path] = {}
        for key in sorted(value):
            _walk(value[key], f"{path}.{key}" if path else str(key), out)
    elif isinstance(value, list) and any(isinstance(v, (dict, list)) for v in value):
        for i, item in enumerate(value):
            _walk(item, f"{path}[{i}]", out)
    else:
        out[path] = value


def _top(path: str) -> str:
    for i, ch in enumerate(path):
        if ch in ".[":
            return path[:i]
    return path


# --- text ----------------------------------------------------------------------------------------

_MARK: Final = {CREATE: "+", UPDATE: "~", REPLACE: "-/+", DELETE: "-"}


def as_text(diff: Diff, title: str) -> str:
    """A `terraform plan`-like listing: replacements and deletions first, each with what it means."""
    counts = diff.counts
    lines = [f"{title}: {counts[CREATE]} to create, {counts[UPDATE]} to change, {counts[REPLACE]} to replace, "
             f"{counts[DELETE]} to delete"]
    if not diff.changes:
        return lines[0] + "\nNo changes: the stack would stay as it is."
    for c in diff.changes:
        lines.append("")
        head = f"{_MARK[c.action]} {c.type}  {c.name}"
        if c.renamed_from:
            head += f"  (replaces {c.renamed_from.rsplit('::', 1)[-1]}: renamed)"
        elif c.because:
            head += f"  (because {', '.join(c.because)} {'is' if len(c.because) == 1 else 'are'} replaced)"
        lines.append(head)
        for i in c.inputs:
            lines.append(f"    {i.path}: {_show(i.old)} -> {_show(i.new)}" + ("   # forces replacement"
                                                                               if i.replaces else ""))
        if c.consequence and not c.routine:
            lines.append(f"    ! {c.consequence}")
        if c.protected:
            lines.append("    ! protected: pulumi up refuses this until the resource is unprotected "
                         "(protect: false, or pulumi state unprotect)")
    risky = diff.risky
    if risky:
        lines += ["", f"Warning: {len(risky)} resource(s) would be replaced or deleted: "
                  + ", ".join(c.name for c in risky[:6]) + (" ..." if len(risky) > 6 else "")]
    return "\n".join(lines)


def _show(value: Any) -> str:
    if value is None:
        return "(none)"
    if value == AFTER_APPLY:
        return AFTER_APPLY
    text = json.dumps(value, sort_keys=True, default=str)
    return text if len(text) <= 120 else text[:117] + "..."
