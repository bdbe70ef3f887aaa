"""What each sampling page shows: context builders, so the views stay a screen long."""

from collections import Counter
from dataclasses import dataclass, field
from datetime import datetime

from django.db.models import Exists, OuterRef, QuerySet

from casefiles.models import CaseFile, Examination, Inspection

from .draw import ShortStrata, dip_target
from .forms import DipAddForm, DipDrawForm, DipRemoveForm, suggested_seed
from .frame import FrameInvalid
from .models import Draw, SampleEvent
from .services import area_names, plan_of
from .summary import draw_table, frame_preview

ERRORS_SHOWN = 100  # a frame can have thousands of bad rows; the page lists the first hundred


def _draw_of(inspection: Inspection) -> Draw | None:
    return Draw.objects.filter(inspection=inspection).select_related("drawn_by", "frame").first()


def overview_context(inspection: Inspection) -> dict:
    plan = plan_of(inspection)
    sample = CaseFile.objects.filter(inspection=inspection).in_sample()
    size = sample.count()
    return {
        "inspection": inspection,
        "plan": plan,
        "areas": len(area_names()),
        "frame": inspection.frames.select_related("imported_by").first(),
        "record": _draw_of(inspection),
        "sample_size": size,
        "assigned": sample.exclude(assigned_to=None).count(),
        "reserves_left": CaseFile.objects.filter(inspection=inspection, role="reserve", unavailable_reason="").count(),
        "replaced": CaseFile.objects.filter(inspection=inspection).exclude(unavailable_reason="").count(),
        "dipped": sample.filter(in_dip=True).count(),
        "dip_target": dip_target(size, plan.dip_sample_percent),
    }


def frame_context(inspection: Inspection, form, refused: FrameInvalid | None = None) -> dict:
    errors = refused.errors if refused else []
    total = refused.total if refused else 0
    return {
        "inspection": inspection,
        "form": form,
        "frames": inspection.frames.select_related("imported_by")[:10],
        "drawn": Draw.objects.filter(inspection=inspection).exists(),
        "frame_errors": errors[:ERRORS_SHOWN],
        "more_errors": max(0, total - len(errors[:ERRORS_SHOWN])),
        "error_count": total,
        "bad_rows": refused.bad_line_count if refused else 0,
    }


def draw_context(inspection: Inspection, form, short: ShortStrata | None = None) -> dict:
    plan = plan_of(inspection)
    record = _draw_of(inspection)
    context = {"inspection": inspection, "plan": plan, "form": form, "record": record, "short": short}
    if record is not None:
        context["rows"], context["totals"] = draw_table(record, plan)
    else:
        latest = inspection.frames.select_related("imported_by").first()
        context["frame"] = latest
        context["shortfalls"] = frame_preview(latest, plan, area_names()).shortfalls if latest else []
    return context


def replacements_context(inspection: Inspection, form) -> dict:
    plan = plan_of(inspection)
    left = Counter(
        CaseFile.objects.filter(inspection=inspection, role="reserve", unavailable_reason="").values_list(
            "area__name", "stratum"
        )
    )
    empty = [(name, s.label) for name in area_names().values() for s in plan.strata if not left.get((name, s.code))]
    events = SampleEvent.objects.filter(inspection=inspection, kind=SampleEvent.Kind.REPLACED).select_related(
        "case_file__area", "other_file", "by"
    )
    return {
        "inspection": inspection,
        "form": form,
        "events": events,
        "labels": {s.code: s.label for s in plan.strata},
        "no_reserve_left": empty if Draw.objects.filter(inspection=inspection).exists() else [],
        "drawn": Draw.objects.filter(inspection=inspection).exists(),
    }


def removable_dip_files(inspection: Inspection) -> QuerySet[CaseFile]:
    """Files in the dip sample whose quality assurance has not started."""
    started = Examination.objects.filter(case_file=OuterRef("pk"), kind=Examination.Kind.DIP)
    return (
        CaseFile.objects.filter(inspection=inspection, in_dip=True).in_sample().exclude(Exists(started)).order_by("urn")
    )


def dip_form_kwargs(inspection: Inspection, form_class: type) -> dict:
    if form_class is DipRemoveForm:
        return {"removable": removable_dip_files(inspection)}
    if form_class is DipAddForm:
        return {"inspection": inspection}
    return {}


@dataclass
class DipHistoryEntry:
    at: datetime
    what: str
    reason: str
    by: str
    urns: list[str] = field(default_factory=list)


def dip_history(inspection: Inspection, limit: int = 2000) -> list[DipHistoryEntry]:
    """The dip sample's events, newest first; the files one draw added make one entry."""
    events = (
        SampleEvent.objects.filter(
            inspection=inspection,
            kind__in=[SampleEvent.Kind.DIP_DRAWN, SampleEvent.Kind.DIP_ADDED, SampleEvent.Kind.DIP_REMOVED],
        )
        .select_related("case_file", "by")
        .order_by("-at", "-id")[:limit]
    )
    entries: list[DipHistoryEntry] = []
    last_key = None
    for event in events:
        by = event.by.username if event.by else "command line"
        key = (event.kind, event.reason, by, event.at.replace(second=0, microsecond=0))
        if event.kind == SampleEvent.Kind.DIP_DRAWN and key == last_key:
            entries[-1].urns.append(event.case_file.urn)
            continue
        entries.append(DipHistoryEntry(event.at, event.get_kind_display(), event.reason, by, [event.case_file.urn]))
        last_key = key
    for entry in entries:
        entry.urns.sort()
    return entries


def dip_context(inspection: Inspection, bound=None) -> dict:
    plan = plan_of(inspection)
    sample = CaseFile.objects.filter(inspection=inspection).in_sample()
    size = sample.count()
    started = Examination.objects.filter(case_file=OuterRef("pk"), kind=Examination.Kind.DIP)
    files = list(
        sample.filter(in_dip=True)
        .select_related("area", "assigned_to")
        .annotate(qa_started=Exists(started))
        .order_by("area__name", "stratum", "urn")
    )
    forms = {
        "draw_form": DipDrawForm(initial={"percent": f"{plan.dip_sample_percent:g}", "seed": suggested_seed()}),
        "add_form": DipAddForm(inspection=inspection),
        "remove_form": DipRemoveForm(removable=removable_dip_files(inspection)),
    }
    for name, form in forms.items():
        if bound is not None and type(bound) is type(form):
            forms[name] = bound
    target = dip_target(size, plan.dip_sample_percent)
    return {
        "inspection": inspection,
        "plan_percent": f"{plan.dip_sample_percent:g}",
        "sample_size": size,
        "target": target,
        "files": files,
        "still_needed": max(0, target - len(files)),
        "by_inspector": sorted(Counter(f.assigned_to.username if f.assigned_to else "" for f in files).items()),
        "by_area": sorted(Counter(f.area.name for f in files).items()),
        "history": dip_history(inspection),
        "labels": {s.code: s.label for s in plan.strata},
        "bound": bound,
        **forms,
    }
