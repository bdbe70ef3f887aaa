"""Publication copies: the same cells withheld in the PDF, the presentation sheets and the
data sheet; the chosen marking on every page and sheet; who chose it and when, on the job."""

import datetime
import io
import re

import pytest
from django.urls import reverse
from django.utils import timezone
from openpyxl import load_workbook
from pypdf import PdfReader

from casefiles.models import Area
from reports.models import ReportJob
from reports.render import render_report
from tests.conftest import make_case_file
from tests.reports.conftest import record_examination

pytestmark = pytest.mark.django_db

# LD1 by CPS Area: Wessex gave "partially meets" twice, a count below 5.
LD1_BY_AREA = {
    "Wessex": {"fully_meets": 10, "partially_meets": 2, "not_meets": 8},
    "London North": {"fully_meets": 9, "partially_meets": 6, "not_meets": 7},
}
PUBLICATION = {
    "sections": [],
    "questions": ["LD1"],
    "breakdowns": ["area"],
    "headlines": {"questions": ["LD1"], "rows": "area", "columns": "court"},
    "variant": "publication",
    "marking": "OFFICIAL",
    "threshold": 5,
}
WORKING = {key: value for key, value in PUBLICATION.items() if key not in ("variant", "marking", "threshold")}


@pytest.fixture
def ld1_files(inspection, inspector):
    number = 0
    for area, answers in LD1_BY_AREA.items():
        for value, count in answers.items():
            for _ in range(count):
                number += 1
                case_file = make_case_file(
                    inspection,
                    f"P{number}",
                    assigned_to=inspector,
                    area=Area.objects.get(name=area),
                    category="stalking",
                    outcome="charged",
                    court="crown",
                    domestic_abuse=False,
                )
                record_examination(case_file, inspector, {"LD1": value})


def pages_text(content: bytes) -> list[str]:
    return [re.sub(r"\s+", " ", page.extract_text()) for page in PdfReader(io.BytesIO(content)).pages]


def sheet_rows(sheet) -> dict[str, list]:
    return {row[0]: list(row) for row in sheet.iter_rows(values_only=True) if row and row[0] in LD1_BY_AREA}


def data_sheet(workbook) -> dict[tuple, list]:
    rows = list(workbook["data"].iter_rows(values_only=True))
    return {tuple(row[:4]): list(row) for row in rows[1:]}


def test_a_small_cell_and_its_complements_are_withheld_alike_in_pdf_and_xlsx(inspection, ld1_files):
    workbook = load_workbook(io.BytesIO(render_report(inspection, "xlsx", PUBLICATION)))
    # Group, n, then number and % for fully, partially, not meets, then the note.
    ld = sheet_rows(workbook["LD Legal decisions"])
    assert ld["Wessex"][:8] == ["Wessex", 20, 10, 50.0, "[c]", "[c]", "[c]", "[c]"]
    assert ld["London North"][:8] == ["London North", 22, 9, 40.9, "[c]", "[c]", "[c]", "[c]"]
    data = data_sheet(workbook)
    assert data[("LD1", "area", "Wessex", "partially_meets")][4:] == ["[c]"] * 7
    assert data[("LD1", "area", "London North", "not_meets")][4:6] == ["[c]", "[c]"]
    assert data[("LD1", "area", "Wessex", "fully_meets")][4:6] == [10, 50.0]
    assert data[("LD1", "all", "all", "partially_meets")][4:6] == [8, 19.0]  # the national figures stay

    text = " ".join(pages_text(render_report(inspection, "pdf", PUBLICATION)))
    assert "Wessex 20 50.0 [c] [c]" in text
    assert "London North 22 40.9 [c] [c]" in text
    assert "All files 42 45.2 19.0 35.7" in text
    assert "[c]: figure withheld to protect confidentiality" in text
    # The chart's bars would give the withheld figures away: only the all-files bar is drawn.
    assert "All files (n=42)" in text and "Wessex (n=20)" not in text


def test_the_working_copy_shows_every_count_and_its_data_sheet_is_unchanged(inspection, ld1_files):
    working = load_workbook(io.BytesIO(render_report(inspection, "xlsx", WORKING)))
    published = load_workbook(io.BytesIO(render_report(inspection, "xlsx", PUBLICATION)))
    assert sheet_rows(working["LD Legal decisions"])["Wessex"][:8] == ["Wessex", 20, 10, 50.0, 2, 10.0, 8, 40.0]
    working_data, published_data = data_sheet(working), data_sheet(published)
    assert working_data.keys() == published_data.keys()
    assert "[c]" not in {value for row in working_data.values() for value in row}
    withheld = {key for key, row in published_data.items() if row != working_data[key]}
    assert ("LD1", "area", "Wessex", "partially_meets") in withheld
    assert all(published_data[key][4:] == ["[c]"] * 7 for key in withheld)


def test_the_chosen_marking_is_on_every_pdf_page_and_every_sheet(inspection, ld1_files):
    for page in pages_text(render_report(inspection, "pdf", PUBLICATION)):
        assert page.count("OFFICIAL") >= 2 and "OFFICIAL-SENSITIVE" not in page
    workbook = load_workbook(io.BytesIO(render_report(inspection, "xlsx", PUBLICATION)))
    for sheet in workbook.worksheets:
        assert sheet.oddHeader.center.text == "OFFICIAL", sheet.title
        assert sheet.oddFooter.center.text == "OFFICIAL", sheet.title
    for sheet in workbook.worksheets[:-1]:  # the data sheet keeps SPEC's header in row 1
        assert sheet["A1"].value == "OFFICIAL", sheet.title


def test_a_copy_approved_for_publication_can_carry_no_marking(inspection, ld1_files):
    workbook = load_workbook(io.BytesIO(render_report(inspection, "xlsx", {**PUBLICATION, "marking": ""})))
    for sheet in workbook.worksheets:
        assert not sheet.oddHeader.center.text and not sheet.oddFooter.center.text, sheet.title
    assert "OFFICIAL" not in {c.value for sheet in workbook.worksheets for row in sheet.iter_rows() for c in row}


FORM = {
    "format": "pdf",
    "questions": "LD1",
    "breakdowns": ["area"],
    "headlines": "LD1",
    "headline_rows": "area",
    "headline_columns": "court",
}


def test_it_records_the_publication_marking_with_who_chose_it_and_when(client, writer, inspection):
    client.force_login(writer)
    form = {**FORM, "variant": "publication", "marking": "OFFICIAL", "threshold": "10"}
    response = client.post(reverse("reports:index"), {"inspection": inspection.pk, **form})
    job = ReportJob.objects.get()
    assert response.status_code == 302
    assert (job.variant, job.marking, job.marking_chosen_by) == ("publication", "OFFICIAL", writer)
    assert timezone.now() - job.marking_chosen_at < datetime.timedelta(minutes=1)
    assert job.parameters["threshold"] == 10 and job.parameters["marking"] == "OFFICIAL"
    page = client.get(job.get_absolute_url()).content.decode()
    assert "Publication: counts below 10 withheld" in page
    assert f"OFFICIAL, chosen by {writer.get_full_name() or writer.username} on" in page


def test_a_working_copy_is_marked_by_the_deployment_and_records_no_choice(client, writer, inspection):
    client.force_login(writer)
    client.post(reverse("reports:index"), {"inspection": inspection.pk, **FORM, "variant": "working"})
    job = ReportJob.objects.get()
    assert (job.variant, job.marking, job.marking_chosen_by, job.marking_chosen_at) == (
        "working",
        "OFFICIAL-SENSITIVE",
        None,
        None,
    )
    assert "variant" not in job.parameters  # a working copy's repeat key is as it always was


@pytest.mark.parametrize(
    "changes, field, message",
    [
        ({"threshold": "3"}, "threshold", "at least 5"),
        ({"marking": "SECRET"}, "marking", "Select a valid choice"),
        ({"format": "csv"}, "variant", "raw data is never published"),
    ],
)
def test_a_publication_request_that_would_disclose_too_much_is_refused(
    client, writer, inspection, changes, field, message
):
    client.force_login(writer)
    form = {**FORM, "variant": "publication", "marking": "OFFICIAL", "threshold": "5", **changes}
    response = client.post(reverse("reports:index"), {"inspection": inspection.pk, **form})
    assert response.status_code == 400 and message in response.content.decode()
    assert not ReportJob.objects.exists()


def test_only_report_writers_may_ask_for_a_publication_copy(client, inspector, outsider, inspection):
    form = {**FORM, "variant": "publication", "marking": "OFFICIAL", "threshold": "5"}
    for user in (inspector, outsider):
        client.force_login(user)
        assert client.post(reverse("reports:index"), {"inspection": inspection.pk, **form}).status_code == 403
    assert not ReportJob.objects.exists()


def test_the_html_annex_has_the_same_tables_captioned_with_header_cells(inspection, ld1_files):
    html = render_report(inspection, "html", PUBLICATION).decode()
    assert html.startswith("<!DOCTYPE html>") and '<html lang="en-GB"' in html
    assert html.count('<p class="app-marking">OFFICIAL</p>') == 2
    assert "Table A1. LD1: percentage of files answering, all files and by group</caption>" in html
    assert "Table H1. Percentage answering" in html
    cells = re.findall(r"<t([hd])[^>]*>([^<]*)</t[hd]>", html.split('id="q-LD1"')[1])
    wessex = cells.index(("h", "Wessex"))
    assert cells[wessex : wessex + 5] == [("h", "Wessex"), ("d", "20"), ("d", "50.0"), ("d", "[c]"), ("d", "[c]")]
    assert '<th scope="row" class="govuk-table__header">London North</th>' in html
    assert '<th scope="col" class="govuk-table__header govuk-table__header--numeric">n</th>' in html
    # The national estimates name each answer in a row header cell.
    national = html.split('class="national"')[1].split("</table>")[0]
    labels = re.findall(r'<th scope="row">([^<]+)</th>', national)
    assert len(labels) == 3 and "<td>" + labels[0] not in national


def test_the_html_annex_is_built_as_a_job_and_downloaded_from_its_page(client, writer, inspection, ld1_files):
    from reports.services import report_job_request, report_job_run

    job = report_job_request(inspection=inspection, user=writer, format="html", parameters=WORKING)
    report_job_run(job_id=job.pk)
    client.force_login(writer)
    page = client.get(job.get_absolute_url()).content.decode()
    assert "Download Tables as a web page (HTML, for GOV.UK)" in page
    response = client.get(reverse("reports:download", args=[job.pk]))
    assert response["Content-Disposition"].endswith(
        f'filename="OFFICIAL-SENSITIVE_{inspection.slug}-report-{job.pk}.html"'
    )
    html = b"".join(response.streaming_content).decode()
    assert '<th scope="row" class="govuk-table__header">Wessex</th>' in html and "[c]" not in html
    assert '<p class="app-marking">OFFICIAL-SENSITIVE</p>' in html


def test_the_request_form_offers_a_working_or_a_publication_copy(client, writer, inspection):
    client.force_login(writer)
    page = client.get(reverse("reports:index")).content.decode()
    assert "Working or publication copy" in page
    assert "Working copy: every group, marked OFFICIAL-SENSITIVE" in page
    for marking in ("OFFICIAL", "OFFICIAL-SENSITIVE", "No marking: approved for publication"):
        assert f">{marking}</option>" in page
    assert 'name="threshold" value="5"' in page


def test_a_publication_copy_downloads_under_the_marking_chosen(client, writer, inspection, ld1_files):
    from reports.services import report_job_request, report_job_run

    client.force_login(writer)
    for marking, prefix in (("OFFICIAL", "OFFICIAL_"), ("", "")):
        job = report_job_request(
            inspection=inspection, user=writer, format="html", parameters={**PUBLICATION, "marking": marking}
        )
        report_job_run(job_id=job.pk)
        response = client.get(reverse("reports:download", args=[job.pk]))
        assert (
            response["Content-Disposition"] == f'attachment; filename="{prefix}{inspection.slug}-report-{job.pk}.html"'
        )
        assert response["X-Protective-Marking"] == marking
        html = b"".join(response.streaming_content).decode()
        assert "<style>" in html and ".govuk-table" in html


def test_build_report_writes_a_publication_copy_with_the_chosen_marking(inspection, ld1_files, tmp_path):
    from django.core.management import call_command

    out = tmp_path / "annex.xlsx"
    call_command(
        "build_report", inspection=inspection.slug, output=str(out), questions="LD1", breakdowns="area",
        publication=True, marking="OFFICIAL",
    )
    workbook = load_workbook(out)
    ld = sheet_rows(workbook["LD Legal decisions"])
    assert ld["Wessex"][4:8] == ["[c]", "[c]", "[c]", "[c]"]
    assert workbook["LD Legal decisions"]["A1"].value == "OFFICIAL"


def test_build_report_refuses_a_publication_copy_of_raw_data(inspection, tmp_path):
    from django.core.management import call_command
    from django.core.management.base import CommandError

    with pytest.raises(CommandError, match="raw data is never published"):
        call_command("build_report", inspection=inspection.slug, output=str(tmp_path / "x.csv"), publication=True,
                     marking="OFFICIAL")
    with pytest.raises(CommandError, match="add --publication"):
        call_command("build_report", inspection=inspection.slug, output=str(tmp_path / "x.pdf"), marking="OFFICIAL")
    with pytest.raises(CommandError, match="There is no marking SECRET"):
        call_command("build_report", inspection=inspection.slug, output=str(tmp_path / "x.pdf"), publication=True,
                     marking="SECRET")
    assert not list(tmp_path.iterdir())
