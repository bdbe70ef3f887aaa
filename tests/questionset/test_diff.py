"""diff_question_sets: what changed between two versions, matched by stable codes."""

from questionset.diff import FieldChange, diff_question_sets, word_diff
from questionset.loader import parse_question_set

from .conftest import GOOD_SET


def diff_after(*edits: tuple[str, str]):
    new = GOOD_SET
    for old, replacement in edits:
        assert old in new, old
        new = new.replace(old, replacement)
    return diff_question_sets(parse_question_set(GOOD_SET), parse_question_set(new))


def test_the_same_set_has_no_changes():
    diff = diff_after()
    assert diff.is_empty and diff.count == 0


def test_it_finds_added_and_removed_questions():
    cp2 = '{code: CP2, criterion: "Case progression", text: "Days to decision", type: number, required: false}'
    diff = diff_after((cp2, '{code: CP4, criterion: "Case progression", text: "Hearings", type: number}'))
    assert [q.code for q in diff.added] == ["CP4"]
    assert [q.code for q in diff.removed] == ["CP2"]
    assert diff.changed == []


def test_it_finds_changed_text_guidance_type_required_and_criterion():
    diff = diff_after(
        ("Did the CPS select the correct charges?", "Did the CPS select the right charges?"),
        ("Look at the **pattern** of behaviour.", "Look at the whole course of conduct."),
        ('text: "Days to decision", type: number, required: false', 'text: "Days to decision", type: text'),
        ('criterion: "Case progression", text: "Date', 'criterion: "Legal decisions ii", text: "Date'),
    )
    changes = {c.code: {f.name: (f.old, f.new) for f in c.fields} for c in diff.changed}
    assert changes == {
        "LD1": {
            "text": ("Did the CPS select the correct charges?", "Did the CPS select the right charges?"),
            "guidance": ("Look at the **pattern** of behaviour.", "Look at the whole course of conduct."),
        },
        "CP1": {"criterion": ("Case progression", "Legal decisions ii")},
        "CP2": {"answer_type": ("Number", "Free text"), "required": ("Optional", "Required")},
    }


def test_it_finds_options_added_removed_relabelled_and_reordered():
    diff = diff_after(
        ('- {code: other, label: "Other"}', '- {code: other, label: "Something else"}'),
        ('- {code: following, label: "Following"}', '- {code: watching, label: "Watching"}'),
    )
    (change,) = diff.changed
    assert change.code == "LD3"
    assert [o.code for o in change.options_added] == ["watching"]
    assert [o.code for o in change.options_removed] == ["following"]
    assert [(o.name, o.old, o.new) for o in change.options_relabelled] == [("other", "Other", "Something else")]
    assert not change.options_reordered
    reordered = diff_after(
        (
            '- {code: following, label: "Following"}\n          - {code: other, label: "Other"}',
            '- {code: other, label: "Other"}\n          - {code: following, label: "Following"}',
        )
    )
    assert reordered.changed[0].options_reordered


def test_it_describes_a_changed_comment_rule_and_applicability_in_words():
    diff = diff_after(
        ("comment_required_for: [partially_meets, not_meets]", "comment_required_for: [not_meets]"),
        ("applies_when: {outcome: charged, court: [crown]}", "applies_when: {outcome: charged}"),
    )
    (change,) = diff.changed
    fields = {f.name: (f.old, f.new) for f in change.fields}
    assert fields["comment_required_for"] == ("‘Partially meets’, ‘Does not meet’", "‘Does not meet’")
    assert fields["applies_when"] == (
        "Applies only to cases whose court is crown and outcome is charged.",
        "Applies only to cases whose outcome is charged.",
    )


def test_it_finds_a_question_moved_to_another_section_and_renamed_sections():
    moved = GOOD_SET.replace(
        '      - {code: CP1, criterion: "Case progression", text: "Date of the charging decision", type: date}\n', ""
    ).replace(
        "    questions:\n      - code: LD1",
        '    questions:\n      - {code: CP1, criterion: "Case progression", text: "Date of the charging decision",'
        " type: date}\n      - code: LD1",
    )
    assert moved.count("code: CP1") == 1 and moved.index("code: CP1") < moved.index("code: LD1")
    moved = moved.replace('title: "Case progression"', 'title: "Progressing the case"')
    diff = diff_question_sets(parse_question_set(GOOD_SET), parse_question_set(moved))
    assert [(c.code, [(f.name, f.old, f.new) for f in c.fields]) for c in diff.changed] == [
        ("CP1", [("section", "CP", "LD")])
    ]
    assert [(s.name, s.old, s.new) for s in diff.sections_renamed] == [
        ("CP", "Case progression", "Progressing the case")
    ]


def test_it_reports_changes_to_the_set_itself():
    diff = diff_after(('version: "1.0"', 'version: "1.1"'), ('title: "A good question set"', 'title: "Better"'))
    assert [(f.name, f.old, f.new) for f in diff.set_fields] == [
        ("title", "A good question set", "Better"),
        ("version", "1.0", "1.1"),
    ]
    assert diff.count == 0 and not diff.is_empty


def test_a_version_read_back_from_the_database_diffs_as_its_file(good_set):
    assert diff_question_sets(good_set.as_spec(), parse_question_set(GOOD_SET)).is_empty


def test_a_changed_text_marks_the_words_that_went_and_came():
    assert word_diff("Look at the pattern of behaviour.", "Look at the whole pattern of conduct.") == [
        ("same", "Look at the "),
        ("added", "whole "),
        ("same", "pattern of "),
        ("removed", "behaviour."),
        ("added", "conduct."),
    ]
    change = FieldChange("text", "Text", "a b", "a c")
    assert (change.before, change.after) == ([("same", "a "), ("removed", "b")], [("same", "a "), ("added", "c")])
