"""The product's roles, as Django groups holding permissions.

A person may hold several roles. Views never test group names: they test permissions
through each app's access helpers, so an administrator can compose roles in the admin.
"""

from dataclasses import dataclass


@dataclass(frozen=True)
class Role:
    code: str  # the role's name in an inspection's team (casefiles.InspectionMember.role)
    group: str
    permission: str  # "app_label.codename"
    home_label: str


INSPECTOR = Role("inspector", "Inspector", "casefiles.examine_files", "Your files")
LEAD = Role("lead", "Lead inspector", "casefiles.lead_inspection", "Run the inspection")
QA_LEAD = Role("qa_lead", "QA lead", "casefiles.quality_assure", "Quality assurance")
REPORT_WRITER = Role("writer", "Report writer", "reports.build_reports", "Reports")

ALL_ROLES = (INSPECTOR, LEAD, QA_LEAD, REPORT_WRITER)


ROLE_BY_CODE = {role.code: role for role in ALL_ROLES}


def roles_of(user) -> list[Role]:
    if not user.is_authenticated:
        return []
    return [role for role in ALL_ROLES if user.has_perm(role.permission)]


def sync_role_groups() -> None:
    """Create the role groups and give each its permission (idempotent)."""
    from django.contrib.auth.models import Group, Permission

    for role in ALL_ROLES:
        app_label, codename = role.permission.split(".")
        group, _ = Group.objects.get_or_create(name=role.group)
        permission = Permission.objects.filter(content_type__app_label=app_label, codename=codename).first()
        if permission is not None:
            group.permissions.add(permission)
