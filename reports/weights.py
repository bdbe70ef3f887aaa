"""Design weights: how many frame cases each sampled file stands for.

The plan gives every CPS Area the same quota per stratum (25 files: 8/6/3/2/2/1/3 for the
shipped plan) whatever the Area's caseload and whatever each stratum's share of the
frame. So a file from a small stratum of a small Area stands for a handful of cases, and one
from a large stratum of a busy Area for hundreds: an unweighted "all files" percentage over-
represents small Areas and small strata, and is not an estimate of the national picture.

A file's *design weight* is its cell's frame count over the files in the sample in that cell:

    w = N_h / n_h,   h = the file's Area × stratum cell

* N_h, the frame count, is what the draw recorded (`Draw.summary`, one entry per cell,
  `candidates`): the cell's frame rows after the plan's exclusions (controlling or coercive
  behaviour cases never enter a cell). It is read from the draw record, not recounted, so a
  later frame upload cannot change the weights of a drawn sample.
* n_h counts the files in the sample now: a file made unavailable leaves the sample and its
  reserve enters it, so the replaced file's weight passes to its replacement; an unavailable
  file with no replacement simply leaves n_h smaller (the others in its cell weigh more).

The weights of a cell add up to N_h, so the weights of the whole sample add up to the frame.

Estimates use the *analysis weight*, the design weight adjusted within the cell for files
not (yet) counted (no submitted primary examination): w* = N_h / m_h, m_h being the counted
files of the cell. While fieldwork goes on this keeps each cell's share of the estimate at
its frame share; when every sampled file is examined, w* = w.

A cell none of whose files is counted yet is not represented in the estimates until one is.

The module is pure but for `inspection_frame_counts` and `inspection_weights`, which read the database.
"""

from collections import Counter
from collections.abc import Iterable, Mapping
from dataclasses import dataclass

Cell = tuple[int, str]  # (Area id, stratum code)


@dataclass(frozen=True)
class SampledFile:
    id: int
    cell: Cell


@dataclass(frozen=True)
class CellWeight:
    cell: Cell
    frame_count: int  # N_h: frame cases in the cell, exclusions applied
    in_sample: int  # n_h: files in the sample now (replacements in, unavailable out)

    @property
    def weight(self) -> float | None:
        return self.frame_count / self.in_sample if self.in_sample else None


def cell_weights(frame_counts: Mapping[Cell, int], files: Iterable[SampledFile]) -> dict[Cell, CellWeight]:
    """Every cell of the frame with the files the sample holds in it.

    A file in a cell the frame counts do not know has no weight: raises ValueError naming it,
    as that means the draw record and the sample disagree."""
    return cell_weights_of_counts(frame_counts, Counter(f.cell for f in files))


def cell_weights_of_counts(frame_counts: Mapping[Cell, int], in_sample: Mapping[Cell, int]) -> dict[Cell, CellWeight]:
    """cell_weights, from the number of files in each cell."""
    in_sample = {cell: n for cell, n in in_sample.items() if n}
    unknown = sorted(set(in_sample) - set(frame_counts))
    if unknown:
        raise ValueError(f"sampled files in cells the draw did not record: {unknown}")
    for cell, n in in_sample.items():
        if n > frame_counts[cell]:
            raise ValueError(f"cell {cell} has {n} sampled files but only {frame_counts[cell]} frame cases")
    return {cell: CellWeight(cell, count, in_sample.get(cell, 0)) for cell, count in frame_counts.items()}


def design_weights(frame_counts: Mapping[Cell, int], files: Iterable[SampledFile]) -> dict[int, float]:
    """File id → N_h / n_h for every file in the sample."""
    files = list(files)
    cells = cell_weights(frame_counts, files)
    return {f.id: cells[f.cell].weight for f in files}


def analysis_weights(
    frame_counts: Mapping[Cell, int], counted: Iterable[SampledFile]
) -> tuple[dict[int, float], dict[int, float]]:
    """(file id → N_h / m_h, file id → 1 − m_h / N_h) for the counted files (see the module docstring).

    The second is the finite population correction of the file's cell."""
    counted = list(counted)
    cells = cell_weights(frame_counts, counted)
    weights = {f.id: cells[f.cell].weight for f in counted}
    fpc = {f.id: 1 - cells[f.cell].in_sample / cells[f.cell].frame_count for f in counted}
    return weights, fpc


def frame_counts_of_summary(summary: Iterable[Mapping]) -> dict[Cell, int]:
    """The per-cell frame counts the draw recorded in `Draw.summary`."""
    return {(int(c["area_id"]), str(c["stratum"])): int(c["candidates"]) for c in summary}


def inspection_frame_counts(inspection) -> dict[Cell, int] | None:
    """The frame count per cell recorded by the inspection's draw; None when there was no draw
    (files made by hand or imported without one have no design weights)."""
    # Through the inspection's reverse relation, so this module needs no import of the sampling app.
    summary = type(inspection).objects.filter(pk=inspection.pk).values_list("draw__summary", flat=True).first()
    if not summary:
        return None
    return frame_counts_of_summary(summary)


def inspection_weights(inspection) -> dict[int, float] | None:
    """Case file id → design weight for every file in the inspection's sample; None without a draw."""
    from casefiles.models import CaseFile

    counts = inspection_frame_counts(inspection)
    if counts is None:
        return None
    files = [
        SampledFile(pk, (area_id, stratum))
        for pk, area_id, stratum in CaseFile.objects.filter(inspection=inspection)
        .in_sample()
        .values_list("pk", "area_id", "stratum")
    ]
    return design_weights(counts, files)
