"""Reading a Terraform state from S3 when the program runs, with the stack's AWS credentials.

`network.existing.fromTerraform.state: s3://bucket/key` is read here, by `__main__.py`
under `pulumi preview` / `up` and by the operations before they start the Pulumi CLI; the
offline commands never call AWS and refuse it (`deploy.config.terraform_state`). boto3
finds credentials as the AWS provider does: the environment, or the stack's `aws:profile`.
"""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path
from typing import Any

from ..config.source import PROJECT_DIR, RawConfig
from ..config.terraform_state import MAX_STATE_BYTES, StateError, StateReader, read_local, s3_location, too_large

CONNECT_TIMEOUT = 10
READ_TIMEOUT = 30
ATTEMPTS = 3
"""A state is one small object: an unreachable S3 fails the program in about two minutes instead of hanging."""


def reader(raw: RawConfig, project_dir: Path = PROJECT_DIR, session: Callable[[], Any] | None = None
           ) -> StateReader:
    """Local files as offline, and `s3://` objects through boto3 in the stack's region and profile."""
    def read(location: str) -> bytes:
        found = s3_location(location)
        if found is None:
            return read_local(location, project_dir)
        return fetch(location, *found, session=session or (lambda: _session(raw)))
    return read


def _session(raw: RawConfig) -> Any:
    import boto3  # type: ignore[import-untyped]  # only a stack that reads S3 pays for importing it

    region = raw.values.get("aws:region")
    profile = raw.values.get("aws:profile")
    return boto3.Session(region_name=region if isinstance(region, str) else None,
                         profile_name=profile if isinstance(profile, str) and profile else None)


def fetch(location: str, bucket: str, key: str, session: Callable[[], Any]) -> bytes:
    """The object's bytes, refusing one larger than a state file is read up to; StateError naming why not."""
    from botocore.config import Config
    from botocore.exceptions import BotoCoreError, ClientError

    try:
        response = session().client("s3", config=Config(
            connect_timeout=CONNECT_TIMEOUT, read_timeout=READ_TIMEOUT,
            retries={"max_attempts": ATTEMPTS, "mode": "standard"})).get_object(Bucket=bucket, Key=key)
        size = response.get("ContentLength") or 0
        if size > MAX_STATE_BYTES:
            raise StateError([("state", too_large(location, size, MAX_STATE_BYTES))])
        with response["Body"] as body:
            data = body.read(MAX_STATE_BYTES + 1)
    except ClientError as exc:
        error = exc.response.get("Error", {})
        code, message = error.get("Code", "error"), error.get("Message", "")
        raise StateError([("state", f"{location!r} cannot be read from S3: {code}"
                                    + (f" ({message})" if message else ""))]) from None
    except BotoCoreError as exc:  # no credentials, an unknown profile, no connection, a timeout
        raise StateError([("state", f"{location!r} cannot be read from S3: {exc}")]) from None
    if len(data) > MAX_STATE_BYTES:
        raise StateError([("state", too_large(location, len(data), MAX_STATE_BYTES))])
    return bytes(data)
