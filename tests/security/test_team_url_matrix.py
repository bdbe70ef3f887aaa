"""Need-to-know, generated from the URLconf: every URL scoped to an inspection, filled with the
objects of a second inspection, refuses someone who is lead (and every other role) of another
inspection only — GET and POST, never a 200 with that inspection's data."""

import datetime
import re

import pytest
from django.contrib.auth.models import User
from django.urls import URLResolver, get_resolver

from accounts.roles import ALL_ROLES
from casefiles.models import Answer, CaseExample, Examination, Inspection, QuestionSetAdoption
from casefiles.team import team_member_add
from quality.models import AnswerQuery, Exercise, Participant
from questionset.models import Question
from reports.models import ReportJob
from tests.conftest import make_case_file, make_user

pytestmark = pytest.mark.teams

# Parameters that name an inspection or one of its objects; a URL with none of them is not inspection-scoped.
SCOPED = {"slug", "urn", "answer_id", "frame_id", "pk", "job_id", "inspection_id", "example_id", "username"}
NOT_INSPECTION_DATA = {"questionset"}  # question sets know no inspection and hold no case data


def _patterns(patterns, prefix: str = "", namespace: str | None = None):
    for pattern in patterns:
        if isinstance(pattern, URLResolver):
            if pattern.namespace == "admin":
                continue
            yield from _patterns(pattern.url_patterns, prefix + str(pattern.pattern), pattern.namespace or namespace)
        else:
            yield namespace, pattern.name, prefix + str(pattern.pattern)


def _scoped_urls(values: dict) -> list[str]:
    urls = []
    for namespace, name, route in _patterns(get_resolver().url_patterns):
        params = re.findall(r"<(?:\w+:)?(\w+)>", route)
        if namespace in NOT_INSPECTION_DATA or not SCOPED & set(params):
            continue
        if name in ("query_reply", "query_close"):
            filled = {"pk": values["query"]}
        elif name == "guidance_read":
            filled = {"pk": values["adoption"]}
        else:
            filled = {p: values.get(p, values.get("exercise")) for p in params}
        path = route
        for param in params:
            path = re.sub(rf"<(?:\w+:)?{param}>", str(filled.get(param, values["exercise"])), path)
        urls.append("/" + path)
    return urls


@pytest.fixture
def theirs(db, mini_question_set) -> dict:
    """A second inspection with one of every object a URL can name."""
    from sampling.plan import DEFAULT_PLAN, load_plan_file

    inspection = Inspection.objects.create(
        slug="their-inspection",
        name="Their inspection",
        question_set=mini_question_set,
        plan=load_plan_file(DEFAULT_PLAN).as_data(),
    )
    their_lead = make_user("their-lead", *ALL_ROLES)
    team_member_add(inspection=inspection, user=their_lead, roles=[r.code for r in ALL_ROLES], by=None)
    case_file = make_case_file(inspection, "99XX0001", assigned_to=their_lead, in_dip=True)
    examination = Examination.objects.create(
        case_file=case_file, examiner=their_lead, question_set=mini_question_set, status=Examination.Status.SUBMITTED
    )
    question = Question.objects.filter(question_set=mini_question_set).first()
    answer = Answer.objects.create(examination=examination, question=question, value="yes", updated_by=their_lead)
    exercise = Exercise.objects.create(
        inspection=inspection, name="Their exercise", created_by=their_lead, closes_on=datetime.date(2030, 1, 1)
    )
    participant = Participant.objects.create(exercise=exercise, user=their_lead, added_by=their_lead)
    query = AnswerQuery.objects.create(examination=examination, question=question, opened_by=their_lead)
    job = ReportJob.objects.create(inspection=inspection, parameters_key="x", requested_by=their_lead)
    example = CaseExample.objects.create(answer=answer, kind=CaseExample.Kind.choices[0][0], flagged_by=their_lead)
    adoption = QuestionSetAdoption.objects.create(
        inspection=inspection, question_set=mini_question_set, previous=mini_question_set, adopted_by=their_lead
    )
    return {
        "inspection": inspection,
        "slug": inspection.slug,
        "urn": case_file.urn,
        "code": question.code,
        "answer_id": answer.pk,
        "frame_id": 1,
        "exercise": exercise.pk,
        "pk": exercise.pk,
        "participant_pk": participant.pk,
        "query": query.pk,
        "job_id": job.pk,
        "inspection_id": inspection.pk,
        "example_id": example.pk,
        "adoption": adoption.pk,
        "username": their_lead.username,
    }


@pytest.fixture
def lead_elsewhere(inspection) -> User:
    """Lead, QA lead, inspector and writer — of the first inspection only."""
    person = make_user("lead-elsewhere", *ALL_ROLES)
    team_member_add(inspection=inspection, user=person, roles=[r.code for r in ALL_ROLES], by=None)
    return person


def test_it_refuses_every_url_of_another_inspection_to_its_outsider(client, theirs, lead_elsewhere):
    urls = _scoped_urls(theirs)
    assert len(urls) > 60  # the walk found the app's URLs, not an empty list
    client.force_login(lead_elsewhere)
    leaks = []
    for url in urls:
        for method in (client.get, client.post):
            response = method(url)
            body = response.content.decode(errors="replace") if not response.streaming else ""
            if response.status_code not in (403, 404, 405) or "Their inspection" in body or "99XX0001" in body:
                leaks.append((method.__name__, url, response.status_code))
    assert leaks == []


def test_it_shows_nothing_of_another_inspection_through_its_own_slug(client, theirs, lead_elsewhere, inspection):
    """The same URLs with the person's own inspection in the path and the other's ids beside it."""
    client.force_login(lead_elsewhere)
    leaks = []
    for url in _scoped_urls({**theirs, "slug": inspection.slug}):
        for method in (client.get, client.post):
            response = method(url)
            body = response.content.decode(errors="replace") if not response.streaming else ""
            if response.status_code >= 500 or "Their inspection" in body or "99XX0001" in body:
                leaks.append((method.__name__, url, response.status_code))
    assert leaks == []


def test_it_lets_the_same_person_into_their_own_inspection(client, theirs, lead_elsewhere, inspection):
    client.force_login(lead_elsewhere)
    home = client.get("/").content.decode()
    assert inspection.name in home and "Their inspection" not in home
    for url in (
        f"/inspections/{inspection.slug}/team/",
        f"/inspections/{inspection.slug}/my-files/",
        f"/inspections/{inspection.slug}/quality/",
        f"/reports/?inspection={inspection.pk}",
    ):
        assert client.get(url).status_code == 200, url
    reports = client.get("/reports/").content.decode()
    assert "Their inspection" not in reports
