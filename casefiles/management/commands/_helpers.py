from django.core.management.base import CommandError

from casefiles.models import Inspection


def inspection_by_slug(slug: str) -> Inspection:
    try:
        return Inspection.objects.get(slug=slug)
    except Inspection.DoesNotExist:
        raise CommandError(f"no inspection '{slug}'") from None
