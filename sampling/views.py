from django.shortcuts import render

from casefiles.models import CaseFile

from .access import access_inspection_as_lead


def sample_list(request, slug: str):
    inspection = access_inspection_as_lead(request.user, slug)
    files = (
        CaseFile.objects.filter(inspection=inspection)
        .in_sample()
        .select_related("area", "assigned_to")
        .order_by("area__name", "stratum", "urn")
    )
    return render(request, "sampling/sample_list.html", {"inspection": inspection, "files": files})
