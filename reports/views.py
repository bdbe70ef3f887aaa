from django.contrib import messages
from django.http import FileResponse, Http404, JsonResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from .access import (
    access_case_example,
    access_inspection_for_reports,
    access_report_job,
    inspections_reported_by,
    report_jobs_visible_to,
)
from .comparison import ComparisonRefused, inspections_compare
from .examples import inspection_examples
from .forms import ComparisonForm, ExampleChoiceForm, ReportRequestForm
from .models import ReportJob
from .services import case_example_choose, report_job_request, report_job_retry


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
        "inspections": inspections_reported_by(request.user).order_by("name"),
        "jobs": report_jobs_visible_to(request.user).select_related("inspection", "requested_by")[:100],
    }
    return render(request, "reports/index.html", context, status=400 if form is not None and form.errors else 200)


def job_detail(request, job_id: int):
    job = access_report_job(request.user, job_id)
    return render(request, "reports/job.html", {"job": job})


@require_GET
def job_status(request, job_id: int):
    """The job's progress as JSON, for the job page to update itself without reloading."""
    job = access_report_job(request.user, job_id)
    return JsonResponse(job.status_data(), headers={"Cache-Control": "no-store"})


@require_POST
def job_retry(request, job_id: int):
    job = report_job_retry(job=access_report_job(request.user, job_id))
    return redirect(job)


def job_download(request, job_id: int):
    job = access_report_job(request.user, job_id)
    if job.status != ReportJob.Status.DONE or not job.file:
        raise Http404("This report is not ready.")
    response = FileResponse(job.file.open("rb"), as_attachment=True, filename=job.download_name)
    if job.variant == "publication":  # the marking the writer chose, not the deployment's
        response["X-Protective-Marking"] = job.marking
    return response


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


@require_http_methods(["GET", "POST"])
def comparison(request, inspection_id: int):
    """This inspection's percentages beside an earlier inspection's, question by question."""
    inspection = access_inspection_for_reports(request.user, inspection_id)
    posted = request.method == "POST"
    form = ComparisonForm(
        request.POST if posted else None,
        request.FILES if posted else None,
        inspection=inspection,
        earlier_choices=inspections_reported_by(request.user),  # only inspections the writer is in
    )
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
