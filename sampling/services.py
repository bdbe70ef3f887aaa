"""Writes of the sampling app: import a frame, draw the sample, replace a file, the dip sample."""

from django.db import transaction

from casefiles.models import Area, CaseFile, Examination, Inspection

from .draw import DipCandidate, DrawResult, ShortStrata, draw, pick_dip
from .frame import normalise_area_name, parse_frame
from .models import Draw, Frame, FrameCase, SampleEvent
from .plan import Plan, parse_plan


class SamplingError(Exception):
    pass


def area_lookup() -> dict[str, int]:
    return {normalise_area_name(name): pk for pk, name in Area.objects.values_list("pk", "name")}


def plan_of(inspection: Inspection) -> Plan:
    return parse_plan(inspection.plan)


@transaction.atomic
def frame_import(*, inspection: Inspection, filename: str, content: bytes, user=None) -> Frame:
    """Validate the whole frame, then store it. Raises FrameInvalid and stores nothing on any bad row."""
    rows = parse_frame(filename, content, area_lookup())
    frame = Frame.objects.create(inspection=inspection, filename=filename, imported_by=user, row_count=len(rows))
    FrameCase.objects.bulk_create(
        (
            FrameCase(
                frame=frame,
                line=r.line,
                urn=r.urn,
                area_id=r.area_id,
                category=r.category,
                outcome=r.outcome,
                court=r.court,
                domestic_abuse=r.domestic_abuse,
                vrr=r.vrr,
                decision_date=r.decision_date,
            )
            for r in rows
        ),
        batch_size=2000,
    )
    return frame


class _FrameCandidate:
    __slots__ = ("pk", "urn", "area_id", "category", "outcome", "court", "domestic_abuse", "vrr", "decision_date")

    def __init__(self, values: tuple):
        (
            self.pk,
            self.urn,
            self.area_id,
            self.category,
            self.outcome,
            self.court,
            self.domestic_abuse,
            self.vrr,
            self.decision_date,
        ) = values

    @property
    def attributes(self) -> dict[str, str]:
        return {
            "category": self.category,
            "outcome": self.outcome,
            "court": self.court,
            "domestic_abuse": "yes" if self.domestic_abuse else "no",
            "vrr": "yes" if self.vrr else "no",
        }


def frame_candidates(frame: Frame) -> list[_FrameCandidate]:
    fields = ("pk", "urn", "area_id", "category", "outcome", "court", "domestic_abuse", "vrr", "decision_date")
    return [_FrameCandidate(v) for v in FrameCase.objects.filter(frame=frame).values_list(*fields).iterator(2000)]


def draw_preview(*, inspection: Inspection, frame: Frame) -> DrawResult:
    """Counts per Area × stratum without drawing (the frame preview)."""
    return draw(plan_of(inspection), frame_candidates(frame), _area_ids(), seed=0, take_what_there_is=True)


def _area_ids() -> list[int]:
    return list(Area.objects.order_by("name").values_list("pk", flat=True))


@transaction.atomic
def sample_draw(*, inspection: Inspection, seed: int, user=None, take_what_there_is: bool = False) -> Draw:
    """Draw the stratified sample with ranked reserves from the latest frame.

    Raises ShortStrata (nothing stored) when a stratum has too few candidates, unless
    take_what_there_is, which is then recorded with the shortfalls.
    """
    if Draw.objects.filter(inspection=inspection).exists():
        raise SamplingError("The sample has already been drawn for this inspection.")
    frame = inspection.frames.first()
    if frame is None:
        raise SamplingError("Import a sample frame before drawing the sample.")
    result = draw(plan_of(inspection), frame_candidates(frame), _area_ids(), seed, take_what_there_is)
    CaseFile.objects.bulk_create(
        CaseFile(
            inspection=inspection,
            urn=p.candidate.urn,
            area_id=p.candidate.area_id,
            category=p.candidate.category,
            outcome=p.candidate.outcome,
            court=p.candidate.court,
            domestic_abuse=p.candidate.domestic_abuse,
            vrr=p.candidate.vrr,
            decision_date=p.candidate.decision_date,
            stratum=p.stratum.code,
            role=p.role,
            reserve_rank=p.reserve_rank,
        )
        for p in result.picks
    )
    return Draw.objects.create(
        inspection=inspection,
        frame=frame,
        seed=seed,
        drawn_by=user,
        took_what_there_is=take_what_there_is and bool(result.shortfalls),
        shortfalls=[s.__dict__ for s in result.shortfalls],
        summary=result.summary,
    )


def describe_shortfalls(error: ShortStrata, inspection: Inspection) -> list[str]:
    names = dict(Area.objects.values_list("pk", "name"))
    plan = plan_of(inspection)
    return [
        f"CPS {names[s.area_id]} — {plan.stratum(s.stratum).label}: {s.candidates} candidate(s) for {s.wanted} place(s)"
        for s in error.shortfalls
    ]


@transaction.atomic
def case_file_replace(*, case_file: CaseFile, reason: str, user) -> CaseFile:
    """Mark a sampled file unavailable; the next reserve of its Area and stratum takes its place."""
    if not reason.strip():
        raise SamplingError("Give the reason the file is unavailable.")
    case_file = CaseFile.objects.select_for_update().get(pk=case_file.pk)
    if case_file.role != CaseFile.Role.SAMPLE or case_file.unavailable_reason:
        raise SamplingError(f"{case_file.urn} is not a file in the sample.")
    if Examination.objects.filter(case_file=case_file, answers__isnull=False).exists():
        raise SamplingError(f"{case_file.urn} already has answers recorded; it cannot be replaced.")
    reserve = (
        CaseFile.objects.select_for_update()
        .filter(
            inspection=case_file.inspection,
            area=case_file.area,
            stratum=case_file.stratum,
            role=CaseFile.Role.RESERVE,
            unavailable_reason="",
        )
        .order_by("reserve_rank")
        .first()
    )
    if reserve is None:
        raise SamplingError(f"No reserve is left for CPS {case_file.area.name}, stratum {case_file.stratum}.")
    case_file.unavailable_reason = reason.strip()
    case_file.save(update_fields=["unavailable_reason"])
    reserve.role = CaseFile.Role.SAMPLE
    reserve.replaces = case_file
    reserve.assigned_to = case_file.assigned_to
    reserve.in_dip = case_file.in_dip
    reserve.save(update_fields=["role", "replaces", "assigned_to", "in_dip"])
    SampleEvent.objects.create(
        inspection=case_file.inspection,
        kind=SampleEvent.Kind.REPLACED,
        case_file=case_file,
        other_file=reserve,
        reason=reason.strip(),
        by=user,
    )
    return reserve


@transaction.atomic
def dip_sample_draw(*, inspection: Inspection, percent: float, seed: int, user=None) -> list[CaseFile]:
    """Top the dip sample up to percent% of the sampled files; never removes a file."""
    files = [
        DipCandidate(pk, urn, area_id, inspector_id, in_dip)
        for pk, urn, area_id, inspector_id, in_dip in CaseFile.objects.filter(inspection=inspection)
        .in_sample()
        .values_list("pk", "urn", "area_id", "assigned_to_id", "in_dip")
    ]
    chosen = pick_dip(files, percent, seed)
    CaseFile.objects.filter(pk__in=chosen).update(in_dip=True)
    added = list(CaseFile.objects.filter(pk__in=chosen))
    SampleEvent.objects.bulk_create(
        SampleEvent(
            inspection=inspection,
            kind=SampleEvent.Kind.DIP_DRAWN,
            case_file=f,
            reason=f"{percent:g}% draw, seed {seed}",
            by=user,
        )
        for f in added
    )
    return added


@transaction.atomic
def dip_sample_add(*, case_file: CaseFile, user, reason: str = "") -> None:
    if case_file.in_dip:
        return
    CaseFile.objects.filter(pk=case_file.pk).update(in_dip=True)
    SampleEvent.objects.create(
        inspection=case_file.inspection, kind=SampleEvent.Kind.DIP_ADDED, case_file=case_file, reason=reason, by=user
    )


@transaction.atomic
def dip_sample_remove(*, case_file: CaseFile, user, reason: str) -> None:
    if not reason.strip():
        raise SamplingError("Give the reason for removing the file from the dip sample.")
    if Examination.objects.filter(case_file=case_file, kind=Examination.Kind.DIP).exists():
        raise SamplingError(f"Quality assurance of {case_file.urn} has started; it stays in the dip sample.")
    CaseFile.objects.filter(pk=case_file.pk).update(in_dip=False)
    SampleEvent.objects.create(
        inspection=case_file.inspection, kind=SampleEvent.Kind.DIP_REMOVED, case_file=case_file, reason=reason, by=user
    )
