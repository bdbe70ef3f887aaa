from django.contrib import messages
from django.db.models import Count
from django.http import FileResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from accounts.roles import LEAD
from casefiles.models import Examination

from .access import (
    access_inspection_question_set_as_lead,
    access_question_set,
    access_version_pair_as_lead,
    access_versions_as_lead,
)
from .diff import diff_question_sets
from .forms import AdoptVersionForm, QuestionSetUploadForm
from .loader import QuestionSetInvalid
from .models import QuestionSet, QuestionSetAdoption
from .pdf import question_set_pdf
from .presentation import question_set_sections
from .services import question_set_adopt, question_set_upload


@require_GET
def detail(request, pk: int):
    question_set = access_question_set(request.user, pk)
    sections = question_set_sections(question_set)
    context = {
        "question_set": question_set,
        "sections": sections,
        "question_count": sum(len(s.questions) for s in sections),
        "is_lead": request.user.has_perm(LEAD.permission),
    }
    return render(request, "questionset/detail.html", context)


@require_GET
def pdf(request, pk: int):
    question_set = access_question_set(request.user, pk)
    path = question_set_pdf(question_set)
    filename = f"{question_set.code}-v{question_set.number}.pdf"
    return FileResponse(path.open("rb"), as_attachment=True, filename=filename, content_type="application/pdf")


@require_GET
def versions(request, code: str):
    versions = access_versions_as_lead(request.user, code)
    numbers = {v.number for v in versions}
    a, b = request.GET.get("from", ""), request.GET.get("to", "")
    if a.isdigit() and b.isdigit() and {int(a), int(b)} <= numbers:
        return redirect("questionset:diff", code, int(a), int(b))
    return render(request, "questionset/versions.html", {"code": code, "versions": versions, "latest": versions[0]})


@require_GET
def diff(request, code: str, a: int, b: int):
    old, new = access_version_pair_as_lead(request.user, code, a, b)
    changes = diff_question_sets(old.as_spec(), new.as_spec())
    return render(request, "questionset/diff.html", {"code": code, "old": old, "new": new, "diff": changes})


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
            return redirect(reverse("questionset:inspection", args=[inspection.slug]) + f"#version-{version.number}")
    context = {"inspection": inspection, "form": form, **_inspection_versions(inspection)}
    return render(request, "questionset/inspection.html", context, status=400 if form.errors else 200)


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
    return redirect("questionset:inspection", inspection.slug)
