"""The 14 CPS Areas (SPEC), the single list: the data migration and tests load it."""

from django.utils.text import slugify

CPS_AREAS = [
    "Cymru-Wales",
    "East Midlands",
    "East of England",
    "London North",
    "London South",
    "Mersey-Cheshire",
    "North East",
    "North West",
    "South East",
    "South West",
    "Thames and Chiltern",
    "Wessex",
    "West Midlands",
    "Yorkshire and Humberside",
]


def ensure_areas(area_model) -> None:
    """Create any missing Area (idempotent); takes the model so migrations can pass theirs."""
    for name in CPS_AREAS:
        area_model.objects.get_or_create(name=name, defaults={"slug": slugify(name)})
