import datetime

from django.contrib import messages
from django.http import HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.http import url_has_allowed_host_and_scheme
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from .access import (
    access_answer_to_flag,
    access_case_file_to_examine,
    access_examination_to_return,
    access_inspection_to_examine,
    access_primary_examination_to_save,
    access_primary_examination_to_view,
    oversees,
)
from .activity import activity_record
from .examination_page import (
    answers_save_posted,
    autosave_response,
    examination_page,
    page_questions,
    page_sections,
    progress_of,
)
from .forms import FlagForm, QueueFilterForm, ReturnForm
from .models import AnswerChange
from .queries import queue_rows, queue_rows_filtered
from .services import (
    ExaminationIncomplete,
    NothingToFlag,
    case_example_flag,
    examination_open,
    examination_return,
    examination_submit,
)


@require_GET
def queue(request, slug: str):
    inspection = access_inspection_to_examine(request.user, slug)
    rows = queue_rows(inspection, request.user)
    strata = [(s["code"], s["label"]) for s in inspection.plan.get("strata", [])]
    form = QueueFilterForm(request.GET or None, areas=sorted({r.case_file.area.name for r in rows}), strata=strata)
    shown = queue_rows_filtered(rows, **form.cleaned_data) if form.is_valid() else rows
    context = {"inspection": inspection, "rows": shown, "total": len(rows), "form": form, "filtered": form.is_bound}
    return render(request, "casefiles/queue.html", context)


@require_http_methods(["GET", "POST"])
def examine(request, slug: str, urn: str):
    """The examination page; without JavaScript its form posts every answer at once."""
    case_file = access_case_file_to_examine(request.user, slug, urn)
    examination = examination_open(case_file=case_file, examiner=request.user)
    activity_record(examination=examination, person=request.user)
    result = None
    if request.method == "POST":
        if not examination.is_editable:
            messages.error(request, "This examination has been submitted and is read-only.")
            return redirect(case_file)
        result = answers_save_posted(examination, page_questions(examination), request.POST, request.user)
        if result.ok:
            messages.success(request, "Your answers have been saved.")
            return redirect(case_file)
    return examination_page(
        request, "casefiles/examine.html", examination, editable=examination.is_editable, result=result
    )


@require_POST
def answer_autosave(request, slug: str, urn: str, code: str):
    """Save one answer as it is made (the page's script). 409 shows both values."""
    examination = access_primary_examination_to_save(request.user, slug, urn)
    if examination is None:  # saved before the page was ever opened
        case_file = access_case_file_to_examine(request.user, slug, urn)
        examination = examination_open(case_file=case_file, examiner=request.user)
    # A save within a minute of the examination's last change tells the time-per-file record nothing
    # the page's heartbeat (once a minute, static/js/activity.js) does not: skipping it keeps such a
    # save to 8 queries.
    if examination.updated_at < timezone.now() - datetime.timedelta(minutes=1):
        activity_record(examination=examination, person=request.user)
    return autosave_response(examination, code, request.POST, request.user)


@require_GET
def check_answers(request, slug: str, urn: str):
    """Every answer on one page, each with a link back to its question, then the submit button."""
    case_file = access_case_file_to_examine(request.user, slug, urn)
    examination = examination_open(case_file=case_file, examiner=request.user)
    if not examination.is_editable:
        return redirect(case_file)
    sections = page_sections(examination, page_questions(examination))
    context = {
        "case_file": case_file,
        "examination": examination,
        "sections": sections,
        "progress": progress_of(sections),
    }
    return render(request, "casefiles/check_answers.html", context)


@require_POST
def submit(request, slug: str, urn: str):
    case_file = access_case_file_to_examine(request.user, slug, urn)
    examination = examination_open(case_file=case_file, examiner=request.user)
    activity_record(examination=examination, person=request.user)
    try:
        examination_submit(examination=examination, user=request.user)
    except ExaminationIncomplete as incomplete:
        return examination_page(
            request, "casefiles/examine.html", examination, editable=True, problems=incomplete.problems
        )
    messages.success(request, f"You have submitted your examination of {case_file.urn}.")
    return redirect("casefiles:queue", slug=slug)


def examination_detail(request, slug: str, urn: str):
    """Read-only answers of a file's examination, with its history and events."""
    examination = access_primary_examination_to_view(request.user, slug, urn)
    case_file = examination.case_file
    sections = page_sections(examination, page_questions(examination))
    changes = (
        AnswerChange.objects.filter(answer__examination=examination)
        .select_related("answer__question", "changed_by")
        .order_by("-changed_at", "-id")
    )
    context = {
        "case_file": case_file,
        "examination": examination,
        "sections": sections,
        "changes": changes,
        "events": examination.events.select_related("by"),
        "can_return": oversees(request.user, case_file.inspection_id),
        "return_form": ReturnForm(),
    }
    return render(request, "casefiles/examination_detail.html", context)


@require_POST
def examination_return_view(request, slug: str, urn: str):
    examination = access_examination_to_return(request.user, slug, urn)
    form = ReturnForm(request.POST)
    if form.is_valid():
        try:
            examination_return(examination=examination, user=request.user, reason=form.cleaned_data["reason"])
        except ValueError as refused:
            messages.error(request, str(refused))
        else:
            messages.success(
                request, f"Returned {urn} to {examination.examiner.get_full_name() or examination.examiner}."
            )
    else:
        messages.error(request, "Give the reason you are returning this examination.")
    return redirect(reverse("casefiles:examination", args=[slug, urn]))


def _back(request, fallback: str) -> str:
    target = request.POST.get("next") or request.GET.get("next") or ""
    if url_has_allowed_host_and_scheme(target, allowed_hosts={request.get_host()}, require_https=request.is_secure()):
        return target
    return fallback


@require_http_methods(["GET", "POST"])
def flag_answer(request, answer_id: int):
    """An inspector flags the comment on one of their answers as a case example."""
    answer = access_answer_to_flag(request.user, answer_id)
    back = _back(request, answer.examination.case_file.get_absolute_url())
    current = getattr(answer, "case_example", None)
    form = FlagForm(request.POST or None, initial={"kind": current.kind if current else ""})
    if request.method == "POST" and form.is_valid():
        try:
            example = case_example_flag(answer=answer, kind=form.cleaned_data["kind"], user=request.user)
        except NothingToFlag as problem:
            form.add_error("kind", str(problem))
        else:
            done = f"flagged as {example.get_kind_display().lower()}" if example else "no longer flagged"
            messages.success(request, f"Your comment on {answer.question.code} is {done}.")
            return redirect(f"{back}#q-{answer.question.code}")
    context = {"answer": answer, "form": form, "back": back, "current": current}
    return render(request, "casefiles/flag.html", context, status=400 if form.errors else 200)


@require_POST
def activity(request, slug: str, urn: str):
    """The examination page's heartbeat while someone is using it (static/js/activity.js)."""
    case_file = access_case_file_to_examine(request.user, slug, urn)
    activity_record(examination=examination_open(case_file=case_file, examiner=request.user), person=request.user)
    return HttpResponse(status=204)
