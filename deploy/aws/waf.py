"""Which AWS WAF web ACLs a regional resource such as an ALB can use (pure).

A WAFv2 web ACL ARN is `arn:<partition>:wafv2:<region>:<account>:<scope>/webacl/<name>/<id>`,
with scope `regional` for ALBs, API Gateway and the like, and `global` for CloudFront (whose
ACLs live in us-east-1 and are attached to a distribution, not through AssociateWebACL):
the Service Authorization Reference, "Resource types defined by AWS WAF V2"
(https://docs.aws.amazon.com/service-authorization/latest/reference/list_awswafv2.html:
`arn:${Partition}:wafv2:${Region}:${Account}:${Scope}/webacl/${Name}/${Id}`), and botocore
wafv2 AssociateWebACL ("Use this for all resource types except for Amazon CloudFront
distributions"). A regional ACL protects resources of its own Region only.
"""

from __future__ import annotations

import re
from typing import Final

PATTERN: Final = r"arn:aws[a-z-]*:wafv2:[a-z0-9-]+:\d{12}:(regional|global)/webacl/[A-Za-z0-9_-]{1,128}/[a-f0-9-]{1,36}"
_ARN = re.compile(PATTERN)


def web_acl_problem(arn: str, region: str) -> str | None:
    """Why an ALB in `region` cannot use the web ACL `arn` (None: it can)."""
    if not _ARN.fullmatch(arn):
        return None  # the field's own pattern reports it
    _, _, _, acl_region, _, resource = arn.split(":", 5)
    if resource.startswith("global/"):
        return ("is a global (CloudFront) web ACL; a load balancer needs a regional one "
                f"(arn:aws:wafv2:{region}:<account>:regional/webacl/<name>/<id>)")
    if acl_region != region:
        return (f"is a web ACL in {acl_region}; the load balancer in {region} needs one created in {region} "
                "(regional web ACLs protect resources of their own Region)")
    return None
