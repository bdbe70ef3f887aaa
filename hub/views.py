from django.shortcuts import render

from casefiles.access import inspections_visible_to, team_flags


def home(request):
    inspections = list(inspections_visible_to(request.user))
    for inspection in inspections:
        inspection.may = team_flags(request.user, inspection)  # the links of the roles held in it
    return render(request, "hub/home.html", {"inspections": inspections})
