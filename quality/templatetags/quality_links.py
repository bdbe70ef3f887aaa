"""For pages outside the app (the home page): the exercises someone takes part in."""

from django import template

from quality.models import Participant
from quality.queries import places_of

register = template.Library()


@register.simple_tag
def exercise_places(user) -> list[Participant]:
    """The user's places in consistency exercises, open ones first (none when signed out)."""
    return places_of(user) if user.is_authenticated else []
