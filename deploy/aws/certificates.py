"""What ACM accepts in a DNS-validated certificate's names, and which validation records they need (pure).

Sources: botocore acm RequestCertificate documentation (DomainName: "the length of the domain
name (technically, the Common Name) that you provide cannot exceed 64 octets"; DomainNameString
pattern; SubjectAlternativeNames: "The maximum length of a SAN DNS name is 253 octets ... No
label can be longer than 63 octets", "the initial quota is 10 domain names") and the ACM quotas
page (https://docs.aws.amazon.com/acm/latest/userguide/acm-limits.html, "Number of domain names
per ACM certificate": 10 by default, the first name included).
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from typing import Final

MAX_NAMES: Final = 10
"""Domain names per ACM certificate, the primary one included (ACM's default quota)."""
MAX_COMMON_NAME: Final = 64
MAX_NAME: Final = 253
MAX_LABEL: Final = 63

_NAME = re.compile(r"(\*\.)?(((?!-)[A-Za-z0-9-]{0,62}[A-Za-z0-9])\.)+((?!-)[A-Za-z0-9-]{1,62}[A-Za-z0-9])")
"""botocore acm DomainNameString: an optional leading `*.`, then labels of letters, digits and inner hyphens."""


def name_problem(name: str, common_name: bool = False) -> str | None:
    """A certificate name: at most 253 characters (64 for the first, the common name), labels of at most 63."""
    limit = MAX_COMMON_NAME if common_name else MAX_NAME
    if len(name) > limit:
        return f"must be at most {limit} characters (got {len(name)}: {name[:40]!r}...)"
    if any(len(label) > MAX_LABEL for label in name.split(".")):
        return f"each label (between dots) must be at most {MAX_LABEL} characters (got {name!r})"
    if not _NAME.fullmatch(name):
        return (f"must be a domain name: letters, digits and hyphens in dot-separated labels, optionally starting "
                f"with '*.' (got {name!r})")
    return None


def validated_name(name: str) -> str:
    """The name whose DNS record validates `name`: ACM gives `*.example.com` the CNAME of `example.com`."""
    return name.removeprefix("*.")


def validation_names(names: Sequence[str]) -> list[str]:
    """One entry per distinct validation record, in the order first needed (a wildcard and its apex share one)."""
    seen: list[str] = []
    for name in names:
        base = validated_name(name.lower())
        if base not in seen:
            seen.append(base)
    return seen


def covers(certificate_name: str, host: str) -> bool:
    """A certificate name serves a host: the same name, or a wildcard one label above it."""
    cert, host = certificate_name.lower(), host.lower()
    if cert == host:
        return True
    return cert.startswith("*.") and "." in host and host.split(".", 1)[1] == cert[2:]
