"""An inspection's team: who holds which role in it. Every change is kept in TeamChange."""

from django.db import transaction

from accounts.roles import LEAD, ROLE_BY_CODE

from .models import Inspection, InspectionMember, TeamChange


class TeamRefused(Exception):
    """A change that would break a rule of the team (say which, for the page)."""


_MEMBERSHIPS = "_team_memberships"


def memberships_of(user) -> dict[int, frozenset[str]]:
    """Inspection id → the role codes someone holds in its team: every inspection's in one query,
    kept on the user object — which each request loads afresh — so a page that asks about several
    inspections (the home page, a list of reviews) reads the team table once."""
    memberships = user.__dict__.get(_MEMBERSHIPS)
    if memberships is None:
        held: dict[int, set[str]] = {}
        for inspection_id, role in InspectionMember.objects.filter(user=user).values_list("inspection_id", "role"):
            held.setdefault(inspection_id, set()).add(role)
        memberships = user.__dict__[_MEMBERSHIPS] = {pk: frozenset(roles) for pk, roles in held.items()}
    return memberships


def memberships_forget(user) -> None:
    """After a change to someone's team roles: the next question reads them again."""
    user.__dict__.pop(_MEMBERSHIPS, None)


def team_of(inspection: Inspection) -> list[tuple]:
    """(person, [Role, …]) for every member, by username."""
    people: dict = {}
    for member in InspectionMember.objects.filter(inspection=inspection).select_related("user"):
        people.setdefault(member.user, []).append(ROLE_BY_CODE[member.role])
    return sorted(people.items(), key=lambda item: item[0].username)


@transaction.atomic
def team_member_set_roles(*, inspection: Inspection, user, roles: list[str], by) -> None:
    """Give `user` exactly `roles` in the inspection (none: they leave the team). The global
    role is a capability: nobody is made a member in a role their groups do not allow."""
    Inspection.objects.select_for_update().get(pk=inspection.pk)  # one team change at a time
    unknown = [code for code in roles if code not in ROLE_BY_CODE]
    if unknown:
        raise TeamRefused(f"No such role: {', '.join(unknown)}.")
    not_allowed = [ROLE_BY_CODE[code].group for code in roles if not user.has_perm(ROLE_BY_CODE[code].permission)]
    if not_allowed:
        raise TeamRefused(
            f"{user.username} may not be {' or '.join(not_allowed).lower()}: an administrator gives that role first."
        )
    current = set(InspectionMember.objects.filter(inspection=inspection, user=user).values_list("role", flat=True))
    wanted = set(roles)
    if LEAD.code in current - wanted:
        leads = InspectionMember.objects.filter(inspection=inspection, role=LEAD.code).exclude(user=user)
        if not leads.exists():
            raise TeamRefused("The inspection must keep a lead: add another lead first.")
    InspectionMember.objects.filter(inspection=inspection, user=user, role__in=current - wanted).delete()
    InspectionMember.objects.bulk_create(
        InspectionMember(inspection=inspection, user=user, role=code) for code in sorted(wanted - current)
    )
    TeamChange.objects.bulk_create(
        [TeamChange(inspection=inspection, user=user, role=c, action="added", by=by) for c in sorted(wanted - current)]
        + [
            TeamChange(inspection=inspection, user=user, role=c, action="removed", by=by)
            for c in sorted(current - wanted)
        ]
    )
    memberships_forget(user)


def team_member_add(*, inspection: Inspection, user, roles: list[str], by) -> None:
    """Add roles to someone (a newcomer joins the team); roles they hold already stay."""
    held = set(InspectionMember.objects.filter(inspection=inspection, user=user).values_list("role", flat=True))
    team_member_set_roles(inspection=inspection, user=user, roles=sorted(held | set(roles)), by=by)


def team_member_remove(*, inspection: Inspection, user, by) -> None:
    team_member_set_roles(inspection=inspection, user=user, roles=[], by=by)
