from django.contrib.auth.decorators import permission_required
from django.http import FileResponse, Http404
from django.shortcuts import redirect, render
from django.views.decorators.http import require_POST

from .access import access_report_job
from .forms import ReportRequestForm
from .models import ReportJob
from .services import report_job_request, report_job_retry


@permission_required("reports.build_reports", raise_exception=True)
def index(request):
    form = ReportRequestForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        job = report_job_request(
            inspection=form.cleaned_data["inspection"], user=request.user, format=form.cleaned_data["format"]
        )
        return redirect(job)
    jobs = ReportJob.objects.select_related("inspection", "requested_by")[:50]
    return render(request, "reports/index.html", {"form": form, "jobs": jobs})


def job_detail(request, job_id: int):
    job = access_report_job(request.user, job_id)
    return render(request, "reports/job.html", {"job": job})


@require_POST
def job_retry(request, job_id: int):
    job = report_job_retry(job=access_report_job(request.user, job_id))
    return redirect(job)


def job_download(request, job_id: int):
    job = access_report_job(request.user, job_id)
    if job.status != ReportJob.Status.DONE or not job.file:
        raise Http404("This report is not ready.")
    return FileResponse(job.file.open("rb"), as_attachment=True, filename=job.download_name)
