"""Setting up an inspection: the one write that spans the plan (sampling), the question set
(questionset) and the inspection itself (casefiles)."""

import datetime

from django.db import transaction

from accounts.roles import LEAD
from casefiles.models import Inspection
from casefiles.schedule import inspection_schedule_set
from casefiles.services import inspection_create
from casefiles.team import team_member_add
from casefiles.working_calendar import default_weekdays
from questionset.services import question_set_load
from sampling.plan import load_plan_text


@transaction.atomic
def inspection_set_up(
    *,
    name: str,
    slug: str,
    plan_text: str,
    question_set_text: str,
    question_set_filename: str,
    fieldwork_starts_on: datetime.date | None,
    examination_weekdays: list[int],
    user,
) -> Inspection:
    """Create an inspection from its plan and question-set files with its fieldwork start and
    working pattern (the plan's examination days a week when none is chosen). All or nothing:
    a refusal anywhere (PlanInvalid, QuestionSetInvalid, ValueError) leaves nothing stored,
    not even a question-set version. The creator, if they may lead, becomes its first lead and
    builds the team from there."""
    plan = load_plan_text(plan_text)
    question_set = question_set_load(text=question_set_text, filename=question_set_filename, user=user)
    inspection = inspection_create(slug=slug, name=name, plan=plan, question_set=question_set)
    inspection_schedule_set(
        inspection=inspection,
        fieldwork_starts_on=fieldwork_starts_on,
        fieldwork_ends_on=None,
        examination_weekdays=examination_weekdays or list(default_weekdays(plan.examination_days_per_week)),
        by=user,
    )
    if user.has_perm(LEAD.permission):
        team_member_add(inspection=inspection, user=user, roles=[LEAD.code], by=user)
    return inspection
