"""Consistency exercises: set-up by the lead or QA lead, internal and temporary external
participants, independent examinations kept apart, expiry of temporary accounts."""

import datetime

import pytest
from django.contrib.auth.models import User
from django.core.management import call_command
from django.urls import reverse
from django.utils import timezone

from casefiles.models import Examination
from quality.models import Exercise, ExerciseExamination, Participant
from quality.services import participants_add, temporary_accounts_expire, temporary_participant_create
from tests.conftest import PASSWORD, make_case_file

from .conftest import examine

TOMORROW = timezone.localdate() + datetime.timedelta(days=1)


@pytest.fixture
def exercise(inspection, lead, inspector, colleague):
    exercise = Exercise.objects.create(
        inspection=inspection, name="Week 3 check", kind="external", closes_on=TOMORROW, created_by=lead
    )
    files = [make_case_file(inspection, f"52WS010{i}", assigned_to=inspector) for i in range(1, 3)]
    exercise.files.add(*files)
    participants_add(exercise=exercise, users=[inspector, colleague], added_by=lead)
    return exercise


@pytest.fixture
def temporary(exercise, lead):
    participant, password = temporary_participant_create(
        exercise=exercise,
        first_name="Casey",
        last_name="Jones",
        organisation="CPS Wessex",
        expires_at=timezone.now() + datetime.timedelta(days=3),
        added_by=lead,
    )
    participant.password = password
    return participant


def exercise_url(name: str, exercise, *args) -> str:
    return reverse(f"quality:{name}", args=[exercise.pk, *args])


def test_it_lets_the_lead_create_an_exercise(client, lead, inspection):
    client.force_login(lead)
    url = reverse("quality:exercises", args=[inspection.slug])
    response = client.post(url, {"name": "Internal check", "kind": "internal", "closes_on": TOMORROW.isoformat()})
    exercise = Exercise.objects.get()
    assert response.status_code == 302 and response.url == exercise.get_absolute_url()
    assert (exercise.created_by, exercise.kind, exercise.inspection) == (lead, "internal", inspection)


def test_a_closing_date_in_the_past_is_refused(client, qa_lead, inspection):
    client.force_login(qa_lead)
    url = reverse("quality:exercises", args=[inspection.slug])
    response = client.post(url, {"name": "Late", "kind": "internal", "closes_on": "2020-01-01"})
    assert response.status_code == 400 and "cannot be in the past" in response.content.decode()
    assert not Exercise.objects.exists()


@pytest.mark.parametrize("persona", ["inspector", "writer", "outsider"])
def test_it_refuses_exercise_set_up_to_everyone_else(client, request, persona, exercise):
    client.force_login(request.getfixturevalue(persona))
    assert client.get(reverse("quality:exercises", args=[exercise.inspection.slug])).status_code == 403
    assert client.get(exercise_url("exercise", exercise)).status_code == 403
    assert client.get(exercise_url("exercise_results", exercise)).status_code == 403
    assert client.post(exercise_url("exercise_files", exercise), {"count": "1"}).status_code == 403


def test_files_are_added_by_urn_and_unknown_urns_are_named(client, lead, exercise, inspection):
    make_case_file(inspection, "52WS0200")
    client.force_login(lead)
    response = client.post(exercise_url("exercise_files", exercise), {"urns": "52WS0200, NOPE1 NOPE2"})
    assert response.status_code == 400
    assert "Not files in this inspection&#x27;s sample: NOPE1, NOPE2" in response.content.decode()
    assert exercise.files.count() == 2
    client.post(exercise_url("exercise_files", exercise), {"urns": "52WS0200"})
    assert exercise.files.filter(urn="52WS0200").exists()


def test_files_can_be_added_at_random(client, lead, exercise, inspection):
    for i in range(5):
        make_case_file(inspection, f"52WS03{i:02}")
    client.force_login(lead)
    client.post(exercise_url("exercise_files", exercise), {"count": "3"})
    assert exercise.files.count() == 5


def test_a_file_someone_answered_stays_in_the_exercise(client, lead, exercise, inspector):
    case_file = exercise.files.first()
    client.force_login(inspector)
    client.post(exercise_url("exercise_examine", exercise, case_file.urn), {"v-LD1": "0", "q-LD1": "fully_meets"})
    client.force_login(lead)
    response = client.post(exercise_url("exercise_file_remove", exercise, case_file.urn), follow=True)
    assert "stays in the exercise" in response.content.decode()
    assert exercise.files.filter(pk=case_file.pk).exists()


def test_a_participant_examines_independently_and_submits(client, exercise, inspector, colleague):
    case_file = exercise.files.order_by("urn").first()
    client.force_login(inspector)
    take = client.get(exercise_url("exercise_take", exercise)).content.decode()
    assert "52WS0101" in take and "52WS0102" in take and "Not started" in take
    page = client.get(exercise_url("exercise_examine", exercise, case_file.urn)).content.decode()
    assert exercise_url("exercise_autosave", exercise, case_file.urn, "CODE") in page
    saved = client.post(
        exercise_url("exercise_autosave", exercise, case_file.urn, "LD1"), {"v-LD1": "0", "q-LD1": "fully_meets"}
    )
    assert saved.status_code == 200 and saved.json()["version"] == 1
    client.post(exercise_url("exercise_examine", exercise, case_file.urn), {"v-VW1": "0", "q-VW1": "yes"})
    response = client.post(exercise_url("exercise_submit", exercise, case_file.urn))
    assert response.status_code == 302
    examination = Examination.objects.get(kind="consistency", examiner=inspector)
    assert examination.status == "submitted" and examination.exercise_link.exercise == exercise
    assert not Examination.objects.filter(kind="primary").exists()
    # Another participant's examination of the same file is their own.
    client.force_login(colleague)
    client.post(exercise_url("exercise_autosave", exercise, case_file.urn, "LD1"), {"v-LD1": "0", "q-LD1": "not_meets"})
    assert Examination.objects.filter(kind="consistency", case_file=case_file).count() == 2


def test_submitting_an_incomplete_examination_lists_what_is_missing(client, exercise, inspector):
    case_file = exercise.files.order_by("urn").first()
    client.force_login(inspector)
    response = client.post(exercise_url("exercise_submit", exercise, case_file.urn))
    assert response.status_code == 400
    assert "You cannot submit yet" in response.content.decode()


def test_non_participants_cannot_open_the_exercise_files(client, exercise, lead, qa_lead):
    case_file = exercise.files.first()
    for user in (lead, qa_lead):  # running an exercise is not taking part in it
        client.force_login(user)
        assert client.get(exercise_url("exercise_take", exercise)).status_code == 403
        assert client.get(exercise_url("exercise_examine", exercise, case_file.urn)).status_code == 403
        posted = client.post(exercise_url("exercise_autosave", exercise, case_file.urn, "LD1"), {"v-LD1": "0"})
        assert posted.status_code == 403
    assert not Examination.objects.exists()


def test_a_closed_exercise_is_read_only(client, exercise, inspector):
    case_file = exercise.files.first()
    Exercise.objects.filter(pk=exercise.pk).update(closes_on=timezone.localdate() - datetime.timedelta(days=1))
    client.force_login(inspector)
    assert client.get(exercise_url("exercise_examine", exercise, case_file.urn)).status_code == 200
    posted = client.post(
        exercise_url("exercise_autosave", exercise, case_file.urn, "LD1"), {"v-LD1": "0", "q-LD1": "na"}
    )
    assert posted.status_code == 403
    assert client.post(exercise_url("exercise_submit", exercise, case_file.urn)).status_code == 403


def test_the_same_file_in_two_exercises_is_examined_once_per_person(client, exercise, inspector, lead, inspection):
    case_file = exercise.files.first()
    other = Exercise.objects.create(inspection=inspection, name="Second", closes_on=TOMORROW, created_by=lead)
    other.files.add(case_file)
    participants_add(exercise=other, users=[inspector], added_by=lead)
    client.force_login(inspector)
    client.get(exercise_url("exercise_examine", exercise, case_file.urn))
    response = client.get(exercise_url("exercise_examine", other, case_file.urn), follow=True)
    assert "You examined 52WS0101 in the exercise “Week 3 check” already." in response.content.decode()
    assert ExerciseExamination.objects.count() == 1


def test_the_lead_creates_a_temporary_account_shown_once(client, lead, exercise):
    client.force_login(lead)
    response = client.post(
        exercise_url("exercise_temporary", exercise),
        {"first_name": "Casey", "last_name": "Jones", "organisation": "CPS Wessex", "expires_on": TOMORROW.isoformat()},
    )
    page = response.content.decode()
    participant = Participant.objects.get(is_temporary=True)
    assert response.status_code == 200 and "Temporary account created" in page
    assert participant.user.username in page and participant.user.groups.count() == 0
    assert participant.expires_at == timezone.make_aware(
        datetime.datetime.combine(TOMORROW + datetime.timedelta(days=1), datetime.time.min)
    )
    assert "Temporary account created" not in client.get(exercise_url("exercise", exercise)).content.decode()


def test_temporary_accounts_are_for_external_exercises_and_cannot_outlast_them(client, lead, exercise):
    client.force_login(lead)
    late = (exercise.closes_on + datetime.timedelta(days=30)).isoformat()
    data = {"first_name": "A", "last_name": "B", "expires_on": late}
    response = client.post(exercise_url("exercise_temporary", exercise), data)
    assert response.status_code == 400 and "cannot outlast the exercise" in response.content.decode()
    Exercise.objects.filter(pk=exercise.pk).update(kind="internal")
    response = client.post(exercise_url("exercise_temporary", exercise), {**data, "expires_on": TOMORROW.isoformat()})
    assert response.status_code == 400 and "external exercises only" in response.content.decode()
    assert not Participant.objects.filter(is_temporary=True).exists()


def test_a_temporary_account_sees_only_its_exercise(client, temporary, exercise, inspection, lead, inspector):
    client.post(reverse("login"), {"username": temporary.user.username, "password": temporary.password})
    assert client.session["_auth_user_id"] == str(temporary.user_id)
    assert client.get(exercise_url("exercise_take", exercise)).status_code == 200
    case_file = exercise.files.first()
    assert client.get(exercise_url("exercise_examine", exercise, case_file.urn)).status_code == 200
    other_file = make_case_file(inspection, "52WS0999", assigned_to=inspector)
    assert client.get(exercise_url("exercise_examine", exercise, other_file.urn)).status_code == 404
    other = Exercise.objects.create(inspection=inspection, name="Other", closes_on=TOMORROW, created_by=lead)
    assert client.get(exercise_url("exercise_take", other)).status_code == 403
    for url in [
        reverse("casefiles:queue", args=[inspection.slug]),
        reverse("casefiles:examination", args=[inspection.slug, case_file.urn]),
        reverse("quality:dip_queue", args=[inspection.slug]),
        reverse("quality:exercises", args=[inspection.slug]),
        reverse("sampling:sample", args=[inspection.slug]),
        reverse("reports:index"),
    ]:
        assert client.get(url).status_code in (403, 404), url
    assert "Week 3 check" in client.get(reverse("quality:my_exercises")).content.decode()


def test_an_expired_temporary_account_is_refused_and_switched_off(client, temporary, exercise):
    client.force_login(temporary.user)
    Participant.objects.filter(pk=temporary.pk).update(expires_at=timezone.now() - datetime.timedelta(minutes=1))
    # The live session ends at once (quality.middleware), on this page as on any other.
    assert client.get(exercise_url("exercise_take", exercise))["Location"] == reverse("login")
    temporary.user.refresh_from_db()
    assert not temporary.user.is_active
    assert client.get(exercise_url("exercise_take", exercise)).status_code == 302  # signed out: to the sign-in page


def test_signing_in_after_expiry_signs_straight_out(client, temporary):
    Participant.objects.filter(pk=temporary.pk).update(expires_at=timezone.now() - datetime.timedelta(minutes=1))
    response = client.post(
        reverse("login"), {"username": temporary.user.username, "password": temporary.password}, follow=True
    )
    assert "This temporary account has expired" in response.content.decode()
    assert "_auth_user_id" not in client.session
    assert not User.objects.get(pk=temporary.user_id).is_active


def test_the_command_switches_off_expired_accounts_once(temporary, inspector):
    Participant.objects.filter(pk=temporary.pk).update(expires_at=timezone.now() - datetime.timedelta(seconds=1))
    call_command("expire_temporary_accounts")
    assert not User.objects.get(pk=temporary.user_id).is_active
    assert User.objects.get(pk=inspector.pk).is_active
    assert temporary_accounts_expire() == 0


def test_a_team_member_keeps_their_password_and_the_participant_form_lists_only_the_team(
    client, lead, exercise, qa_lead, temporary, outsider
):
    client.force_login(lead)
    page = client.get(exercise_url("exercise", exercise)).content.decode()
    form = page.split('action="/exercises/', 2)[-1]
    assert "(qa)" in page and "(outsider)" not in page and f"({temporary.user.username})" not in form
    assert User.objects.get(username="inspector1").check_password(PASSWORD)


def test_a_participant_with_answers_stays(client, lead, exercise, inspector):
    examine(exercise.files.first(), inspector, {"LD1": "fully_meets"}, kind="consistency", submit=False)
    ExerciseExamination.objects.create(exercise=exercise, examination=Examination.objects.get(kind="consistency"))
    client.force_login(lead)
    place = Participant.objects.get(user=inspector)
    response = client.post(exercise_url("exercise_participant_remove", exercise, place.pk), follow=True)
    assert "has answered questions" in response.content.decode()
    assert Participant.objects.filter(pk=place.pk).exists()


def test_the_home_page_tag_lists_a_participants_exercises(exercise, inspector, outsider):
    from django.template import Context, Template

    template = Template(
        "{% load quality_links %}{% exercise_places user as places %}"
        "{% for p in places %}[{{ p.exercise.name }}]{% endfor %}"
    )
    assert template.render(Context({"user": inspector})) == "[Week 3 check]"
    assert template.render(Context({"user": outsider})) == ""
