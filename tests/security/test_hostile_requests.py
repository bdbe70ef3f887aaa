"""Requests an attacker would send: huge ids, NUL characters, probes for URNs, a lockout
spread over addresses or usernames, a session of an expired account, a dead broker."""

import datetime
import io
import os
import subprocess
import sys
import time

import pytest
from django.conf import settings
from django.contrib.auth.models import User
from django.core.management import call_command
from django.urls import reverse
from django.utils import timezone
from kombu.exceptions import OperationalError
from openpyxl import load_workbook

from casefiles.models import CaseExample, CaseFile
from casefiles.spreadsheet_safety import safe_cell, unsafe_cell
from quality.models import Exercise, Participant
from quality.services import temporary_participant_create
from reports.exports import build_workbook, write_results_csv
from reports.models import ReportJob
from reports.services import BROKER_DOWN
from sampling.export import write_sample_csv
from security.middleware import SESSION_LAST_SEEN, SESSION_SIGNED_IN
from tests.conftest import PASSWORD, make_case_file
from tests.reports.conftest import record_examination

HUGE = 2**63


# 11. Ids of 2^63 and NUL → 404/400, never 500.


@pytest.mark.parametrize(
    "path",
    [
        f"/reports/{HUGE}/",
        f"/reports/answers/{HUGE}/flag/",
        f"/exercises/{2**64 + 5}/",
    ],
)
def test_an_id_no_column_can_hold_is_not_found(client, writer, path):
    client.force_login(writer)
    assert client.get(path).status_code == 404


def test_an_admin_change_page_for_a_huge_id_is_not_a_server_error(admin_client):
    response = admin_client.get(f"/admin/auth/user/{HUGE}/change/")
    assert response.status_code in (302, 400, 404)


def test_a_huge_id_in_a_query_string_is_not_a_server_error(client, writer, inspection):
    client.force_login(writer)
    assert client.get(reverse("reports:index") + f"?inspection={HUGE}").status_code in (400, 404)


@pytest.mark.parametrize(
    "path",
    [
        "/inspections/test-inspection/files/52WS%000001/examine/",
        "/reports/?inspection=1%00",
        "/inspections/test-inspection/my-files/?x=%00",
    ],
)
def test_nul_in_the_path_or_query_is_a_bad_request(client, inspector, inspection, path):
    client.force_login(inspector)
    response = client.get(path)
    assert response.status_code == 400
    assert settings.PROTECTIVE_MARKING in response.content.decode()


def test_nul_in_a_form_is_a_bad_request(client, writer, inspection):
    client.force_login(writer)
    assert client.post(reverse("reports:index"), {"inspection": "1\x00"}).status_code == 400


# 11. No existence oracle: a file one may not see and a file that does not exist look alike.


def test_an_inspector_cannot_tell_an_existing_urn_from_a_missing_one(client, inspector, colleague, inspection):
    make_case_file(inspection, "52WS0777", assigned_to=colleague)
    client.force_login(inspector)
    for name in ("casefiles:examine", "casefiles:examination"):
        existing = client.get(reverse(name, args=[inspection.slug, "52WS0777"]))
        missing = client.get(reverse(name, args=[inspection.slug, "NOSUCH"]))
        assert existing.status_code == missing.status_code == 403, name


def test_the_lead_who_sees_every_file_is_told_a_urn_does_not_exist(client, lead, inspection):
    client.force_login(lead)
    assert client.get(reverse("casefiles:examination", args=[inspection.slug, "NOSUCH"])).status_code == 404


# 8. Lockout by username across addresses, and by address across usernames.


def sign_in(client, username: str, password: str, address: str, **headers):
    return client.post(reverse("login"), {"username": username, "password": password}, REMOTE_ADDR=address, **headers)


def test_a_username_is_locked_after_failures_from_many_addresses(client, inspector):
    for n in range(settings.AXES_FAILURE_LIMIT):
        sign_in(client, inspector.username, "wrong", f"10.0.0.{n + 1}")
    response = sign_in(client, inspector.username, PASSWORD, "10.0.1.1")
    assert "_auth_user_id" not in client.session
    assert "Too many failed sign-in attempts" in response.content.decode()


def test_an_address_is_locked_after_failures_at_many_usernames(client, inspector):
    for n in range(settings.AXES_FAILURE_LIMIT):
        sign_in(client, f"nobody{n}", "wrong", "10.9.9.9")
    sign_in(client, inspector.username, PASSWORD, "10.9.9.9")
    assert "_auth_user_id" not in client.session
    sign_in(client, inspector.username, PASSWORD, "10.9.9.10")
    assert "_auth_user_id" in client.session


def test_a_forwarded_for_header_is_ignored_unless_a_proxy_is_configured(client, inspector, settings):
    settings.TRUSTED_PROXY_COUNT = 0
    for n in range(settings.AXES_FAILURE_LIMIT):
        sign_in(client, f"nobody{n}", "wrong", "10.5.5.5", HTTP_X_FORWARDED_FOR=f"192.0.2.{n}")
    sign_in(client, inspector.username, PASSWORD, "10.5.5.5", HTTP_X_FORWARDED_FOR="192.0.2.200")
    assert "_auth_user_id" not in client.session  # the header did not spread the failures over addresses


def test_behind_a_configured_proxy_each_client_is_counted_apart(client, inspector, settings):
    settings.TRUSTED_PROXY_COUNT = 1
    for n in range(settings.AXES_FAILURE_LIMIT):
        sign_in(client, f"nobody{n}", "wrong", "10.0.0.254", HTTP_X_FORWARDED_FOR="spoofed, 198.51.100.7")
    sign_in(client, inspector.username, PASSWORD, "10.0.0.254", HTTP_X_FORWARDED_FOR="198.51.100.8")
    assert "_auth_user_id" in client.session  # the proxy's address locked nobody else out


# 10. An expired temporary account's live session is refused everywhere.


@pytest.fixture
def temporary(inspection, lead):
    exercise = Exercise.objects.create(
        inspection=inspection,
        name="Check",
        kind="external",
        closes_on=timezone.localdate() + datetime.timedelta(days=1),
        created_by=lead,
    )
    participant, _ = temporary_participant_create(
        exercise=exercise,
        first_name="Casey",
        last_name="Jones",
        organisation="CPS Wessex",
        expires_at=timezone.now() + datetime.timedelta(days=1),
        added_by=lead,
    )
    return participant


@pytest.mark.parametrize("path", ["/", "/exercises/", "/accounts/password_change/"])
def test_an_expired_temporary_account_with_a_live_session_is_signed_out(client, temporary, path):
    client.force_login(temporary.user)
    assert client.get(path).status_code == 200
    Participant.objects.filter(pk=temporary.pk).update(expires_at=timezone.now() - datetime.timedelta(seconds=1))
    response = client.get(path)
    assert response.status_code == 302 and response["Location"].startswith(reverse("login"))
    assert "_auth_user_id" not in client.session
    assert not User.objects.get(pk=temporary.user_id).is_active


# 6. A broker that cannot be reached: the job fails with a message, no 500, no zombie.


def test_a_dead_broker_fails_the_job_with_a_message_and_a_retry(
    client, writer, inspection, monkeypatch, django_capture_on_commit_callbacks
):
    def refuse(*args, **kwargs):
        raise OperationalError("Error 111 connecting to 127.0.0.1:6379. Connection refused.")

    monkeypatch.setattr("reports.tasks.run_report_job.delay", refuse)
    client.force_login(writer)
    form = {"inspection": inspection.pk, "format": "csv"}
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(reverse("reports:index"), form)
    assert response.status_code == 302
    job = ReportJob.objects.get()
    assert job.status == ReportJob.Status.FAILED and job.error == BROKER_DOWN
    page = client.get(response["Location"]).content.decode()
    assert "could not be reached" in page and "Try again" in page
    with django_capture_on_commit_callbacks(execute=True):
        client.post(reverse("reports:index"), form)
    assert ReportJob.objects.count() == 2  # the dead job is not handed out again


# 7. Formula-leading cells come out inert in every CSV and XLSX.

FORMULAS = ["=HYPERLINK(\"http://x\")", "+1+1", "-2+3", "@SUM(A1)", "\tx", "\rx"]


def test_safe_cell_escapes_formulas_but_not_numbers():
    for text in FORMULAS:
        assert safe_cell(text) == "'" + text and unsafe_cell(safe_cell(text)) == text
    for number in ["-3", "+4.5", "-0.25", "1e5", "plain", "", "a=b"]:
        assert safe_cell(number) == number
    assert safe_cell(7) == 7


def test_export_results_and_the_report_csv_escape_comments(inspection, inspector):
    case_file = make_case_file(inspection, "52WS0101", assigned_to=inspector)
    record_examination(case_file, inspector, {"LD1": ("fully_meets", "=cmd|' /C calc'!A0")})
    out = io.StringIO()
    write_results_csv(inspection, out)
    assert "'=cmd|' /C calc'!A0" in out.getvalue()
    assert ",=cmd" not in out.getvalue()


def test_the_sample_csv_escapes_a_urn_stored_before_urns_were_checked(inspection):
    make_case_file(inspection, "=1+1")
    out = io.StringIO()
    write_sample_csv(inspection, CaseFile.objects.all(), out)
    assert out.getvalue().splitlines()[1].startswith("'=1+1,")


def test_the_report_workbook_holds_no_formula(inspection, inspector, writer):
    case_file = make_case_file(inspection, "52WS0102", assigned_to=inspector)
    examination = record_examination(case_file, inspector, {"LD1": ("fully_meets", "A comment")})
    answer = examination.answers.get(question__code="LD1")
    CaseExample.objects.create(
        answer=answer, kind="good", flagged_by=inspector, included_in_appendix=True, appendix_text="=1+1"
    )
    buffer = io.BytesIO()
    build_workbook(inspection).save(buffer)
    workbook = load_workbook(io.BytesIO(buffer.getvalue()))
    cells = [c for sheet in workbook.worksheets for row in sheet.iter_rows() for c in row]
    assert not [c.coordinate for c in cells if c.data_type == "f"]
    assert "'=1+1" in [c.value for c in cells]


# 12. Production refuses the committed development key.


def run_settings(**env) -> subprocess.CompletedProcess:
    environment = {k: v for k, v in os.environ.items() if k != "SECRET_KEY"}
    environment.update(env)
    code = "import django; django.setup()"
    return subprocess.run(
        [sys.executable, "-c", code], env=environment, capture_output=True, text=True, cwd=settings.BASE_DIR
    )


def test_production_refuses_to_start_with_the_development_key():
    refused = run_settings(HTTPS="true")
    assert refused.returncode != 0 and "SECRET_KEY is the development key" in refused.stderr
    example = run_settings(HTTPS="true", SECRET_KEY="change-me-to-a-long-random-string-of-at-least-fifty-characters")
    assert example.returncode != 0
    assert run_settings(HTTPS="true", SECRET_KEY="x" * 60).returncode == 0
    assert run_settings(HTTPS="false").returncode == 0  # the local demo


def test_check_deploy_names_the_development_key(settings):
    from django.core.management.base import SystemCheckError

    settings.SECRET_KEY = settings.DEVELOPMENT_SECRET_KEY
    with pytest.raises(SystemCheckError, match="security.E001"):
        call_command("check", "--deploy", "--fail-level", "ERROR")


# 9. Sessions: no caching, idle time-out, absolute limit.


def test_every_signed_in_response_says_no_store(client, inspector, case_file):
    client.force_login(inspector)
    for path in ("/", reverse("casefiles:examine", args=[case_file.inspection.slug, case_file.urn])):
        assert client.get(path)["Cache-Control"] == "no-store"


def test_an_idle_session_is_signed_out_and_an_autosave_told_why(client, inspector, case_file):
    client.force_login(inspector)
    session = client.session
    session[SESSION_LAST_SEEN] = int(time.time()) - settings.SESSION_IDLE_TIMEOUT - 5
    session.save()
    url = reverse("casefiles:autosave", args=[case_file.inspection.slug, case_file.urn, "LD1"])
    response = client.post(url, {"v-LD1": "0", "q-LD1": "fully_meets"})
    assert response.status_code == 401 and "did nothing for 30 minutes" in response.json()["error"]
    assert "_auth_user_id" not in client.session


def test_an_idle_page_view_goes_to_sign_in_with_the_reason(client, inspector):
    client.force_login(inspector)
    session = client.session
    session[SESSION_LAST_SEEN] = int(time.time()) - settings.SESSION_IDLE_TIMEOUT - 5
    session.save()
    response = client.get("/", follow=True)
    assert "did nothing for 30 minutes" in response.content.decode()


def test_stay_signed_in_restarts_the_idle_clock_but_not_the_absolute_one(client, inspector):
    client.force_login(inspector)
    session = client.session
    session[SESSION_LAST_SEEN] = int(time.time()) - settings.SESSION_IDLE_TIMEOUT + 30
    session.save()
    assert client.post(reverse("security:keep_alive")).status_code == 200
    assert client.get(reverse("security:keep_alive")).status_code == 405
    assert client.session[SESSION_LAST_SEEN] >= int(time.time()) - 2
    session = client.session
    session[SESSION_SIGNED_IN] = int(time.time()) - settings.SESSION_COOKIE_AGE - 5
    session.save()
    assert client.get("/").status_code == 302
    assert "_auth_user_id" not in client.session


def test_keep_alive_is_for_signed_in_people_only(client):
    assert client.post(reverse("security:keep_alive")).status_code == 302


# 9. The marking on the error pages.


def test_the_404_403_and_csrf_pages_carry_the_marking(client, inspector):
    client.force_login(inspector)
    assert settings.PROTECTIVE_MARKING in client.get("/no-such-page/").content.decode()
    assert settings.PROTECTIVE_MARKING in client.get(reverse("reports:index")).content.decode()
    strict = client.__class__(enforce_csrf_checks=True)
    strict.force_login(inspector)
    response = strict.post(reverse("logout"))
    assert response.status_code == 403 and settings.PROTECTIVE_MARKING in response.content.decode()
