"""The acceptance check's messages count correctly and show payload values as the request carries them."""

from deploy.aws.acceptance import api


def test_a_length_of_one_is_singular():
    assert list(api._size(0, {"min": 1}, "characters", "")) == ["must have at least 1 character (got 0: '')"]
    assert list(api._size(2, {"max": 1}, "items")) == ["must have at most 1 item (got 2)"]
    assert list(api._size(0, {"min": 1, "max": 64}, "characters", "")) == ["must have 1 to 64 characters (got 0: '')"]


def test_null_and_booleans_are_shown_as_json_writes_them():
    assert (api._show(None), api._show(True), api._show("x"), api._show(5)) == ("null", "true", "'x'", "5")
