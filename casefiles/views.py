from django.contrib import messages
from django.contrib.auth.decorators import permission_required
from django.db.models import Count, Q
from django.shortcuts import redirect, render
from django.views.decorators.http import require_http_methods

from questionset.models import Question

from .access import access_case_file_to_examine, access_inspection_by_slug
from .examining import parse_posted, question_views
from .models import Answer, CaseFile, Examination, Inspection
from .roles import roles_of
from .services import ExaminationLocked, StaleAnswer, answer_save, examination_open


def home(request):
    inspections = Inspection.objects.all() if roles_of(request.user) else Inspection.objects.none()
    return render(request, "casefiles/home.html", {"inspections": inspections, "roles": roles_of(request.user)})


@permission_required("casefiles.examine_files", raise_exception=True)
def queue(request, slug: str):
    inspection = access_inspection_by_slug(request.user, slug)
    files = (
        CaseFile.objects.assigned_to(request.user)
        .filter(inspection=inspection)
        .select_related("area")
        .annotate(
            answered=Count("examinations__answers", filter=Q(examinations__kind=Examination.Kind.PRIMARY)),
        )
        .order_by("area__name", "urn")
    )
    status = dict(
        Examination.objects.filter(case_file__in=files, kind=Examination.Kind.PRIMARY).values_list(
            "case_file_id", "status"
        )
    )
    rows = [(f, status.get(f.pk)) for f in files]
    return render(request, "casefiles/queue.html", {"inspection": inspection, "rows": rows})


@require_http_methods(["GET", "POST"])
def examine(request, slug: str, urn: str):
    case_file = access_case_file_to_examine(request.user, slug, urn)
    examination = examination_open(case_file=case_file, examiner=request.user)
    questions = list(
        Question.objects.filter(question_set=examination.question_set)
        .select_related("section")
        .prefetch_related("options")
    )
    answers = {a.question.code: a for a in Answer.objects.filter(examination=examination).select_related("question")}
    errors, conflicts = {}, {}
    if request.method == "POST":
        for posted in parse_posted(questions, request.POST):
            if posted.error:
                errors[posted.question.code] = posted.error
                continue
            try:
                result = answer_save(
                    examination=examination,
                    question=posted.question,
                    value=posted.value,
                    comment=posted.comment,
                    user=request.user,
                    expected_version=posted.expected_version,
                )
                answers[posted.question.code] = result.answer
            except StaleAnswer as stale:
                conflicts[posted.question.code] = (posted, stale.answer)
            except ExaminationLocked as locked:
                messages.error(request, str(locked))
                return redirect(case_file)
        if not errors and not conflicts:
            messages.success(request, "Your answers have been saved.")
            return redirect(case_file)
    views = question_views(questions, case_file.attributes, answers)
    for view in views:
        view.error = errors.get(view.question.code, "")
        if view.question.code in conflicts:
            posted, stored = conflicts[view.question.code]
            view.conflict, view.value, view.comment = stored, posted.value, posted.comment
            view.values, view.version = posted.value.split("|"), stored.version if stored else 0
    context = {
        "case_file": case_file,
        "examination": examination,
        "questions": views,
        "errors": errors,
        "conflicts": conflicts,
    }
    return render(request, "casefiles/examine.html", context, status=400 if errors or conflicts else 200)
