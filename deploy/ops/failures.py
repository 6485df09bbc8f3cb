"""Turn what the Automation API raises into one line a person can act on (pure).

The SDK raises typed errors for a few cases (`StackNotFoundError`, `ConcurrentUpdateError`,
`InvalidVersionError`), a `FileNotFoundError` when there is no `pulumi` executable, and a
plain `CommandError` carrying the CLI's stdout and stderr for everything else; those are
recognised by the messages the CLI and the AWS provider print.
"""

from __future__ import annotations

import re
from collections.abc import Sequence

from pulumi import automation as auto

from ..errors import Failure, literal

INSTALL_URL = "https://www.pulumi.com/docs/iac/download-install/"
CLI_MISSING = (f"the Pulumi CLI is not installed (no `pulumi` on PATH): install it from {INSTALL_URL} "
               "(e.g. `curl -fsSL https://get.pulumi.com | sh`), then retry")

_AWS_CREDENTIALS = re.compile(
    r"No valid credential sources found|NoCredentialProviders|no EC2 IMDS role found|failed to refresh cached "
    r"credentials|unable to validate AWS credentials|InvalidClientTokenId|UnrecognizedClientException|"
    r"ExpiredToken|security token included in the request is (invalid|expired)|SignatureDoesNotMatch", re.IGNORECASE)
_NOT_LOGGED_IN = re.compile(r"PULUMI_ACCESS_TOKEN must be set|not logged in|pulumi login", re.IGNORECASE)
_PASSPHRASE_MISSING = re.compile(r"passphrase must be set with PULUMI_CONFIG_PASSPHRASE", re.IGNORECASE)
_PASSPHRASE_WRONG = re.compile(r"incorrect passphrase", re.IGNORECASE)
_DIAGNOSTIC_HEAD = re.compile(r"^  (\S+) \((.+)\):$")
_RESULT = re.compile(r"\n code: (-?\d+)\n stdout: (.*)\n stderr: (.*)\Z", re.DOTALL)


def command_output(exc: BaseException) -> tuple[int | None, str, str]:
    """(exit code, stdout, stderr) of a CommandError (the SDK keeps them only in its message)."""
    match = _RESULT.search(str(exc))
    if match is None:
        return None, "", str(exc)
    return int(match.group(1)), match.group(2), match.group(3)


def describe(exc: BaseException, *, stack: str, operation: str,
             errors: Sequence[tuple[str, str]] = (), failed: Sequence[str] = ()) -> Failure | None:
    """A one-line `Failure` for `exc`, or None when it is not a Pulumi/Automation failure.

    `errors` / `failed` come from the engine events of the run (`workspace.EngineLog`):
    with them a failed update names the resource that failed.
    """
    if isinstance(exc, auto.StackNotFoundError):
        if operation in ("preview", "up"):
            hint = f"run {operation} with {{create}} to create it (or `pulumi stack init {literal(stack)}`)"
        else:
            hint = "create and deploy it with up and {create}"
        return Failure(literal(f"stack {stack} does not exist in this backend: ") + hint, create=True)
    line = _describe(exc, stack=stack, operation=operation, errors=errors, failed=failed)
    if line is NOT_LOGGED_IN:
        return Failure(NOT_LOGGED_IN, local=True)
    return Failure(line) if line is not None else None


NOT_LOGGED_IN = ("not logged in to a Pulumi backend: run `pulumi login` (or set PULUMI_ACCESS_TOKEN), or use the "
                 "local backend with {local}")


def _describe(exc: BaseException, *, stack: str, operation: str, errors: Sequence[tuple[str, str]],
              failed: Sequence[str]) -> str | None:
    if isinstance(exc, FileNotFoundError) and str(exc.filename or "").rsplit("/", 1)[-1] in ("pulumi", "pulumi.exe"):
        return CLI_MISSING
    if isinstance(exc, auto.InvalidVersionError):
        return f"the installed Pulumi CLI does not work with this SDK: {_first_line(str(exc))} ({INSTALL_URL})"
    if isinstance(exc, auto.ConcurrentUpdateError):
        return (f"stack {stack} is locked by another update: wait for it to finish; if that update was "
                f"interrupted, unlock the stack with `pulumi cancel --stack {stack}` and retry")
    if not isinstance(exc, auto.CommandError):
        return None
    code, stdout, stderr = command_output(exc)
    text = f"{stdout}\n{stderr}"
    if _AWS_CREDENTIALS.search(text):
        return ("no valid AWS credentials: configure them (`aws configure`, AWS_PROFILE, or an OIDC role in CI) "
                f"for the stack's `aws:region`, then retry ({_first_match(_AWS_CREDENTIALS, text)})")
    if _PASSPHRASE_MISSING.search(text):
        return ("the stack's secrets use a passphrase: set PULUMI_CONFIG_PASSPHRASE or "
                "PULUMI_CONFIG_PASSPHRASE_FILE, then retry")
    if _PASSPHRASE_WRONG.search(text):
        return "the passphrase does not decrypt this stack's secrets: check PULUMI_CONFIG_PASSPHRASE(_FILE)"
    if _NOT_LOGGED_IN.search(stderr):
        return NOT_LOGGED_IN
    resource = failing_resource(errors, failed, stdout)
    if resource is not None:
        urn, message = resource
        return f"{operation} of stack {stack} failed at {describe_urn(urn)}: {_first_line(message)}"
    line = next((ln.strip() for ln in stderr.splitlines() if ln.strip().startswith("error:")), "")
    line = line or next((ln.strip() for ln in stderr.splitlines() if ln.strip()), "")
    if line:
        return f"{operation} of stack {stack} failed: {line.removeprefix('error:').strip()}"
    return f"pulumi {operation} failed for stack {stack} (exit code {code})"


def failing_resource(errors: Sequence[tuple[str, str]], failed: Sequence[str],
                     stdout: str) -> tuple[str, str] | None:
    """(URN or `type (name)`, message) of the first resource that failed.

    Engine events are exact; without them (older CLIs, no event stream) the `Diagnostics:`
    section the CLI prints is read instead: `  aws:ecs:Service (dev-web-svc):` followed
    by its `error:` lines.
    """
    for urn, message in errors:
        if not failed or urn in failed:
            return urn, message
    if failed:
        return failed[0], "the operation failed"
    lines = stdout.splitlines()
    in_diagnostics = False
    for i, line in enumerate(lines):
        if line.startswith("Diagnostics:"):
            in_diagnostics = True
            continue
        head = _DIAGNOSTIC_HEAD.match(line) if in_diagnostics else None
        if head and head.group(1) != "pulumi:pulumi:Stack":
            body = [ln.strip() for ln in lines[i + 1:i + 6] if ln.strip()]
            found = next((b.removeprefix("error:").strip() for b in body if b.startswith("error:")), None)
            if found is not None:
                message = found
                details = [b.lstrip("* ").strip() for b in body[1:] if b.startswith("*")]
                if details and re.search(r"errors? occurred:$", message):
                    message = details[0]  # "1 error occurred:" says nothing; the detail line does
                return f"{head.group(1)} ({head.group(2)})", message
    return None


def describe_urn(urn: str) -> str:
    """`aws:ecs/service:Service dev-web-svc` from a URN (other strings pass through)."""
    if not urn.startswith("urn:pulumi:"):
        return urn
    qualified, _, name = urn.rpartition("::")
    return f"{qualified.rsplit('::', 1)[-1].rsplit('$', 1)[-1]} {name}"


def _first_line(text: str) -> str:
    lines = [ln.strip() for ln in text.strip().splitlines() if ln.strip()]
    return lines[0][:300] if lines else ""


def _first_match(pattern: re.Pattern, text: str) -> str:
    match = pattern.search(text)
    return match.group(0) if match else ""
