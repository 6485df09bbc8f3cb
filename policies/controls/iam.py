"""IAM controls over identity policies: no admin, no service wildcards, no `*` on secret or key reads.

AWS evaluates IAM.1/IAM.21 on customer managed policies only; inline policies (what this
stack writes, `aws.iam.RolePolicy`) grant the same power, so both are checked here, as
checkov does. Role trust policies (`assumeRolePolicy`) are not identity policies and are
left alone.
"""

from __future__ import annotations

import fnmatch
from collections.abc import Iterator, Mapping
from typing import Any

from .model import MANDATORY, Control, NotApplicable, Res, items, json_prop, known, objects

POLICY_DOCUMENT_TYPES = ("aws:iam/policy:Policy", "aws:iam/rolePolicy:RolePolicy", "aws:iam/userPolicy:UserPolicy",
                         "aws:iam/groupPolicy:GroupPolicy")
ROLE = "aws:iam/role:Role"
ATTACHMENTS = ("aws:iam/rolePolicyAttachment:RolePolicyAttachment", "aws:iam/policyAttachment:PolicyAttachment",
               "aws:iam/userPolicyAttachment:UserPolicyAttachment",
               "aws:iam/groupPolicyAttachment:GroupPolicyAttachment")
ADMIN_POLICY_ARN_SUFFIX = ":iam::aws:policy/AdministratorAccess"
FSBP = "AWS Foundational Security Best Practices"
OURS = "this project (covers KMS.1/KMS.2 and secret reads)"

# Reading secrets or decrypting with any key: KMS.1/KMS.2 name the two KMS actions.
SENSITIVE_READS = ("secretsmanager:GetSecretValue", "ssm:GetParameter", "ssm:GetParameters",
                   "ssm:GetParametersByPath", "kms:Decrypt", "kms:ReEncryptFrom")


def documents(r: Res) -> list[tuple[str, Any]]:
    """(label, decoded policy document) for every identity policy the resource defines."""
    if r.type in POLICY_DOCUMENT_TYPES:
        return [("policy", json_prop(r.props, "policy"))]
    if r.type == ROLE:
        found = []
        for i, inline in enumerate(objects(r.props.get("inlinePolicies"), "inlinePolicies")):
            if isinstance(inline, dict) and inline.get("policy"):
                found.append((f"inline policy {inline.get('name') or i}", json_prop(inline, "policy")))
        return found
    return []


def _list(value: Any) -> list:
    return value if isinstance(value, list) else [] if value is None else [value]


def allow_statements(doc: Any) -> Iterator[tuple[str, dict]]:
    statements = doc.get("Statement") if isinstance(doc, dict) else None
    for i, st in enumerate(_list(statements)):
        if isinstance(st, dict) and st.get("Effect", "Allow") == "Allow":
            yield (f"statement {st['Sid']!r}" if st.get("Sid") else f"statement {i}"), st


def _statements(r: Res) -> Iterator[tuple[str, dict]]:
    docs = documents(r)
    if not docs and r.type not in ATTACHMENTS and r.type != ROLE:
        raise NotApplicable("no policy document")
    for label, doc in docs:
        for where, st in allow_statements(doc):
            yield f"{label} {where}", st


def _attached_admin(r: Res) -> list[str]:
    arns = items(r.props.get("managedPolicyArns"), "managedPolicyArns") if r.type == ROLE else \
        [known(r.props.get("policyArn"), "policyArn")] if r.type in ATTACHMENTS else []
    return [a for a in arns if isinstance(a, str) and a.endswith(ADMIN_POLICY_ARN_SUFFIX)]


def no_full_admin(r: Res, _: Mapping) -> Iterator[str]:
    for where, st in _statements(r):
        if "*" in _list(st.get("Action")) and "*" in _list(st.get("Resource")):
            yield f"{where} allows Action \"*\" on Resource \"*\" (full administrator)"
    for arn in _attached_admin(r):
        yield f"attaches {arn} (full administrator)"


def _service_wildcard(action: Any) -> bool:
    return isinstance(action, str) and (action == "*" or (action.endswith(":*") and action.count(":") == 1))


def no_service_wildcards(r: Res, _: Mapping) -> Iterator[str]:
    for where, st in _statements(r):
        for key in ("Action", "NotAction"):
            wild = [a for a in _list(st.get(key)) if _service_wildcard(a)]
            if wild:
                yield f"{where} allows {key} {', '.join(wild)}: grant the specific actions the workload uses"


def _grants(action_patterns: list, action: str) -> bool:
    return any(isinstance(p, str) and fnmatch.fnmatchcase(action.lower(), p.lower()) for p in action_patterns)


def no_wildcard_secret_reads(r: Res, _: Mapping) -> Iterator[str]:
    for where, st in _statements(r):
        if "*" not in _list(st.get("Resource")):
            continue
        if "NotAction" in st:
            reads = [a for a in SENSITIVE_READS if not _grants(_list(st["NotAction"]), a)]
        else:
            reads = [a for a in SENSITIVE_READS if _grants(_list(st.get("Action")), a)]
        if reads:
            yield f"{where} allows {', '.join(reads)} on Resource \"*\": name the secrets, parameters and keys"


_TYPES = POLICY_DOCUMENT_TYPES + (ROLE,)
CONTROLS = [
    Control("IAM.1", "No IAM policy grants full administrator access (\"*\" on \"*\")", "high", MANDATORY,
            _TYPES + ATTACHMENTS, FSBP, validate=no_full_admin),
    Control("IAM.21", "IAM policies do not allow wildcard actions for services", "low", MANDATORY, _TYPES, FSBP,
            validate=no_service_wildcards),
    Control("SEC.1", "No Resource \"*\" on secret, parameter or KMS decrypt reads", "high", MANDATORY, _TYPES, OURS,
            validate=no_wildcard_secret_reads),
]
