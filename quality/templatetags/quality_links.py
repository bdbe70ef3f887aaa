"""The exercises someone takes part in (for the home page), and the review predicate for templates."""

from django import template

from quality.access import may_edit_review
from quality.models import AnswerQuery, DipReview, Participant
from quality.queries import GuidanceChange, guidance_changes_for, open_queries_for, places_of

register = template.Library()


@register.simple_tag
def exercise_places(user) -> list[Participant]:
    """The user's places in consistency exercises, open ones first (none when signed out)."""
    return places_of(user) if user.is_authenticated else []


@register.filter
def editable_by(review: DipReview | None, user) -> bool:
    """`{% if row.review|editable_by:user %}`: quality.access.may_edit_review, for a template."""
    return review is not None and may_edit_review(user, review)


@register.simple_tag
def open_queries(user) -> list[AnswerQuery]:
    """Open queries on the user's answers or opened by them, oldest first."""
    return open_queries_for(user)


@register.simple_tag
def guidance_changes(user) -> list[GuidanceChange]:
    """Question-set versions adopted after an exercise that the inspector has not marked read."""
    return guidance_changes_for(user)
