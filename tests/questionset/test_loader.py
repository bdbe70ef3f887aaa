"""The loader: good files parse; every kind of mistake is named, all at once."""

import textwrap

import pytest

from questionset.loader import QuestionSetInvalid, parse_question_set

from .conftest import GOOD_SET


def errors_of(text: str) -> list[str]:
    with pytest.raises(QuestionSetInvalid) as raised:
        parse_question_set(textwrap.dedent(text))
    return raised.value.errors


def test_it_reads_a_good_file():
    spec = parse_question_set(GOOD_SET)
    assert (spec.code, spec.title, spec.version) == ("good", "A good question set", "1.0")
    assert [s.code for s in spec.sections] == ["LD", "CP"]
    assert [q.code for q in spec.questions] == ["LD1", "LD2", "LD3", "CP1", "CP2", "CP3"]
    assert spec.criteria == ["Legal decisions ii", "Case progression"]
    ld1, ld2, ld3, cp1, cp2, _ = spec.questions
    assert [o.code for o in ld1.options] == ["fully_meets", "partially_meets", "not_meets", "na"]
    assert ld1.comment_required_for == ["partially_meets", "not_meets"]
    assert ld1.applies_when == {"outcome": ["charged"], "court": ["crown"]}  # a single value becomes a list
    assert ld1.guidance == "Look at the **pattern** of behaviour."
    assert [o.code for o in ld2.options] == ["yes", "no", "na"]  # bare YAML yes/no read as codes, not booleans
    assert ld2.applies_when == {"answers": {"LD1": ["partially_meets", "not_meets"]}}
    assert (ld3.answer_type, ld3.required, [o.code for o in ld3.options]) == ("multi", False, ["following", "other"])
    assert (cp1.answer_type, cp1.required, cp1.options) == ("date", True, [])
    assert (cp2.answer_type, cp2.required) == ("number", False)


def test_the_same_content_laid_out_differently_has_the_same_checksum():
    relaid = GOOD_SET.replace('version: "1.0"', 'version: "1.0"   # a comment\n\n')
    assert relaid != GOOD_SET
    assert parse_question_set(relaid).checksum() == parse_question_set(GOOD_SET).checksum()
    assert (
        parse_question_set(GOOD_SET.replace("pattern", "course")).checksum() != parse_question_set(GOOD_SET).checksum()
    )


BROKEN_SET = """\
code: broken
title: "Broken on purpose"
version: "1"
scales:
  standard:
    - {code: fully_meets, label: "Fully meets"}
    - {code: na, label: "Not applicable"}
  without_na:
    - {code: "yes", label: "Yes"}
    - {code: "no", label: "No"}
  doubled:
    - {code: a, label: "A"}
    - {code: a, label: "A again"}
    - {code: na, label: "Not applicable"}
sections:
  - code: A
    title: "First"
    questions:
      - {code: Q1, text: "One", type: choice, scale: standard}
      - {code: Q1, text: "One again", type: choice, scale: standard}
      - {code: Q2, text: "Unknown scale", type: choice, scale: nope}
      - {code: Q3, text: "Both", type: choice, scale: standard, options: [{code: na, label: "NA"}]}
      - {code: Q4, text: "Choice without na", type: choice, scale: without_na}
      - {code: Q5, text: "Number with options", type: number, options: [{code: a, label: "A"}]}
      - {code: Q6, text: "Date with a scale", type: date, scale: standard}
      - {code: Q7, text: "Text with options", type: text, options: [{code: a, label: "A"}]}
      - {code: Q8, text: "Comment rule", type: choice, scale: standard, comment_required_for: [maybe]}
      - {code: Q9, text: "Unknown ref", type: choice, scale: standard, applies_when: {answers: {ZZ9: [na]}}}
      - {code: Q10, text: "Forward", type: choice, scale: standard, applies_when: {answers: {Q20: [na]}}}
      - {code: Q11, text: "Itself", type: choice, scale: standard, applies_when: {answers: {Q11: [na]}}}
      - {code: Q12, text: "A number", type: number}
      - {code: Q13, text: "Refers to a number", type: choice, scale: standard, applies_when: {answers: {Q12: ["5"]}}}
      - {code: Q14, text: "Unknown option", type: choice, scale: standard, applies_when: {answers: {Q1: [maybe]}}}
      - {code: Q15, text: "Unknown attribute", type: choice, scale: standard, applies_when: {Court Type: [crown]}}
      - {code: Q16, text: "Bad value", type: choice, scale: standard, applies_when: {court: [county]}}
      - {code: Q17, type: choice, scale: standard}
      - {code: Q18, text: "No type"}
      - {code: Q19, text: "Doubled option", type: choice, options: [{code: na, label: "NA"}, {code: na, label: "NA 2"}]}
      - {code: Q21, text: "No options at all", type: multi}
  - code: A
    title: "Second, with the first section's code"
    questions:
      - {code: Q20, text: "Later", type: choice, scale: standard, applies_when: {answers: {Q10: [na]}}}
  - code: EMPTY
    title: "Empty"
    questions: []
"""

EXPECTED_ERRORS = {
    "duplicate question code": "question Q1: the code appears twice",
    "duplicate section code": "section A: the code appears twice",
    "duplicate option code in a scale": "scale 'doubled': option code 'a' appears twice",
    "duplicate option code in a question": "question Q19: option code 'na' appears twice",
    "unknown scale": "question Q2: unknown scale 'nope'",
    "scale and options both": "question Q3: give a scale or options, not both",
    "choice without na": "question Q4: a single-choice question must offer 'na' (not applicable)",
    "options on a number": "question Q5: a number question takes no options or scale",
    "scale on a date": "question Q6: a date question takes no options or scale",
    "options on text": "question Q7: a text question takes no options or scale",
    "choice without options": "question Q21: a multi question needs a scale or options",
    "comment rule naming a non-option": (
        "question Q8: comment_required_for names 'maybe', which is not one of its options"
    ),
    "rule naming an unknown question": (
        "question Q9: applies_when refers to 'ZZ9', which is not a question in this file"
    ),
    "rule referring forward": (
        "question Q10: applies_when refers forward to 'Q20', which comes later in the file; "
        "a rule may refer only to an earlier question (this is also what rules out cycles)"
    ),
    "rule referring to itself": (
        "question Q11: applies_when refers to the question itself; a rule may refer only to an earlier question"
    ),
    "rule naming a question with no options": (
        "question Q13: applies_when refers to 'Q12', a number question with no options"
    ),
    "rule naming an unknown option": (
        "question Q14: applies_when names option 'maybe' of 'Q1', which has no such option"
    ),
    "unknown case attribute": (
        "question Q15: applies_when has unknown condition 'Court Type' "
        "(expected answers or a case attribute's code: lower-case letters, digits and _)"
    ),
    "missing text": "question Q17: needs text",
    "missing type": "question Q18: needs a type (one of choice, multi, number, date, text)",
    "cycle": (
        "applies_when rules form a cycle: Q10 → Q20 → Q10 "
        "(each waits for another's answer, so none of them could ever apply)"
    ),
    "empty section": "section EMPTY: has no questions",
}


def test_it_names_every_error_of_a_file_together():
    errors = errors_of(BROKEN_SET)
    missing = {name: message for name, message in EXPECTED_ERRORS.items() if message not in errors}
    assert not missing, f"not reported: {missing}\nreported: {errors}"
    assert len(errors) == len(EXPECTED_ERRORS), errors  # and nothing spurious


@pytest.mark.parametrize("name", sorted(EXPECTED_ERRORS))
def test_each_error_is_named_in_the_exception_message(name):
    with pytest.raises(QuestionSetInvalid) as raised:
        parse_question_set(BROKEN_SET)
    assert EXPECTED_ERRORS[name] in str(raised.value)


def test_two_questions_that_wait_for_each_other_are_a_cycle():
    errors = errors_of(
        """\
        code: cycle
        title: "Two questions in a cycle"
        version: "1"
        scales:
          yes_no: [{code: "yes", label: "Yes"}, {code: "no", label: "No"}, {code: na, label: "NA"}]
        sections:
          - code: S
            title: "Only"
            questions:
              - {code: A, text: "A", type: choice, scale: yes_no, applies_when: {answers: {B: ["yes"]}}}
              - {code: B, text: "B", type: choice, scale: yes_no, applies_when: {answers: {A: ["yes"]}}}
        """
    )
    assert errors == [
        "question A: applies_when refers forward to 'B', which comes later in the file; "
        "a rule may refer only to an earlier question (this is also what rules out cycles)",
        "applies_when rules form a cycle: A → B → A "
        "(each waits for another's answer, so none of them could ever apply)",
    ]


def test_a_longer_cycle_is_named_once_with_its_path():
    errors = errors_of(
        """\
        code: cycle
        title: "Three in a cycle"
        version: "1"
        scales:
          yes_no: [{code: "yes", label: "Yes"}, {code: na, label: "NA"}]
        sections:
          - code: S
            title: "Only"
            questions:
              - {code: A, text: "A", type: choice, scale: yes_no, applies_when: {answers: {C: ["yes"]}}}
              - {code: B, text: "B", type: choice, scale: yes_no, applies_when: {answers: {A: ["yes"]}}}
              - {code: C, text: "C", type: choice, scale: yes_no, applies_when: {answers: {B: ["yes"]}}}
        """
    )
    cycles = [e for e in errors if "form a cycle" in e]
    assert cycles == [
        "applies_when rules form a cycle: A → C → B → A "
        "(each waits for another's answer, so none of them could ever apply)"
    ]


def test_invalid_yaml_is_named_with_its_line():
    errors = errors_of('code: x\ntitle: [unclosed\nversion: "1"\n')
    assert len(errors) == 1
    assert errors[0].startswith("the file is not valid YAML: ") and "line " in errors[0]
    assert "\n" not in errors[0]


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("just a string", "the file must be a mapping with code, title, version and sections"),
        ("code: x\n", "the set needs 'title'"),
        ("code: x\ntitle: t\nversion: '1'\nsections: []\n", "the set needs 'sections'"),
        ("code: x\ntitle: t\nversion: '1'\nsections: [oops]\n", "section 1: must be a mapping"),
    ],
)
def test_it_names_a_file_that_is_not_a_question_set(text, expected):
    assert any(expected in e for e in errors_of(text))


def test_it_names_a_misspelt_key_rather_than_ignoring_it():
    errors = errors_of(GOOD_SET.replace("applies_when: {outcome", "aplies_when: {outcome"))
    assert errors[0].startswith("question LD1: unknown key 'aplies_when' (expected one of applies_when, code, ")


def test_with_a_criteria_list_every_question_must_name_one_of_them():
    text = GOOD_SET.replace('criterion: "Case progression", text: "Days', 'criterion: "Case progress", text: "Days')
    text = text.replace('{code: CP1, criterion: "Case progression", ', "{code: CP1, ")
    assert errors_of(text) == [
        "question CP1: needs a criterion from the set's criteria list",
        "question CP2: criterion 'Case progress' is not in the set's criteria list",
    ]


@pytest.mark.parametrize(
    ("find", "replace", "expected"),
    [
        ("code: LD2\n", "code: LD 2\n", "question LD 2: the code 'LD 2' may use only letters, digits"),
        ("code: good\n", "code: Good Set\n", "the set: the code 'Good Set' may use only lower-case letters"),
        ("{code: following,", "{code: 'a|b',", "option 1: the code 'a|b' may use only"),
        (
            "required: false\n        options",
            "required: maybe\n        options",
            "question LD3: required must be true or false",
        ),
        ("applies_when: {outcome: charged,", "applies_when: {outcome: [],", "applies_when.outcome lists no values"),
    ],
)
def test_it_names_codes_and_values_that_cannot_be_stored(find, replace, expected):
    text = GOOD_SET.replace(find, replace)
    assert text != GOOD_SET
    assert any(expected in e for e in errors_of(text)), errors_of(text)


def test_case_conditions_are_checked_against_the_adopting_plans_attributes_naming_every_bad_one():
    """The loader checks only a condition's shape: a set knows no inspection. Its adopter's plan decides."""
    from questionset.loader import case_condition_errors
    from sampling.plan import DEFAULT_PLAN, load_plan_file

    spec = parse_question_set(
        "code: t\ntitle: T\nversion: '1'\nscales: {s: [{code: a, label: A}, {code: na, label: N}]}\n"
        "sections:\n  - code: S\n    title: S\n    questions:\n"
        "      - {code: Q1, text: A, type: choice, scale: s, applies_when: {court: [county], outcome: [nfa]}}\n"
        "      - {code: Q2, text: B, type: choice, scale: s, applies_when: {offence: [rape]}}\n"
        "      - {code: Q3, text: C, type: choice, scale: s, applies_when: {decision_date: ['2025-01-01']}}\n"
    )
    plan = load_plan_file(DEFAULT_PLAN)
    allowed = {a.code: (a.allowed() if a.filterable else None) for a in plan.attributes}
    assert case_condition_errors(spec.questions, allowed) == [
        "question Q1: applies_when.court cannot be 'county' (expected 'magistrates', 'crown', '')",
        "question Q2: applies_when.offence is not a case attribute of the plan "
        "(attributes: category, outcome, court, domestic_abuse, vrr, decision_date)",
        "question Q3: applies_when.decision_date is a date or text attribute, which a rule cannot test",
    ]
