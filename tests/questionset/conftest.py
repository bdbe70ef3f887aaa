"""Question-set files for the tests: a small good set, and helpers to load variants of it."""

import textwrap
from pathlib import Path

import pytest

from questionset.services import DEFAULT_QUESTION_SET, DEFAULT_QUESTION_SET_VERSIONS, question_set_load

SHIPPED = DEFAULT_QUESTION_SET  # the current version
SHIPPED_V1 = DEFAULT_QUESTION_SET_VERSIONS[0]

GOOD_SET = textwrap.dedent(
    """\
    code: good
    title: "A good question set"
    version: "1.0"
    description: "Read the **guidance**."
    criteria: ["Legal decisions ii", "Case progression"]
    scales:
      standard:
        - {code: fully_meets, label: "Fully meets"}
        - {code: partially_meets, label: "Partially meets"}
        - {code: not_meets, label: "Does not meet"}
        - {code: na, label: "Not applicable"}
      yes_no:
        - {code: yes, label: "Yes"}
        - {code: no, label: "No"}
        - {code: na, label: "Not applicable"}
    sections:
      - code: LD
        title: "Legal decisions"
        questions:
          - code: LD1
            criterion: "Legal decisions ii"
            text: "Did the CPS select the correct charges?"
            type: choice
            scale: standard
            comment_required_for: [partially_meets, not_meets]
            applies_when: {outcome: charged, court: [crown]}
            guidance: |
              Look at the **pattern** of behaviour.
          - code: LD2
            criterion: "Legal decisions ii"
            text: "Was stalking charged where the evidence supported it?"
            type: choice
            scale: yes_no
            applies_when:
              answers: {LD1: [partially_meets, not_meets]}
          - code: LD3
            criterion: "Legal decisions ii"
            text: "Which behaviours were evident?"
            type: multi
            required: false
            options:
              - {code: following, label: "Following"}
              - {code: other, label: "Other"}
      - code: CP
        title: "Case progression"
        questions:
          - {code: CP1, criterion: "Case progression", text: "Date of the charging decision", type: date}
          - {code: CP2, criterion: "Case progression", text: "Days to decision", type: number, required: false}
          - code: CP3
            criterion: "Case progression"
            text: "Anything else?"
            type: text
            required: false
            applies_when:
              answers: {LD3: [other]}
    """
)


@pytest.fixture
def good_set(db):
    return question_set_load(text=GOOD_SET, filename="good.yaml")


@pytest.fixture
def shipped_set(db):
    return question_set_load(text=Path(SHIPPED).read_text(encoding="utf-8"), filename=SHIPPED.name)
