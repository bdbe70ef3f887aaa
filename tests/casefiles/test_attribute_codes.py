"""A plan's attribute and value codes are checked by the question-set loader's code rules
(questionset.loader.check_code): the same wording, each fault named once."""

import pytest

from casefiles.attributes import parse_attributes


def errors_of(*attributes: dict) -> list[str]:
    errors: list[str] = []
    parse_attributes(list(attributes), errors)
    return errors


def choice(code: str, *values: str) -> dict:
    return {"code": code, "label": "Court", "type": "choice", "values": [{"code": v, "label": v} for v in values]}


def test_good_codes_pass():
    assert errors_of(choice("court", "crown", "magistrates-court", "youth_court")) == []


@pytest.mark.parametrize(
    ("code", "wanted"),
    [
        ("Court", ["attribute Court: the code 'Court' may use only lower-case letters, digits and '_', starting"]),
        ("2nd", ["attribute 2nd: the code '2nd' may use only lower-case letters, digits and '_', starting"]),
        ("a" * 41, [f"attribute {'a' * 41}: the code '{'a' * 41}' is longer than 40 characters"]),
        ("", ["attribute 1: needs a code"]),
    ],
)
def test_a_bad_attribute_code_is_named_once(code, wanted):
    errors = errors_of(choice(code, "yes"))
    assert len(errors) == len(wanted) and all(e.startswith(w) for e, w in zip(errors, wanted, strict=True))


def test_a_bad_value_code_is_named_with_its_place():
    errors = errors_of(choice("court", "crown", "Mags Court", "c" * 41))
    assert errors == [
        "attribute court, value 2: the code 'Mags Court' may use only lower-case letters, digits, '-' and '_'",
        f"attribute court, value 3: the code '{'c' * 41}' is longer than 40 characters",
    ]


def test_a_reserved_code_is_refused_only_when_well_formed():
    assert errors_of(choice("stratum", "a")) == [
        "attribute stratum: 'stratum' is a column the frame or an export already has"
    ]
