"""Writes of the sampling app: import a frame, draw the sample, replace a file, the dip sample.

Each is one transaction: on any refusal nothing is stored.
"""

import json

from django.db import connection, transaction
from django.db.models.fields.json import KeyTextTransform

from casefiles.models import Area, CaseFile, Examination, Inspection

from .draw import DipCandidate, draw, pick_dip
from .frame import FrameRow, normalise_area_name, parse_frame
from .models import Draw, Frame, FrameCase, SampleEvent
from .plan import Plan, parse_plan


class SamplingError(Exception):
    """A write refused for a reason the user can act on; nothing was stored."""


def area_lookup() -> dict[str, int]:
    return {normalise_area_name(name): pk for pk, name in Area.objects.values_list("pk", "name")}


def area_names() -> dict[int, str]:
    """Area id → name, in name order (the order of every Area × stratum table)."""
    return dict(Area.objects.order_by("name").values_list("pk", "name"))


def plan_of(inspection: Inspection) -> Plan:
    return parse_plan(inspection.plan)


def _lock(inspection: Inspection) -> Inspection:
    # Serialises draws and imports of one inspection (a no-op on SQLite, whose writes are serial anyway).
    return Inspection.objects.select_for_update().get(pk=inspection.pk)


def frame_import(*, inspection: Inspection, filename: str, content: bytes, user=None) -> Frame:
    """Validate the whole frame, then store it as the inspection's latest.

    Raises FrameInvalid (bad rows named) or SamplingError; either way stores nothing. The
    file is read before the transaction opens, so no lock is held while it is parsed (on
    SQLite a lock would stop every sign-in and autosave meanwhile).
    """
    _refuse_if_drawn(inspection)
    rows = parse_frame(filename, content, area_lookup(), plan_of(inspection).attributes)
    return _frame_store(inspection=inspection, filename=filename, rows=rows, user=user)


def _refuse_if_drawn(inspection: Inspection) -> None:
    if Draw.objects.filter(inspection=inspection).exists():
        raise SamplingError("The sample has already been drawn; a new frame would not change it.")


@transaction.atomic
def _frame_store(*, inspection: Inspection, filename: str, rows: list[FrameRow], user=None) -> Frame:
    _lock(inspection)
    _refuse_if_drawn(inspection)  # again, under the lock: a draw may have happened while parsing
    frame = Frame.objects.create(inspection=inspection, filename=filename, imported_by=user, row_count=len(rows))
    _insert_frame_cases(frame, rows)
    return frame


FRAME_CASE_FIELDS = ("frame", "line", "urn", "area", "attributes")


def _insert_frame_cases(frame: Frame, rows: list[FrameRow]) -> None:
    """Store the frame's rows without building a model instance each: with bulk_create,
    making and compiling 100,000 FrameCase objects was three quarters of the import."""
    quote = connection.ops.quote_name
    table = quote(FrameCase._meta.db_table)
    columns = ", ".join(quote(FrameCase._meta.get_field(name).column) for name in FRAME_CASE_FIELDS)
    values = ((frame.pk, r.line, r.urn, r.area_id, json.dumps(r.attributes)) for r in rows)
    with connection.cursor() as cursor:
        if connection.vendor == "postgresql":
            # COPY streams the rows; psycopg's client-side binding of a big INSERT took seconds.
            with cursor.cursor.copy(f"COPY {table} ({columns}) FROM STDIN") as copy:
                for row in values:
                    copy.write_row(row)
        else:
            placeholders = ", ".join(["%s"] * len(FRAME_CASE_FIELDS))
            cursor.executemany(f"INSERT INTO {table} ({columns}) VALUES ({placeholders})", list(values))


class FrameCandidate:
    """A frame row as the draw sees it (lighter than a model instance: frames are large).
    attributes holds only those the draw reads (the strata's, exclusions' and mix rule's)."""

    __slots__ = ("urn", "area_id", "attributes")

    def __init__(self, urn: str, area_id: int, attributes: dict[str, str]):
        self.urn, self.area_id, self.attributes = urn, area_id, attributes


def frame_candidates(frame: Frame, plan: Plan) -> list[FrameCandidate]:
    """The frame's rows with the attributes the draw reads, extracted by the database (decoding
    every row's JSON in Python doubled the draw of a 100,000-row frame)."""
    codes = list(dict.fromkeys([*plan.filter_codes, *([plan.mix_attribute] if plan.mix_attribute else [])]))
    keys = {f"a{i}": KeyTextTransform(code, "attributes") for i, code in enumerate(codes)}
    rows = FrameCase.objects.filter(frame=frame).order_by().annotate(**keys).values_list("urn", "area_id", *keys)
    return [
        FrameCandidate(urn, area_id, {code: value or "" for code, value in zip(codes, values, strict=True)})
        for urn, area_id, *values in rows.iterator(chunk_size=5000)
    ]


@transaction.atomic
def sample_draw(*, inspection: Inspection, seed: int, user=None, take_what_there_is: bool = False) -> Draw:
    """Draw the stratified sample with ranked reserves from the latest frame (see sampling.draw).

    Raises ShortStrata, naming every short Area × stratum and storing nothing, when a cell
    has too few candidates, unless take_what_there_is: the shortfalls are then recorded.
    Raises SamplingError when there is no frame or the sample is already drawn.
    """
    inspection = _lock(inspection)
    if Draw.objects.filter(inspection=inspection).exists() or inspection.case_files.exists():
        raise SamplingError("The sample has already been drawn for this inspection.")
    frame = inspection.frames.first()
    if frame is None:
        raise SamplingError("Import a sample frame before drawing the sample.")
    plan = plan_of(inspection)
    result = draw(plan, frame_candidates(frame, plan), area_names(), seed, take_what_there_is)
    picked = {p.candidate.urn for p in result.picks}
    stored = dict(FrameCase.objects.filter(frame=frame, urn__in=picked).values_list("urn", "attributes"))
    CaseFile.objects.bulk_create(
        (
            CaseFile(
                inspection=inspection,
                urn=p.candidate.urn,
                area_id=p.candidate.area_id,
                attributes=stored[p.candidate.urn],
                stratum=p.stratum.code,
                role=p.role,
                reserve_rank=p.reserve_rank,
            )
            for p in result.picks
        ),
        batch_size=1000,
    )
    return Draw.objects.create(
        inspection=inspection,
        frame=frame,
        seed=seed,
        drawn_by=user,
        took_what_there_is=take_what_there_is and bool(result.shortfalls),
        shortfalls=[s.as_data() for s in result.shortfalls],
        summary=result.summary,
    )


@transaction.atomic
def case_file_replace(*, case_file: CaseFile, reason: str, user) -> CaseFile:
    """Mark a sampled file unavailable; the lowest-ranked available reserve of its Area and
    stratum takes its place, its inspector and its dip-sample membership. Returns the reserve.
    """
    reason = reason.strip()
    if not reason:
        raise SamplingError("Give the reason the file is unavailable.")
    case_file = CaseFile.objects.select_for_update().select_related("area", "inspection").get(pk=case_file.pk)
    if case_file.role != CaseFile.Role.SAMPLE or case_file.unavailable_reason:
        raise SamplingError(f"{case_file.urn} is not a file in the sample.")
    if Examination.objects.filter(case_file=case_file, answers__isnull=False).exists():
        # Its answers would leave the results with the file; keep the file and its answers.
        raise SamplingError(f"{case_file.urn} already has answers recorded, so it cannot be replaced.")
    reserve = (
        CaseFile.objects.select_for_update()
        .filter(
            inspection=case_file.inspection,
            area=case_file.area,
            stratum=case_file.stratum,
            role=CaseFile.Role.RESERVE,
            unavailable_reason="",
        )
        .order_by("reserve_rank", "urn")
        .first()
    )
    if reserve is None:
        label = plan_of(case_file.inspection).label_of(case_file.stratum)
        raise SamplingError(f"No reserve is left for {case_file.area}, {label}; {case_file.urn} stays in the sample.")
    was_in_dip = case_file.in_dip
    case_file.unavailable_reason = reason
    case_file.in_dip = False  # only files in the sample count towards the dip sample
    case_file.save(update_fields=["unavailable_reason", "in_dip"])
    reserve.role = CaseFile.Role.SAMPLE
    reserve.replaces = case_file
    reserve.assigned_to = case_file.assigned_to
    reserve.in_dip = was_in_dip
    reserve.save(update_fields=["role", "replaces", "assigned_to", "in_dip"])
    SampleEvent.objects.create(
        inspection=case_file.inspection,
        kind=SampleEvent.Kind.REPLACED,
        case_file=case_file,
        other_file=reserve,
        reason=reason,
        by=user,
    )
    return reserve


def qa_started(case_file: CaseFile) -> bool:
    """Quality assurance of a file starts when a dip examination of it is opened."""
    return Examination.objects.filter(case_file=case_file, kind=Examination.Kind.DIP).exists()


@transaction.atomic
def dip_sample_draw(*, inspection: Inspection, percent: float, seed: int, user=None) -> list[CaseFile]:
    """Top the dip sample up to percent% of the sampled files, rounded up (see sampling.draw.pick_dip).

    Never removes a file, so a second run with the same percent adds nothing. Files the
    lead took out of the dip sample by hand are not drawn again (they can be added by hand).
    """
    if not 0 < percent <= 100:
        raise SamplingError("The percentage must be above 0 and at most 100.")
    inspection = _lock(inspection)
    sample = CaseFile.objects.filter(inspection=inspection).in_sample()
    if not sample.exists():
        raise SamplingError("Draw the sample before the dip sample.")
    removed = set(
        SampleEvent.objects.filter(inspection=inspection, kind=SampleEvent.Kind.DIP_REMOVED).values_list(
            "case_file_id", flat=True
        )
    )
    files = [
        DipCandidate(pk, urn, area_id, inspector_id, in_dip, eligible=pk not in removed)
        for pk, urn, area_id, inspector_id, in_dip in sample.values_list(
            "pk", "urn", "area_id", "assigned_to_id", "in_dip"
        )
    ]
    chosen = pick_dip(files, percent, seed)
    CaseFile.objects.filter(pk__in=chosen).update(in_dip=True)
    added = list(CaseFile.objects.filter(pk__in=chosen).select_related("area", "assigned_to"))
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


def _in_sample(case_file: CaseFile) -> CaseFile:
    locked = CaseFile.objects.select_for_update().select_related("inspection").get(pk=case_file.pk)
    if locked.role != CaseFile.Role.SAMPLE or locked.unavailable_reason:
        raise SamplingError(f"{locked.urn} is not a file in the sample.")
    return locked


@transaction.atomic
def dip_sample_add(*, case_file: CaseFile, user, reason: str = "") -> CaseFile:
    """Put a sampled file in the dip sample by hand."""
    case_file = _in_sample(case_file)
    if case_file.in_dip:
        raise SamplingError(f"{case_file.urn} is already in the dip sample.")
    case_file.in_dip = True
    case_file.save(update_fields=["in_dip"])
    SampleEvent.objects.create(
        inspection=case_file.inspection,
        kind=SampleEvent.Kind.DIP_ADDED,
        case_file=case_file,
        reason=reason.strip(),
        by=user,
    )
    return case_file


@transaction.atomic
def dip_sample_remove(*, case_file: CaseFile, user, reason: str) -> CaseFile:
    """Take a file out of the dip sample, with a reason, only before its quality assurance starts."""
    reason = reason.strip()
    if not reason:
        raise SamplingError("Give the reason for taking the file out of the dip sample.")
    case_file = _in_sample(case_file)
    if not case_file.in_dip:
        raise SamplingError(f"{case_file.urn} is not in the dip sample.")
    if qa_started(case_file):
        raise SamplingError(f"Quality assurance of {case_file.urn} has started, so it stays in the dip sample.")
    case_file.in_dip = False
    case_file.save(update_fields=["in_dip"])
    SampleEvent.objects.create(
        inspection=case_file.inspection,
        kind=SampleEvent.Kind.DIP_REMOVED,
        case_file=case_file,
        reason=reason,
        by=user,
    )
    return case_file
