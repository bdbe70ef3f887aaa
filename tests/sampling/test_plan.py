"""The sampling plan file: the shipped stalking plan, and every way a plan is refused."""

import copy

import pytest

from sampling.plan import STALKING_PLAN, PlanInvalid, load_plan_file, load_plan_text, parse_plan

GOOD = {
    "code": "test",
    "name": "A test plan",
    "exclude": {"category": ["controlling_coercive"]},
    "strata": [
        {"code": "stalking_charged", "label": "Stalking charged",
         "where": {"category": "stalking", "outcome": "charged"}, "per_area": 2},
        {"code": "stalking_nfa", "label": "Stalking NFA",
         "where": {"category": "stalking", "outcome": "nfa"}, "per_area": 1},
    ],
    "reserves_per_stratum": 2,
    "domestic_abuse_mix": "proportional",
    "dip_sample_percent": 15,
}  # fmt: skip


def errors_of(change) -> list[str]:
    data = copy.deepcopy(GOOD)
    change(data)
    with pytest.raises(PlanInvalid) as refused:
        parse_plan(data)
    return refused.value.errors


def test_the_shipped_stalking_plan_is_the_scopes_plan():
    plan = load_plan_file(STALKING_PLAN)
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
    assert plan.domestic_abuse_mix == "proportional"


def test_the_nfa_stratum_takes_vrr_reopened_cases_and_no_stratum_takes_controlling_coercive():
    plan = load_plan_file(STALKING_PLAN)
    nfa = {"category": "stalking", "outcome": "nfa", "court": "", "domestic_abuse": "no", "vrr": "yes"}
    assert plan.stratum_of(nfa).code == "stalking_nfa"
    coercive = {"category": "controlling_coercive", "outcome": "charged", "court": "crown", "domestic_abuse": "yes"}
    assert plan.stratum_of(coercive) is None


def test_a_plan_survives_its_round_trip_through_the_inspection_record():
    plan = load_plan_file(STALKING_PLAN)
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
    ("unknown DA rule", _set("domestic_abuse_mix", "half"), "domestic_abuse_mix must be one of: proportional, none"),
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
        "code: t\nname: T\nstrata:\n"
        "  - {code: da, where: {category: stalking, domestic_abuse: yes}, per_area: 1}\n"
        "  - {code: other, where: {category: stalking, domestic_abuse: no}, per_area: 1}\n"
    )
    assert [s.where["domestic_abuse"] for s in plan.strata] == ["yes", "no"]
