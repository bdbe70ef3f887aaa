"""How agreement figures are worded on the quality pages."""

from django import template

from quality import measures
from quality.agreement import band

register = template.Library()


@register.filter
def agreement_band(coefficient: float | None) -> str:
    """Landis and Koch's plain-English word for a kappa or alpha ("moderate", ...)."""
    return band(coefficient)


@register.simple_tag
def min_files_to_flag() -> int:
    """The fewest files on which a question can be flagged for clearer guidance."""
    return measures.min_files_to_flag()
