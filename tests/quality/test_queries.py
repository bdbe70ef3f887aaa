"""A conversation per answer: the QA lead or the lead opens a query, the inspector replies or
changes the answer, the opener closes it; open queries on home pages; only the completion of
the file's dip review waits for them; every step kept with the answer's history."""

import pytest
from django.urls import reverse

from accounts.roles import QA_LEAD
from casefiles.models import AnswerChange
from quality.models import AnswerQuery, DipReview, QueryMessage
from tests.conftest import make_user

from .test_dip_review import primary_answer, start, verdicts

pytestmark = pytest.mark.usefixtures("open_reviews")  # blind reviews: test_blind_review.py


def answer_url(case_file, code="VW1") -> str:
    return reverse("quality:answer", args=[case_file.inspection.slug, case_file.urn, code])


def open_url(case_file, code="VW1") -> str:
    return reverse("quality:query_open", args=[case_file.inspection.slug, case_file.urn, code])


def opened(client, user, case_file, code="VW1", text="Was an order sought at sentence?") -> AnswerQuery:
    client.force_login(user)
    response = client.post(open_url(case_file, code), {"text": text})
    assert response.status_code == 302 and response.url == answer_url(case_file, code)
    return AnswerQuery.objects.get(question__code=code, status="open")


@pytest.mark.parametrize("opener", ["qa_lead", "lead"])
def test_it_opens_a_query_the_inspector_sees_on_their_home_page(client, request, opener, dip_file, inspector):
    query = opened(client, request.getfixturevalue(opener), dip_file)
    assert query.opened_by.username == request.getfixturevalue(opener).username
    assert list(query.messages.values_list("kind", "text")) == [("opened", "Was an order sought at sentence?")]
    home = client.get("/").content.decode()
    assert "52WS0001, VW1" in home and "opened by you" in home
    client.force_login(inspector)
    home = client.get("/").content.decode()
    assert 'id="open-queries"' in home and "52WS0001, VW1" in home and "reply or change your answer" in home
    page = client.get(answer_url(dip_file)).content.decode()
    assert "Was an order sought at sentence?" in page and "Change the answer instead" in page
    assert "Close the query" not in page and "Open the query" not in page


@pytest.mark.parametrize("persona", ["inspector", "colleague", "writer", "outsider"])
def test_only_the_qa_lead_and_the_lead_open_queries(client, request, persona, dip_file):
    client.force_login(request.getfixturevalue(persona))
    assert client.post(open_url(dip_file), {"text": "Why?"}).status_code == 403
    assert not AnswerQuery.objects.exists()


@pytest.mark.parametrize("persona", ["colleague", "writer", "outsider"])
def test_nobody_else_sees_or_replies_to_a_query(client, request, persona, qa_lead, dip_file):
    query = opened(client, qa_lead, dip_file)
    client.force_login(request.getfixturevalue(persona))
    assert client.get(answer_url(dip_file)).status_code == 403
    assert client.post(reverse("quality:query_reply", args=[query.pk]), {"text": "Hi"}).status_code == 403
    assert client.post(reverse("quality:query_close", args=[query.pk])).status_code == 403
    assert query.messages.count() == 1


def test_the_steps_are_posts_only(client, qa_lead, dip_file):
    query = opened(client, qa_lead, dip_file)
    assert client.get(open_url(dip_file)).status_code == 405
    assert client.get(reverse("quality:query_reply", args=[query.pk])).status_code == 405
    assert client.get(reverse("quality:query_close", args=[query.pk])).status_code == 405


def test_one_open_query_per_answer(client, qa_lead, lead, dip_file):
    opened(client, qa_lead, dip_file)
    client.force_login(lead)
    response = client.post(open_url(dip_file), {"text": "Me too"}, follow=True)
    assert "A query on VW1 is open already" in response.content.decode()
    assert AnswerQuery.objects.count() == 1


def test_the_inspector_replies_and_only_the_opener_closes(client, qa_lead, inspector, dip_file):
    query = opened(client, qa_lead, dip_file)
    client.force_login(inspector)
    client.post(reverse("quality:query_reply", args=[query.pk]), {"text": "Yes, see the hearing record."})
    assert client.post(reverse("quality:query_close", args=[query.pk])).status_code == 403
    other_qa = make_user("qa2", QA_LEAD)
    client.force_login(other_qa)
    assert client.post(reverse("quality:query_close", args=[query.pk])).status_code == 403
    client.force_login(qa_lead)
    client.post(reverse("quality:query_close", args=[query.pk]), {"text": "Agreed, it stands."})
    query.refresh_from_db()
    assert query.status == "closed" and query.closed_at
    assert list(query.messages.values_list("kind", "author__username")) == [
        ("opened", "qa"),
        ("reply", "inspector1"),
        ("closed", "qa"),
    ]
    assert primary_answer(dip_file, "VW1").value == "yes"  # a reply changes nothing
    client.force_login(inspector)
    assert 'id="open-queries"' not in client.get("/").content.decode()
    response = client.post(reverse("quality:query_reply", args=[query.pk]), {"text": "Late"}, follow=True)
    assert "This query has been closed." in response.content.decode()


def test_the_inspector_changes_the_answer_through_the_query_with_history(client, qa_lead, inspector, dip_file):
    query = opened(client, qa_lead, dip_file)
    client.force_login(inspector)
    reply = reverse("quality:query_reply", args=[query.pk])
    client.post(reply, {"action": "change", "value": "no", "text": "You are right: no order was sought."})
    answer = primary_answer(dip_file, "VW1")
    assert (answer.value, answer.comment, answer.version) == ("no", "You are right: no order was sought.", 2)
    change = AnswerChange.objects.filter(answer=answer).last()
    assert (change.old_value, change.new_value, change.source, change.changed_by) == (
        "yes",
        "no",
        "query_change",
        inspector,
    )
    message = QueryMessage.objects.get(kind="changed")
    assert (message.old_value, message.new_value) == ("yes", "no")
    history = client.get(answer_url(dip_file)).content.decode().split('id="answer-history"')[1]
    assert history.index("Answered") < history.index("Opened the query") < history.index("Changed in answer to a query")
    assert "Yes → No" in history
    # The QA lead may reply but not change the inspector's answer through the query.
    client.force_login(qa_lead)
    client.post(reply, {"action": "change", "value": "yes", "text": "Back"}, follow=True)
    assert primary_answer(dip_file, "VW1").value == "no"


def test_a_change_must_be_a_valid_different_answer(client, qa_lead, inspector, dip_file):
    query = opened(client, qa_lead, dip_file)
    client.force_login(inspector)
    reply = reverse("quality:query_reply", args=[query.pk])
    assert (
        "Choose one of the options"
        in client.post(reply, {"action": "change", "value": "maybe"}, follow=True).content.decode()
    )
    assert (
        "That is the answer already"
        in client.post(reply, {"action": "change", "value": "yes"}, follow=True).content.decode()
    )
    assert primary_answer(dip_file, "VW1").version == 1 and query.messages.count() == 1


def test_an_open_query_holds_up_only_the_completion_of_the_dip_review(client, qa_lead, inspector, dip_file):
    start(client, qa_lead, dip_file)
    query = opened(client, qa_lead, dip_file)
    url = reverse("quality:review", args=[dip_file.inspection.slug, dip_file.urn])
    assert client.post(url, {**verdicts(), "action": "save"}).status_code == 302  # saving is not held up
    assert "Open query" in client.get(url).content.decode()
    response = client.post(url, {**verdicts(), "action": "complete"})
    assert response.status_code == 400
    assert "VW1: A query on this answer is still open" in response.content.decode()
    assert DipReview.objects.get().status == "in_progress"
    client.post(reverse("quality:query_close", args=[query.pk]))
    assert client.post(url, {**verdicts(), "action": "complete"}).status_code == 302
    assert DipReview.objects.get().status == "confirmed"


def test_the_answer_page_reads_a_fixed_number_of_queries(client, qa_lead, inspector, dip_file):
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    query = opened(client, qa_lead, dip_file)
    client.force_login(inspector)
    counts = []
    for _ in range(2):
        for n in range(3):
            client.post(reverse("quality:query_reply", args=[query.pk]), {"text": f"Reply {n}"})
        with CaptureQueriesContext(connection) as queries:
            page = client.get(answer_url(dip_file)).content.decode()
        counts.append(len(queries))
    assert page.count("Reply ") == 6
    assert counts[0] == counts[1] <= 16
