"""Applicability rules in plain English, for the readable question set and its PDF."""

from collections.abc import Mapping
from typing import Any


def _either(words: list[str], joiner: str = "or") -> str:
    if len(words) <= 1:
        return "".join(words)
    return f"{', '.join(words[:-1])} {joiner} {words[-1]}"


def _quoted(labels: list[str]) -> str:
    return _either([f"‘{label}’" for label in labels])


def describe_case_rule(applies_when: Mapping[str, Any]) -> str:
    """'cases whose court is crown and outcome is charged', or '' when no case
    attribute is tested. A question set knows no plan, so attributes and values are named by code,
    attributes in alphabetical order (PostgreSQL's jsonb does not keep the file's order, so the
    same rule must not read differently on the two databases)."""
    parts = [
        f"{key} is {_either([v if v else '(empty)' for v in values])}"
        for key, values in sorted(applies_when.items())
        if key != "answers"
    ]
    return f"cases whose {_either(parts, 'and')}" if parts else ""


def describe_answer_rule(answers: Mapping[str, list[str]], questions: Mapping[str, Any]) -> str:
    """'LD1 is ‘Partially meets’ or ‘Does not meet’' for each question the rule reads.

    questions: code → a question with `answer_type` and `options` (code, label), so the
    rule shows the labels the inspector sees rather than stored codes.
    """
    parts = []
    for code, option_codes in sorted(answers.items()):  # jsonb keeps no order: sort, as above
        question = questions.get(code)
        labels_by_code = {o.code: o.label for o in _options(question)} if question is not None else {}
        labels = [labels_by_code.get(c, c) for c in option_codes]
        verb = "includes" if question is not None and question.answer_type == "multi" else "is"
        parts.append(f"{code} {verb} {_quoted(labels)}")
    return _either(parts, "and")


def _options(question: Any) -> list:
    options = question.options
    return list(options.all()) if hasattr(options, "all") else list(options)


def describe_applicability(applies_when: Mapping[str, Any], questions: Mapping[str, Any]) -> str:
    """One sentence saying when a question applies."""
    case_rule = describe_case_rule(applies_when)
    answer_rule = describe_answer_rule(applies_when.get("answers") or {}, questions)
    if case_rule and answer_rule:
        return f"Applies only to {case_rule}, and when {answer_rule}."
    if case_rule:
        return f"Applies only to {case_rule}."
    if answer_rule:
        return f"Applies when {answer_rule}."
    return "Applies to every file."
