"""The diff page from version 1 to version 2 of the shipped stalking set lists each change the
legal inspector's review asked for, and nothing else."""

import html
import re

import pytest
from django.urls import reverse

from questionset.diff import diff_question_sets
from questionset.services import question_set_load_versions

QUALITY = ["fully_meets", "partially_meets", "not_meets", "na"]


@pytest.fixture
def versions(db):
    return question_set_load_versions()


@pytest.fixture
def diff(versions):
    first, second = versions
    return diff_question_sets(first.as_spec(), second.as_spec())


@pytest.fixture
def page(client, lead, versions) -> str:
    client.force_login(lead)
    response = client.get(reverse("questionset:diff", args=["stalking-2026", 1, 2]))
    assert response.status_code == 200
    return html.unescape(response.content.decode())


def section(page: str, code: str) -> str:
    return page.split(f'id="changed-{code}"')[1].split("</section>")[0]


def text_of(fragment: str) -> str:
    """What a sighted reader sees: the word diff's markup and its screen-reader notes removed."""
    fragment = re.sub(r'<span class="govuk-visually-hidden">[^<]*</span>', "", fragment)
    return re.sub(r"\s+", " ", re.sub(r"<[^>]+>", "", fragment))


def test_it_adds_the_vrr_request_and_timescales_pin_course_of_conduct_and_cms_questions_and_removes_none(diff, page):
    assert [q.code for q in diff.added] == ["FS11", "FS12", "FS13", "ND12", "ND13", "CP15"]
    assert diff.removed == []
    assert "6 questions added" in page and "0 questions removed" in page
    added = page.split('id="added"')[1].split("</dl>")[0]
    assert "Did the victim ask for a review under the Victims' Right to Review (VRR) scheme?" in added
    assert "Was the victim's VRR request dealt with, and within the scheme's timescales?" in added
    assert "Police Information Notice (PIN) or by words of advice" in added
    assert "How many separate incidents" in added and "Over how many weeks" in added
    assert "flagged correctly on the CPS case management system (CMS)" in added


def test_the_vrr_follow_ups_now_follow_the_request_rather_than_the_frame(page):
    for code in ("ND9", "ND10"):
        rule = text_of(section(page, code))
        assert "Applies only to cases whose vrr is yes." in rule
        assert "Applies only to cases whose outcome is nfa, and when ND12 is ‘Yes’." in rule
    assert "Option added: ‘Not accepted for review" in section(page, "ND9")
    assert "when ND9 is ‘Decision overturned – case re-opened or charge authorised’" in text_of(section(page, "ND11"))


def test_code_compliance_moves_to_yes_or_no(diff, page):
    for code in ("LD2", "ND1"):
        change = next(c for c in diff.changed if c.code == code)
        assert [o.code for o in change.options_added] == ["yes", "no"]
        assert [o.code for o in change.options_removed] == ["fully_meets", "partially_meets", "not_meets"]
        assert "Option removed: ‘Partially meets the required standard’" in section(page, code)


def test_the_scale_is_relabelled_and_the_quality_judgements_join_it(diff, page):
    relabelled = [c for c in diff.changed if [o.name for o in c.options_relabelled] == QUALITY[:3]]
    assert len(relabelled) == 51  # version 1's three-point questions that stay quality judgements
    assert (
        "Option fully_meets relabelled from ‘Fully meets the required standard’ to "
        "‘Fully meeting the expected standard’" in text_of(section(page, "LD7"))
    )
    moved = {c.code for c in diff.changed if [o.code for o in c.options_added] == QUALITY[:3]}
    assert moved == {"FS6", "FS7", "ND7", "VW7", "VW9", "VW12"}
    assert "Option removed: ‘Partly’" in section(page, "FS7")


def test_ld3_guidance_gains_the_public_interest_condition(page):
    ld3 = section(page, "LD3")
    inserted = " ".join(part.split("</ins>")[0] for part in ld3.split("<ins>")[1:])
    assert "public interest to charge the suspect" in inserted and "five" in inserted


def test_none_is_made_exclusive_in_fs3_and_vw3(diff, page):
    assert {c.code: [o.code for o in c.options_made_exclusive] for c in diff.changed if c.options_made_exclusive} == {
        "FS3": ["none"],
        "VW3": ["none"],
    }
    assert "none ‘No stalking behaviours evident’ made exclusive: it can now only be chosen on its own" in text_of(
        section(page, "FS3")
    )


def test_nothing_else_changes(diff):
    explained = {"FS2", "FS3", "FS6", "FS7", "LD2", "LD3", "LD4", "LD13", "ND1", "ND7", "ND9", "ND10", "ND11"}
    explained |= {"VW3", "VW7", "VW9", "VW12"}
    relabelled_only = {
        c.code
        for c in diff.changed
        if [o.name for o in c.options_relabelled] == QUALITY[:3]
        and c.field_names <= {"guidance"}
        and not (c.options_added or c.options_removed or c.options_made_exclusive)
    }
    assert {c.code for c in diff.changed} - relabelled_only <= explained
    assert [f.name for f in diff.set_fields] == ["version", "description"]
    assert not (diff.sections_added or diff.sections_removed or diff.sections_renamed)
