from django.urls import reverse

from casefiles.models import Answer, AnswerChange, Examination, ExaminationEvent


def url(name: str, case_file) -> str:
    return reverse(name, args=[case_file.inspection.slug, case_file.urn])


def answer(client, case_file, code: str, value, comment: str = "", version: int = 0):
    return client.post(
        url("casefiles:examine", case_file), {f"v-{code}": str(version), f"q-{code}": value, f"c-{code}": comment}
    )


def test_submitting_with_missing_answers_lists_each_in_the_error_summary(client, inspector, case_file):
    client.force_login(inspector)
    answer(client, case_file, "LD1", "not_meets")  # needs a comment; LD2 now applies too
    response = client.post(url("casefiles:submit", case_file))
    page = response.content.decode()
    assert response.status_code == 400
    assert "You cannot submit yet" in page
    assert "<title>Error: " in page
    # Question wording, not codes; each link lands in the input that fixes it.
    assert '<a href="#c-LD1">Did the CPS select the correct charges? – Explain this answer in the comment</a>' in page
    ld2 = "Was stalking charged where the evidence supported it?"
    assert f'<a href="#q-LD2-yes">{ld2} – Answer this question</a>' in page
    assert '<a href="#q-VW1-yes">Was a restraining order applied for at Crown Court? – Answer this question</a>' in page
    assert 'id="q-LD2-yes"' in page and 'id="c-LD1"' in page
    assert "VW2" not in page.split("govuk-error-summary__list")[1].split("</ul>")[0]  # optional
    assert Examination.objects.get().status == "in_progress"


def test_a_complete_examination_is_submitted_and_becomes_read_only(client, inspector, case_file):
    client.force_login(inspector)
    answer(client, case_file, "LD1", "fully_meets")
    answer(client, case_file, "VW1", "yes")
    response = client.post(url("casefiles:submit", case_file), follow=True)
    assert "You have submitted your examination of 52WS0001" in response.content.decode()
    examination = Examination.objects.get()
    assert examination.status == "submitted" and examination.submitted_at
    assert ExaminationEvent.objects.get().kind == "submitted"
    response = answer(client, case_file, "LD1", "not_meets", version=1)
    assert response.status_code == 302
    assert Answer.objects.get(question__code="LD1").value == "fully_meets"
    autosave = client.post(
        reverse("casefiles:autosave", args=[case_file.inspection.slug, case_file.urn, "LD1"]),
        {"v-LD1": "1", "q-LD1": "not_meets"},
    )
    assert autosave.status_code == 400 and b"read-only" in autosave.content


def test_answers_to_questions_that_no_longer_apply_are_cleared_on_submit_with_history(client, inspector, case_file):
    client.force_login(inspector)
    answer(client, case_file, "LD1", "not_meets", "Harassment charged")
    answer(client, case_file, "LD2", "no")
    answer(client, case_file, "LD1", "fully_meets", "", version=1)  # LD2 no longer applies
    answer(client, case_file, "VW1", "yes")
    client.post(url("casefiles:submit", case_file))
    ld2 = Answer.objects.get(question__code="LD2")
    assert ld2.value == ""
    assert AnswerChange.objects.filter(answer=ld2).last().source == "no_longer_applies"
    assert AnswerChange.objects.filter(answer=ld2).first().new_value == "no"  # the old answer is in history


def test_the_lead_returns_a_submitted_examination_with_a_reason(client, inspector, lead, case_file):
    client.force_login(inspector)
    answer(client, case_file, "LD1", "fully_meets")
    answer(client, case_file, "VW1", "yes")
    client.post(url("casefiles:submit", case_file))
    client.force_login(lead)
    page = client.get(url("casefiles:examination", case_file)).content.decode()
    assert "Return this examination" in page and "Fully meets the required standard" in page
    client.post(url("casefiles:return", case_file), {"reason": "LD1 needs a comment on charge selection."})
    examination = Examination.objects.get()
    assert examination.status == "returned"
    client.force_login(inspector)
    queue = client.get(reverse("casefiles:queue", args=[case_file.inspection.slug])).content.decode()
    assert "Returned for change" in queue and "LD1 needs a comment on charge selection." in queue
    assert answer(client, case_file, "LD1", "partially_meets", "Pattern missed", version=1).status_code == 302
    assert Answer.objects.get(question__code="LD1").value == "partially_meets"


def test_returning_needs_a_reason(client, inspector, lead, case_file):
    client.force_login(inspector)
    answer(client, case_file, "LD1", "fully_meets")
    answer(client, case_file, "VW1", "yes")
    client.post(url("casefiles:submit", case_file))
    client.force_login(lead)
    response = client.post(url("casefiles:return", case_file), {"reason": " "}, follow=True)
    assert "Give the reason" in response.content.decode()
    assert Examination.objects.get().status == "submitted"


def test_inspectors_cannot_return_and_colleagues_cannot_view(client, inspector, colleague, case_file):
    client.force_login(inspector)
    answer(client, case_file, "LD1", "fully_meets")
    assert client.post(url("casefiles:return", case_file), {"reason": "x"}).status_code == 403
    assert client.get(url("casefiles:examination", case_file)).status_code == 200  # their own file
    client.force_login(colleague)
    assert client.get(url("casefiles:examination", case_file)).status_code == 403
    assert client.post(url("casefiles:submit", case_file)).status_code == 403


def test_the_history_shows_who_changed_what(client, inspector, lead, case_file):
    client.force_login(inspector)
    answer(client, case_file, "LD1", "not_meets", "first")
    answer(client, case_file, "LD1", "fully_meets", "second", version=1)
    client.force_login(lead)
    page = client.get(url("casefiles:examination", case_file)).content.decode()
    assert page.count("Inspector1") >= 2 and "not_meets" in page and "“second”" in page


def test_return_and_submit_need_post(client, lead, inspector, case_file):
    client.force_login(lead)
    assert client.get(url("casefiles:return", case_file)).status_code == 405
    client.force_login(inspector)
    assert client.get(url("casefiles:submit", case_file)).status_code == 405
