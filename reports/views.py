from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import FileResponse, Http404
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.http import url_has_allowed_host_and_scheme
from django.views.decorators.http import require_http_methods, require_POST

from casefiles.models import Inspection

from .access import access_answer_to_flag, access_case_example, access_inspection_for_reports, access_report_job
from .comparison import ComparisonRefused, inspections_compare
from .examples import inspection_examples
from .forms import ComparisonForm, ExampleChoiceForm, FlagForm, ReportRequestForm
from .models import ReportJob
from .services import NothingToFlag, case_example_choose, case_example_flag, report_job_request, report_job_retry


@login_required
@require_http_methods(["GET", "POST"])
def index(request):
    """The request form for one inspection, and the reports built so far."""
    inspection = access_inspection_for_reports(
        request.user, request.POST.get("inspection") or request.GET.get("inspection")
    )
    form = ReportRequestForm(request.POST or None, inspection=inspection) if inspection else None
    if request.method == "POST" and form is not None and form.is_valid():
        job = report_job_request(
            inspection=inspection, user=request.user, format=form.cleaned_data["format"], parameters=form.parameters
        )
        return redirect(job)
    context = {
        "form": form,
        "inspection": inspection,
        "inspections": Inspection.objects.order_by("name"),
        "jobs": ReportJob.objects.select_related("inspection", "requested_by")[:100],
    }
    return render(request, "reports/index.html", context, status=400 if form is not None and form.errors else 200)


@login_required
def job_detail(request, job_id: int):
    job = access_report_job(request.user, job_id)
    return render(request, "reports/job.html", {"job": job})


@login_required
@require_POST
def job_retry(request, job_id: int):
    job = report_job_retry(job=access_report_job(request.user, job_id))
    return redirect(job)


@login_required
def job_download(request, job_id: int):
    job = access_report_job(request.user, job_id)
    if job.status != ReportJob.Status.DONE or not job.file:
        raise Http404("This report is not ready.")
    return FileResponse(job.file.open("rb"), as_attachment=True, filename=job.download_name)


def _back(request, fallback: str) -> str:
    target = request.POST.get("next") or request.GET.get("next") or ""
    if url_has_allowed_host_and_scheme(target, allowed_hosts={request.get_host()}, require_https=request.is_secure()):
        return target
    return fallback


@login_required
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
    return render(request, "reports/flag.html", context, status=400 if form.errors else 200)


@login_required
def examples(request, inspection_id: int):
    """The writer's list of flagged comments, by question, each with its appendix choice."""
    inspection = access_inspection_for_reports(request.user, inspection_id)
    items = [
        (
            example,
            ExampleChoiceForm(
                prefix=f"e{example.pk}", initial={"include": example.included_in_appendix, "text": example.text}
            ),
        )
        for example in inspection_examples(inspection)
    ]
    return render(request, "reports/examples.html", {"inspection": inspection, "items": items})


@login_required
@require_POST
def example_choose(request, example_id: int):
    example = access_case_example(request.user, example_id)
    form = ExampleChoiceForm(request.POST, prefix=f"e{example.pk}")
    inspection_id = example.answer.examination.case_file.inspection_id
    if form.is_valid():
        case_example_choose(example=example, include=form.cleaned_data["include"], text=form.cleaned_data["text"])
        messages.success(request, f"Saved your choice for the example from {example.answer.examination.case_file.urn}.")
    else:
        messages.error(request, "The text for the appendix cannot be empty; nothing was saved.")
    return redirect(reverse("reports:examples", args=[inspection_id]) + f"#example-{example.pk}")


@login_required
@require_http_methods(["GET", "POST"])
def comparison(request, inspection_id: int):
    """This inspection's percentages beside an earlier inspection's, question by question."""
    inspection = access_inspection_for_reports(request.user, inspection_id)
    posted = request.method == "POST"
    form = ComparisonForm(request.POST if posted else None, request.FILES if posted else None, inspection=inspection)
    rows, earlier_name = None, ""
    if posted and form.is_valid():
        try:
            rows, earlier_name = inspections_compare(
                inspection=inspection,
                earlier=form.cleaned_data["earlier"],
                results=form.cleaned_data["results"],
                mapping=form.cleaned_data["mapping"],
            )
        except ComparisonRefused as refused:
            form.add_error(refused.field, str(refused))
            rows = None
    context = {"inspection": inspection, "form": form, "rows": rows, "earlier_name": earlier_name}
    return render(request, "reports/comparison.html", context, status=400 if form.errors else 200)
