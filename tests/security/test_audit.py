"""The audit of reads and exports: who opened which file's examination, who downloaded
what; an administrator's read-only list, filterable, exportable as CSV."""

from django.urls import reverse

from reports.models import ReportJob
from security.models import AuditEvent
from tests.conftest import make_case_file


def test_opening_a_files_examination_is_recorded_with_who_and_where(client, inspector, case_file):
    client.force_login(inspector)
    url = reverse("casefiles:examine", args=[case_file.inspection.slug, case_file.urn])
    client.get(url, REMOTE_ADDR="10.1.2.3")
    event = AuditEvent.objects.get()
    assert (event.user, event.username, event.action) == (inspector, "inspector1", "viewed")
    assert (event.inspection, event.target) == ("test-inspection", "52WS0001 (primary examination)")
    assert (event.path, event.ip_address) == (url, "10.1.2.3")


def test_a_refused_page_and_a_save_are_not_reads(client, colleague, inspector, case_file):
    client.force_login(colleague)
    assert client.get(reverse("casefiles:examine", args=[case_file.inspection.slug, case_file.urn])).status_code == 403
    client.force_login(inspector)
    client.post(reverse("casefiles:examine", args=[case_file.inspection.slug, case_file.urn]), {})
    assert not AuditEvent.objects.exists()


def test_downloads_of_the_sample_and_a_report_are_recorded(client, lead, writer, inspection, settings, tmp_path):
    make_case_file(inspection, "52WS0002")
    client.force_login(lead)
    client.get(reverse("sampling:sample_csv", args=[inspection.slug]))
    settings.MEDIA_ROOT = tmp_path
    (tmp_path / "reports").mkdir()
    (tmp_path / "reports" / "r.csv").write_text("urn\n")
    job = ReportJob.objects.create(
        inspection=inspection, format="csv", parameters={}, parameters_key="k", requested_by=writer,
        status=ReportJob.Status.DONE, file="reports/r.csv",
    )
    client.force_login(writer)
    assert client.get(reverse("reports:download", args=[job.pk])).status_code == 200
    assert list(AuditEvent.objects.order_by("pk").values_list("username", "action", "inspection", "target")) == [
        ("lead", "exported", "test-inspection", "sample CSV"),
        ("writer", "report", "test-inspection", f"report job {job.pk}"),
    ]


def test_the_admin_lists_filters_and_exports_the_audit_read_only(admin_client, inspector, case_file, client):
    client.force_login(inspector)
    client.get(reverse("casefiles:examine", args=[case_file.inspection.slug, case_file.urn]))
    event = AuditEvent.objects.get()
    listing = admin_client.get("/admin/security/auditevent/?action__exact=viewed").content.decode()
    assert "52WS0001 (primary examination)" in listing
    assert "52WS0001" not in admin_client.get("/admin/security/auditevent/?action__exact=report").content.decode()
    assert admin_client.get("/admin/security/auditevent/add/").status_code == 403
    assert admin_client.post(f"/admin/security/auditevent/{event.pk}/delete/").status_code == 403
    export = admin_client.post(
        "/admin/security/auditevent/", {"action": "export_csv", "_selected_action": [event.pk]}
    )
    lines = export.content.decode().splitlines()
    assert lines[0] == "at,username,action,inspection,target,path,ip_address"
    assert "inspector1,viewed,test-inspection,52WS0001 (primary examination)" in lines[1]


def test_people_who_are_not_administrators_cannot_read_the_audit(client, lead):
    client.force_login(lead)
    assert client.get("/admin/security/auditevent/").status_code == 302
