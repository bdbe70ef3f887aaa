"""Fixtures: the stalking plan, a generated frame, an inspection with its frame imported
and one with its sample drawn (seed 42, by the lead)."""

import pytest

from casefiles.models import Inspection
from sampling.plan import DEFAULT_PLAN, Plan, load_plan_file
from sampling.services import sample_draw

from .frames import import_rows, make_rows


@pytest.fixture
def plan() -> Plan:
    return load_plan_file(DEFAULT_PLAN)


@pytest.fixture
def frame_rows() -> list[dict]:
    return make_rows()


@pytest.fixture
def framed_inspection(inspection, frame_rows, lead) -> Inspection:
    import_rows(inspection, frame_rows, user=lead)
    return inspection


@pytest.fixture
def drawn_inspection(framed_inspection, lead) -> Inspection:
    sample_draw(inspection=framed_inspection, seed=42, user=lead)
    return framed_inspection
