"""Read and validate a question-set file (YAML). Pure functions: no database.

`parse_question_set(text)` returns a `QuestionSetSpec` or raises `QuestionSetInvalid`
whose `errors` name every problem found, each with the question or section it concerns,
so that an author can fix a file in one pass.
"""

import hashlib
import json
import re
from dataclasses import asdict, dataclass, field
from typing import Any

import yaml

ANSWER_TYPES = ("choice", "multi", "number", "date", "text")
NOT_APPLICABLE = "na"

SET_KEYS = {"code", "title", "version", "description", "criteria", "scales", "sections"}
SECTION_KEYS = {"code", "title", "questions"}
QUESTION_KEYS = {
    "code",
    "text",
    "type",
    "guidance",
    "criterion",
    "required",
    "scale",
    "options",
    "comment_required_for",
    "applies_when",
}
# Codes end up in URLs, CSV columns and in answers of multiple choice joined by '|'.
CODE_PATTERN = re.compile(r"^[A-Za-z0-9][A-Za-z0-9_.-]*$")
SET_CODE_PATTERN = re.compile(r"^[a-z0-9][a-z0-9_-]*$")
# A case attribute's code names a column and a condition's key. A question set alone knows no
# inspection: a case condition names an attribute code of this shape, and only the inspection
# that adopts the set checks it against its plan (see case_condition_errors).
ATTRIBUTE_CODE_PATTERN = re.compile(r"^[a-z][a-z0-9_]*$")
SLUG_RULE = "lower-case letters, digits, '-' and '_'"
# Each kind of code (here and in an inspection's plan, casefiles.attributes): its pattern, the
# pattern in words, and its longest length.
CODE_RULES: dict[str, tuple[re.Pattern, str, int]] = {
    "set": (SET_CODE_PATTERN, SLUG_RULE, 60),
    "section": (CODE_PATTERN, "letters, digits, '.', '-' and '_'", 20),
    "question": (CODE_PATTERN, "letters, digits, '.', '-' and '_'", 20),
    "option": (CODE_PATTERN, "letters, digits, '.', '-' and '_'", 40),
    "attribute": (ATTRIBUTE_CODE_PATTERN, "lower-case letters, digits and '_', starting with a letter", 40),
    "attribute value": (SET_CODE_PATTERN, SLUG_RULE, 40),
}


ERRORS_KEPT = 100  # the first hundred problems are named, the rest counted
ERROR_MAX = 300  # characters of one problem: a value quoted in it is cut short


class QuestionSetInvalid(ValueError):
    def __init__(self, errors: list[str]):
        shown = [e if len(e) <= ERROR_MAX else e[: ERROR_MAX - 1] + "…" for e in errors[:ERRORS_KEPT]]
        if len(errors) > ERRORS_KEPT:
            shown.append(f"and {len(errors) - ERRORS_KEPT:,} more")
        self.errors = shown
        super().__init__("; ".join(shown))


# Bounds on a question-set (or plan) file: the shipped set is 60 KB, 7 levels deep, with 40 aliases.
YAML_MAX_CHARS = 2 * 1024 * 1024
YAML_MAX_DEPTH = 30
YAML_MAX_NODES = 200_000  # counted with every alias expanded ("billion laughs" is refused, not expanded)
# libyaml when PyYAML was built with it (ten times faster, and it does not recurse); the same rules either way.
SAFE_LOADER = getattr(yaml, "CSafeLoader", yaml.SafeLoader)


def load_yaml_bounded(text: str) -> Any:
    """yaml.safe_load, refusing what would exhaust the stack or memory: a file over
    YAML_MAX_CHARS, nesting deeper than YAML_MAX_DEPTH, or aliases that would expand to
    more than YAML_MAX_NODES values. Raises QuestionSetInvalid; never quotes a value."""
    if len(text) > YAML_MAX_CHARS:
        raise QuestionSetInvalid([f"the file is longer than {YAML_MAX_CHARS // (1024 * 1024)} MB of text"])
    try:
        # Depth first, from the parser's events (a loop, not recursion): composing a deeper
        # document would recurse past Python's limit.
        depth = 0
        for event in yaml.parse(text, Loader=SAFE_LOADER):
            if isinstance(event, yaml.CollectionStartEvent):
                depth += 1
                if depth > YAML_MAX_DEPTH:
                    mark = event.start_mark
                    raise QuestionSetInvalid(
                        [f"the file nests deeper than {YAML_MAX_DEPTH} levels (line {mark.line + 1})"]
                    )
            elif isinstance(event, yaml.CollectionEndEvent):
                depth -= 1
        node = yaml.compose(text, Loader=SAFE_LOADER)
        if node is None:
            return None
        _count_expanded(node)
        loader = SAFE_LOADER("")
        try:
            return loader.construct_document(node)
        finally:
            loader.dispose()
    except yaml.YAMLError as exc:
        raise QuestionSetInvalid([f"the file is not valid YAML: {_yaml_problem(exc)}"]) from exc
    except RecursionError as exc:
        raise QuestionSetInvalid([f"the file nests deeper than {YAML_MAX_DEPTH} levels"]) from exc


def _count_expanded(root: yaml.Node) -> int:
    """The number of values the document holds once every alias is expanded, counted
    without expanding (each node's size is remembered); refuses a count over YAML_MAX_NODES
    and an alias that contains itself."""
    sizes: dict[int, int] = {}
    in_progress: set[int] = set()
    stack: list[tuple[yaml.Node, bool]] = [(root, False)]
    while stack:
        node, children_done = stack.pop()
        key = id(node)
        if key in sizes:
            continue
        if isinstance(node, yaml.ScalarNode) and "\x00" in node.value:
            # A "\0" escape: no database text column can store it.
            raise QuestionSetInvalid([f"the file has a NUL character (\\0) at line {node.start_mark.line + 1}"])
        children = _children(node)
        if not children_done:
            if key in in_progress:
                raise QuestionSetInvalid(["the file has an alias that refers to itself"])
            in_progress.add(key)
            stack.append((node, True))
            stack.extend((child, False) for child in children if id(child) not in sizes)
            continue
        in_progress.discard(key)
        size = 1
        for child in children:
            if id(child) not in sizes:  # a cycle back to an ancestor
                raise QuestionSetInvalid(["the file has an alias that refers to itself"])
            size += sizes[id(child)]
        if size > YAML_MAX_NODES:
            raise QuestionSetInvalid(
                [f"the file's aliases expand to more than {YAML_MAX_NODES:,} values; write the values out instead"]
            )
        sizes[key] = size
    return sizes[id(root)]


def _children(node: yaml.Node) -> list[yaml.Node]:
    if isinstance(node, yaml.SequenceNode):
        return list(node.value)
    if isinstance(node, yaml.MappingNode):
        return [part for pair in node.value for part in pair]
    return []


@dataclass
class OptionSpec:
    code: str
    label: str
    exclusive: bool = False  # multiple choice: chosen only on its own ("None of these")


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
    description: str = ""
    criteria: list[str] = field(default_factory=list)

    @property
    def questions(self) -> list[QuestionSpec]:
        return [q for section in self.sections for q in section.questions]

    def checksum(self) -> str:
        """A fingerprint of the content, blind to YAML layout and comments: the same
        questions, however the file is laid out, are the same version."""
        canonical = json.dumps(asdict(self, dict_factory=_without_defaults), sort_keys=True, ensure_ascii=False)
        return hashlib.sha256(canonical.encode("utf-8")).hexdigest()


def _without_defaults(items: list[tuple[str, Any]]) -> dict[str, Any]:
    # An option not marked exclusive fingerprints as it did before the flag existed, so a
    # file loaded before then is still recognised as the same version.
    return {key: value for key, value in items if not (key == "exclusive" and value is False)}


def as_str(value: Any) -> str:
    """A YAML value as text: YAML reads a bare yes/no as a boolean; codes are strings."""
    if value is True:
        return "yes"
    if value is False:
        return "no"
    return "" if value is None else str(value)


def _as_list(value: Any) -> list:
    return value if isinstance(value, list) else [value]


def check_code(code: str, kind: str, where: str, errors: list[str]) -> bool:
    """Add what is wrong with a code of this kind (CODE_RULES) to `errors`; True when nothing is."""
    pattern, allowed, longest = CODE_RULES[kind]
    before = len(errors)
    if not pattern.match(code):
        errors.append(f"{where}: the code '{code}' may use only {allowed}")
    if len(code) > longest:
        errors.append(f"{where}: the code '{code}' is longer than {longest} characters")
    return len(errors) == before


def is_code(code: str, kind: str) -> bool:
    pattern, _, longest = CODE_RULES[kind]
    return bool(pattern.match(code)) and len(code) <= longest


def _unknown_keys(raw: dict, allowed: set[str], where: str, errors: list[str]) -> None:
    # A misspelt key (say 'aplies_when') would otherwise be ignored silently.
    for key in raw:
        if key not in allowed:
            errors.append(f"{where}: unknown key '{key}' (expected one of {', '.join(sorted(allowed))})")


def _options(raw: Any, where: str, errors: list[str]) -> list[OptionSpec]:
    if not isinstance(raw, list) or not raw:
        errors.append(f"{where}: options must be a non-empty list of {{code, label}}")
        return []
    options, seen = [], set()
    for i, item in enumerate(raw, start=1):
        if not isinstance(item, dict) or item.get("code") in (None, "") or not item.get("label"):
            errors.append(f"{where}: option {i} needs a code and a label")
            continue
        code = as_str(item["code"])
        check_code(code, "option", f"{where}, option {i}", errors)
        if code in seen:
            errors.append(f"{where}: option code '{code}' appears twice")
        seen.add(code)
        unknown = set(item) - {"code", "label", "exclusive"}
        if unknown:
            errors.append(f"{where}, option {i}: unknown key '{sorted(unknown)[0]}' (expected code, label, exclusive)")
        exclusive = item.get("exclusive", False)
        if not isinstance(exclusive, bool):
            errors.append(f"{where}, option {i}: exclusive must be true or false, not '{exclusive}'")
        options.append(OptionSpec(code=code, label=str(item["label"]).strip(), exclusive=exclusive is True))
    return options


def _all_question_codes(sections: list) -> dict[str, int]:
    """Every question code in the file → its position, so a rule naming a later question
    can be told apart from one naming no question at all."""
    positions: dict[str, int] = {}
    position = 0
    for raw_section in sections:
        if not isinstance(raw_section, dict) or not isinstance(raw_section.get("questions"), list):
            continue
        for raw_q in raw_section["questions"]:
            if isinstance(raw_q, dict) and raw_q.get("code") not in (None, ""):
                position += 1
                positions.setdefault(as_str(raw_q["code"]), position)
    return positions


def _yaml_problem(exc: yaml.YAMLError) -> str:
    """One line, with the line and column, rather than PyYAML's multi-line report."""
    problem = getattr(exc, "problem", None) or str(exc).splitlines()[0]
    mark = getattr(exc, "problem_mark", None)
    context = getattr(exc, "context", None)
    where = f" at line {mark.line + 1}, column {mark.column + 1}" if mark is not None else ""
    return f"{problem}{where}" + (f" ({context})" if context else "")


def parse_question_set(text: str) -> QuestionSetSpec:
    data = load_yaml_bounded(text)
    if not isinstance(data, dict):
        raise QuestionSetInvalid(["the file must be a mapping with code, title, version and sections"])

    errors: list[str] = []
    _unknown_keys(data, SET_KEYS, "the set", errors)
    for key in ("code", "title", "version", "sections"):
        if data.get(key) in (None, "", []):
            errors.append(f"the set needs '{key}'")
    if data.get("code"):
        check_code(as_str(data["code"]), "set", "the set", errors)
    criteria = _criteria(data.get("criteria"), errors)
    scales = _scales(data.get("scales"), errors)

    raw_sections = data.get("sections") or []
    if not isinstance(raw_sections, list):
        errors.append("the set: sections must be a list")
        raw_sections = []
    positions = _all_question_codes(raw_sections)
    sections: list[SectionSpec] = []
    known: dict[str, QuestionSpec] = {}
    section_codes: set[str] = set()
    for s_index, raw_section in enumerate(raw_sections, start=1):
        if not isinstance(raw_section, dict):
            errors.append(f"section {s_index}: must be a mapping with code, title and questions")
            continue
        s_code = as_str(raw_section.get("code")) or f"{s_index}"
        where = f"section {s_code}"
        _unknown_keys(raw_section, SECTION_KEYS, where, errors)
        if not raw_section.get("code") or not raw_section.get("title"):
            errors.append(f"section {s_index}: needs a code and a title")
        if raw_section.get("code"):
            check_code(s_code, "section", where, errors)
        if s_code in section_codes:
            errors.append(f"{where}: the code appears twice")
        section_codes.add(s_code)
        raw_questions = raw_section.get("questions") or []
        if not isinstance(raw_questions, list):
            errors.append(f"{where}: questions must be a list")
            raw_questions = []
        questions = []
        for q_index, raw_q in enumerate(raw_questions, start=1):
            question = _question(raw_q, s_code, q_index, scales, known, positions, criteria, errors)
            if question is not None:
                questions.append(question)
                known.setdefault(question.code, question)
        if not raw_questions:
            errors.append(f"{where}: has no questions")
        sections.append(SectionSpec(code=s_code, title=str(raw_section.get("title", "")).strip(), questions=questions))
    errors.extend(_cycles(raw_sections))

    if errors:
        raise QuestionSetInvalid(errors)
    return QuestionSetSpec(
        code=as_str(data["code"]),
        title=str(data["title"]).strip(),
        version=as_str(data["version"]),
        sections=sections,
        description=str(data.get("description") or "").strip(),
        criteria=criteria,
    )


def _criteria(raw: Any, errors: list[str]) -> list[str]:
    if raw is None:
        return []
    if not isinstance(raw, list) or not all(isinstance(c, str) and c.strip() for c in raw):
        errors.append("the set: criteria must be a list of criterion labels")
        return []
    criteria = [c.strip() for c in raw]
    for label in sorted({c for c in criteria if criteria.count(c) > 1}):
        errors.append(f"the set: criterion '{label}' is listed twice")
    return criteria


def _scales(raw: Any, errors: list[str]) -> dict[str, list[OptionSpec]]:
    if raw is None:
        return {}
    if not isinstance(raw, dict):
        errors.append("the set: scales must map scale names to lists of options")
        return {}
    return {str(name): _options(options, f"scale '{name}'", errors) for name, options in raw.items()}


def _question(
    raw: Any,
    section_code: str,
    index: int,
    scales: dict[str, list[OptionSpec]],
    known: dict[str, QuestionSpec],
    positions: dict[str, int],
    criteria: list[str],
    errors: list[str],
) -> QuestionSpec | None:
    if not isinstance(raw, dict) or raw.get("code") in (None, ""):
        errors.append(f"section {section_code}, question {index}: needs a code")
        return None
    code = as_str(raw["code"])
    where = f"question {code}"
    _unknown_keys(raw, QUESTION_KEYS, where, errors)
    check_code(code, "question", where, errors)
    if code in known:
        errors.append(f"{where}: the code appears twice")
    if not str(raw.get("text") or "").strip():
        errors.append(f"{where}: needs text")
    answer_type = raw.get("type")
    if answer_type is None:
        errors.append(f"{where}: needs a type (one of {', '.join(ANSWER_TYPES)})")
    elif answer_type not in ANSWER_TYPES:
        errors.append(f"{where}: type must be one of {', '.join(ANSWER_TYPES)}, not '{answer_type}'")
    criterion = str(raw.get("criterion") or "").strip()
    if criteria and criterion not in criteria:
        errors.append(
            f"{where}: needs a criterion from the set's criteria list"
            if not criterion
            else f"{where}: criterion '{criterion}' is not in the set's criteria list"
        )
    required = raw.get("required", True)
    if not isinstance(required, bool):
        errors.append(f"{where}: required must be true or false, not '{required}'")

    options = _question_options(raw, answer_type, where, scales, errors)
    option_codes = {o.code for o in options}
    raw_comment_rule = raw.get("comment_required_for") or []
    if not isinstance(raw_comment_rule, list):
        errors.append(f"{where}: comment_required_for must be a list of option codes")
        raw_comment_rule = []
    comment_required_for = [as_str(c) for c in raw_comment_rule]
    for c in comment_required_for:
        if c not in option_codes:
            errors.append(f"{where}: comment_required_for names '{c}', which is not one of its options")

    applies_when = _applies_when(raw.get("applies_when") or {}, where, code, known, positions, errors)
    return QuestionSpec(
        code=code,
        text=str(raw.get("text") or "").strip(),
        answer_type=str(answer_type),
        section_code=section_code,
        guidance=str(raw.get("guidance") or "").strip(),
        criterion=criterion,
        required=bool(required),
        options=options,
        comment_required_for=comment_required_for,
        applies_when=applies_when,
    )


def _question_options(
    raw: dict, answer_type: Any, where: str, scales: dict[str, list[OptionSpec]], errors: list[str]
) -> list[OptionSpec]:
    if answer_type not in ("choice", "multi"):
        if answer_type in ANSWER_TYPES and ("scale" in raw or "options" in raw):
            errors.append(f"{where}: a {answer_type} question takes no options or scale")
        return []
    options: list[OptionSpec] = []
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
    exclusive = [o.code for o in options if o.exclusive]
    if exclusive and answer_type != "multi":
        errors.append(f"{where}: only a multiple-choice question may mark an option exclusive ('{exclusive[0]}')")
    elif len(exclusive) > 1:
        errors.append(f"{where}: at most one option may be exclusive, not {', '.join(exclusive)}")
    return options


def _applies_when(
    raw: Any,
    where: str,
    own_code: str,
    known: dict[str, QuestionSpec],
    positions: dict[str, int],
    errors: list[str],
) -> dict[str, Any]:
    if not isinstance(raw, dict):
        errors.append(f"{where}: applies_when must be a mapping")
        return {}
    rule: dict[str, Any] = {}
    for key, values in raw.items():
        if key == "answers":
            if not isinstance(values, dict) or not values:
                errors.append(f"{where}: applies_when.answers must map question codes to option codes")
                continue
            rule["answers"] = {
                as_str(ref): _answer_rule(as_str(ref), codes, where, own_code, known, positions, errors)
                for ref, codes in values.items()
            }
        elif isinstance(key, str) and is_code(key, "attribute"):
            codes = [as_str(c) for c in _as_list(values)]
            if not codes:
                errors.append(f"{where}: applies_when.{key} lists no values, so the question would never apply")
            rule[key] = codes
        else:
            errors.append(
                f"{where}: applies_when has unknown condition '{key}' "
                "(expected answers or a case attribute's code: lower-case letters, digits and _)"
            )
    return rule


def case_condition_errors(questions: Any, attributes: dict[str, tuple[str, ...] | None]) -> list[str]:
    """Every case condition of these questions (objects with code and applies_when) that the
    adopting inspection's attributes cannot meet. attributes: code → the values a condition may
    name ("" for empty), or None for an attribute no condition may test (a date or text)."""
    errors = []
    for question in questions:
        for key, values in (question.applies_when or {}).items():
            if key == "answers":
                continue
            where = f"question {question.code}"
            if key not in attributes:
                known = ", ".join(attributes) or "none"
                errors.append(f"{where}: applies_when.{key} is not a case attribute of the plan (attributes: {known})")
            elif attributes[key] is None:
                errors.append(f"{where}: applies_when.{key} is a date or text attribute, which a rule cannot test")
            else:
                allowed = ", ".join(repr(v) for v in attributes[key])
                errors.extend(
                    f"{where}: applies_when.{key} cannot be '{c}' (expected {allowed})"
                    for c in values
                    if c not in attributes[key]
                )
    return errors


def _answer_rule(
    ref: str,
    raw_codes: Any,
    where: str,
    own_code: str,
    known: dict[str, QuestionSpec],
    positions: dict[str, int],
    errors: list[str],
) -> list[str]:
    codes = [as_str(c) for c in _as_list(raw_codes)]
    if not codes:
        errors.append(f"{where}: applies_when names no options of '{ref}', so the question would never apply")
    if ref == own_code:
        errors.append(
            f"{where}: applies_when refers to the question itself; a rule may refer only to an earlier question"
        )
    elif ref not in positions:
        errors.append(f"{where}: applies_when refers to '{ref}', which is not a question in this file")
    elif ref not in known:
        errors.append(
            f"{where}: applies_when refers forward to '{ref}', which comes later in the file; "
            "a rule may refer only to an earlier question (this is also what rules out cycles)"
        )
    else:
        target = known[ref]
        if target.answer_type not in ("choice", "multi"):
            errors.append(f"{where}: applies_when refers to '{ref}', a {target.answer_type} question with no options")
        valid = {o.code for o in target.options}
        for c in codes:
            if valid and c not in valid:
                errors.append(f"{where}: applies_when names option '{c}' of '{ref}', which has no such option")
    return codes


def _cycles(raw_sections: list) -> list[str]:
    """Name each cycle of rules (A depends on B depends on A). Every cycle also contains
    a forward reference, reported on its own; this says why that matters."""
    graph: dict[str, list[str]] = {}
    for raw_section in raw_sections:
        if not isinstance(raw_section, dict) or not isinstance(raw_section.get("questions"), list):
            continue
        for raw_q in raw_section["questions"]:
            if not isinstance(raw_q, dict) or raw_q.get("code") in (None, ""):
                continue
            rule = raw_q.get("applies_when")
            answers = rule.get("answers") if isinstance(rule, dict) else None
            refs = [as_str(r) for r in answers] if isinstance(answers, dict) else []
            graph.setdefault(as_str(raw_q["code"]), []).extend(r for r in refs if r != as_str(raw_q["code"]))
    errors, reported = [], set()
    for start in graph:
        if start in reported:
            continue
        path = _path_back(graph, start)
        if path:
            reported.update(path)
            errors.append(
                "applies_when rules form a cycle: "
                + " → ".join([*path, start])
                + " (each waits for another's answer, so none of them could ever apply)"
            )
    return errors


def _path_back(graph: dict[str, list[str]], start: str) -> list[str]:
    """The shortest chain of rules leading from `start` back to itself, or [] (breadth first)."""
    previous: dict[str, str] = {}
    frontier = [start]
    while frontier:
        following = []
        for node in frontier:
            for ref in graph.get(node, []):
                if ref == start:
                    path = [node]
                    while path[-1] != start:
                        path.append(previous[path[-1]])
                    return list(reversed(path))
                if ref not in previous and ref in graph:
                    previous[ref] = node
                    following.append(ref)
        frontier = following
    return []
