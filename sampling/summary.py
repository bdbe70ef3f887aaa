"""Reads for the lead's pages: the frame's counts per Area × stratum, the draw's table."""

from collections import defaultdict
from dataclasses import dataclass, field

from django.db.models import Count, QuerySet
from django.db.models.fields.json import KeyTextTransform

from casefiles.models import CaseFile, Inspection

from .draw import Shortfall
from .models import Draw, Frame, FrameCase
from .plan import Plan


@dataclass
class Cell:
    candidates: int = 0
    da: int = 0
    wanted: int = 0

    @property
    def short(self) -> bool:
        return self.candidates < self.wanted

    @property
    def non_da(self) -> int:
        return self.candidates - self.da


@dataclass
class AreaCounts:
    area_id: int
    name: str
    cells: list[Cell]
    excluded: int = 0
    outside: int = 0  # in no stratum (the plan selects no case like it)

    @property
    def candidates(self) -> int:
        return sum(c.candidates for c in self.cells)

    @property
    def rows(self) -> int:
        return self.candidates + self.excluded + self.outside


@dataclass
class FramePreview:
    plan: Plan
    areas: list[AreaCounts]
    totals: list[Cell] = field(default_factory=list)

    @property
    def shortfalls(self) -> list[Shortfall]:
        return [
            Shortfall(a.area_id, a.name, s.code, s.label, cell.candidates, s.per_area)
            for a in self.areas
            for s, cell in zip(self.plan.strata, a.cells, strict=True)
            if cell.short
        ]

    @property
    def excluded(self) -> int:
        return sum(a.excluded for a in self.areas)

    @property
    def outside(self) -> int:
        return sum(a.outside for a in self.areas)


def frame_preview(frame: Frame, plan: Plan, areas: dict[int, str]) -> FramePreview:
    """Candidates and the mix attribute's "yes" candidates per Area × stratum, counted in the database."""
    codes = list(dict.fromkeys([*plan.filter_codes, *([plan.mix_attribute] if plan.mix_attribute else [])]))
    keys = {f"a{i}": KeyTextTransform(code, "attributes") for i, code in enumerate(codes)}
    groups = FrameCase.objects.filter(frame=frame).order_by().values("area_id", **keys).annotate(n=Count("id"))
    index = {s.code: i for i, s in enumerate(plan.strata)}
    rows = {
        area_id: AreaCounts(area_id, name, [Cell(wanted=s.per_area) for s in plan.strata])
        for area_id, name in areas.items()
    }
    for g in groups:
        row = rows[g["area_id"]]
        attributes = {code: g[f"a{i}"] or "" for i, code in enumerate(codes)}
        stratum = plan.stratum_of(attributes)
        if plan.excludes(attributes):
            row.excluded += g["n"]
        elif stratum is None:
            row.outside += g["n"]
        else:
            cell = row.cells[index[stratum.code]]
            cell.candidates += g["n"]
            cell.da += g["n"] if plan.mixed(attributes) else 0
    totals = [Cell(wanted=s.per_area * len(rows)) for s in plan.strata]
    for row in rows.values():
        for total, cell in zip(totals, row.cells, strict=True):
            total.candidates += cell.candidates
            total.da += cell.da
    return FramePreview(plan=plan, areas=list(rows.values()), totals=totals)


@dataclass
class DrawRow:
    area: str
    stratum: str
    label: str
    candidates: int
    candidates_da: int
    wanted: int
    drawn: int
    drawn_da: int
    reserves: int
    first_of_area: bool = False
    strata_in_area: int = 1

    @property
    def drawn_non_da(self) -> int:
        return self.drawn - self.drawn_da

    @property
    def short(self) -> bool:
        return self.drawn < self.wanted


def draw_table(draw: Draw, plan: Plan) -> tuple[list[DrawRow], dict[str, int]]:
    """The draw's Area × stratum rows, as recorded when it was drawn, and their totals."""
    rows = [
        DrawRow(
            area=s.get("area", ""),
            stratum=s["stratum"],
            label=plan.label_of(s["stratum"]),
            candidates=s["candidates"],
            candidates_da=s["candidates_da"],
            wanted=s["wanted"],
            drawn=s["drawn"],
            drawn_da=s["drawn_da"],
            reserves=s["reserves"],
        )
        for s in draw.summary
    ]
    per_area: dict[str, int] = defaultdict(int)
    for row in rows:
        per_area[row.area] += 1
    seen: set[str] = set()
    for row in rows:
        row.first_of_area = row.area not in seen
        row.strata_in_area = per_area[row.area]
        seen.add(row.area)
    totals = {
        key: sum(getattr(r, key) for r in rows)
        for key in ("candidates", "candidates_da", "wanted", "drawn", "drawn_da", "reserves")
    }
    totals["drawn_non_da"] = totals["drawn"] - totals["drawn_da"]
    return rows, totals


def sample_filtered(inspection: Inspection, criteria: dict) -> QuerySet[CaseFile]:
    """The inspection's files narrowed by the sample page's filters (SampleFilterForm's
    cleaned data); by default the files in the sample."""
    files = CaseFile.objects.filter(inspection=inspection).select_related("area", "assigned_to")
    role = criteria.get("role") or "sample"
    if role == "sample":
        files = files.in_sample()
    elif role == "reserve":
        files = files.filter(role=CaseFile.Role.RESERVE, unavailable_reason="")
    elif role == "unavailable":
        files = files.exclude(unavailable_reason="")
    if criteria.get("area"):
        files = files.filter(area=criteria["area"])
    if criteria.get("stratum"):
        files = files.filter(stratum=criteria["stratum"])
    mix = inspection.plan.get("mix") or {}
    if criteria.get("da") and mix.get("attribute"):
        files = files.filter(**{f"attributes__{mix['attribute']}": criteria["da"]})
    if criteria.get("dip"):
        files = files.filter(in_dip=criteria["dip"] == "yes")
    if criteria.get("inspector") == "none":
        files = files.filter(assigned_to__isnull=True)
    elif criteria.get("inspector"):
        files = files.filter(assigned_to__username=criteria["inspector"])
    return files
