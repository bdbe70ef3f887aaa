"""Setting up an inspection in the browser, and the lead's schedule and leave pages (calendar)."""

from django.contrib import messages
from django.shortcuts import get_object_or_404, redirect, render
from django.views.decorators.http import require_http_methods, require_POST

from casefiles.access import access_inspection_as_lead
from casefiles.models import InspectorLeave, ScheduleChange
from casefiles.schedule import inspection_schedule_set, leave_add, leave_cancel, weekdays_of

from .access import access_inspection_creation
from .forms import InspectionSetUpForm, LeaveForm, ScheduleForm
from .services import inspection_set_up


@require_http_methods(["GET", "POST"])
def inspection_new(request):
    access_inspection_creation(request.user)
    form = InspectionSetUpForm(request.POST or None, request.FILES or None)
    if request.method == "POST" and form.is_valid():
        filename, question_set_text = form.cleaned_data["question_set"]
        try:
            inspection = inspection_set_up(
                name=form.cleaned_data["name"],
                slug=form.cleaned_data["slug"],
                plan_text=form.cleaned_data["plan"],
                question_set_text=question_set_text,
                question_set_filename=filename,
                fieldwork_starts_on=form.cleaned_data["fieldwork_starts_on"],
                examination_weekdays=form.cleaned_data["examination_weekdays"],
                user=request.user,
            )
        except ValueError as refused:  # e.g. the same short name created a moment ago
            form.add_error("slug", str(refused))
        else:
            messages.success(request, f"Created the inspection {inspection.name}.")
            return redirect("home")
    return render(request, "hub/inspection_new.html", {"form": form}, status=400 if form.errors else 200)


@require_http_methods(["GET", "POST"])
def schedule(request, slug: str):
    inspection = access_inspection_as_lead(request.user, slug)
    initial = {
        "fieldwork_starts_on": inspection.fieldwork_starts_on,
        "fieldwork_ends_on": inspection.fieldwork_ends_on,
        "examination_weekdays": [str(d) for d in weekdays_of(inspection)],
    }
    form = ScheduleForm(request.POST or None, initial=initial)
    if request.method == "POST" and form.is_valid():
        changed = inspection_schedule_set(inspection=inspection, by=request.user, **form.cleaned_data)
        messages.success(request, "Schedule saved." if changed else "Nothing changed.")
        return redirect("hub:schedule", slug=slug)
    history = ScheduleChange.objects.filter(inspection=inspection).select_related("by")
    context = {"inspection": inspection, "form": form, "history": history}
    return render(request, "hub/schedule.html", context, status=400 if form.errors else 200)


@require_http_methods(["GET", "POST"])
def leave(request, slug: str):
    inspection = access_inspection_as_lead(request.user, slug)
    form = LeaveForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        entry = leave_add(inspection=inspection, by=request.user, **form.cleaned_data)
        messages.success(request, f"Leave added for {entry.inspector.get_full_name() or entry.inspector}.")
        return redirect("hub:leave", slug=slug)
    entries = InspectorLeave.objects.filter(inspection=inspection).select_related(
        "inspector", "entered_by", "cancelled_by"
    )
    context = {"inspection": inspection, "form": form, "entries": entries}
    return render(request, "hub/leave.html", context, status=400 if form.errors else 200)


@require_POST
def leave_cancel_view(request, slug: str, pk: int):
    inspection = access_inspection_as_lead(request.user, slug)
    entry = get_object_or_404(InspectorLeave, inspection=inspection, pk=pk)
    if leave_cancel(leave=entry, by=request.user):
        messages.success(request, "Leave cancelled; it stays in the history.")
    return redirect("hub:leave", slug=slug)
