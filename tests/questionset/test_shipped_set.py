"""The stalking inspection's question set, as shipped in two versions: each loads, its size
is right, and every question traces to a criterion of the scope's section F; version 2
fixes what the legal inspector's review of version 1 found, keeping version 1's codes."""

from collections import Counter
from pathlib import Path

import pytest

from questionset.loader import QuestionSetSpec, parse_question_set
from questionset.models import Question
from questionset.services import question_set_load_versions

from .conftest import SHIPPED, SHIPPED_V1

# Section F of the inspection scope (seeds/002), sub-question by sub-question. The one
# unnumbered sub-question under File submission ("Are the correct stalking offences being
# identified by the police as the most appropriate potential charges?") is labelled
# "File submission (identification of stalking)"; Case progression has a single question.
SCOPE_CRITERIA = {
    "File submission i",
    "File submission (identification of stalking)",
    *(f"Legal decisions {n}" for n in ("i", "ii", "iii", "iv", "v", "vi", "vii")),
    "Case progression",
    *(f"Victims and witnesses {n}" for n in ("i", "ii", "iii", "iv", "v", "vi")),
    "Court services i",
    "Court services ii",
    "Partnership working i",
    "Partnership working ii",
    "Quality assurance/training i",
    "Quality assurance/training ii",
}
# Strategic criteria, assessed through fieldwork rather than case files.
NOT_FROM_FILES = {
    "Partnership working i",
    "Partnership working ii",
    "Quality assurance/training i",
    "Quality assurance/training ii",
}


def parsed(path) -> QuestionSetSpec:
    return parse_question_set(Path(path).read_text(encoding="utf-8"))


@pytest.fixture(scope="module", params=[SHIPPED_V1, SHIPPED], ids=["v1", "v2"])
def spec(request):
    return parsed(request.param)


@pytest.fixture(scope="module")
def v1():
    return {q.code: q for q in parsed(SHIPPED_V1).questions}


@pytest.fixture(scope="module")
def v2():
    return {q.code: q for q in parsed(SHIPPED).questions}


def options(question) -> list[str]:
    return [o.code for o in question.options]


QUALITY = ["fully_meets", "partially_meets", "not_meets", "na"]
QUALITY_LABELS = [
    "Fully meeting the expected standard",
    "Partially meeting the expected standard",
    "Not meeting the expected standard",
    "Not applicable",
]


def test_it_has_between_50_and_90_questions_in_sections(spec):
    assert 50 <= len(spec.questions) <= 90
    assert len(spec.sections) >= 5 and all(section.questions for section in spec.sections)


def test_every_question_traces_to_a_criterion_of_the_scope(spec):
    untraced = {q.code: q.criterion for q in spec.questions if q.criterion not in SCOPE_CRITERIA}
    assert not untraced
    assert set(spec.criteria) <= SCOPE_CRITERIA


def test_every_criterion_that_files_can_show_has_questions(spec):
    counts = Counter(q.criterion for q in spec.questions)
    assert {c for c in SCOPE_CRITERIA - NOT_FROM_FILES if counts[c] == 0} == set()


def test_every_question_has_guidance_and_choice_questions_offer_not_applicable(spec):
    assert [q.code for q in spec.questions if len(q.guidance) < 80] == []
    assert [
        q.code for q in spec.questions if q.answer_type == "choice" and "na" not in {o.code for o in q.options}
    ] == []


def test_it_uses_every_answer_type_and_rules_of_both_kinds(spec):
    assert {q.answer_type for q in spec.questions} == {"choice", "multi", "number", "date", "text"}
    assert any("answers" in q.applies_when for q in spec.questions)
    assert {k for q in spec.questions for k in q.applies_when} >= {"outcome", "court", "category", "domestic_abuse"}


def test_version_2_keeps_every_question_and_option_code_of_version_1(v1, v2):
    # Codes are what answers, exports and reports use: none is retired or reused.
    assert set(v1) <= set(v2)
    assert set(v2) - set(v1) == {"FS11", "FS12", "FS13", "ND12", "ND13", "CP15"}
    assert [code for code in v1 if v1[code].criterion != v2[code].criterion] == []


def test_version_2_asks_every_nfa_file_about_a_vrr_request_and_follows_its_answer(v1, v2):
    assert v2["ND12"].applies_when == {"outcome": ["nfa"]} and options(v2["ND12"]) == ["yes", "no", "na"]
    for code in ("ND9", "ND13", "ND10"):
        assert v2[code].applies_when == {"outcome": ["nfa"], "answers": {"ND12": ["yes"]}}
    assert v2["ND11"].applies_when == {"outcome": ["nfa"], "answers": {"ND9": ["overturned"]}}
    assert options(v2["ND13"]) == ["timely", "late", "not_done", "na"]  # within the scheme's timescales
    assert v1["ND9"].applies_when == {"vrr": ["yes"]}  # the fault: only re-opened files were asked
    assert not any("vrr" in q.applies_when for q in v2.values())


def test_version_2_answers_code_compliance_yes_or_no(v2):
    for code in ("LD2", "ND1"):
        assert options(v2[code]) == ["yes", "no", "na"] and v2[code].comment_required_for == ["no"]


def test_version_2_records_pins_and_words_of_advice(v2):
    fs11 = v2["FS11"]
    assert fs11.applies_when == {} and options(fs11) == ["pin", "words_of_advice", "no", "na"]
    assert "joint protocol" in fs11.guidance and "not appropriate in stalking cases" in fs11.guidance


def test_version_2_lists_all_five_threshold_test_conditions_including_the_public_interest(v1, v2):
    guidance = v2["LD3"].guidance
    assert [f"{n}. " in guidance for n in range(1, 6)] == [True] * 5
    assert "it is in the public interest to charge the suspect" in guidance
    assert "public interest" not in v1["LD3"].guidance  # the fault: four conditions


def test_version_2_puts_every_quality_judgement_on_one_scale_and_facts_on_yes_no(v1, v2):
    quality = [q for q in v2.values() if options(q) == QUALITY]
    assert all([o.label for o in q.options] == QUALITY_LABELS for q in quality)
    assert len(quality) == 57
    moved = {"FS6", "FS7", "ND7", "VW7", "VW9", "VW12"}
    assert {options(v1[code])[0] for code in moved} == {"yes"}  # yes/no or yes/partly/no in version 1
    assert {code for code in moved if options(v2[code]) == QUALITY} == moved
    assert not any("partly" in options(q) for q in v2.values())
    labels = {o.label for q in v2.values() for o in q.options}
    assert not {"Fully meets the required standard", "Partly"} & labels
    assert not [code for code, q in v2.items() if "*Does not meet*" in q.guidance or "*Fully meets*" in q.guidance]


def test_version_2_gives_the_course_of_conduct_as_figures_flags_and_an_exclusive_none(v1, v2):
    assert (v2["FS12"].answer_type, v2["FS13"].answer_type) == ("number", "number")
    assert "weeks" in v2["FS13"].text and "incidents" in v2["FS12"].text
    assert options(v2["CP15"]) == ["yes", "stalking_wrong", "da_wrong", "both_wrong", "na"]
    assert "CMS" in v2["CP15"].text
    for code in ("FS3", "VW3"):
        assert [o.code for o in v2[code].options if o.exclusive] == ["none"]
        assert not any(o.exclusive for o in v1[code].options)


@pytest.mark.django_db
def test_the_shipped_versions_load_in_order_as_versions_1_and_2_of_one_set():
    first, second = question_set_load_versions()
    assert (first.code, first.number, first.version_label) == ("stalking-2026", 1, "1.0")
    assert (second.code, second.number, second.version_label) == ("stalking-2026", 2, "2.0")
    for version, path in ((first, SHIPPED_V1), (second, SHIPPED)):
        spec = parsed(path)
        assert version.checksum == spec.checksum() and version.as_spec().checksum() == spec.checksum()
        assert version.questions.count() == len(spec.questions)
        assert list(version.sections.values_list("code", flat=True)) == [s.code for s in spec.sections]
    ld7 = Question.objects.get(question_set=second, code="LD7")
    assert [o.code for o in ld7.options.all()] == QUALITY
    fs3 = Question.objects.get(question_set=second, code="FS3")
    assert list(fs3.options.filter(exclusive=True).values_list("code", flat=True)) == ["none"]
    assert [v.pk for v in question_set_load_versions()] == [first.pk, second.pk]  # loading again adds nothing
