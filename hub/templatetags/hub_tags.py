from django import template

from casefiles.working_calendar import weekdays_label

register = template.Library()


@register.filter
def weekday_names(weekdays: list[int]) -> str:
    return weekdays_label(weekdays or []) or "no examination day"
