from functools import lru_cache

import markdown as md
import nh3
from django import template
from django.utils.safestring import mark_safe

register = template.Library()

ALLOWED_TAGS = {"p", "ul", "ol", "li", "em", "strong", "a", "code", "br", "h3", "h4", "blockquote"}


@lru_cache(maxsize=2048)
def _render(text: str) -> str:
    html = nh3.clean(md.markdown(text), tags=ALLOWED_TAGS, attributes={"a": {"href"}})
    return (
        html.replace("<p>", '<p class="govuk-body">')
        .replace("<ul>", '<ul class="govuk-list govuk-list--bullet">')
        .replace("<ol>", '<ol class="govuk-list govuk-list--number">')
        .replace("<a ", '<a class="govuk-link" ')
    )


@register.filter
def guidance_html(text: str) -> str:
    """Question guidance (Markdown) as sanitised GOV.UK-styled HTML."""
    return mark_safe(_render(text or ""))  # noqa: S308 — sanitised by nh3 above
