"""Read and validate a question-set file (YAML). Pure functions: no database.

`parse_question_set(text)` returns a `QuestionSetSpec` or raises `QuestionSetInvalid`
whose `errors` name every problem found, each with the question or section it concerns.
"""

from dataclasses import dataclass, field
from typing import Any

import yaml

ANSWER_TYPES = ("choice", "multi", "number", "date", "text")
CASE_ATTRIBUTES = {
    "outcome": {"charged", "nfa"},
    "court": {"magistrates", "crown", ""},
    "category": {"stalking", "harassment", "breach_of_order", "controlling_coercive"},
    "domestic_abuse": {"yes", "no"},
    "vrr": {"yes", "no"},
}
NOT_APPLICABLE = "na"


class QuestionSetInvalid(ValueError):
    def __init__(self, errors: list[str]):
        self.errors = errors
        super().__init__("; ".join(errors))


@dataclass
class OptionSpec:
    code: str
    label: str


@dataclass
class QuestionSpec:
    code: str
    text: str
    answer_type: str
    section_code: str
    guidance: str = ""
    criterion: str = ""
    required: bool = True
    options: list[OptionSpec] = field(default_factory=list)
    comment_required_for: list[str] = field(default_factory=list)
    applies_when: dict[str, Any] = field(default_factory=dict)


@dataclass
class SectionSpec:
    code: str
    title: str
    questions: list[QuestionSpec]


@dataclass
class QuestionSetSpec:
    code: str
    title: str
    version: str
    sections: list[SectionSpec]

    @property
    def questions(self) -> list[QuestionSpec]:
        return [q for section in self.sections for q in section.questions]


def _as_str(value: Any) -> str:
    # YAML reads bare yes/no as booleans; option codes are strings.
    if value is True:
        return "yes"
    if value is False:
        return "no"
    return "" if value is None else str(value)


def _options(raw: Any, where: str, errors: list[str]) -> list[OptionSpec]:
    if not isinstance(raw, list) or not raw:
        errors.append(f"{where}: options must be a non-empty list of {{code, label}}")
        return []
    options, seen = [], set()
    for i, item in enumerate(raw, start=1):
        if not isinstance(item, dict) or not item.get("code") or not item.get("label"):
            errors.append(f"{where}: option {i} needs a code and a label")
            continue
        code = _as_str(item["code"])
        if code in seen:
            errors.append(f"{where}: option code '{code}' appears twice")
        seen.add(code)
        options.append(OptionSpec(code=code, label=str(item["label"])))
    return options


def parse_question_set(text: str) -> QuestionSetSpec:
    try:
        data = yaml.safe_load(text)
    except yaml.YAMLError as exc:
        raise QuestionSetInvalid([f"the file is not valid YAML: {exc}"]) from exc
    if not isinstance(data, dict):
        raise QuestionSetInvalid(["the file must be a mapping with code, title, version and sections"])

    errors: list[str] = []
    for key in ("code", "title", "version", "sections"):
        if not data.get(key):
            errors.append(f"the set needs '{key}'")
    scales: dict[str, list[OptionSpec]] = {}
    for name, raw in (data.get("scales") or {}).items():
        scales[name] = _options(raw, f"scale '{name}'", errors)

    sections: list[SectionSpec] = []
    known: dict[str, QuestionSpec] = {}
    section_codes: set[str] = set()
    for s_index, raw_section in enumerate(data.get("sections") or [], start=1):
        s_code = _as_str((raw_section or {}).get("code")) or f"section {s_index}"
        if not isinstance(raw_section, dict) or not raw_section.get("code") or not raw_section.get("title"):
            errors.append(f"section {s_index}: needs a code and a title")
        if s_code in section_codes:
            errors.append(f"section {s_code}: the code appears twice")
        section_codes.add(s_code)
        questions = []
        for q_index, raw_q in enumerate((raw_section or {}).get("questions") or [], start=1):
            question = _question(raw_q, s_code, q_index, scales, known, errors)
            if question is not None:
                questions.append(question)
                known.setdefault(question.code, question)
        if not questions:
            errors.append(f"section {s_code}: has no questions")
        sections.append(SectionSpec(code=s_code, title=str((raw_section or {}).get("title", "")), questions=questions))

    if errors:
        raise QuestionSetInvalid(errors)
    return QuestionSetSpec(
        code=str(data["code"]), title=str(data["title"]), version=_as_str(data["version"]), sections=sections
    )


def _question(
    raw: Any,
    section_code: str,
    index: int,
    scales: dict[str, list[OptionSpec]],
    known: dict[str, QuestionSpec],
    errors: list[str],
) -> QuestionSpec | None:
    if not isinstance(raw, dict) or not raw.get("code"):
        errors.append(f"section {section_code}, question {index}: needs a code")
        return None
    code = _as_str(raw["code"])
    where = f"question {code}"
    if code in known:
        errors.append(f"{where}: the code appears twice")
    if not raw.get("text"):
        errors.append(f"{where}: needs text")
    answer_type = raw.get("type")
    if answer_type not in ANSWER_TYPES:
        errors.append(f"{where}: type must be one of {', '.join(ANSWER_TYPES)}, not '{answer_type}'")

    options: list[OptionSpec] = []
    if answer_type in ("choice", "multi"):
        if "scale" in raw and "options" in raw:
            errors.append(f"{where}: give a scale or options, not both")
        elif "scale" in raw:
            if raw["scale"] not in scales:
                errors.append(f"{where}: unknown scale '{raw['scale']}'")
            else:
                options = list(scales[raw["scale"]])
        elif "options" in raw:
            options = _options(raw["options"], where, errors)
        else:
            errors.append(f"{where}: a {answer_type} question needs a scale or options")
        if answer_type == "choice" and options and NOT_APPLICABLE not in {o.code for o in options}:
            errors.append(f"{where}: a single-choice question must offer '{NOT_APPLICABLE}' (not applicable)")
    elif "scale" in raw or "options" in raw:
        errors.append(f"{where}: a {answer_type} question takes no options")

    option_codes = {o.code for o in options}
    comment_required_for = [_as_str(c) for c in raw.get("comment_required_for") or []]
    for c in comment_required_for:
        if c not in option_codes:
            errors.append(f"{where}: comment_required_for names '{c}', which is not one of its options")

    applies_when = _applies_when(raw.get("applies_when") or {}, where, code, known, errors)
    return QuestionSpec(
        code=code,
        text=str(raw.get("text", "")).strip(),
        answer_type=str(answer_type),
        section_code=section_code,
        guidance=str(raw.get("guidance", "") or "").strip(),
        criterion=str(raw.get("criterion", "") or ""),
        required=bool(raw.get("required", True)),
        options=options,
        comment_required_for=comment_required_for,
        applies_when=applies_when,
    )


def _applies_when(
    raw: Any, where: str, own_code: str, known: dict[str, QuestionSpec], errors: list[str]
) -> dict[str, Any]:
    if not isinstance(raw, dict):
        errors.append(f"{where}: applies_when must be a mapping")
        return {}
    rule: dict[str, Any] = {}
    for key, values in raw.items():
        if key == "answers":
            if not isinstance(values, dict):
                errors.append(f"{where}: applies_when.answers must map question codes to option codes")
                continue
            answers: dict[str, list[str]] = {}
            for ref, codes in values.items():
                ref = _as_str(ref)
                codes = [_as_str(c) for c in (codes if isinstance(codes, list) else [codes])]
                if ref == own_code:
                    errors.append(f"{where}: applies_when refers to the question itself")
                elif ref not in known:
                    errors.append(
                        f"{where}: applies_when refers to '{ref}', which is not an earlier question "
                        "(unknown, later in the file, or a cycle)"
                    )
                else:
                    target = known[ref]
                    if target.answer_type not in ("choice", "multi"):
                        errors.append(f"{where}: applies_when refers to '{ref}', which has no options")
                    valid = {o.code for o in target.options}
                    for c in codes:
                        if valid and c not in valid:
                            errors.append(
                                f"{where}: applies_when names option '{c}' of '{ref}', which has no such option"
                            )
                answers[ref] = codes
            rule["answers"] = answers
        elif key in CASE_ATTRIBUTES:
            codes = [_as_str(c) for c in (values if isinstance(values, list) else [values])]
            for c in codes:
                if c not in CASE_ATTRIBUTES[key]:
                    errors.append(f"{where}: applies_when.{key} cannot be '{c}'")
            rule[key] = codes
        else:
            errors.append(f"{where}: applies_when has unknown condition '{key}'")
    return rule
