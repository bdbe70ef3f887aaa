from django.shortcuts import render

from accounts.roles import roles_of
from casefiles.models import Inspection


def home(request):
    inspections = Inspection.objects.all() if roles_of(request.user) else Inspection.objects.none()
    return render(request, "hub/home.html", {"inspections": inspections, "roles": roles_of(request.user)})
