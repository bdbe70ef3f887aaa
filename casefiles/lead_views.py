"""The lead inspector's pages: assignments, bars and progress against the plan."""

from collections import Counter

from django.conf import settings
from django.contrib import messages
from django.shortcuts import redirect, render
from django.utils import timezone
from django.views.decorators.http import require_POST

from .access import access_inspection_as_lead
from .activity import time_per_file
from .lead_forms import AssignForm, BarForm, inspectors_queryset
from .models import AssignmentChange, CaseFile, InspectorBar
from .progress import burndown_chart, inspection_burndown, progress_by
from .services import AssignmentRefused, files_assign, files_assign_balanced, inspector_bar


def assignments(request, slug: str):
    inspection = access_inspection_as_lead(request.user, slug)
    files = CaseFile.objects.filter(inspection=inspection).in_sample().select_related("area", "assigned_to")
    if request.GET.get("area"):
        files = files.filter(area__slug=request.GET["area"])
    if request.GET.get("unassigned"):
        files = files.filter(assigned_to__isnull=True)
    load = Counter(
        CaseFile.objects.filter(inspection=inspection).in_sample().values_list("assigned_to__username", flat=True)
    )
    context = {
        "inspection": inspection,
        "files": files.order_by("area__name", "stratum", "urn"),
        "inspectors": [(i, load.get(i.username, 0)) for i in inspectors_queryset(inspection)],
        "unassigned": load.get(None, 0),
        "assign_form": AssignForm(inspection=inspection),
        "bar_form": BarForm(),
        "bars": InspectorBar.objects.filter(inspection=inspection).select_related("inspector", "area"),
        "history": AssignmentChange.objects.filter(case_file__inspection=inspection).select_related(
            "case_file", "from_inspector", "to_inspector", "by"
        )[:20],
    }
    return render(request, "casefiles/assignments.html", context)


@require_POST
def assign(request, slug: str):
    inspection = access_inspection_as_lead(request.user, slug)
    form = AssignForm(request.POST, inspection=inspection)
    if not form.is_valid():
        messages.error(request, " ".join(e for errors in form.errors.values() for e in errors))
        return redirect("casefiles:assignments", slug=slug)
    inspector = form.cleaned_data["inspector"]
    try:
        count = files_assign(
            inspection=inspection, case_files=form.selected_files(), inspector=inspector, by=request.user
        )
    except AssignmentRefused as refused:
        messages.error(request, str(refused))
    else:
        messages.success(request, f"Assigned {count} file(s) to {inspector.get_full_name() or inspector.username}.")
    return redirect("casefiles:assignments", slug=slug)


@require_POST
def balance(request, slug: str):
    inspection = access_inspection_as_lead(request.user, slug)
    count, stuck = files_assign_balanced(
        inspection=inspection, inspectors=list(inspectors_queryset(inspection)), by=request.user
    )
    messages.success(request, f"Assigned {count} unassigned file(s), balanced across Areas and strata.")
    if stuck:
        messages.error(request, f"No inspector may take {', '.join(stuck)}: every one is barred from its Area.")
    return redirect("casefiles:assignments", slug=slug)


@require_POST
def bar(request, slug: str):
    inspection = access_inspection_as_lead(request.user, slug)
    form = BarForm(request.POST)
    if not form.is_valid():
        messages.error(request, "Choose an inspector and an Area, and give the reason.")
        return redirect("casefiles:assignments", slug=slug)
    try:
        inspector_bar(inspection=inspection, by=request.user, **form.cleaned_data)
    except (AssignmentRefused, ValueError) as refused:
        messages.error(request, str(refused))
    else:
        messages.success(
            request, f"{form.cleaned_data['inspector']} will not be assigned files in {form.cleaned_data['area']}."
        )
    return redirect("casefiles:assignments", slug=slug)


def progress(request, slug: str):
    inspection = access_inspection_as_lead(request.user, slug)
    burn = inspection_burndown(inspection, timezone.localdate())
    context = {
        "inspection": inspection,
        "tables": progress_by(inspection),
        "burn": burn,
        "chart": burndown_chart(burn),
        "times": time_per_file(inspection),
        "idle_minutes": settings.ACTIVITY_IDLE_MINUTES,
    }
    return render(request, "casefiles/progress.html", context)
