"""Role predicates: every "may this person…" that depends on roles alone. Views reach them
through their app's access helpers; pages and templates through the `may` context flags,
so a template never re-derives a rule from permission names."""

from .roles import INSPECTOR, LEAD, QA_LEAD, REPORT_WRITER, roles_of


def is_inspector(user) -> bool:
    return user.has_perm(INSPECTOR.permission)


def is_lead(user) -> bool:
    return user.has_perm(LEAD.permission)


def is_qa_lead(user) -> bool:
    return user.has_perm(QA_LEAD.permission)


def is_report_writer(user) -> bool:
    return user.has_perm(REPORT_WRITER.permission)


def has_any_role(user) -> bool:
    return bool(roles_of(user))


def can_oversee(user) -> bool:
    """The lead and the QA lead see every file's answers, may return an examination and run exercises."""
    return is_lead(user) or is_qa_lead(user)


def role_flags(user) -> dict[str, bool]:
    """What templates test (`{% if may.lead %}`): the predicates above, computed once per page."""
    if user is None or not user.is_authenticated:
        return dict.fromkeys(("examine", "lead", "quality_assure", "oversee", "build_reports", "any_role"), False)
    return {
        "examine": is_inspector(user),
        "lead": is_lead(user),
        "quality_assure": is_qa_lead(user),
        "oversee": can_oversee(user),
        "build_reports": is_report_writer(user),
        "any_role": has_any_role(user),
    }
