"""Balancing files across inspectors: a pure function, no database."""

from collections import Counter
from collections.abc import Iterable
from dataclasses import dataclass


@dataclass(frozen=True)
class FileToAssign:
    id: int
    area_id: int
    stratum: str


def balanced_assignment(
    files: Iterable[FileToAssign],
    inspector_ids: list[int],
    barred: set[tuple[int, int]] | None = None,
    current: Iterable[tuple[int, int, str]] = (),
) -> tuple[dict[int, int], list[int]]:
    """(file id → inspector id, ids of files no inspector may take).

    Files are dealt in Area-then-stratum order, each to the eligible inspector with the
    fewest files of that Area and stratum, then of that Area, then in all — counting what
    they already hold (`current`: (inspector id, area id, stratum)) — so every inspector
    gets a near-equal share of each Area and stratum. Never to an inspector barred from
    the file's Area (`barred`: (inspector id, area id)).
    """
    barred = barred or set()
    total: Counter = Counter()
    by_area: Counter = Counter()
    by_cell: Counter = Counter()
    for inspector_id, area_id, stratum in current:
        total[inspector_id] += 1
        by_area[inspector_id, area_id] += 1
        by_cell[inspector_id, area_id, stratum] += 1
    plan: dict[int, int] = {}
    unassignable: list[int] = []
    for f in sorted(files, key=lambda f: (f.area_id, f.stratum, f.id)):
        eligible = [i for i in inspector_ids if (i, f.area_id) not in barred]
        if not eligible:
            unassignable.append(f.id)
            continue
        chosen = min(
            eligible,
            key=lambda i: (by_cell[i, f.area_id, f.stratum], by_area[i, f.area_id], total[i], inspector_ids.index(i)),
        )
        plan[f.id] = chosen
        total[chosen] += 1
        by_area[chosen, f.area_id] += 1
        by_cell[chosen, f.area_id, f.stratum] += 1
    return plan, unassignable
