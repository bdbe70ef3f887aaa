"""The lead's page for their inspection's team."""

from django.contrib import messages
from django.contrib.auth import get_user_model
from django.http import Http404
from django.shortcuts import redirect, render
from django.views.decorators.http import require_http_methods

from .access import access_inspection_as_lead
from .models import InspectionMember, TeamChange
from .team import TeamRefused, team_member_add, team_member_set_roles, team_of
from .team_forms import TeamMemberAddForm, TeamMemberRolesForm


@require_http_methods(["GET", "POST"])
def team(request, slug: str):
    inspection = access_inspection_as_lead(request.user, slug)
    form = TeamMemberAddForm(request.POST if request.method == "POST" else None)
    if request.method == "POST" and form.is_valid():
        person = form.cleaned_data["username"]
        try:
            team_member_add(inspection=inspection, user=person, roles=form.cleaned_data["roles"], by=request.user)
        except TeamRefused as exc:
            form.add_error("roles", str(exc))
        else:
            messages.success(request, f"{person.get_full_name() or person.username} is in the team.")
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
        try:
            team_member_set_roles(inspection=inspection, user=person, roles=form.cleaned_data["roles"], by=request.user)
        except TeamRefused as exc:
            form.add_error("roles", str(exc))
        else:
            messages.success(request, f"The roles of {person.get_full_name() or person.username} are saved.")
            return redirect("casefiles:team", slug=slug)
    context = {"inspection": inspection, "person": person, "form": form}
    return render(request, "casefiles/team_member.html", context, status=400 if form.errors else 200)
