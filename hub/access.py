"""Who may set up inspections. Leading one is casefiles.access's decision."""

from django.core.exceptions import PermissionDenied

CREATE_INSPECTION = "casefiles.add_inspection"  # given through the admin, to a person or a group


def can_create_inspection(user) -> bool:
    return user.has_perm(CREATE_INSPECTION)


def access_inspection_creation(user) -> None:
    if not can_create_inspection(user):
        raise PermissionDenied
