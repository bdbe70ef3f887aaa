"""The lead's sampling pages: only the lead gets in; writes are POST-only, CSRF-checked,
validated, and redirect with a notification; refusals re-show the page and store nothing."""

import csv
import io

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import Client
from django.urls import reverse

from casefiles.models import CaseFile, Examination, Inspection
from sampling.models import Draw, Frame, SampleEvent

from .frames import csv_bytes, import_rows, keep_only, xlsx_bytes

SLUG = "test-inspection"
PAGES = [
    ("sampling:overview", {}),
    ("sampling:frame", {}),
    ("sampling:draw", {}),
    ("sampling:sample", {}),
    ("sampling:sample_csv", {}),
    ("sampling:replacements", {}),
    ("sampling:dip", {}),
]
WRITES = [
    "sampling:frame_upload",
    "sampling:draw_submit",
    "sampling:replace",
    "sampling:dip_draw",
    "sampling:dip_add",
    "sampling:dip_remove",
]


def url(name: str, **kwargs) -> str:
    return reverse(name, kwargs={"slug": SLUG, **kwargs})


def page_of(response) -> str:
    return response.content.decode()


def upload(client, content: bytes, name: str = "frame.csv"):
    return client.post(url("sampling:frame_upload"), {"file": SimpleUploadedFile(name, content)})


@pytest.fixture
def as_lead(client, lead):
    client.force_login(lead)
    return client


@pytest.mark.parametrize(("name", "kwargs"), PAGES)
def test_the_lead_sees_every_sampling_page(as_lead, drawn_inspection, name, kwargs):
    assert as_lead.get(url(name, **kwargs)).status_code == 200


@pytest.mark.parametrize("persona", ["inspector", "writer", "outsider", "qa_lead"])
@pytest.mark.parametrize(("name", "kwargs"), [*PAGES, ("sampling:frame_preview", {"frame_id": 1})])
def test_nobody_else_sees_a_sampling_page(client, request, drawn_inspection, persona, name, kwargs):
    client.force_login(request.getfixturevalue(persona))
    assert client.get(url(name, **kwargs)).status_code == 403


@pytest.mark.parametrize("persona", ["inspector", "writer", "outsider", "qa_lead"])
@pytest.mark.parametrize("name", WRITES)
def test_nobody_else_can_write(client, request, framed_inspection, persona, name):
    client.force_login(request.getfixturevalue(persona))
    response = client.post(url(name), {"seed": "1", "percent": "15", "urn": "x", "reason": "x"})
    assert response.status_code == 403
    assert not Draw.objects.exists() and not SampleEvent.objects.exists()


@pytest.mark.parametrize("name", WRITES)
def test_writes_refuse_get(as_lead, framed_inspection, name):
    assert as_lead.get(url(name)).status_code == 405


def test_writes_need_the_csrf_token(lead, framed_inspection):
    client = Client(enforce_csrf_checks=True)
    client.force_login(lead)
    assert client.post(url("sampling:draw_submit"), {"seed": "1"}).status_code == 403
    assert not Draw.objects.exists()


def test_anonymous_visitors_are_sent_to_sign_in(client, inspection):
    response = client.get(url("sampling:overview"))
    assert response.status_code == 302 and "/login/" in response["Location"]


def test_the_overview_shows_where_the_sampling_stands(as_lead, drawn_inspection):
    page = page_of(as_lead.get(url("sampling:overview")))
    assert "frame.csv" in page and "Seed 42, drawn by lead" in page
    assert "350 of 350 planned" in page
    assert "0 of the 53 files needed" in page


def test_uploading_a_good_csv_stores_it_and_shows_the_preview(as_lead, inspection, lead, frame_rows):
    response = upload(as_lead, csv_bytes(frame_rows))
    frame = Frame.objects.get()
    assert response.status_code == 302
    assert response["Location"] == url("sampling:frame_preview", frame_id=frame.pk)
    assert frame.imported_by == lead and frame.row_count == len(frame_rows)
    page = page_of(as_lead.get(response["Location"]))
    assert f"Imported {len(frame_rows):,} rows from frame.csv." in page
    assert '16 <span class="app-muted">(Domestic abuse' in page  # 16 candidates in each Crown Court stalking cell
    assert "short" not in page.split("<tbody")[1]
    assert "Continue to the draw" in page


def test_uploading_a_good_xlsx_stores_it(as_lead, inspection, frame_rows):
    response = upload(as_lead, xlsx_bytes(frame_rows), name="Frame.xlsx")
    assert response.status_code == 302
    assert Frame.objects.get().row_count == len(frame_rows)


def test_the_preview_marks_short_strata(as_lead, inspection, frame_rows):
    response = upload(as_lead, csv_bytes(keep_only(frame_rows, 2, "Wessex", "stalking", "charged", "crown")))
    page = page_of(as_lead.get(response["Location"]))
    assert "1 Area and stratum cell has fewer candidates" in page
    assert page.count('govuk-tag--red">short</strong>') == 1


def test_a_bad_frame_is_refused_listing_every_bad_row_and_nothing_is_stored(as_lead, inspection, frame_rows):
    frame_rows[3]["area"] = "Atlantis"
    frame_rows[7]["vrr"] = "perhaps"
    response = upload(as_lead, csv_bytes(frame_rows))
    page = page_of(response)
    assert response.status_code == 400
    assert "The frame was not imported: 2 errors on 2 rows" in page
    assert "Line 5, area: &#x27;Atlantis&#x27; is not one of the 14 CPS Areas" in page
    assert "Line 9, vrr: &#x27;perhaps&#x27; is not yes or no" in page
    assert "govuk-form-group--error" in page
    assert not Frame.objects.exists()


def test_a_frame_with_many_bad_rows_lists_the_first_hundred(as_lead, inspection, frame_rows):
    for row in frame_rows[:130]:
        row["decision_date"] = "someday"
    page = page_of(upload(as_lead, csv_bytes(frame_rows)))
    listed = page.split('id="frame-errors"')[1].split("</ul>")[0]
    assert listed.count("<li>") == 100
    assert "and 30 more errors not listed here." in page
    assert not Frame.objects.exists()


@pytest.mark.parametrize(
    ("files", "message"),
    [
        ({}, "Choose the frame file to upload"),
        ({"file": SimpleUploadedFile("frame.txt", b"urn\n1\n")}, "must be a CSV (.csv) or Excel (.xlsx) file"),
    ],
)
def test_the_upload_form_validates_the_file(as_lead, inspection, files, message):
    response = as_lead.post(url("sampling:frame_upload"), files)
    assert response.status_code == 400 and message in page_of(response)
    assert "There is a problem" in page_of(response)
    assert not Frame.objects.exists()


def test_no_frame_can_be_uploaded_after_the_draw(as_lead, drawn_inspection, frame_rows):
    assert "no new frame can be imported" in page_of(as_lead.get(url("sampling:frame")))
    response = upload(as_lead, csv_bytes(frame_rows))
    assert response.status_code == 400 and "already been drawn" in page_of(response)
    assert Frame.objects.count() == 1


def test_the_draw_form_suggests_a_seed_and_draws(as_lead, framed_inspection, lead):
    page = page_of(as_lead.get(url("sampling:draw")))
    assert 'name="seed"' in page and 'value="' in page.split('name="seed"')[1].split(">")[0]
    assert "Take what there is" in page
    response = as_lead.post(url("sampling:draw_submit"), {"seed": "2026"})
    assert response.status_code == 302 and response["Location"] == url("sampling:draw")
    record = Draw.objects.get()
    assert (record.seed, record.drawn_by) == (2026, lead)
    page = page_of(as_lead.get(url("sampling:draw")))
    assert "Drew 350 files and their reserves with seed 2026." in page
    assert '<dd class="govuk-summary-list__value" id="seed">2026</dd>' in page
    assert '<td class="govuk-table__cell govuk-table__cell--numeric" id="total-drawn">350</td>' in page
    assert page.count('scope="rowgroup"') == 14


def test_the_draw_names_short_strata_and_draws_nothing_until_the_lead_takes_what_there_is(
    as_lead, inspection, frame_rows
):
    upload(as_lead, csv_bytes(keep_only(frame_rows, 4, "Wessex", "stalking", "charged", "crown")))
    response = as_lead.post(url("sampling:draw_submit"), {"seed": "5"})
    page = page_of(response)
    assert response.status_code == 400
    assert "Nothing was drawn: 1 stratum cell has too few candidates" in page
    assert "CPS Wessex, Stalking charged, Crown Court: 4 candidates for 6 places" in page
    assert not Draw.objects.exists() and not CaseFile.objects.exists()
    response = as_lead.post(url("sampling:draw_submit"), {"seed": "5", "take_what_there_is": "on"})
    assert response.status_code == 302
    assert Draw.objects.get().took_what_there_is
    page = page_of(as_lead.get(url("sampling:draw")))
    assert "Taken whole" in page and "CPS Wessex, Stalking charged, Crown Court: 4 of 6" in page


@pytest.mark.parametrize(("seed", "message"), [("", "Enter a seed"), ("abc", "The seed must be a whole number")])
def test_the_draw_form_validates_the_seed(as_lead, framed_inspection, seed, message):
    response = as_lead.post(url("sampling:draw_submit"), {"seed": seed})
    assert response.status_code == 400 and message in page_of(response)
    assert not Draw.objects.exists()


def test_drawing_twice_is_refused_with_a_message(as_lead, drawn_inspection):
    response = as_lead.post(url("sampling:draw_submit"), {"seed": "1"}, follow=True)
    assert "The sample has already been drawn" in page_of(response)
    assert Draw.objects.get().seed == 42


def test_the_sample_list_filters(as_lead, drawn_inspection):
    def caption(query: str) -> str:
        page = page_of(as_lead.get(url("sampling:sample") + query))
        return page.split('govuk-table__caption--m">')[1].split("</caption>")[0]

    assert caption("") == "350 files"
    assert caption("?area=wessex") == "25 files"
    assert caption("?area=wessex&stratum=stalking_crown") == "6 files"
    assert caption("?area=wessex&role=reserve") == "21 files"
    assert caption("?role=all") == "644 files"
    assert caption("?dip=yes") == "0 files"
    assert caption("?inspector=none") == "350 files"
    da = (
        CaseFile.objects.filter(inspection=drawn_inspection)
        .in_sample()
        .filter(attributes__domestic_abuse="yes")
        .count()
    )
    assert caption("?da=yes") == f"{da} files"


def test_the_sample_csv_has_export_samples_columns_and_follows_the_filters(as_lead, drawn_inspection):
    response = as_lead.get(url("sampling:sample_csv"))
    assert response["Content-Type"].startswith("text/csv")
    text = response.content.decode()
    assert text.splitlines()[0] == "urn,area,category,outcome,court,domestic_abuse,vrr,stratum,role,dip,inspector"
    rows = list(csv.reader(io.StringIO(text)))
    assert len(rows) == 1 + 644
    filtered = list(
        csv.DictReader(io.StringIO(as_lead.get(url("sampling:sample_csv") + "?area=wessex").content.decode()))
    )
    assert len(filtered) == 25 and {r["area"] for r in filtered} == {"Wessex"}


def test_the_lead_replaces_an_unavailable_file(as_lead, drawn_inspection, lead):
    gone = CaseFile.objects.filter(inspection=drawn_inspection, area__name="Wessex").in_sample().first()
    reserve = CaseFile.objects.get(area=gone.area, stratum=gone.stratum, role="reserve", reserve_rank=1)
    sample_page = page_of(as_lead.get(url("sampling:sample") + "?area=wessex"))
    assert f"?urn={gone.urn}#replace" in sample_page
    response = as_lead.post(url("sampling:replace"), {"urn": gone.urn, "reason": "Papers destroyed"})
    assert response.status_code == 302
    page = page_of(as_lead.get(url("sampling:replacements")))
    assert f"{gone.urn} is unavailable; reserve {reserve.urn} takes its place." in page
    assert "Papers destroyed" in page and f"{reserve.urn} (reserve 1)" in page
    reserve.refresh_from_db()
    assert reserve.role == "sample" and SampleEvent.objects.get().by == lead


@pytest.mark.parametrize(
    ("posted", "message"),
    [
        ({"urn": "URN-1", "reason": ""}, "Give the reason the file is unavailable"),
        ({"urn": "", "reason": "Lost"}, "Enter the URN of the file that is unavailable"),
        ({"urn": "NOPE", "reason": "Lost"}, "There is no file NOPE in this inspection"),
    ],
)
def test_the_replace_form_refuses_bad_input(as_lead, drawn_inspection, posted, message):
    urn = CaseFile.objects.filter(inspection=drawn_inspection).in_sample().first().urn
    posted = {k: (urn if v == "URN-1" else v) for k, v in posted.items()}
    response = as_lead.post(url("sampling:replace"), posted)
    assert response.status_code == 400 and message in page_of(response)
    assert not SampleEvent.objects.exists()


def test_replacing_a_reserve_is_refused_on_the_page(as_lead, drawn_inspection):
    reserve = CaseFile.objects.filter(inspection=drawn_inspection, role="reserve").first()
    response = as_lead.post(url("sampling:replace"), {"urn": reserve.urn, "reason": "Lost"})
    assert response.status_code == 400 and f"{reserve.urn} is not a file in the sample" in page_of(response)


def test_the_dip_page_draws_and_tops_up_to_the_target(as_lead, drawn_inspection):
    page = page_of(as_lead.get(url("sampling:dip")))
    assert 'id="dip-target">53<' in page and "53 more files needed" in page
    assert 'name="percent" value="15"' in page
    response = as_lead.post(url("sampling:dip_draw"), {"percent": "15", "seed": "8"}, follow=True)
    page = page_of(response)
    assert "Added 53 file(s) to the dip sample." in page
    assert 'id="dip-current">53<' in page and "53 files" in page
    response = as_lead.post(url("sampling:dip_draw"), {"percent": "15", "seed": "9"}, follow=True)
    assert "The dip sample already meets its target." in page_of(response)
    assert CaseFile.objects.filter(in_dip=True).count() == 53


@pytest.mark.parametrize(
    ("percent", "message"), [("0", "The percentage must be above 0"), ("", "Enter the percentage")]
)
def test_the_dip_draw_form_validates_the_percentage(as_lead, drawn_inspection, percent, message):
    response = as_lead.post(url("sampling:dip_draw"), {"percent": percent, "seed": "1"})
    assert response.status_code == 400 and message in page_of(response)
    assert not CaseFile.objects.filter(in_dip=True).exists()


def test_the_lead_adds_and_removes_a_dip_file_by_hand(as_lead, drawn_inspection):
    case_file = CaseFile.objects.filter(inspection=drawn_inspection).in_sample().first()
    response = as_lead.post(url("sampling:dip_add"), {"urn": case_file.urn, "reason": "Novel charge"}, follow=True)
    assert f"{case_file.urn} is now in the dip sample." in page_of(response)
    response = as_lead.post(url("sampling:dip_remove"), {"case_file": case_file.urn, "reason": ""})
    assert response.status_code == 400 and "Give the reason for taking the file out" in page_of(response)
    response = as_lead.post(url("sampling:dip_remove"), {"case_file": case_file.urn, "reason": "Conflict"}, follow=True)
    page = page_of(response)
    assert f"{case_file.urn} has been taken out of the dip sample." in page
    assert "Removed from the dip sample" in page and "Conflict" in page
    case_file.refresh_from_db()
    assert not case_file.in_dip


def test_a_file_under_qa_cannot_be_chosen_for_removal(as_lead, drawn_inspection, qa_lead, mini_question_set):
    case_file = CaseFile.objects.filter(inspection=drawn_inspection).in_sample().first()
    as_lead.post(url("sampling:dip_add"), {"urn": case_file.urn})
    Examination.objects.create(case_file=case_file, kind="dip", examiner=qa_lead, question_set=mini_question_set)
    page = page_of(as_lead.get(url("sampling:dip")))
    assert "Started" in page and "quality assurance has started on every file" in page
    response = as_lead.post(url("sampling:dip_remove"), {"case_file": case_file.urn, "reason": "Changed my mind"})
    assert response.status_code == 400 and "Choose a file from the list" in page_of(response)
    case_file.refresh_from_db()
    assert case_file.in_dip


def test_adding_a_reserve_or_a_file_already_in_is_refused(as_lead, drawn_inspection):
    reserve = CaseFile.objects.filter(inspection=drawn_inspection, role="reserve").first()
    response = as_lead.post(url("sampling:dip_add"), {"urn": reserve.urn})
    assert response.status_code == 400 and "is not a file in the sample" in page_of(response)
    sampled = CaseFile.objects.filter(inspection=drawn_inspection).in_sample().first()
    as_lead.post(url("sampling:dip_add"), {"urn": sampled.urn})
    response = as_lead.post(url("sampling:dip_add"), {"urn": sampled.urn})
    assert response.status_code == 400 and "already in the dip sample" in page_of(response)
    assert SampleEvent.objects.count() == 1


def test_a_frame_of_another_inspection_is_not_found(as_lead, framed_inspection, frame_rows):
    other = Inspection.objects.create(slug="other", name="Other", plan=framed_inspection.plan)
    foreign = import_rows(other, frame_rows[:50])
    assert as_lead.get(url("sampling:frame_preview", frame_id=foreign.pk)).status_code == 404
    own = framed_inspection.frames.first()
    assert as_lead.get(url("sampling:frame_preview", frame_id=own.pk)).status_code == 200


def test_the_frame_page_lists_the_plans_attributes_with_their_labels_and_rules(as_lead, inspection):
    page = page_of(as_lead.get(url("sampling:frame")))
    assert "Court: magistrates or crown; required when outcome is charged; empty when outcome is nfa" in page
    assert "Re-opened after VRR: yes or no" in page
    assert "Decision date: a date written YYYY-MM-DD" in page


def test_the_sample_list_shows_the_plans_yes_no_attributes_by_label(as_lead, drawn_inspection):
    page = page_of(as_lead.get(url("sampling:sample")))
    assert '<th scope="col" class="govuk-table__header">Domestic abuse</th>' in page
    assert '<th scope="col" class="govuk-table__header">Re-opened after VRR</th>' in page
