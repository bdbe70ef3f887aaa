"""The lead inspector's sampling pages: frame, draw, sample list, replacements, dip sample.

Every view gets the inspection through access_inspection_as_lead (403 for anyone else);
writes are POST-only and redirect with a notification; the services decide.
"""

from django.contrib import messages
from django.http import HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.views.decorators.http import require_POST

from casefiles.models import CaseFile

from .access import access_inspection_as_lead
from .draw import ShortStrata
from .export import sample_files, write_sample_csv
from .forms import (
    DipAddForm,
    DipDrawForm,
    DipRemoveForm,
    DrawForm,
    FrameUploadForm,
    ReplaceForm,
    SampleFilterForm,
    suggested_seed,
)
from .frame import FrameInvalid
from .models import Draw
from .pages import dip_context, dip_form_kwargs, draw_context, frame_context, overview_context, replacements_context
from .services import (
    SamplingError,
    area_names,
    case_file_replace,
    dip_sample_add,
    dip_sample_draw,
    dip_sample_remove,
    frame_import,
    plan_of,
    sample_draw,
)
from .summary import frame_preview as count_frame
from .summary import sample_filtered


def overview(request, slug: str):
    inspection = access_inspection_as_lead(request.user, slug)
    return render(request, "sampling/overview.html", overview_context(inspection))


def frame(request, slug: str):
    inspection = access_inspection_as_lead(request.user, slug)
    return render(request, "sampling/frame.html", frame_context(inspection, FrameUploadForm()))


@require_POST
def frame_upload(request, slug: str):
    inspection = access_inspection_as_lead(request.user, slug)
    form = FrameUploadForm(request.POST, request.FILES)
    if form.is_valid():
        upload = form.cleaned_data["file"]
        try:
            imported = frame_import(
                inspection=inspection, filename=upload.name, content=upload.read(), user=request.user
            )
        except FrameInvalid as refused:
            form.add_error("file", f"The frame was not imported: correct the {refused.total:,} error(s) listed")
            return render(request, "sampling/frame.html", frame_context(inspection, form, refused), status=400)
        except SamplingError as refused:
            form.add_error("file", str(refused))
        else:
            messages.success(request, f"Imported {imported.row_count:,} rows from {imported.filename}.")
            return redirect("sampling:frame_preview", slug=slug, frame_id=imported.pk)
    return render(request, "sampling/frame.html", frame_context(inspection, form), status=400)


def frame_preview(request, slug: str, frame_id: int):
    inspection = access_inspection_as_lead(request.user, slug)
    imported = get_object_or_404(inspection.frames.select_related("imported_by"), pk=frame_id)
    preview = count_frame(imported, plan_of(inspection), area_names())
    context = {"inspection": inspection, "frame": imported, "preview": preview, "latest": inspection.frames.first()}
    return render(request, "sampling/frame_preview.html", context)


def draw(request, slug: str):
    inspection = access_inspection_as_lead(request.user, slug)
    return render(request, "sampling/draw.html", draw_context(inspection, DrawForm(initial={"seed": suggested_seed()})))


@require_POST
def draw_submit(request, slug: str):
    inspection = access_inspection_as_lead(request.user, slug)
    form = DrawForm(request.POST)
    if form.is_valid():
        try:
            record = sample_draw(inspection=inspection, user=request.user, **form.cleaned_data)
        except ShortStrata as short:
            return render(request, "sampling/draw.html", draw_context(inspection, form, short), status=400)
        except SamplingError as refused:
            messages.error(request, str(refused))
            return redirect("sampling:draw", slug=slug)
        drawn = inspection.case_files.in_sample().count()
        messages.success(request, f"Drew {drawn} files and their reserves with seed {record.seed}.")
        return redirect("sampling:draw", slug=slug)
    return render(request, "sampling/draw.html", draw_context(inspection, form), status=400)


def sample_list(request, slug: str):
    inspection = access_inspection_as_lead(request.user, slug)
    form = SampleFilterForm(request.GET or None, plan=plan_of(inspection), inspection=inspection)
    criteria = form.cleaned_data if form.is_valid() else {}
    files = sample_filtered(inspection, criteria).order_by("area__name", "stratum", "reserve_rank", "urn")
    context = {
        "inspection": inspection,
        "form": form,
        "files": files,
        "query": request.GET.urlencode(),
        "drawn": Draw.objects.filter(inspection=inspection).exists(),
        "labels": {s.code: s.label for s in plan_of(inspection).strata},
    }
    return render(request, "sampling/sample_list.html", context)


def sample_csv(request, slug: str):
    """export_sample's CSV, narrowed by the sample page's filters when it passes them."""
    inspection = access_inspection_as_lead(request.user, slug)
    form = SampleFilterForm(request.GET or None, plan=plan_of(inspection), inspection=inspection)
    files = sample_files(inspection)
    if form.is_valid() and any(form.cleaned_data.values()):
        files = files.filter(pk__in=sample_filtered(inspection, form.cleaned_data).values("pk"))
    response = HttpResponse(content_type="text/csv; charset=utf-8")
    response["Content-Disposition"] = f'attachment; filename="{inspection.slug}-sample.csv"'
    write_sample_csv(inspection, files, response)
    return response


def replacements(request, slug: str):
    inspection = access_inspection_as_lead(request.user, slug)
    form = ReplaceForm(initial={"urn": request.GET.get("urn", "")}, inspection=inspection)
    return render(request, "sampling/replacements.html", replacements_context(inspection, form))


@require_POST
def replace(request, slug: str):
    inspection = access_inspection_as_lead(request.user, slug)
    form = ReplaceForm(request.POST, inspection=inspection)
    if form.is_valid():
        try:
            reserve = case_file_replace(case_file=form.case_file, reason=form.cleaned_data["reason"], user=request.user)
        except SamplingError as refused:
            form.add_error("urn", str(refused))
        else:
            messages.success(request, f"{form.case_file.urn} is unavailable; reserve {reserve.urn} takes its place.")
            return redirect("sampling:replacements", slug=slug)
    return render(request, "sampling/replacements.html", replacements_context(inspection, form), status=400)


def dip(request, slug: str):
    inspection = access_inspection_as_lead(request.user, slug)
    return render(request, "sampling/dip.html", dip_context(inspection))


def _dip_write(request, slug: str, form_class, write) -> HttpResponse:
    """Validate one of the dip page's forms and run its write; re-show the page on refusal."""
    inspection = access_inspection_as_lead(request.user, slug)
    form = form_class(request.POST, **dip_form_kwargs(inspection, form_class))
    if form.is_valid():
        try:
            messages.success(request, write(inspection, form))
            return redirect("sampling:dip", slug=slug)
        except SamplingError as refused:
            form.add_error(None, str(refused))
    return render(request, "sampling/dip.html", dip_context(inspection, bound=form), status=400)


@require_POST
def dip_draw(request, slug: str):
    def write(inspection, form) -> str:
        added = dip_sample_draw(inspection=inspection, user=request.user, **form.cleaned_data)
        return f"Added {len(added)} file(s) to the dip sample." if added else "The dip sample already meets its target."

    return _dip_write(request, slug, DipDrawForm, write)


@require_POST
def dip_add(request, slug: str):
    def write(inspection, form) -> str:
        dip_sample_add(case_file=form.case_file, user=request.user, reason=form.cleaned_data["reason"])
        return f"{form.case_file.urn} is now in the dip sample."

    return _dip_write(request, slug, DipAddForm, write)


@require_POST
def dip_remove(request, slug: str):
    def write(inspection, form) -> str:
        case_file: CaseFile = form.cleaned_data["case_file"]
        dip_sample_remove(case_file=case_file, user=request.user, reason=form.cleaned_data["reason"])
        return f"{case_file.urn} has been taken out of the dip sample."

    return _dip_write(request, slug, DipRemoveForm, write)
