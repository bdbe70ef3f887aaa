"""When does a question apply? The one rule, used by the server and mirrored in the page's script."""

from collections.abc import Mapping
from typing import Any


def question_applies(
    applies_when: Mapping[str, Any], attributes: Mapping[str, str], answers: Mapping[str, str]
) -> bool:
    """True when every condition holds.

    attributes: the case's attributes (CaseFile.attributes); answers: question code ->
    stored value (option code, or codes joined by '|' for multiple choice).
    """
    for key, allowed in applies_when.items():
        if key == "answers":
            for code, codes in allowed.items():
                given = set(filter(None, (answers.get(code) or "").split("|")))
                if not given & set(codes):
                    return False
        elif attributes.get(key, "") not in allowed:
            return False
    return True


def applicable_codes(questions, attributes: Mapping[str, str], answers: Mapping[str, str]) -> set[str]:
    """Codes of the questions that apply, in order, with earlier answers of inapplicable questions ignored."""
    applicable: set[str] = set()
    effective: dict[str, str] = {}
    for question in questions:
        if question_applies(question.applies_when, attributes, effective):
            applicable.add(question.code)
            if question.code in answers:
                effective[question.code] = answers[question.code]
    return applicable
