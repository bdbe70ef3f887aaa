"""The lead's page for their inspection's team."""

from collections.abc import Callable

from django.contrib import messages
from django.contrib.auth import get_user_model
from django.forms import Form
from django.http import Http404, HttpRequest
from django.shortcuts import redirect, render
from django.views.decorators.http import require_http_methods

from .access import access_inspection_as_lead
from .models import Inspection, InspectionMember, TeamChange
from .team import TeamRefused, team_member_add, team_member_set_roles, team_of
from .team_forms import TeamMemberAddForm, TeamMemberRolesForm


@require_http_methods(["GET", "POST"])
def team(request, slug: str):
    inspection = access_inspection_as_lead(request.user, slug)
    form = TeamMemberAddForm(request.POST if request.method == "POST" else None)
    if request.method == "POST" and form.is_valid():
        person = form.cleaned_data["username"]
        if _roles_changed(request, form, team_member_add, inspection, person, done="{name} is in the team."):
            return redirect("casefiles:team", slug=slug)
    context = {
        "inspection": inspection,
        "members": team_of(inspection),
        "form": form,
        "history": TeamChange.objects.filter(inspection=inspection).select_related("user", "by")[:50],
    }
    return render(request, "casefiles/team.html", context, status=400 if form.errors else 200)


@require_http_methods(["GET", "POST"])
def team_member(request, slug: str, username: str):
    inspection = access_inspection_as_lead(request.user, slug)
    person = get_user_model().objects.filter(username=username).first()
    held = list(InspectionMember.objects.filter(inspection=inspection, user=person).values_list("role", flat=True))
    if person is None or not held:
        raise Http404("Not in this inspection's team.")
    form = TeamMemberRolesForm(request.POST if request.method == "POST" else None, initial={"roles": held})
    if request.method == "POST" and form.is_valid():
        done = "The roles of {name} are saved."
        if _roles_changed(request, form, team_member_set_roles, inspection, person, done=done):
            return redirect("casefiles:team", slug=slug)
    context = {"inspection": inspection, "person": person, "form": form}
    return render(request, "casefiles/team_member.html", context, status=400 if form.errors else 200)


def _roles_changed(
    request: HttpRequest, form: Form, change: Callable[..., None], inspection: Inspection, person, *, done: str
) -> bool:
    """Make the roles change the valid form asks for; a refusal (TeamRefused) is the form's error."""
    try:
        change(inspection=inspection, user=person, roles=form.cleaned_data["roles"], by=request.user)
    except TeamRefused as exc:
        form.add_error("roles", str(exc))
        return False
    messages.success(request, done.format(name=person.get_full_name() or person.username))
    return True
