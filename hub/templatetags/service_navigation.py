from django import template

from hub.navigation import inspection_of_page, service_navigation

register = template.Library()


@register.inclusion_tag("hub/_service_navigation.html", takes_context=True)
def service_navigation_for_page(context) -> dict:
    """The service navigation of base.html, for the page being rendered (none when signed out)."""
    request = context.get("request")
    user = getattr(request, "user", None)  # none on a page refused before authentication ran
    if user is None or not user.is_authenticated:
        return {"items": []}
    return {"items": service_navigation(request, inspection_of_page(context, request))}
