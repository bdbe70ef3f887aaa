"""Dip review: the QA lead's queue, the review page, completion as confirmed or amended
(with history), and the inspector's feedback."""

import pytest

from accounts.roles import QA_LEAD
from casefiles.models import Answer, AnswerChange, Examination
from casefiles.services import answer_save, examination_return, examination_submit
from quality.models import DipReview, ReviewItem
from questionset.models import Question
from reports.exports import results_rows
from sampling.services import qa_started
from tests.conftest import make_case_file, make_user

from .conftest import examine, review_url

pytestmark = pytest.mark.usefixtures("open_reviews")  # blind reviews: test_blind_review.py


def start(client, qa_lead, dip_file):
    client.force_login(qa_lead)
    return client.post(review_url("quality:review_start", dip_file))


def verdicts(codes=("LD1", "VW1", "VW2", "VW3"), **changes) -> dict:
    """A POST agreeing with every answer on the page, except `changes` (code → dict of fields)."""
    data = {}
    for code in codes:
        data[f"seen-{code}"] = "1"
        data[f"agree-{code}"] = "yes"
    for code, fields in changes.items():
        data[f"seen-{code}"] = "1"
        data.update({f"{k}-{code}": v for k, v in fields.items()})
    return data


def primary_answer(case_file, code: str) -> Answer:
    return Answer.objects.get(examination__case_file=case_file, examination__kind="primary", question__code=code)


def test_it_lists_dipped_files_for_the_qa_lead(client, qa_lead, dip_file, inspection, colleague):
    make_case_file(inspection, "52WS0002", assigned_to=colleague, in_dip=True)  # not examined yet
    make_case_file(inspection, "52WS0003", assigned_to=colleague)  # not in the dip sample
    client.force_login(qa_lead)
    page = client.get(f"/inspections/{inspection.slug}/quality/dip/").content.decode()
    assert "52WS0001" in page and "Start the review" in page
    assert "52WS0002" in page and "Not submitted yet" in page
    assert "52WS0003" not in page
    assert "reviews completed of the 1 needed" in page  # 15% of 3 sampled files, rounded up


@pytest.mark.parametrize("persona", ["inspector", "lead", "writer", "outsider"])
def test_it_refuses_the_queue_and_the_start_to_everyone_else(client, request, persona, dip_file):
    client.force_login(request.getfixturevalue(persona))
    assert client.get(f"/inspections/{dip_file.inspection.slug}/quality/dip/").status_code == 403
    assert client.post(review_url("quality:review_start", dip_file)).status_code == 403
    assert not DipReview.objects.exists()


def test_starting_a_review_opens_the_qa_leads_dip_examination(client, qa_lead, dip_file):
    response = start(client, qa_lead, dip_file)
    assert response.status_code == 302 and response.url == review_url("quality:review", dip_file)
    dip = Examination.objects.get(kind="dip")
    assert dip.examiner == qa_lead and dip.case_file == dip_file
    assert qa_started(dip_file)  # the sampling app now keeps the file in the dip sample
    review = DipReview.objects.get()
    assert review.status == "in_progress" and review.dip_examination == dip
    assert list(review.items.values_list("question__code", "inspector_value", "agrees")) == [
        ("LD1", "fully_meets", True),
        ("VW1", "yes", True),
        ("VW2", "", True),
        ("VW3", "following|contacting", True),
    ]
    assert client.get(review_url("quality:review_start", dip_file)).status_code == 405


def test_it_refuses_to_start_before_the_examination_is_submitted(client, qa_lead, inspection, inspector):
    case_file = make_case_file(inspection, "52WS0009", assigned_to=inspector, in_dip=True)
    examine(case_file, inspector, {"LD1": "fully_meets"}, submit=False)
    client.force_login(qa_lead)
    response = client.post(review_url("quality:review_start", case_file), follow=True)
    assert "has not been submitted yet" in response.content.decode()
    assert not DipReview.objects.exists() and not Examination.objects.filter(kind="dip").exists()


def test_a_file_outside_the_dip_sample_cannot_be_reviewed(client, qa_lead, inspection, inspector):
    case_file = make_case_file(inspection, "52WS0010", assigned_to=inspector)
    examine(case_file, inspector, {"LD1": "fully_meets", "VW1": "yes"})
    client.force_login(qa_lead)
    assert client.post(review_url("quality:review_start", case_file)).status_code == 404


def test_the_review_page_shows_the_inspectors_answers_and_comments(client, qa_lead, dip_file):
    start(client, qa_lead, dip_file)
    page = client.get(review_url("quality:review", dip_file)).content.decode()
    assert "Fully meets the required standard" in page and "Right charge." in page
    assert "Following; Contacting" in page
    assert 'name="agree-LD1"' in page and "Complete the review" in page


def test_agreeing_with_everything_confirms_and_records_the_qa_leads_own_examination(client, qa_lead, dip_file):
    start(client, qa_lead, dip_file)
    response = client.post(review_url("quality:review", dip_file), {**verdicts(), "action": "complete"})
    assert response.status_code == 302
    review = DipReview.objects.get()
    assert review.status == "confirmed" and review.completed_at
    dip = review.dip_examination
    dip.refresh_from_db()
    assert dip.status == "submitted"
    assert dict(dip.answers.values_list("question__code", "value")) == {
        "LD1": "fully_meets",
        "VW1": "yes",
        "VW3": "following|contacting",
    }
    assert primary_answer(dip_file, "LD1").version == 1  # untouched
    kinds = {row[6] for row in results_rows(dip_file.inspection)}
    assert kinds == {"primary", "dip"}  # export_results carries the dip examination


def test_a_disagreement_needs_an_answer_and_a_reason_and_nothing_is_completed_without(client, qa_lead, dip_file):
    start(client, qa_lead, dip_file)
    response = client.post(
        review_url("quality:review", dip_file), {**verdicts(VW1={"agree": "no"}), "action": "complete"}
    )
    page = response.content.decode()
    assert response.status_code == 400
    assert "You cannot complete the review yet" in page
    assert '<a href="#item-VW1">VW1: Give your answer</a>' in page
    review = DipReview.objects.get()
    assert review.status == "in_progress"
    assert not review.dip_examination.answers.exists()
    assert ReviewItem.objects.get(question__code="VW1").agrees is False  # the verdict itself is kept


def test_an_answer_that_is_not_an_option_is_refused_and_nothing_is_saved(client, qa_lead, dip_file):
    start(client, qa_lead, dip_file)
    response = client.post(
        review_url("quality:review", dip_file),
        {**verdicts(VW1={"agree": "no", "q": "maybe", "reason": "x"}), "action": "save"},
    )
    assert response.status_code == 400
    assert "VW1: Choose one of the options" in response.content.decode()
    assert ReviewItem.objects.get(question__code="VW1").agrees is True


def test_the_same_answer_as_the_inspector_is_not_a_disagreement(client, qa_lead, dip_file):
    start(client, qa_lead, dip_file)
    response = client.post(
        review_url("quality:review", dip_file),
        {**verdicts(VW1={"agree": "no", "q": "yes", "reason": "x"}), "action": "save"},
    )
    assert response.status_code == 400
    assert "the same as the inspector" in response.content.decode()


def test_a_disagreement_without_an_agreed_change_confirms_and_leaves_the_answer(client, qa_lead, dip_file, inspector):
    start(client, qa_lead, dip_file)
    post = verdicts(VW1={"agree": "no", "q": "no", "reason": "No order was sought."})
    client.post(review_url("quality:review", dip_file), {**post, "action": "complete"})
    review = DipReview.objects.get()
    assert review.status == "confirmed"
    assert primary_answer(dip_file, "VW1").value == "yes"
    assert review.dip_examination.answers.get(question__code="VW1").value == "no"
    assert review.dip_examination.answers.get(question__code="VW1").comment == "No order was sought."
    client.force_login(inspector)
    page = client.get(f"/inspections/{dip_file.inspection.slug}/quality/feedback/").content.decode()
    assert "No order was sought." in page and "Disagreed, not changed" in page


def test_an_agreed_change_amends_the_primary_answer_keeping_both_values_in_history(
    client, qa_lead, dip_file, inspector
):
    start(client, qa_lead, dip_file)
    post = verdicts(VW1={"agree": "no", "q": "no", "reason": "No order was sought.", "amend": "yes"})
    response = client.post(review_url("quality:review", dip_file), {**post, "action": "complete"})
    assert response.status_code == 302
    assert DipReview.objects.get().status == "amended"
    answer = primary_answer(dip_file, "VW1")
    assert (answer.value, answer.comment, answer.version) == ("no", "No order was sought.", 2)
    change = AnswerChange.objects.filter(answer=answer).last()
    assert (change.old_value, change.new_value, change.source, change.changed_by) == (
        "yes",
        "no",
        "qa_amendment",
        qa_lead,
    )
    assert Examination.objects.get(kind="primary").status == "submitted"
    client.force_login(inspector)
    history = client.get(review_url("casefiles:examination", dip_file)).content.decode()
    assert "qa_amendment" in history
    feedback = client.get(f"/inspections/{dip_file.inspection.slug}/quality/feedback/").content.decode()
    assert "Amended" in feedback and "Yes, by agreement" in feedback


def test_follow_up_questions_follow_the_qa_leads_answers(client, qa_lead, dip_file):
    """Changing LD1 to 'not meets' makes LD2 apply: the QA lead answers it, and amending
    LD1 alone is refused because the inspector's examination would lack LD2."""
    start(client, qa_lead, dip_file)
    url = review_url("quality:review", dip_file)
    ld1 = {"agree": "no", "q": "not_meets", "reason": "Harassment was charged.", "amend": "yes"}
    client.post(url, {**verdicts(LD1=ld1), "action": "save"})
    page = client.get(url).content.decode()
    assert "Not asked: it did not apply given the inspector" in page and 'name="seen-LD2"' in page

    response = client.post(url, {**verdicts(LD1=ld1), "action": "complete"})
    assert response.status_code == 400 and "LD2: Give your answer" in response.content.decode()

    ld2 = {"q": "no", "reason": "Stalking was not charged."}
    response = client.post(url, {**verdicts(LD1=ld1, LD2=ld2), "action": "complete"})
    assert response.status_code == 400
    assert "mark your answer as an agreed change too" in response.content.decode()
    assert primary_answer(dip_file, "LD1").value == "fully_meets"  # all or nothing
    assert not DipReview.objects.get().dip_examination.answers.exists()

    response = client.post(url, {**verdicts(LD1=ld1, LD2={**ld2, "amend": "yes"}), "action": "complete"})
    assert response.status_code == 302
    assert primary_answer(dip_file, "LD1").value == "not_meets"
    assert primary_answer(dip_file, "LD2").value == "no"
    item = ReviewItem.objects.get(question__code="LD2")
    assert (item.inspector_value, item.qa_value, item.agrees) == ("", "no", False)


def test_an_agreed_change_clears_the_inspectors_answers_it_makes_inapplicable(client, qa_lead, inspection, inspector):
    case_file = make_case_file(inspection, "52WS0009", assigned_to=inspector, in_dip=True)
    examine(case_file, inspector, {"LD1": ("not_meets", "Harassment."), "LD2": ("no", "Not charged."), "VW1": "yes"})
    start(client, qa_lead, case_file)
    ld1 = {"agree": "no", "q": "fully_meets", "reason": "Stalking was charged.", "amend": "yes"}
    post = verdicts(("LD1", "LD2", "VW1"), LD1=ld1)
    response = client.post(review_url("quality:review", case_file), {**post, "action": "complete"})
    assert response.status_code == 302
    assert primary_answer(case_file, "LD1").value == "fully_meets"
    ld2 = primary_answer(case_file, "LD2")
    assert (ld2.value, ld2.comment) == ("", "")
    change = AnswerChange.objects.filter(answer=ld2).last()
    assert (change.old_value, change.new_value, change.source) == ("no", "", "qa_amendment")


def test_only_the_reviewer_changes_a_review_and_a_completed_one_is_read_only(client, qa_lead, dip_file):
    start(client, qa_lead, dip_file)
    other = make_user("qa2", QA_LEAD)
    client.force_login(other)
    url = review_url("quality:review", dip_file)
    assert client.get(url).status_code == 200  # another QA lead may read it
    client.post(url, {**verdicts(VW1={"agree": "no", "q": "no", "reason": "x"}), "action": "save"})
    assert ReviewItem.objects.get(question__code="VW1").agrees is True
    assert (
        "already reviewing" in client.post(review_url("quality:review_start", dip_file), follow=True).content.decode()
    )
    client.force_login(qa_lead)
    client.post(url, {**verdicts(), "action": "complete"})
    client.post(url, {**verdicts(VW1={"agree": "no", "q": "no", "reason": "x"}), "action": "save"})
    assert ReviewItem.objects.get(question__code="VW1").agrees is True


def test_the_inspector_sees_only_their_own_completed_reviews(client, qa_lead, dip_file, inspector, colleague):
    start(client, qa_lead, dip_file)
    url = review_url("quality:review", dip_file)
    client.force_login(inspector)
    assert client.get(url).status_code == 403  # not completed yet
    client.force_login(qa_lead)
    client.post(url, {**verdicts(), "action": "complete"})
    client.force_login(inspector)
    assert client.get(url).status_code == 200
    assert client.post(url, verdicts()).status_code == 302  # read-only: refused with a message
    client.force_login(colleague)
    assert client.get(url).status_code == 403
    feedback = client.get(f"/inspections/{dip_file.inspection.slug}/quality/feedback/").content.decode()
    assert "52WS0001" not in feedback


def test_the_review_waits_while_the_examination_is_returned(client, qa_lead, dip_file, inspector):
    start(client, qa_lead, dip_file)
    primary = Examination.objects.get(kind="primary")
    examination_return(examination=primary, user=qa_lead, reason="Check VW1")
    url = review_url("quality:review", dip_file)
    page = client.get(url).content.decode()
    assert "returned to its inspector" in page and "Complete the review" not in page
    response = client.post(url, {**verdicts(VW1={"agree": "no", "q": "no", "reason": "x"}), "action": "save"})
    assert response.status_code == 302
    assert ReviewItem.objects.get(question__code="VW1").agrees is True
    # The inspector changes VW1 and resubmits: the review shows the new answer.
    question = Question.objects.get(question_set=primary.question_set, code="VW1")
    answer_save(examination=primary, question=question, value="na", comment="", user=inspector, expected_version=1)
    examination_submit(examination=primary, user=inspector)
    client.post(url, {**verdicts(), "action": "save"})
    assert ReviewItem.objects.get(question__code="VW1").inspector_value == "na"
