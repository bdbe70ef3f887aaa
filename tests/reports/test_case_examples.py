"""Case examples: an inspector flags a comment, a writer chooses it for the appendix."""

import io
import re
from types import SimpleNamespace

import pytest
from django.template import Context, Template
from django.urls import reverse
from openpyxl import load_workbook
from pypdf import PdfReader

from casefiles.models import Answer, CaseExample, Examination
from reports.render import render_report
from tests.conftest import make_case_file

from .conftest import record_examination

pytestmark = pytest.mark.django_db


def answer_of(case_file, code: str, kind: str = Examination.Kind.PRIMARY) -> Answer:
    return Answer.objects.get(examination__case_file=case_file, examination__kind=kind, question__code=code)


def flag_url(answer: Answer) -> str:
    return reverse("casefiles:flag_answer", args=[answer.pk])


def test_an_inspector_flags_their_comment_and_goes_back_to_the_examination(client, inspector, hand_counted):
    answer = answer_of(hand_counted["F6"], "LD1")
    client.force_login(inspector)
    page = client.get(flag_url(answer)).content.decode()
    assert "Breach charged as a single incident." in page and "Example of a failing" in page
    response = client.post(flag_url(answer), {"kind": "failing"})
    assert response["Location"] == hand_counted["F6"].get_absolute_url() + "#q-LD1"
    example = CaseExample.objects.get()
    assert (example.answer, example.kind, example.flagged_by, example.included_in_appendix) == (
        answer,
        "failing",
        inspector,
        False,
    )
    client.post(flag_url(answer), {"kind": "good_practice"})
    assert CaseExample.objects.get().kind == "good_practice"
    client.post(flag_url(answer), {"kind": ""})
    assert not CaseExample.objects.exists()


def test_an_answer_without_a_comment_cannot_be_flagged(client, inspector, hand_counted):
    answer = answer_of(hand_counted["F1"], "LD1")
    client.force_login(inspector)
    response = client.post(flag_url(answer), {"kind": "good_practice"})
    assert response.status_code == 400
    assert "There is no comment on this answer" in response.content.decode()
    assert not CaseExample.objects.exists()


def test_it_goes_back_only_to_this_site(client, inspector, hand_counted):
    answer = answer_of(hand_counted["F6"], "LD1")
    client.force_login(inspector)
    response = client.post(flag_url(answer), {"kind": "failing", "next": "https://evil.example/"})
    assert response["Location"] == hand_counted["F6"].get_absolute_url() + "#q-LD1"
    response = client.post(flag_url(answer), {"kind": "failing", "next": "/qa/dip/F6/"})
    assert response["Location"] == "/qa/dip/F6/#q-LD1"


def test_only_the_examiner_may_flag_an_answer(client, inspector, colleague, writer, outsider, hand_counted):
    answer = answer_of(hand_counted["F6"], "LD1")
    for user in (colleague, writer, outsider):
        client.force_login(user)
        assert client.get(flag_url(answer)).status_code == 403
        assert client.post(flag_url(answer), {"kind": "failing"}).status_code == 403
    assert not CaseExample.objects.exists()
    client.force_login(inspector)
    assert client.put(flag_url(answer)).status_code == 405
    assert client.get(reverse("casefiles:flag_answer", args=[999999])).status_code == 404


@pytest.fixture
def flagged(inspector, hand_counted) -> dict[str, CaseExample]:
    return {
        "F6": CaseExample.objects.create(
            answer=answer_of(hand_counted["F6"], "LD1"), kind="failing", flagged_by=inspector
        ),
        "F4": CaseExample.objects.create(
            answer=answer_of(hand_counted["F4"], "LD3"), kind="good_practice", flagged_by=inspector
        ),
    }


def test_writers_see_examples_by_question_and_choose_them_for_the_appendix(client, writer, inspection, flagged):
    client.force_login(writer)
    page = client.get(reverse("reports:examples", args=[inspection.pk])).content.decode()
    assert page.index("LD1. Did the CPS select the correct charges?") < page.index("LD3. Were all reasonable")
    assert "F6, CPS London North" in page and "Breach charged as a single incident." in page
    assert "inspector1" not in page.split("Case examples")[-1]  # the list names files, not inspectors
    example = flagged["F4"]
    url = reverse("reports:example_choose", args=[example.pk])
    response = client.post(
        url, {f"e{example.pk}-include": "on", f"e{example.pk}-text": "No enquiries of the employer."}
    )
    assert response["Location"] == reverse("reports:examples", args=[inspection.pk]) + f"#example-{example.pk}"
    example.refresh_from_db()
    assert example.included_in_appendix and example.text == "No enquiries of the employer."
    client.post(url, {f"e{example.pk}-text": ""})  # an empty text is refused: nothing changes
    example.refresh_from_db()
    assert example.included_in_appendix and example.text == "No enquiries of the employer."
    client.post(url, {f"e{example.pk}-text": "No enquiries were made of the victim's employer."})
    example.refresh_from_db()
    assert not example.included_in_appendix and example.appendix_text == ""  # the comment itself again


def test_examples_are_for_writers_only(client, inspector, lead, outsider, inspection, flagged):
    example = flagged["F6"]
    for user in (inspector, lead, outsider):
        client.force_login(user)
        assert client.get(reverse("reports:examples", args=[inspection.pk])).status_code == 403
        url = reverse("reports:example_choose", args=[example.pk])
        assert client.post(url, {f"e{example.pk}-include": "on", f"e{example.pk}-text": "x"}).status_code == 403
    example.refresh_from_db()
    assert not example.included_in_appendix


def test_the_pdf_appendix_shows_chosen_examples_by_urn_and_area_only(inspection, flagged):
    CaseExample.objects.filter(pk=flagged["F6"].pk).update(included_in_appendix=True)
    content = render_report(inspection, "pdf", {})
    pages = [re.sub(r"\s+", " ", p.extract_text()) for p in PdfReader(io.BytesIO(content)).pages]
    appendix = pages[-1]
    assert "Appendix: case examples" in appendix
    assert "LD1 F6 CPS London North Example of a failing. Breach charged as a single incident." in appendix
    assert "No enquiries were made" not in appendix  # flagged but not chosen
    assert "inspector1" not in " ".join(pages) and "Inspector1" not in " ".join(pages)
    assert "Appendix: case examples" in pages[1]  # in the contents
    # A report on other questions leaves the example out.
    assert "Appendix" not in " ".join(
        p.extract_text() for p in PdfReader(io.BytesIO(render_report(inspection, "pdf", {"sections": ["VW"]}))).pages
    )


def test_a_long_appendix_repeats_its_table_header_on_every_page(inspection, inspector, flagged):
    comment = "The review did not address the pattern of behaviour across the incidents. " * 4
    for i in range(40):
        case_file = make_case_file(inspection, f"A{i:03d}", assigned_to=inspector)
        record_examination(case_file, inspector, {"LD1": ("not_meets", comment)})
        CaseExample.objects.create(
            answer=answer_of(case_file, "LD1"), kind="failing", flagged_by=inspector, included_in_appendix=True
        )
    reader = PdfReader(io.BytesIO(render_report(inspection, "pdf", {})))
    texts = [re.sub(r"\s+", " ", p.extract_text()) for p in reader.pages]
    first = next(i for i, t in enumerate(texts) if "Appendix: case examples" in t and "Case examples by question" in t)
    appendix_pages = texts[first:]
    assert len(appendix_pages) >= 2
    for text in appendix_pages:
        assert "Question File Example" in text


def test_the_xlsx_lists_the_chosen_examples(inspection, flagged):
    CaseExample.objects.filter(pk=flagged["F6"].pk).update(included_in_appendix=True)
    workbook = load_workbook(io.BytesIO(render_report(inspection, "xlsx", {})), read_only=True)
    assert workbook.sheetnames[-2:] == ["case examples", "data"]
    rows = [tuple(r) for r in workbook["case examples"].iter_rows(values_only=True)]
    assert ("LD1", "F6", "London North", "Example of a failing", "Breach charged as a single incident.") in rows


def render_flag_link(answer, rf) -> str:
    """The include that templates/casefiles/_question.html places under each comment."""
    request = rf.get("/inspections/test-inspection/files/F6/examine/")
    return Template('{% include "casefiles/_flag_link.html" with answer=q.answer code=code %}').render(
        Context({"q": SimpleNamespace(answer=answer), "code": "LD1", "request": request})
    )


def test_the_examination_page_include_links_each_commented_answer_to_its_flag_page(inspector, hand_counted, rf):
    answer = answer_of(hand_counted["F6"], "LD1")
    html = render_flag_link(answer, rf)
    assert f'href="{flag_url(answer)}?next=/inspections/test-inspection/files/F6/examine/"' in html
    assert "Flag this comment as a case example" in html
    CaseExample.objects.create(answer=answer, kind="failing", flagged_by=inspector)
    answer = Answer.objects.get(pk=answer.pk)
    assert "Flagged as example of a failing: change" in render_flag_link(answer, rf)
    assert render_flag_link(answer_of(hand_counted["F1"], "LD1"), rf).strip() == ""  # no comment, nothing to flag
    assert render_flag_link(None, rf).strip() == ""  # not answered yet


def test_a_qa_lead_may_flag_comments_on_their_own_re_examination(client, hand_counted):
    answer = Answer.objects.get(examination__kind=Examination.Kind.DIP, question__code="LD1")
    Answer.objects.filter(pk=answer.pk).update(comment="Disagree: the charge missed the pattern.")
    client.force_login(answer.examination.examiner)
    assert client.post(flag_url(answer), {"kind": "failing", "next": "/qa/"})["Location"] == "/qa/#q-LD1"
    assert CaseExample.objects.get().answer == answer
