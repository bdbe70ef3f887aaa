from django.contrib.auth.decorators import login_required
from django.http import FileResponse, Http404
from django.shortcuts import redirect, render
from django.views.decorators.http import require_http_methods, require_POST

from casefiles.models import Inspection

from .access import access_inspection_for_reports, access_report_job
from .forms import ReportRequestForm
from .models import ReportJob
from .services import report_job_request, report_job_retry


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
