"""Pages must not grow their query count with the number of files or questions."""

from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone

from accounts.roles import INSPECTOR, LEAD
from casefiles.access import holds_role_in
from casefiles.models import Area, Examination, Inspection
from casefiles.services import answers_record_new, examination_open
from casefiles.team import team_member_set_roles
from questionset.models import Question
from tests.conftest import make_case_file, make_user


def queries(client, url: str) -> int:
    with CaptureQueriesContext(connection) as context:
        response = client.get(url)
    assert response.status_code == 200
    return len(context)


def add_files(inspection, inspector, start: int, count: int) -> None:
    areas = list(Area.objects.all())
    for n in range(start, start + count):
        f = make_case_file(
            inspection,
            f"Q{n:04d}",
            assigned_to=inspector,
            area=areas[n % len(areas)],
            stratum=["stalking_crown", "stalking_magistrates"][n % 2],
        )
        e = Examination.objects.create(
            case_file=f,
            examiner=inspector,
            question_set=inspection.question_set,
            status="submitted" if n % 3 == 0 else "in_progress",
            submitted_at=timezone.now() if n % 3 == 0 else None,
        )
        q = Question.objects.get(question_set=inspection.question_set, code="LD1")
        answers_record_new(examination=e, values={q: ("fully_meets", "")}, user=inspector, source="test")


def test_the_queue_and_progress_pages_do_not_grow_with_files(client, inspector, lead, inspection):
    add_files(inspection, inspector, 0, 3)
    client.force_login(inspector)
    queue_small = queries(client, reverse("casefiles:queue", args=[inspection.slug]))
    client.force_login(lead)
    progress_small = queries(client, reverse("casefiles:progress", args=[inspection.slug]))
    add_files(inspection, inspector, 3, 30)
    client.force_login(inspector)
    assert queries(client, reverse("casefiles:queue", args=[inspection.slug])) == queue_small
    client.force_login(lead)
    assert queries(client, reverse("casefiles:progress", args=[inspection.slug])) == progress_small


def test_the_examination_page_does_not_grow_with_answers(client, inspector, case_file):
    client.force_login(inspector)
    url = reverse("casefiles:examine", args=[case_file.inspection.slug, case_file.urn])
    examination = examination_open(case_file=case_file, examiner=inspector)
    client.get(url)  # the first visit starts the sitting (time per file); later ones extend it
    empty = queries(client, url)
    questions = Question.objects.filter(question_set=examination.question_set, code__in=["LD1", "VW1", "VW2", "VW3"])
    values = {"LD1": "fully_meets", "VW1": "yes", "VW2": "3", "VW3": "following"}
    answers_record_new(
        examination=examination, values={q: (values[q.code], "c") for q in questions}, user=inspector, source="test"
    )
    assert queries(client, url) == empty


def test_the_examination_page_with_the_full_question_set_uses_few_queries(client, inspector, inspection):
    from questionset.services import DEFAULT_QUESTION_SET, question_set_load_file

    inspection.question_set = question_set_load_file(path=DEFAULT_QUESTION_SET)
    inspection.save()
    case_file = make_case_file(inspection, "FULL1", assigned_to=inspector)
    client.force_login(inspector)
    url = reverse("casefiles:examine", args=[inspection.slug, case_file.urn])
    client.get(url)  # the examination is created on the first visit
    assert queries(client, url) <= 15  # 12, the audit row, the UPDATE extending the sitting, the team check


def test_an_autosave_uses_at_most_eight_queries(
    client, inspector, case_file, django_assert_max_num_queries, django_capture_on_commit_callbacks
):
    """Session, user, roles, the examination with its file, the examination's lock, its answers, the
    answer, its history. (The test's own transaction adds a SAVEPOINT and its RELEASE.)"""
    client.force_login(inspector)
    client.get(reverse("casefiles:examine", args=[case_file.inspection.slug, case_file.urn]))
    url = reverse("casefiles:autosave", args=[case_file.inspection.slug, case_file.urn, "LD1"])
    with django_capture_on_commit_callbacks(execute=True):  # as after a real commit
        assert client.post(url, {"v-LD1": "0", "q-LD1": "fully_meets"}).status_code == 200
    with django_assert_max_num_queries(8 + 2) as captured:
        response = client.post(url, {"v-LD1": "1", "q-LD1": "not_meets", "c-LD1": "Wrong charge"})
    assert response.status_code == 200 and response.json()["version"] == 2
    statements = [q["sql"] for q in captured.captured_queries if not q["sql"].startswith(("SAVEPOINT", "RELEASE"))]
    assert len(statements) <= 8, statements


def test_the_home_page_reads_the_team_once_however_many_inspections(client, lead, inspection, mini_question_set):
    client.force_login(lead)
    one = queries(client, "/")
    for n in range(3):
        Inspection.objects.create(slug=f"more-{n}", name=f"More {n}", question_set=mini_question_set)
    with CaptureQueriesContext(connection) as context:
        page = client.get("/").content.decode()
    assert all(reverse("casefiles:team", args=[f"more-{n}"]) in page for n in range(3))  # a lead in each
    assert len(context) == one
    assert len([q for q in context if "casefiles_inspectionmember" in q["sql"]]) == 2  # the list, the roles


def test_the_team_check_reads_someones_roles_once_and_again_after_a_change(lead, inspection, mini_question_set):
    others = [
        Inspection.objects.create(slug=f"other-{n}", name=f"Other {n}", question_set=mini_question_set)
        for n in range(3)
    ]
    with CaptureQueriesContext(connection) as context:
        assert all(holds_role_in(lead, i, LEAD) for i in [inspection, *others])
        assert not holds_role_in(lead, others[0], INSPECTOR)
    assert len([q for q in context if "casefiles_inspectionmember" in q["sql"]]) == 1
    make_user("second-lead", LEAD)  # a member of every team, so that the inspection keeps a lead
    team_member_set_roles(inspection=others[0], user=lead, roles=[], by=None)
    assert not holds_role_in(lead, others[0], LEAD) and holds_role_in(lead, others[1], LEAD)
