"""The dip sample's size: a rule about the sample (casefiles), used by sampling to draw it
and by quality to measure progress against it."""

from __future__ import annotations

import math
from typing import TYPE_CHECKING

if TYPE_CHECKING:  # pure module: the draw imports it without Django
    from .models import Inspection

DEFAULT_DIP_PERCENT = 15.0


def dip_target(sample_size: int, percent: float) -> int:
    """At least percent% of the sample, rounded up (15% of 350 → 53)."""
    # round() first: 350 × 15 / 100 in floating point must not become 52.500000001.
    return math.ceil(round(sample_size * percent / 100, 9))


def dip_percent(inspection: Inspection) -> float:
    """The plan's dip-sample percentage (stored validated by sampling when the plan was loaded)."""
    return float((inspection.plan or {}).get("dip_sample_percent", DEFAULT_DIP_PERCENT))
