"""The private Pulumi SDK names the offline engine relies on still exist in the installed SDK."""

from __future__ import annotations

import pytest

from deploy.stack import sdk


@pytest.mark.parametrize("name", sorted(sdk.REQUIRED))
def test_every_private_name_resolves(name):
    if sdk.REQUIRED[name] is None:
        pytest.fail(f"Pulumi SDK {sdk.sdk_version()} has no {name} (deploy/stack/sdk.py was written against "
                    f"{sdk.PINNED_VERSION}): adapt deploy/stack/sdk.py before upgrading")


def test_the_installed_sdk_is_the_pinned_one():
    # The names above were read from this version; an upgrade must re-read them (CONTRIBUTING.md).
    assert sdk.sdk_version() == sdk.PINNED_VERSION, (
        f"Pulumi SDK {sdk.sdk_version()} installed, deploy/stack/sdk.py reviewed for {sdk.PINNED_VERSION}")


def test_a_secret_is_recognised_and_a_plain_mapping_is_not():
    from pulumi.runtime import rpc

    assert sdk.is_secret_value({rpc._special_sig_key: rpc._special_secret_sig, "value": "x"})
    assert not sdk.is_secret_value({"value": "x"})
