"""The stratified draw and the dip-sample pick, as pure functions over plain rows.

How the sample is drawn (`draw`):

1. Every candidate falls in at most one *cell*, its CPS Area × the plan's stratum whose
   filter it matches (filters read the plan's case attributes). Cases the plan excludes
   and cases no stratum selects are never drawn.
2. If any cell has fewer candidates than its quota the draw stops, naming every short
   cell (`ShortStrata`), unless told to take what there is: then a short cell is drawn
   whole and the shortfall is reported.
3. Each cell is drawn with its own random generator, seeded from the text
   "<seed>:<Area name>:<stratum code>", over its candidates sorted by URN. So the same
   frame and seed give the same files whatever order the frame's rows came in, on any
   database, and one cell's draw never shifts another's.
4. Mix (plan `mix: {attribute: <a yes/no attribute>, rule: proportional}`, e.g. domestic
   abuse): the cell's quota is split between the attribute's "yes" and "no" cases in
   proportion to the cell's candidates. A fractional share is rounded up or down at random,
   with the odds of the fraction (1.65 "yes" places become 2 with probability 0.65), so
   across Areas the sample keeps the frame's share with no bias from rounding. Where the
   cell has both kinds and a quota of 2 or more it takes at least one of each. Each part is
   then a simple random sample of its kind. With rule `none`, or no mix, the cell is a
   simple random sample whatever its split.
5. Reserves: the cell's candidates not drawn, in a random order from the same generator;
   the first `reserves_per_stratum` become reserves ranked 1, 2, 3… A file made
   unavailable is replaced by its cell's first reserve still available, in rank order.
"""

import math
import random
from collections import Counter, defaultdict, deque
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass, field
from fractions import Fraction
from typing import Protocol

from casefiles.dip import dip_target

from .plan import Plan, Stratum


class Candidate(Protocol):
    urn: str
    area_id: int

    @property
    def attributes(self) -> dict[str, str]: ...


@dataclass(frozen=True)
class Pick:
    candidate: Candidate
    stratum: Stratum
    role: str  # "sample" or "reserve"
    reserve_rank: int | None = None


@dataclass(frozen=True)
class Shortfall:
    area_id: int
    area: str
    stratum: str
    label: str
    candidates: int
    wanted: int

    def __str__(self) -> str:
        places = f"{self.candidates} candidate(s) for {self.wanted} place(s)"
        return f"CPS {self.area}, {self.label} ({self.stratum}): {places}"

    def as_data(self) -> dict:
        return {
            "area_id": self.area_id,
            "area": self.area,
            "stratum": self.stratum,
            "label": self.label,
            "candidates": self.candidates,
            "wanted": self.wanted,
        }


@dataclass
class DrawResult:
    picks: list[Pick] = field(default_factory=list)
    shortfalls: list[Shortfall] = field(default_factory=list)
    summary: list[dict] = field(default_factory=list)


class ShortStrata(Exception):
    """Some Area × stratum cells have fewer candidates than their quota; nothing was drawn."""

    def __init__(self, shortfalls: list[Shortfall]):
        self.shortfalls = shortfalls
        super().__init__(
            f"too few candidates in {len(shortfalls)} Area × stratum cell(s): " + "; ".join(map(str, shortfalls))
        )


def cells_of(plan: Plan, candidates: Iterable[Candidate]) -> dict[tuple[int, str], list[Candidate]]:
    """(area id, stratum code) → the cell's candidates, excluded and unmatched cases left out."""
    cells: dict[tuple[int, str], list[Candidate]] = defaultdict(list)
    strata: dict[tuple, Stratum | None] = {}  # memo: a frame has few distinct combinations of what strata read
    codes = plan.filter_codes
    for candidate in candidates:
        attributes = candidate.attributes
        key = tuple(attributes.get(code, "") for code in codes)
        if key not in strata:
            strata[key] = plan.stratum_of(attributes)
        stratum = strata[key]
        if stratum is not None:
            cells[(candidate.area_id, stratum.code)].append(candidate)
    return cells


def shortfalls_of(
    plan: Plan, cells: Mapping[tuple[int, str], Sequence[Candidate]], areas: Mapping[int, str]
) -> list[Shortfall]:
    return [
        Shortfall(area_id, name, s.code, s.label, len(cells.get((area_id, s.code), ())), s.per_area)
        for area_id, name in areas.items()
        for s in plan.strata
        if len(cells.get((area_id, s.code), ())) < s.per_area
    ]


def da_split(quota: int, da_available: int, other_available: int, rng: random.Random) -> int:
    """How many of a cell's places go to the mix attribute's "yes" cases (module docstring, point 4)."""
    total = da_available + other_available
    take = min(quota, total)
    if take == 0:
        return 0
    exact = Fraction(take * da_available, total)
    da = math.floor(exact)
    if rng.random() < exact - da:
        da += 1
    if da_available and other_available and take >= 2:
        da = max(1, min(da, take - 1))
    return max(min(da, da_available), take - other_available)


def _by_urn(candidates: Iterable[Candidate]) -> list[Candidate]:
    return sorted(candidates, key=lambda c: c.urn)


def draw_cell(plan: Plan, stratum: Stratum, pool: Sequence[Candidate], rng: random.Random) -> tuple[list, list]:
    """(drawn, ranked reserves) for one Area × stratum cell."""
    pool = _by_urn(pool)
    if plan.mix_attribute and plan.mix_rule == "proportional":
        da_pool = [c for c in pool if plan.mixed(c.attributes)]
        other_pool = [c for c in pool if not plan.mixed(c.attributes)]
        rng.shuffle(da_pool)
        rng.shuffle(other_pool)
        n_da = da_split(stratum.per_area, len(da_pool), len(other_pool), rng)
        n_other = min(stratum.per_area, len(pool)) - n_da
        chosen = da_pool[:n_da] + other_pool[:n_other]
        rest = da_pool[n_da:] + other_pool[n_other:]
    else:
        order = list(pool)
        rng.shuffle(order)
        chosen, rest = order[: stratum.per_area], order[stratum.per_area :]
    rest = _by_urn(rest)
    rng.shuffle(rest)
    return _by_urn(chosen), rest[: plan.reserves_per_stratum]


def draw(
    plan: Plan,
    candidates: Iterable[Candidate],
    areas: Mapping[int, str],
    seed: int,
    take_what_there_is: bool = False,
) -> DrawResult:
    """Draw the sample and ranked reserves. areas: Area id → name, in display order.

    Raises ShortStrata, naming every short cell, unless take_what_there_is.
    """
    cells = cells_of(plan, candidates)
    result = DrawResult(shortfalls=shortfalls_of(plan, cells, areas))
    if result.shortfalls and not take_what_there_is:
        raise ShortStrata(result.shortfalls)
    for area_id, area_name in areas.items():
        for stratum in plan.strata:
            pool = cells.get((area_id, stratum.code), [])
            rng = random.Random(f"{seed}:{area_name}:{stratum.code}")
            chosen, reserves = draw_cell(plan, stratum, pool, rng)
            result.picks.extend(Pick(c, stratum, "sample") for c in chosen)
            result.picks.extend(Pick(c, stratum, "reserve", rank) for rank, c in enumerate(reserves, start=1))
            result.summary.append(
                {
                    "area_id": area_id,
                    "area": area_name,
                    "stratum": stratum.code,
                    "candidates": len(pool),
                    # "_da": the mix attribute's "yes" cases (the key predates the mix rule's generalisation)
                    "candidates_da": sum(1 for c in pool if plan.mixed(c.attributes)),
                    "wanted": stratum.per_area,
                    "drawn": len(chosen),
                    "drawn_da": sum(1 for c in chosen if plan.mixed(c.attributes)),
                    "reserves": len(reserves),
                }
            )
    return result


@dataclass(frozen=True)
class DipCandidate:
    id: int
    urn: str
    area_id: int
    inspector_id: int | None
    in_dip: bool
    eligible: bool = True  # False: taken out of the dip sample by hand, so a top-up leaves it out


def pick_dip(files: Sequence[DipCandidate], percent: float, seed: int) -> list[int]:
    """Ids of the files to add so the dip sample reaches percent% of `files` (the sample),
    rounded up. Never removes a file: with the target already met it adds nothing.

    Spread: each pick goes to the inspector whose share of their files already dipped is
    lowest, then, among that inspector's files, to the Area with the lowest dipped share;
    ties are broken by a random order of the files seeded from "dip:<seed>", so the same
    sample and seed give the same picks. Unassigned files count as one inspector.
    """
    need = dip_target(len(files), percent) - sum(1 for f in files if f.in_dip)
    if need <= 0:
        return []
    files_of_inspector = Counter(f.inspector_id for f in files)
    files_of_area = Counter(f.area_id for f in files)
    dipped_inspector = Counter(f.inspector_id for f in files if f.in_dip)
    dipped_area = Counter(f.area_id for f in files if f.in_dip)
    pool = _by_urn(f for f in files if not f.in_dip and f.eligible)
    random.Random(f"dip:{seed}").shuffle(pool)
    queues: dict[tuple, deque[DipCandidate]] = defaultdict(deque)
    position: dict[int, int] = {}
    for i, f in enumerate(pool):
        queues[(f.inspector_id, f.area_id)].append(f)
        position[f.id] = i
    chosen: list[int] = []
    for _ in range(min(need, len(pool))):
        heads = [q[0] for q in queues.values() if q]

        def inspector_share(f: DipCandidate) -> Fraction:
            return Fraction(dipped_inspector[f.inspector_id], files_of_inspector[f.inspector_id])

        inspector = min(heads, key=lambda f: (inspector_share(f), position[f.id])).inspector_id
        pick = min(
            (f for f in heads if f.inspector_id == inspector),
            key=lambda f: (Fraction(dipped_area[f.area_id], files_of_area[f.area_id]), position[f.id]),
        )
        queues[(pick.inspector_id, pick.area_id)].popleft()
        dipped_inspector[pick.inspector_id] += 1
        dipped_area[pick.area_id] += 1
        chosen.append(pick.id)
    return chosen
