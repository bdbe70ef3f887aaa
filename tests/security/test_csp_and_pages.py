"""Content-Security-Policy with no inline script, the time-out warning on signed-in pages,
and the marking on account pages."""

import re
from pathlib import Path

from django.conf import settings
from django.urls import reverse

TEMPLATES = Path(settings.BASE_DIR) / "templates"


def test_every_response_has_a_policy_without_inline_script(client, inspector):
    client.force_login(inspector)
    policy = client.get("/")["Content-Security-Policy"]
    assert "script-src 'self'" in policy and "unsafe-inline" not in policy
    assert "frame-ancestors 'none'" in policy and "object-src 'none'" in policy
    assert "script-src 'self'" in client.get(reverse("login"))["Content-Security-Policy"]


def test_no_template_holds_inline_script_style_or_handlers():
    offenders = []
    for path in TEMPLATES.rglob("*.html"):
        text = path.read_text()
        if re.search(r"<script(?![^>]*\bsrc=)[^>]*>", text) or re.search(r"\son[a-z]+=", text):
            offenders.append(str(path))
        if re.search(r"<style\b|\sstyle=\"", text) and not path.name.endswith("_pdf.html"):
            offenders.append(str(path))
    assert offenders == []


def test_signed_in_pages_carry_the_time_out_warning(client, inspector, settings):
    settings.SESSION_IDLE_TIMEOUT = 20 * 60
    client.force_login(inspector)
    page = client.get("/").content.decode()
    assert 'id="timeout-warning"' in page and 'data-idle-seconds="1200"' in page
    assert "Stay signed in" in page and "js/timeout-warning.js" in page
    client.logout()
    assert "timeout-warning" not in client.get(reverse("login")).content.decode()


def test_the_sign_in_and_password_pages_carry_the_marking(client, inspector):
    assert settings.PROTECTIVE_MARKING in client.get(reverse("login")).content.decode()
    client.force_login(inspector)
    assert settings.PROTECTIVE_MARKING in client.get(reverse("password_change")).content.decode()


def test_admin_pages_carry_the_marking_top_and_bottom(admin_client):
    for path in ("/admin/", "/admin/auth/user/", "/admin/auth/user/add/", "/admin/password_change/"):
        page = admin_client.get(path).content.decode()
        assert page.count(settings.PROTECTIVE_MARKING) >= 3, path  # title, banner, footer


def test_downloads_carry_the_marking_in_their_name_and_a_header(client, lead, inspection):
    from tests.conftest import make_case_file

    make_case_file(inspection, "52WS0001")
    client.force_login(lead)
    response = client.get(reverse("sampling:sample_csv", args=[inspection.slug]))
    assert response["Content-Disposition"] == 'attachment; filename="OFFICIAL-SENSITIVE_test-inspection-sample.csv"'
    assert response["X-Protective-Marking"] == "OFFICIAL-SENSITIVE"
    assert response.content.decode().startswith("urn,area,")  # SPEC's header stays the first line


def test_the_report_workbooks_data_sheet_is_marked_when_printed_and_stays_tidy(inspection):
    import io

    from openpyxl import load_workbook

    from reports.exports import build_workbook

    buffer = io.BytesIO()
    build_workbook(inspection).save(buffer)
    workbook = load_workbook(io.BytesIO(buffer.getvalue()))
    for sheet in workbook.worksheets:
        assert sheet.oddHeader.center.text == "OFFICIAL-SENSITIVE", sheet.title
        if sheet.title != "data":
            assert sheet["A1"].value == "OFFICIAL-SENSITIVE"
    header = [c.value for c in workbook["data"][1]][:6]
    assert header == ["question", "breakdown", "group", "answer", "count", "percent"]
    assert workbook.properties.category == "OFFICIAL-SENSITIVE"
