"""Blind re-examination: the QA lead answers a dipped file without seeing the inspector's
answers, then the two are compared and each difference reconciled — the inspector's answer
stands, the QA answer is adopted (with history), or it goes to a query."""

import pytest
from django.urls import reverse

from casefiles.attributes import summary
from casefiles.models import AnswerChange, Examination
from casefiles.services import ExaminationIncomplete, answer_save
from quality.measures import dip_tables
from quality.models import AnswerQuery, DipReview, ReviewPolicy
from quality.services import review_blind_submit, review_start

from .conftest import review_url
from .test_dip_review import primary_answer


def answer_blind(review, qa_lead, answers: dict[str, str]) -> None:
    """The QA lead's own answers, through the examination services, then submitted."""
    from questionset.models import Question

    dip = review.dip_examination
    for code, value in answers.items():
        question = Question.objects.get(question_set=dip.question_set, code=code)
        answer_save(
            examination=dip,
            question=question,
            value=value,
            comment=f"QA on {code}",
            user=qa_lead,
            expected_version=None,
        )
    review_blind_submit(review=review, user=qa_lead)


@pytest.fixture
def blind_review(client, qa_lead, dip_file):
    """inspector1 answered LD1 fully meets, VW1 yes, VW3 following|contacting."""
    client.force_login(qa_lead)
    client.post(review_url("quality:review_start", dip_file))
    return DipReview.objects.get()


def test_reviews_are_blind_by_default(blind_review):
    assert blind_review.blind and blind_review.is_answering_blind
    assert not blind_review.items.exists()  # nothing of the inspector's is copied yet


def test_while_answering_blind_the_review_page_shows_none_of_the_inspectors_answers(
    client, blind_review, dip_file, lead
):
    response = client.get(review_url("quality:review", dip_file))
    assert response.status_code == 302 and response.url == review_url("quality:dip_examine", dip_file)
    client.force_login(lead)  # another overseer sees the review waiting, not the answers side by side
    page = client.get(review_url("quality:review", dip_file)).content.decode()
    assert "QA lead answering blind" in page and "data-inspector-answer" not in page


def test_the_comparison_marks_each_difference(client, blind_review, qa_lead, dip_file):
    answer_blind(blind_review, qa_lead, {"LD1": "fully_meets", "VW1": "no", "VW3": "following"})
    items = {i.question.code: i for i in blind_review.items.all()}
    assert {c: i.agrees for c, i in items.items()} == {"LD1": True, "VW1": False, "VW3": False}
    assert (items["VW1"].inspector_value, items["VW1"].qa_value, items["VW1"].reason) == ("yes", "no", "QA on VW1")
    page = client.get(review_url("quality:review", dip_file)).content.decode()
    assert page.count('data-differs="yes"') == 2 and page.count('data-differs="no"') == 1
    assert "2 differences, 2 still to decide" in page
    vw1 = page.split('id="item-VW1"')[1].split('id="item-')[0]
    assert "Yes" in vw1 and "No" in vw1 and 'name="decision-VW1"' in vw1


def test_the_comparison_heads_the_page_with_the_case_as_the_open_review_does(client, blind_review, qa_lead, dip_file):
    answer_blind(blind_review, qa_lead, {"LD1": "fully_meets", "VW1": "no"})
    page = client.get(review_url("quality:review", dip_file)).content.decode()
    head = page.split('class="govuk-summary-list app-review-summary"')[1].split("</dl>")[0]
    case = head.split('<dt class="govuk-summary-list__key">Case</dt>')[1].split("</dd>")[0]
    wanted = summary(dip_file.inspection.case_attributes, dip_file.attributes)
    assert wanted and f"{dip_file.area}: {wanted}" in case
    assert "· blind review" in page and "Reconciling" in head


def test_reconciling_adopts_one_answer_and_queries_another(client, blind_review, qa_lead, inspector, dip_file):
    answer_blind(blind_review, qa_lead, {"LD1": "fully_meets", "VW1": "no", "VW3": "following"})
    url = review_url("quality:review", dip_file)
    response = client.post(
        url,
        {
            "decision-VW1": "adopted",
            "text-VW1": "No order was sought.",
            "decision-VW3": "query",
            "text-VW3": "Where is the contacting recorded?",
            "action": "save",
        },
    )
    assert response.status_code == 302
    answer = primary_answer(dip_file, "VW1")
    assert (answer.value, answer.comment) == ("no", "No order was sought.")
    change = AnswerChange.objects.filter(answer=answer).last()
    assert (change.old_value, change.new_value, change.source, change.changed_by) == (
        "yes",
        "no",
        "qa_reconcile",
        qa_lead,
    )
    query = AnswerQuery.objects.get()
    assert query.question.code == "VW3" and query.is_open and query.opened_by == qa_lead
    # The open query holds up the completion, nothing else.
    response = client.post(url, {"action": "complete"})
    assert response.status_code == 400 and "VW3: A query on this answer is still open" in response.content.decode()
    client.post(reverse("quality:query_close", args=[query.pk]))
    response = client.post(url, {"action": "complete", "feedback": "Thanks."}, follow=True)
    assert "Review of 52WS0001 completed: amended." in response.content.decode()
    review = DipReview.objects.get()
    assert review.status == "amended" and review.feedback == "Thanks."
    # The agreement figures count the answers as first given, before reconciling.
    rows = {r.question.code: r.result for r in dip_tables(dip_file.inspection).questions}
    assert (rows["VW1"].n, rows["VW1"].agreed) == (1, 0)


def test_adopting_an_answer_the_inspector_changed_since_the_comparison_is_refused(
    client, blind_review, qa_lead, inspector, dip_file
):
    answer_blind(blind_review, qa_lead, {"LD1": "fully_meets", "VW1": "no", "VW3": "following"})
    url = review_url("quality:review", dip_file)
    client.get(url)  # the comparison, as the QA lead read it
    answer = primary_answer(dip_file, "VW1")  # meanwhile the inspector changes it (say, answering a query)
    answer_save(
        examination=answer.examination,
        question=answer.question,
        value="yes",
        comment="Checked again.",
        user=inspector,
        expected_version=answer.version,
        source="query_change",
    )
    response = client.post(url, {"decision-VW1": "adopted", "text-VW1": "No order.", "action": "save"})
    assert response.status_code == 400
    assert "VW1: The inspector&#x27;s answer changed since you opened the review: reload the page" in (
        response.content.decode()
    )
    answer.refresh_from_db()
    assert (answer.value, answer.comment, answer.version) == ("yes", "Checked again.", 2)
    assert not AnswerChange.objects.filter(answer=answer, source="qa_reconcile").exists()


def test_every_difference_must_be_decided_before_completing(client, blind_review, qa_lead, dip_file):
    answer_blind(blind_review, qa_lead, {"LD1": "fully_meets", "VW1": "no", "VW3": "following|contacting"})
    url = review_url("quality:review", dip_file)
    response = client.post(url, {"action": "complete"})
    assert response.status_code == 400
    assert "VW1: Decide whether the inspector" in response.content.decode()
    client.post(
        url, {"decision-VW1": "stands", "text-VW1": "The inspector read the order right.", "action": "complete"}
    )
    review = DipReview.objects.get()
    assert review.status == "confirmed" and primary_answer(dip_file, "VW1").value == "yes"
    assert review.items.get(question__code="VW1").resolution == "stands"


def test_a_query_needs_its_text(client, blind_review, qa_lead, dip_file):
    answer_blind(blind_review, qa_lead, {"LD1": "fully_meets", "VW1": "no", "VW3": "following|contacting"})
    response = client.post(review_url("quality:review", dip_file), {"decision-VW1": "query", "action": "save"})
    assert response.status_code == 400 and "VW1: Write the query for the inspector" in response.content.decode()
    assert not AnswerQuery.objects.exists()


def test_the_qa_lead_must_answer_before_submitting(blind_review, qa_lead):
    with pytest.raises(ExaminationIncomplete):
        review_blind_submit(review=blind_review, user=qa_lead)
    assert blind_review.dip_examination.status != Examination.Status.SUBMITTED


@pytest.mark.parametrize("persona", ["inspector", "lead", "writer", "outsider"])
def test_only_the_qa_lead_chooses_blind_or_open(client, request, persona, inspection):
    client.force_login(request.getfixturevalue(persona))
    assert client.post(reverse("quality:review_policy", args=[inspection.slug]), {"blind": "no"}).status_code == 403
    assert not ReviewPolicy.objects.exists()


def test_the_qa_lead_chooses_open_reviews_and_the_open_review_stays(client, qa_lead, dip_file, inspection):
    client.force_login(qa_lead)
    url = reverse("quality:review_policy", args=[inspection.slug])
    assert client.get(url).status_code == 405
    client.post(url, {"blind": "no"})
    assert (
        'id="policy-open" name="blind" type="radio" value="no" checked'
        in client.get(reverse("quality:dip_queue", args=[inspection.slug])).content.decode()
    )
    client.post(review_url("quality:review_start", dip_file))
    review = DipReview.objects.get()
    assert not review.blind and review.items.count() == 4
    assert 'name="agree-VW1"' in client.get(review_url("quality:review", dip_file)).content.decode()


def test_the_inspector_cannot_see_the_comparison_before_completion(client, blind_review, qa_lead, inspector, dip_file):
    answer_blind(blind_review, qa_lead, {"LD1": "fully_meets", "VW1": "no", "VW3": "following"})
    client.force_login(inspector)
    assert client.get(review_url("quality:review", dip_file)).status_code == 403


def test_review_start_keeps_an_explicit_choice(dip_file, qa_lead):
    review = review_start(examination=dip_file.examinations.get(kind="primary"), reviewer=qa_lead, blind=False)
    assert not review.blind


def test_the_blind_examination_page_hides_the_inspectors_answers_and_saves_the_qa_leads(
    client, blind_review, qa_lead, dip_file
):
    page = client.get(review_url("quality:dip_examine", dip_file)).content.decode()
    assert "blind dip review" in page and 'id="examination-form"' in page
    assert "Right charge." not in page and "checked" not in page  # nothing of the inspector's
    save = reverse("quality:dip_autosave", args=[dip_file.inspection.slug, dip_file.urn, "LD1"])
    response = client.post(save, {"q-LD1": "partially_meets", "v-LD1": "0"})
    assert response.status_code == 200 and response.json()["version"] == 1
    assert blind_review.dip_examination.answers.get(question__code="LD1").value == "partially_meets"
    assert primary_answer(dip_file, "LD1").value == "fully_meets"
    response = client.post(review_url("quality:dip_submit", dip_file))
    assert response.status_code == 400 and "You cannot submit yet" in response.content.decode()  # VW1 unanswered


def test_submitting_the_blind_answers_brings_up_the_comparison(client, blind_review, qa_lead, dip_file):
    client.post(
        review_url("quality:dip_examine", dip_file),
        {
            "q-LD1": "fully_meets",
            "v-LD1": "0",
            "q-VW1": "no",
            "v-VW1": "0",
            "q-VW3": "following",
            "v-VW3": "0",
        },
    )
    response = client.post(review_url("quality:dip_submit", dip_file))
    assert response.status_code == 302 and response.url == review_url("quality:review", dip_file)
    assert client.get(review_url("quality:dip_examine", dip_file)).status_code == 302  # answered: to the comparison
    assert "2 differences" in client.get(response.url).content.decode()


@pytest.mark.parametrize("persona", ["inspector", "lead", "other_qa", "outsider"])
def test_only_the_reviewing_qa_lead_answers_blind(client, request, persona, blind_review, dip_file):
    from accounts.roles import QA_LEAD
    from tests.conftest import make_user

    user = make_user("qa2", QA_LEAD) if persona == "other_qa" else request.getfixturevalue(persona)
    client.force_login(user)
    assert client.get(review_url("quality:dip_examine", dip_file)).status_code == 403
    save = reverse("quality:dip_autosave", args=[dip_file.inspection.slug, dip_file.urn, "LD1"])
    assert client.post(save, {"q-LD1": "na", "v-LD1": "0"}).status_code == 403
    assert client.post(review_url("quality:dip_submit", dip_file)).status_code == 403
    assert not blind_review.dip_examination.answers.exists()


def test_the_blind_page_steps_refuse_the_wrong_method(client, blind_review, dip_file):
    assert client.get(review_url("quality:dip_submit", dip_file)).status_code == 405
    save = reverse("quality:dip_autosave", args=[dip_file.inspection.slug, dip_file.urn, "LD1"])
    assert client.get(save).status_code == 405
