from django.shortcuts import render

from casefiles.access import inspections_visible_to


def home(request):
    return render(request, "hub/home.html", {"inspections": inspections_visible_to(request.user)})
