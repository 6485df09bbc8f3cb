"""ACM certificate names: what ACM accepts and which validation records they need."""

import pytest

from deploy.aws import certificates


@pytest.mark.parametrize("name", ["example.com", "*.example.com", "a-b.example.co.uk", "x" * 63 + ".com"])
def test_names_acm_accepts(name):
    assert certificates.name_problem(name) is None


@pytest.mark.parametrize("name,words", [
    ("example", "must be a domain name"), ("a.*.example.com", "must be a domain name"),
    ("-a.example.com", "must be a domain name"), ("x" * 64 + ".com", "at most 63 characters"),
    (".".join(["a" * 63] * 4), "at most 253 characters (got 255"),
])
def test_names_acm_refuses(name, words):
    assert words in certificates.name_problem(name)


def test_the_common_name_has_at_most_64_characters():
    name = "a" * 60 + ".com"  # 64
    assert certificates.name_problem(name, common_name=True) is None
    assert "at most 64 characters (got 65" in certificates.name_problem("a" + name, common_name=True)


def test_a_wildcard_and_its_apex_share_one_validation_record_in_first_needed_order():
    names = ["example.com", "*.example.com", "api.example.com", "*.API.example.com", "www.example.org"]
    assert certificates.validation_names(names) == ["example.com", "api.example.com", "www.example.org"]


@pytest.mark.parametrize("cert,host,covered", [
    ("www.example.com", "WWW.example.com", True), ("*.example.com", "www.example.com", True),
    ("*.example.com", "a.b.example.com", False), ("*.example.com", "example.com", False),
    ("example.com", "www.example.com", False),
])
def test_a_certificate_name_covers_itself_and_one_label_below_a_wildcard(cert, host, covered):
    assert certificates.covers(cert, host) is covered
