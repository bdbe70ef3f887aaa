"""The stratified draw and the dip-sample pick, as pure functions over plain rows.

Reproducible: each Area × stratum uses its own random generator seeded from the seed,
the Area and the stratum, over candidates sorted by URN, so the same frame and seed
give the same files whatever order the frame's rows came in.
"""

import math
import random
from collections import Counter, defaultdict
from collections.abc import Sequence
from dataclasses import dataclass, field
from typing import Protocol

from .plan import Plan, Stratum


class Candidate(Protocol):
    urn: str
    area_id: int
    domestic_abuse: bool

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
    stratum: str
    candidates: int
    wanted: int


@dataclass
class DrawResult:
    picks: list[Pick] = field(default_factory=list)
    shortfalls: list[Shortfall] = field(default_factory=list)
    summary: list[dict] = field(default_factory=list)


class ShortStrata(Exception):
    def __init__(self, shortfalls: list[Shortfall]):
        self.shortfalls = shortfalls
        super().__init__(f"{len(shortfalls)} stratum/strata have too few candidates")


def da_split(quota: int, da_available: int, other_available: int) -> int:
    """How many DA cases to take: proportional to the frame, at least one of each where
    the frame has both and the quota allows, never more than there are."""
    total = da_available + other_available
    if total == 0 or quota == 0:
        return 0
    take = min(quota, total)
    da = round(take * da_available / total)
    if da_available and other_available and take >= 2:
        da = max(1, min(da, take - 1))
    da = min(da, da_available)
    return max(da, take - other_available)


def draw(
    plan: Plan, candidates: Sequence[Candidate], area_ids: Sequence[int], seed: int, take_what_there_is: bool = False
) -> DrawResult:
    cells: dict[tuple[int, str], list[Candidate]] = defaultdict(list)
    for candidate in candidates:
        stratum = plan.stratum_of(candidate.attributes)
        if stratum is not None:
            cells[(candidate.area_id, stratum.code)].append(candidate)

    result = DrawResult()
    for area_id in area_ids:
        for stratum in plan.strata:
            pool = sorted(cells.get((area_id, stratum.code), []), key=lambda c: c.urn)
            if len(pool) < stratum.per_area:
                result.shortfalls.append(Shortfall(area_id, stratum.code, len(pool), stratum.per_area))
    if result.shortfalls and not take_what_there_is:
        raise ShortStrata(result.shortfalls)

    for area_id in area_ids:
        for stratum in plan.strata:
            pool = sorted(cells.get((area_id, stratum.code), []), key=lambda c: c.urn)
            rng = random.Random(f"{seed}:{area_id}:{stratum.code}")
            da_pool = [c for c in pool if c.domestic_abuse]
            other_pool = [c for c in pool if not c.domestic_abuse]
            rng.shuffle(da_pool)
            rng.shuffle(other_pool)
            if plan.domestic_abuse_mix == "proportional":
                n_da = da_split(stratum.per_area, len(da_pool), len(other_pool))
                n_other = min(stratum.per_area, len(pool)) - n_da
                chosen = da_pool[:n_da] + other_pool[:n_other]
                rest = da_pool[n_da:] + other_pool[n_other:]
            else:
                shuffled = sorted(pool, key=lambda c: c.urn)
                rng.shuffle(shuffled)
                chosen, rest = shuffled[: stratum.per_area], shuffled[stratum.per_area :]
            rest.sort(key=lambda c: c.urn)
            rng.shuffle(rest)
            reserves = rest[: plan.reserves_per_stratum]
            result.picks.extend(Pick(c, stratum, "sample") for c in sorted(chosen, key=lambda c: c.urn))
            result.picks.extend(Pick(c, stratum, "reserve", rank) for rank, c in enumerate(reserves, start=1))
            result.summary.append(
                {
                    "area_id": area_id,
                    "stratum": stratum.code,
                    "candidates": len(pool),
                    "candidates_da": len(da_pool),
                    "wanted": stratum.per_area,
                    "drawn": len(chosen),
                    "drawn_da": sum(1 for c in chosen if c.domestic_abuse),
                    "reserves": len(reserves),
                }
            )
    return result


def dip_target(sample_size: int, percent: float) -> int:
    """At least percent% of the sample, rounded up (15% of 350 → 53)."""
    return math.ceil(round(sample_size * percent / 100, 9))


@dataclass(frozen=True)
class DipCandidate:
    id: int
    urn: str
    area_id: int
    inspector_id: int | None
    in_dip: bool


def pick_dip(files: Sequence[DipCandidate], percent: float, seed: int) -> list[int]:
    """Ids of the files to add so the dip sample reaches percent% of files, spread evenly:
    each pick is a file from the inspector, then the Area, with fewest dipped so far."""
    need = dip_target(len(files), percent) - sum(1 for f in files if f.in_dip)
    if need <= 0:
        return []
    by_inspector = Counter(f.inspector_id for f in files if f.in_dip)
    by_area = Counter(f.area_id for f in files if f.in_dip)
    pool = sorted((f for f in files if not f.in_dip), key=lambda f: f.urn)
    random.Random(f"dip:{seed}").shuffle(pool)
    chosen: list[int] = []
    for _ in range(min(need, len(pool))):
        best = min(range(len(pool)), key=lambda i: (by_inspector[pool[i].inspector_id], by_area[pool[i].area_id], i))
        pick = pool.pop(best)
        by_inspector[pick.inspector_id] += 1
        by_area[pick.area_id] += 1
        chosen.append(pick.id)
    return chosen
