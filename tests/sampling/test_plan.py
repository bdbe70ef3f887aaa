"""The sampling plan file: the shipped stalking plan, and every way a plan is refused."""

import copy

import pytest
import yaml

from sampling.plan import DEFAULT_PLAN, PlanInvalid, load_plan_file, load_plan_text, parse_plan

ATTRIBUTES = [
    {
        "code": "category",
        "label": "Category",
        "type": "choice",
        "values": [{"code": c, "label": c.title()} for c in ("stalking", "harassment", "controlling_coercive")],
    },
    {
        "code": "outcome",
        "label": "Outcome",
        "type": "choice",
        "values": [{"code": "charged", "label": "Charged"}, {"code": "nfa", "label": "NFA"}],
    },
    {
        "code": "court",
        "label": "Court",
        "type": "choice",
        "values": [{"code": "magistrates", "label": "Magistrates"}, {"code": "crown", "label": "Crown"}],
        "required": False,
        "required_when": {"outcome": ["charged"]},
        "empty_when": {"outcome": ["nfa"]},
    },
    {"code": "domestic_abuse", "label": "Domestic abuse", "type": "yes_no"},
    {"code": "decision_date", "label": "Decision date", "type": "date"},
]
GOOD = {
    "code": "test",
    "name": "A test plan",
    "attributes": ATTRIBUTES,
    "breakdowns": ["court", "category"],
    "exclude": {"category": ["controlling_coercive"]},
    "strata": [
        {"code": "stalking_charged", "label": "Stalking charged",
         "where": {"category": "stalking", "outcome": "charged"}, "per_area": 2},
        {"code": "stalking_nfa", "label": "Stalking NFA",
         "where": {"category": "stalking", "outcome": "nfa"}, "per_area": 1},
    ],
    "reserves_per_stratum": 2,
    "mix": {"attribute": "domestic_abuse", "rule": "proportional"},
    "dip_sample_percent": 15,
}  # fmt: skip


def errors_of(change) -> list[str]:
    data = copy.deepcopy(GOOD)
    change(data)
    with pytest.raises(PlanInvalid) as refused:
        parse_plan(data)
    return refused.value.errors


def test_the_shipped_stalking_plan_is_the_scopes_plan():
    plan = load_plan_file(DEFAULT_PLAN)
    assert [(s.code, s.per_area) for s in plan.strata] == [
        ("stalking_magistrates", 8),
        ("stalking_crown", 6),
        ("harassment_magistrates", 3),
        ("harassment_crown", 2),
        ("breach_magistrates", 2),
        ("breach_crown", 1),
        ("stalking_nfa", 3),
    ]
    assert plan.files_per_area == 25
    assert plan.exclude == {"category": ["controlling_coercive"]}
    assert plan.dip_sample_percent == 15
    assert plan.reserves_per_stratum == 3
    assert (plan.mix_attribute, plan.mix_rule) == ("domestic_abuse", "proportional")
    assert plan.attribute_codes == ["category", "outcome", "court", "domestic_abuse", "vrr", "decision_date"]
    assert plan.breakdowns == ["court", "category", "outcome", "domestic_abuse"]
    assert [a.code for a in plan.attributes_for("sample")] == ["category", "outcome", "court", "domestic_abuse", "vrr"]
    assert [a.code for a in plan.attributes_for("results")] == ["category", "outcome", "court", "domestic_abuse"]


def test_the_nfa_stratum_takes_vrr_reopened_cases_and_no_stratum_takes_controlling_coercive():
    plan = load_plan_file(DEFAULT_PLAN)
    nfa = {"category": "stalking", "outcome": "nfa", "court": "", "domestic_abuse": "no", "vrr": "yes"}
    assert plan.stratum_of(nfa).code == "stalking_nfa"
    coercive = {"category": "controlling_coercive", "outcome": "charged", "court": "crown", "domestic_abuse": "yes"}
    assert plan.stratum_of(coercive) is None


def test_a_plan_survives_its_round_trip_through_the_inspection_record():
    plan = load_plan_file(DEFAULT_PLAN)
    assert parse_plan(plan.as_data()) == plan


def test_a_good_plan_parses():
    plan = parse_plan(copy.deepcopy(GOOD))
    assert plan.files_per_area == 3
    assert plan.label_of("stalking_nfa") == "Stalking NFA"


def _set(key, value):
    def change(data):
        data[key] = value

    return change


def _stratum(key, value, index=0):
    def change(data):
        data["strata"][index][key] = value

    return change


def _drop(key):
    return lambda data: data.pop(key)


PLAN_ERRORS = [
    ("unknown key", _set("reserve_per_stratum", 3), "unknown key 'reserve_per_stratum'"),
    ("no code", _drop("code"), "the plan needs 'code'"),
    ("no name", _set("name", "  "), "the plan needs 'name'"),
    ("no strata", _drop("strata"), "the plan needs 'strata'"),
    ("strata not a list", _set("strata", {"code": "x"}), "the plan needs 'strata'"),
    ("empty strata", _set("strata", []), "the plan needs 'strata'"),
    ("stratum not a mapping", lambda d: d["strata"].append("stalking"), "stratum 3: must be a mapping"),
    ("stratum without code", _stratum("code", ""), "stratum 1: needs a code"),
    ("stratum code not a slug", _stratum("code", "Stalking Crown"), "the code must be lower-case letters"),
    ("unknown stratum key", _stratum("quota", 3), "stratum stalking_charged: unknown key 'quota'"),
    ("stratum without where", _stratum("where", {}), "stratum stalking_charged: needs a where filter"),
    ("where not a mapping", _stratum("where", "stalking"), "stratum stalking_charged: needs a where filter"),
    ("unknown where column", _stratum("where", {"offence": "stalking"}), "unknown column 'offence' in where"),
    ("bad where value", _stratum("where", {"category": "burglary"}), "category cannot be 'burglary'"),
    ("per_area zero", _stratum("per_area", 0), "per_area must be a whole number of at least 1"),
    ("per_area text", _stratum("per_area", "8"), "per_area must be a whole number of at least 1"),
    ("per_area yes", _stratum("per_area", True), "per_area must be a whole number of at least 1"),
    ("label not text", _stratum("label", ["x"]), "label must be text"),
    ("duplicate code", _stratum("code", "stalking_charged", 1), "stratum stalking_charged: the code appears twice"),
    (
        "overlapping strata",
        _stratum("where", {"category": "stalking"}, 1),
        "strata stalking_charged and stalking_nfa overlap",
    ),
    (
        "stratum wholly excluded",
        _stratum("where", {"category": "controlling_coercive"}, 1),
        "every case it selects is excluded",
    ),
    ("exclude not a mapping", _set("exclude", ["controlling_coercive"]), "exclude must be a mapping"),
    ("exclude unknown column", _set("exclude", {"offence": ["x"]}), "exclude: unknown column 'offence'"),
    ("exclude bad value", _set("exclude", {"category": ["coercion"]}), "exclude.category: 'coercion' is not a value"),
    ("negative reserves", _set("reserves_per_stratum", -1), "reserves_per_stratum must be a whole number"),
    ("reserves yes", _set("reserves_per_stratum", True), "reserves_per_stratum must be a whole number"),
    ("unknown mix rule", _set("mix", {"attribute": "domestic_abuse", "rule": "half"}), "mix.rule must be one of"),
    ("mix on a choice", _set("mix", {"attribute": "outcome"}), "mix.attribute: outcome must be a yes_no attribute"),
    ("mix on nothing", _set("mix", {"attribute": "vrr"}), "mix.attribute: unknown attribute 'vrr'"),
    ("no attributes", _set("attributes", []), "the plan needs 'attributes'"),
    (
        "attribute type",
        lambda d: d["attributes"].append({"code": "x", "label": "X", "type": "number"}),
        "attribute x: type must be one of choice, yes_no, date, text",
    ),
    (
        "attribute reserved",
        lambda d: d["attributes"].append({"code": "stratum", "label": "S", "type": "text"}),
        "'stratum' is a column the frame or an export already has",
    ),
    (
        "attribute twice",
        lambda d: d["attributes"].append(dict(ATTRIBUTES[0])),
        "attribute category: the code appears twice",
    ),
    (
        "choice without values",
        lambda d: d["attributes"].append({"code": "x", "label": "X", "type": "choice"}),
        "attribute x: a choice attribute needs values",
    ),
    (
        "condition on unknown",
        lambda d: d["attributes"].append(
            {"code": "x", "label": "X", "type": "text", "required": False, "empty_when": {"offence": ["y"]}}
        ),
        "attribute x: empty_when: unknown attribute 'offence'",
    ),
    (
        "condition bad value",
        lambda d: d["attributes"].append(
            {"code": "x", "label": "X", "type": "text", "required": False, "empty_when": {"outcome": ["acquitted"]}}
        ),
        "attribute x: empty_when: outcome cannot be 'acquitted'",
    ),
    ("breakdown unknown", _set("breakdowns", ["offence"]), "breakdowns: unknown attribute 'offence'"),
    ("breakdown on a date", _set("breakdowns", ["decision_date"]), "breakdowns: decision_date is a date attribute"),
    ("where on a date", _stratum("where", {"decision_date": "2025-01-01"}), "decision_date is a date attribute"),
    ("dip percent zero", _set("dip_sample_percent", 0), "dip_sample_percent must be a number above 0"),
    ("dip percent above 100", _set("dip_sample_percent", 101), "dip_sample_percent must be a number above 0"),
    ("dip percent text", _set("dip_sample_percent", "15%"), "dip_sample_percent must be a number above 0"),
    ("no inspectors", _set("inspectors", 0), "inspectors must be a whole number of at least 1"),
    ("no files a day", _set("files_per_inspector_day", 0), "files_per_inspector_day must be a number above 0"),
]


@pytest.mark.parametrize(("case", "change", "message"), PLAN_ERRORS, ids=[e[0] for e in PLAN_ERRORS])
def test_it_refuses_a_plan_naming_the_error(case, change, message):
    errors = errors_of(change)
    assert any(message in e for e in errors), errors


def test_it_names_every_error_at_once():
    def many(data):
        data["dip_sample_percent"] = 0
        data["strata"][0]["per_area"] = 0
        data["colour"] = "blue"

    errors = errors_of(many)
    assert len(errors) == 3


def test_it_refuses_a_plan_that_is_not_a_mapping_or_not_yaml():
    with pytest.raises(PlanInvalid, match="must be a mapping"):
        load_plan_text("- just\n- a list\n")
    with pytest.raises(PlanInvalid, match="not valid YAML"):
        load_plan_text("code: [unclosed\n")


def test_yaml_yes_and_no_in_a_filter_mean_the_frames_yes_and_no():
    plan = load_plan_text(
        "code: t\nname: T\n" + yaml.safe_dump({"attributes": ATTRIBUTES}) + "strata:\n"
        "  - {code: da, where: {category: stalking, domestic_abuse: yes}, per_area: 1}\n"
        "  - {code: other, where: {category: stalking, domestic_abuse: no}, per_area: 1}\n"
    )
    assert [s.where["domestic_abuse"] for s in plan.strata] == ["yes", "no"]


def test_a_refused_filter_value_does_not_make_strata_seem_to_overlap():
    def bad_value(data):
        data["strata"][1]["where"] = {"category": "stalking", "outcome": "acquitted"}

    errors = errors_of(bad_value)
    assert any("outcome cannot be 'acquitted'" in e for e in errors), errors
    assert not any("overlap" in e for e in errors), errors


def test_a_plan_declares_its_own_attributes_and_filters_on_them():
    plan = parse_plan(
        {
            "code": "other",
            "name": "Another inspection",
            "attributes": [
                {"code": "offence", "label": "Offence", "type": "choice",
                 "values": [{"code": "rape", "label": "Rape"}, {"code": "historic", "label": "Historic"}]},
                {"code": "vulnerable", "label": "Vulnerable victim", "type": "yes_no"},
            ],
            "breakdowns": ["offence", "vulnerable"],
            "exclude": {"offence": ["historic"]},
            "strata": [{"code": "rape", "label": "Rape", "where": {"offence": "rape"}, "per_area": 2}],
            "mix": {"attribute": "vulnerable", "rule": "proportional"},
        }
    )  # fmt: skip
    assert plan.stratum_of({"offence": "rape", "vulnerable": "no"}).code == "rape"
    assert plan.stratum_of({"offence": "historic", "vulnerable": "no"}) is None
    assert plan.mixed({"offence": "rape", "vulnerable": "yes"})
    assert plan.exclusion_text == "Offence: Historic"
