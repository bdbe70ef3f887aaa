"""Case attributes: the columns an inspection's plan declares for its case files. Pure: no database.

A plan lists its attributes in order, each with a code, a label and a type:

* ``choice``: one of the listed values (each ``{code, label}``), compared in lower case;
* ``yes_no``: ``yes`` or ``no`` (``values`` may relabel them for report groups);
* ``date``: an ISO date ``YYYY-MM-DD``;
* ``text``: free text (at most 200 characters).

An attribute is required unless ``required: false``; ``required_when`` and ``empty_when``
make it depend on others (``{outcome: [nfa]}``). ``exports`` names the exports that carry it
(``sample``, ``results``; both by default). Values are stored as text, exactly as the frame's
cell after normalising: a choice code, ``yes``/``no``, an ISO date, the text, or ``""``.
"""

import datetime
import re
from collections.abc import Mapping
from dataclasses import dataclass, field
from functools import cached_property
from typing import Any

from questionset.loader import as_str as plain  # a plan's YAML value as the frame's text
from questionset.loader import check_code

TYPES = ("choice", "yes_no", "date", "text")
FILTERABLE = ("choice", "yes_no")
EXPORTS = ("sample", "results")
ATTRIBUTE_KEYS = {
    "code",
    "label",
    "type",
    "values",
    "required",
    "required_when",
    "empty_when",
    "empty_label",
    "exports",
}
# Columns the frame and SPEC's exports already use: an attribute of that name would collide.
RESERVED = {"urn", "area", "stratum", "role", "dip", "inspector", "examination", "question", "answer", "comment"}
TEXT_MAX = 200
ISO_DATE = re.compile(r"^\d{4}-\d{2}-\d{2}$")
YES_NO_VALUES = (("yes", "Yes"), ("no", "No"))


@dataclass(frozen=True)
class Attribute:
    code: str
    label: str
    type: str
    values: tuple[tuple[str, str], ...] = ()  # (code, label), in the plan's order
    required: bool = True
    required_when: Mapping[str, tuple[str, ...]] = field(default_factory=dict)
    empty_when: Mapping[str, tuple[str, ...]] = field(default_factory=dict)
    empty_label: str = "None"
    exports: tuple[str, ...] = EXPORTS

    @cached_property  # read for every cell of a frame: computed once
    def codes(self) -> tuple[str, ...]:
        return tuple(code for code, _ in self.values)

    @cached_property
    def code_set(self) -> frozenset[str]:
        return frozenset(self.codes)

    @property
    def filterable(self) -> bool:
        return self.type in FILTERABLE

    @property
    def may_be_empty(self) -> bool:
        return not self.required

    def allowed(self) -> tuple[str, ...]:
        """The values a filter on this attribute may name ("" when it may be empty)."""
        return self.codes + (("",) if self.may_be_empty else ())

    def value_label(self, value: str) -> str:
        """The value as a report group or a filter shows it."""
        if value == "":
            return self.empty_label
        return dict(self.values).get(value, value)

    def display(self, value: str) -> str:
        """The value as a case file's details show it."""
        if value == "":
            return "—"
        if self.type == "yes_no":
            return "Yes" if value == "yes" else "No"
        if self.type == "date":
            try:
                return datetime.date.fromisoformat(value).strftime("%-d %b %Y")
            except ValueError:
                return value
        return dict(self.values).get(value, value)

    def describe(self) -> str:
        """What a frame's column holds, for the frame page: its values, then its conditions."""
        if self.type == "choice":
            what = _either(self.codes).removeprefix("one of ")
        elif self.type == "yes_no":
            what = "yes or no"
        elif self.type == "date":
            what = "a date written YYYY-MM-DD"
        else:
            what = f"text (at most {TEXT_MAX} characters)"
        rules = [f"required when {_words(self.required_when)}"] if self.required_when else []
        rules += [f"empty when {_words(self.empty_when)}"] if self.empty_when else []
        if not self.required and not self.required_when:
            rules.append("may be empty")
        return "; ".join([what, *rules])

    def as_data(self) -> dict[str, Any]:
        data: dict[str, Any] = {"code": self.code, "label": self.label, "type": self.type}
        if self.values:
            data["values"] = [{"code": c, "label": label} for c, label in self.values]
        data["required"] = self.required
        if self.required_when:
            data["required_when"] = {k: list(v) for k, v in self.required_when.items()}
        if self.empty_when:
            data["empty_when"] = {k: list(v) for k, v in self.empty_when.items()}
        data["empty_label"] = self.empty_label
        data["exports"] = list(self.exports)
        return data

    def clean(self, text: str, row: Mapping[str, str]) -> tuple[str, str | None]:
        """(stored value, error or None) for a frame cell; row holds the row's other cells, cleaned."""
        value = text.strip()
        if self.type in FILTERABLE:
            value = value.lower()
        if value == "":
            needed = _condition_met(self.required_when, row)
            if needed:
                return "", f"is empty: a case whose {needed} needs {_either(self.codes)}"
            if self.required and not _condition_met(self.empty_when, row):
                return "", "is empty"
            return "", None
        empty = _condition_met(self.empty_when, row) if self.empty_when else ""
        if empty:
            return value, f"must be empty when the {empty}, not '{text}'"
        if self.type in FILTERABLE and value not in self.code_set:
            return value, f"'{text}' is not {_either(self.codes)}"
        if self.type == "date" and _iso_date(value) is None:
            return value, f"'{text}' is not a date written YYYY-MM-DD"
        if self.type == "text" and len(value) > TEXT_MAX:
            return value, f"is longer than {TEXT_MAX} characters"
        return value, None


def _either(codes: tuple[str, ...]) -> str:
    if len(codes) == 1:
        return codes[0]
    if len(codes) == 2:
        return f"{codes[0]} or {codes[1]}"
    return f"one of {', '.join(codes)}"


def _words(condition: Mapping[str, tuple[str, ...]]) -> str:
    return " and ".join(f"{key} is {' or '.join(values)}" for key, values in condition.items())


def _condition_met(condition: Mapping[str, tuple[str, ...]], row: Mapping[str, str]) -> str:
    """'outcome is nfa' when the row meets the condition (every attribute named has one of its values), else ''."""
    if not condition or not all(row.get(key, "") in values for key, values in condition.items()):
        return ""
    return " and ".join(f"{key} is {row.get(key, '')}" for key in condition)


def _iso_date(text: str) -> datetime.date | None:
    # date.fromisoformat alone also takes 20240131 and week dates; the frame asks for YYYY-MM-DD.
    if not ISO_DATE.match(text):
        return None
    try:
        return datetime.date.fromisoformat(text)
    except ValueError:
        return None


def parse_attributes(raw: Any, errors: list[str]) -> list[Attribute]:
    """The plan's `attributes` list, every error appended to errors."""
    if not isinstance(raw, list) or not raw:
        errors.append("the plan needs 'attributes': a list of the case attributes its frame carries")
        return []
    attributes: list[Attribute] = []
    for i, item in enumerate(raw, start=1):
        attribute = _parse_attribute(i, item, errors)
        if attribute is None:
            continue
        if any(a.code == attribute.code for a in attributes):
            errors.append(f"attribute {attribute.code}: the code appears twice")
            continue
        attributes.append(attribute)
    by_code = {a.code: a for a in attributes}
    for attribute in attributes:
        for key in ("required_when", "empty_when"):
            for other, values in getattr(attribute, key).items():
                where = f"attribute {attribute.code}: {key}"
                errors.extend(filter_errors(where, other, values, by_code, itself=attribute.code))
    return attributes


def filter_errors(
    where: str, code: str, values: tuple[str, ...], attributes: Mapping[str, Attribute], itself: str = ""
) -> list[str]:
    """Errors of a filter naming `code` with `values`, checked against the declared attributes."""
    attribute = attributes.get(code)
    if code == itself:
        return [f"{where} names the attribute itself"]
    if attribute is None:
        return [f"{where}: unknown attribute '{code}' (attributes: {', '.join(attributes) or 'none'})"]
    if not attribute.filterable:
        return [f"{where}: {code} is a {attribute.type} attribute; only choice and yes_no attributes filter"]
    allowed = attribute.allowed()
    return [f"{where}: {code} cannot be '{v}' (expected {', '.join(repr(a) for a in allowed)})" for v in values
            if v not in allowed]  # fmt: skip


def _parse_attribute(i: int, raw: Any, errors: list[str]) -> Attribute | None:
    if not isinstance(raw, dict):
        errors.append(f"attribute {i}: must be a mapping with code, label and type")
        return None
    code = plain(raw.get("code"))
    name = f"attribute {code or i}"
    before = len(errors)
    if not code:
        errors.append(f"{name}: needs a code")
    elif check_code(code, "attribute", name, errors) and code in RESERVED:
        errors.append(f"{name}: '{code}' is a column the frame or an export already has")
    errors.extend(f"{name}: unknown key '{key}'" for key in sorted(set(raw) - ATTRIBUTE_KEYS, key=str))
    label = raw.get("label")
    if not isinstance(label, str) or not label.strip():
        errors.append(f"{name}: needs a label (text)")
        label = code
    kind = raw.get("type")
    if kind not in TYPES:
        errors.append(f"{name}: type must be one of {', '.join(TYPES)}")
    values = _parse_values(name, kind, raw.get("values"), errors)
    required = raw.get("required", True)
    if not isinstance(required, bool):
        errors.append(f"{name}: required must be true or false")
    conditions = {}
    for key in ("required_when", "empty_when"):
        condition = raw.get(key) or {}
        if not isinstance(condition, dict):
            errors.append(f"{name}: {key} must map attributes to values, e.g. {{outcome: [nfa]}}")
            condition = {}
        conditions[key] = {
            str(k): tuple(plain(v) for v in (vs if isinstance(vs, list) else [vs])) for k, vs in condition.items()
        }
    if conditions["required_when"] and required is True:
        errors.append(f"{name}: required_when needs required: false (it is always required otherwise)")
    empty_label = raw.get("empty_label", "None")
    if not isinstance(empty_label, str) or not empty_label.strip():
        errors.append(f"{name}: empty_label must be text")
    exports = raw.get("exports", list(EXPORTS))
    if not isinstance(exports, list) or any(e not in EXPORTS for e in exports):
        errors.append(f"{name}: exports must be a list of {', '.join(EXPORTS)}")
        exports = []
    if len(errors) > before:
        return None
    return Attribute(
        code=code,
        label=label.strip(),
        type=kind,
        values=values,
        required=required,
        required_when=conditions["required_when"],
        empty_when=conditions["empty_when"],
        empty_label=empty_label.strip(),
        exports=tuple(e for e in EXPORTS if e in exports),
    )


def _parse_values(name: str, kind: Any, raw: Any, errors: list[str]) -> tuple[tuple[str, str], ...]:
    if kind in ("date", "text"):
        if raw is not None:
            errors.append(f"{name}: a {kind} attribute takes no values")
        return ()
    if kind == "yes_no" and raw is None:
        return YES_NO_VALUES
    if not isinstance(raw, list) or not raw:
        if kind == "choice":
            errors.append(f"{name}: a choice attribute needs values: a list of {{code, label}}")
        else:
            errors.append(f"{name}: values must be a list of {{code, label}}")
        return ()
    values: list[tuple[str, str]] = []
    for i, item in enumerate(raw, start=1):
        if not isinstance(item, dict) or set(item) != {"code", "label"}:
            errors.append(f"{name}: each value must be a mapping with code and label")
            continue
        code, label = plain(item["code"]), item["label"]
        if check_code(code, "attribute value", f"{name}, value {i}", errors) and any(c == code for c, _ in values):
            errors.append(f"{name}: value '{code}' appears twice")
        if not isinstance(label, str) or not label.strip():
            errors.append(f"{name}: value '{code}' needs a label (text)")
            label = code
        values.append((code, label.strip()))
    if kind == "yes_no" and sorted(c for c, _ in values) != ["no", "yes"]:
        errors.append(f"{name}: a yes_no attribute's values are yes and no (only their labels may change)")
    return tuple(values)


def summary(attributes: list[Attribute], values: Mapping[str, str]) -> str:
    """One line for lists: each choice's label, and the label of each yes/no attribute that is yes."""
    parts = []
    for a in attributes:
        value = values.get(a.code, "")
        if a.type == "choice" and value:
            parts.append(a.value_label(value))
        elif a.type == "yes_no" and value == "yes":
            parts.append(a.label)
    return ", ".join(parts)
