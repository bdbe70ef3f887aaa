"""The lead's page for the question-set versions an inspection uses: upload one, choose which
new examinations use."""

from django.contrib import messages
from django.db.models import Count
from django.shortcuts import redirect, render
from django.urls import reverse
from django.views.decorators.http import require_http_methods, require_POST

from questionset.forms import AdoptVersionForm, QuestionSetUploadForm
from questionset.loader import QuestionSetInvalid
from questionset.models import QuestionSet

from .access import access_inspection_question_set_as_lead
from .models import Examination, QuestionSetAdoption
from .services import question_set_adopt, question_set_upload


@require_http_methods(["GET", "POST"])
def inspection_question_set(request, slug: str):
    inspection = access_inspection_question_set_as_lead(request.user, slug)
    form = QuestionSetUploadForm(request.POST, request.FILES) if request.method == "POST" else QuestionSetUploadForm()
    if request.method == "POST" and form.is_valid():
        filename, text = form.cleaned_data["file"]
        try:
            result = question_set_upload(inspection=inspection, text=text, filename=filename, user=request.user)
        except QuestionSetInvalid as invalid:
            form.add_error("file", invalid.errors)
        else:
            version = result.question_set
            if result.created:
                messages.success(
                    request,
                    f"Loaded ‘{filename}’ as version {version.number}. Check what changed, "
                    "then choose to use it for new examinations.",
                )
            else:
                messages.info(request, f"‘{filename}’ is the same as version {version.number}: nothing new was loaded.")
            return redirect(reverse("casefiles:question_set", args=[inspection.slug]) + f"#version-{version.number}")
    context = {"inspection": inspection, "form": form, **_inspection_versions(inspection)}
    return render(request, "casefiles/question_set.html", context, status=400 if form.errors else 200)


def _inspection_versions(inspection) -> dict:
    current = inspection.question_set
    # The lead permission was checked when the inspection was fetched.
    versions = list(QuestionSet.objects.versions_of(current.code)) if current is not None else []
    used_here = dict(
        Examination.objects.filter(case_file__inspection=inspection)
        .values_list("question_set")
        .annotate(n=Count("pk"))
        .values_list("question_set", "n")
    )
    rows = [(v, used_here.get(v.pk, 0)) for v in versions]
    adoptions = QuestionSetAdoption.objects.filter(inspection=inspection).select_related(
        "question_set", "previous", "adopted_by"
    )
    return {"current": current, "rows": rows, "adoptions": adoptions}


@require_POST
def inspection_question_set_use(request, slug: str):
    inspection = access_inspection_question_set_as_lead(request.user, slug)
    form = AdoptVersionForm(request.POST)
    if not form.is_valid():
        messages.error(request, "Choose a version of the question set to use.")
    else:
        try:
            adoption = question_set_adopt(
                inspection=inspection, question_set=form.cleaned_data["question_set"], user=request.user
            )
        except QuestionSetInvalid as invalid:
            messages.error(request, "; ".join(invalid.errors))
        else:
            number = form.cleaned_data["question_set"].number
            messages.success(
                request,
                f"Examinations started from now on use version {number}; examinations already started keep theirs."
                if adoption
                else f"Version {number} is already in use.",
            )
    return redirect("casefiles:question_set", inspection.slug)
