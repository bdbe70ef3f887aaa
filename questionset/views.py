from django.http import FileResponse
from django.shortcuts import redirect, render
from django.views.decorators.http import require_GET

from .access import access_question_set, access_version_pair_as_lead, access_versions_as_lead
from .diff import diff_question_sets
from .pdf import question_set_pdf_ready, question_set_pdf_request
from .presentation import question_set_sections


@require_GET
def detail(request, pk: int):
    question_set = access_question_set(request.user, pk)
    sections = question_set_sections(question_set)
    context = {
        "question_set": question_set,
        "sections": sections,
        "question_count": sum(len(s.questions) for s in sections),
        "pdf_ready": question_set_pdf_ready(question_set) is not None,
    }
    return render(request, "questionset/detail.html", context)


@require_GET
def pdf(request, pk: int):
    question_set = access_question_set(request.user, pk)
    path = question_set_pdf_ready(question_set)
    if path is None:  # a worker makes it when the version is loaded; ask again if that was lost
        question_set_pdf_request(question_set)
        return render(request, "questionset/pdf_preparing.html", {"question_set": question_set}, status=202)
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
