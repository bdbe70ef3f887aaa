"""load_demo: a complete demo inspection, built through the same services the app uses."""

import datetime
import random
import secrets
from dataclasses import dataclass

from django.contrib.auth.models import Group, User
from django.db import transaction
from django.utils import timezone

from accounts.roles import INSPECTOR, LEAD, QA_LEAD, REPORT_WRITER
from casefiles.models import (
    Answer,
    Area,
    CaseExample,
    CaseFile,
    Examination,
    ExaminationSitting,
    Inspection,
    QuestionSetAdoption,
)
from casefiles.schedule import calendar_of
from casefiles.services import (
    answers_record_new,
    examination_submit,
    files_assign_balanced,
    inspection_create,
    question_set_adopt,
)
from casefiles.team import team_member_add
from quality.demo import add_demo_quality
from questionset.models import Question, QuestionSet
from questionset.rules import question_applies
from questionset.services import question_set_load_versions
from sampling.demo import frame_csv, generate_frame_rows
from sampling.plan import DEFAULT_PLAN, load_plan_file
from sampling.services import dip_sample_draw, frame_import, sample_draw

DEMO_PEOPLE = [
    ("inspector1", "Amira", "Khan", [INSPECTOR]),
    ("inspector2", "Ben", "Hughes", [INSPECTOR]),
    ("inspector3", "Carys", "Evans", [INSPECTOR]),
    ("inspector4", "Dev", "Patel", [INSPECTOR]),
    ("lead", "Helen", "Marsh", [LEAD, QA_LEAD]),
    ("qa", "Owen", "Price", [QA_LEAD]),
    ("writer", "Rosa", "Lind", [REPORT_WRITER]),
]


@dataclass
class DemoResult:
    inspection: Inspection
    passwords: dict[str, str]


def _account(username: str, first: str, last: str, roles, password: str, staff: bool = False) -> User:
    user, _ = User.objects.get_or_create(username=username)
    user.first_name, user.last_name, user.email = first, last, f"{username}@inspectorate.example"
    user.is_staff = user.is_superuser = staff
    user.set_password(password)
    user.save()
    user.groups.set([Group.objects.get(name=role.group) for role in roles])
    return user


def demo_team_join(inspection: Inspection) -> int:
    """The demo's accounts that exist join the inspection's team in their demo roles (those
    their groups still allow)."""
    people = {user.username: user for user in User.objects.filter(username__in=[p[0] for p in DEMO_PEOPLE])}
    for username, _first, _last, roles in DEMO_PEOPLE:
        person = people.get(username)
        allowed = [role.code for role in roles if person is not None and person.has_perm(role.permission)]
        if allowed:
            team_member_add(inspection=inspection, user=person, roles=allowed, by=None)
    return len(people)


def _demo_answers(case_file: CaseFile, questions: list[Question], rng: random.Random) -> dict:
    """Plausible answers: mostly meeting the standard, some partly, a few not, with comments."""
    values, effective = {}, {}
    for question in questions:
        if not question_applies(question.applies_when, case_file.attributes, effective):
            continue
        options = [o.code for o in question.options.all()]
        if question.answer_type == Question.Type.CHOICE:
            real = [o for o in options if o != "na"] or options
            weights = [max(1, 6 - 2 * i) for i in range(len(real))]
            value = rng.choices(real, weights)[0] if rng.random() > 0.05 else "na"
        elif question.answer_type == Question.Type.MULTI:
            exclusive = [o.code for o in question.options.all() if o.exclusive]
            ticked = [o for o in options if o not in exclusive and rng.random() < 0.4]
            value = "|".join(ticked) or (exclusive or options)[0]
        elif question.answer_type == Question.Type.NUMBER:
            value = str(rng.randint(1, 60))
        elif question.answer_type == Question.Type.DATE:
            value = case_file.first_date() or datetime.date(2025, 1, 1).isoformat()
        else:
            value = "Recorded from the file (demo)."
        comment = ""
        if set(value.split("|")) & set(question.comment_required_for) or rng.random() < 0.1:
            comment = rng.choice(
                [
                    "The review did not address the pattern of behaviour across the incidents.",
                    "Good example: the prosecutor set out why this offence rather than a lesser one was charged.",
                    "No record on the file that the victim was consulted.",
                    "Timely and thorough; clear rationale recorded.",
                ]
            )
        values[question] = (value, comment)
        effective[question.code] = value
    return values


def _spread_submissions_over_fieldwork(inspection: Inspection, rng: random.Random, first_week_set: QuestionSet) -> None:
    """The demo's fieldwork began some weeks ago; its submissions are spread over the
    examination days since (the plan's calendar), each with the sittings it took, so the
    progress page's burn-down and time per file have a history to show. Examinations on
    `first_week_set` were submitted in the first week, before the next version was adopted."""
    today = timezone.localdate()
    start = today - datetime.timedelta(days=35)
    start -= datetime.timedelta(days=start.weekday())  # a Monday
    inspection.fieldwork_starts_on = start
    inspection.save(update_fields=["fieldwork_starts_on"])
    calendar = calendar_of(inspection)
    days = calendar.examination_days(start, today - datetime.timedelta(days=1)) or [today]
    first_week = [d for d in days if d < start + datetime.timedelta(days=7)] or days[:1]
    later = [d for d in days if d not in first_week] or days[-1:]
    sittings = []
    for examination in Examination.objects.filter(
        case_file__inspection=inspection, status=Examination.Status.SUBMITTED
    ).order_by("pk"):
        day = rng.choice(first_week if examination.question_set_id == first_week_set.pk else later)
        moment = timezone.make_aware(
            datetime.datetime.combine(day, datetime.time(rng.randint(12, 17), rng.randint(0, 59)))
        )
        Examination.objects.filter(pk=examination.pk).update(submitted_at=moment)
        examination.events.update(at=moment)
        # Two sittings before the submission: about 3 to 4 hours in all (the plan allows 3 h 42 min a file).
        second = rng.randint(40, 100)
        first = rng.randint(170, 270) - second
        for starts, minutes in (
            (moment - datetime.timedelta(minutes=first + second + 90), first),
            (moment - datetime.timedelta(minutes=second), second),
        ):
            sittings.append(
                ExaminationSitting(
                    examination=examination,
                    person_id=examination.examiner_id,
                    started_at=starts,
                    last_active_at=starts + datetime.timedelta(minutes=minutes),
                )
            )
    ExaminationSitting.objects.bulk_create(sittings)
    adopted = timezone.make_aware(datetime.datetime.combine(later[0], datetime.time(8, 30)))
    QuestionSetAdoption.objects.filter(inspection=inspection).update(adopted_at=adopted)


def _flag_demo_case_examples(inspection: Inspection, rng: random.Random) -> None:
    """Inspectors flag a few comments as good practice or failings; writers include some."""
    commented = list(
        Answer.objects.filter(
            examination__in=Examination.objects.primary().submitted().filter(case_file__inspection=inspection)
        )
        .exclude(comment="")
        .select_related("examination")
        .order_by("pk")
    )
    for answer in rng.sample(commented, min(12, len(commented))):
        good = answer.comment.startswith(("Good example", "Timely"))
        CaseExample.objects.create(
            answer=answer,
            kind=CaseExample.Kind.GOOD_PRACTICE if good else CaseExample.Kind.FAILING,
            flagged_by=answer.examination.examiner,
            included_in_appendix=rng.random() < 0.5,
        )


def demo_slug() -> str:
    """The demo is the shipped inspection: its slug is the shipped plan's code."""
    return load_plan_file(DEFAULT_PLAN).code


def demo_exists() -> bool:
    return Inspection.objects.filter(slug=demo_slug()).exists()


@transaction.atomic
def demo_accounts_keep(*, password: str | None = None) -> dict[str, str]:
    """Keep the demo's accounts as they are (bin/serve when the demo exists): set every
    password to `password` when one is given, create any account that was deleted, and
    return the passwords that were set (an account left alone keeps its own)."""
    passwords = {}
    people = DEMO_PEOPLE + [("admin", "Site", "Administrator", [])]
    for username, first, last, roles in people:
        if password is None and User.objects.filter(username=username).exists():
            continue
        passwords[username] = password or secrets.token_urlsafe(9)
        _account(username, first, last, roles, passwords[username], staff=username == "admin")
    return passwords


@transaction.atomic
def load_demo(*, seed: int = 2026, password: str | None = None) -> DemoResult:
    """Replace any earlier demo with a fresh one: run twice, one demo remains."""
    rng = random.Random(seed)
    plan = load_plan_file(DEFAULT_PLAN)  # the demo is the shipped inspection: its slug is the plan's code
    old = Inspection.objects.filter(slug=plan.code).first()
    if old is not None:
        old.report_jobs.all().delete()
        old.delete()

    passwords = {}
    people = {}
    for username, first, last, roles in DEMO_PEOPLE:
        passwords[username] = password or secrets.token_urlsafe(9)
        people[username] = _account(username, first, last, roles, passwords[username])
    passwords["admin"] = password or secrets.token_urlsafe(9)
    people["admin"] = _account("admin", "Site", "Administrator", [], passwords["admin"], staff=True)

    # Fieldwork began on version 1 of the question set; version 2 (the legal inspector's
    # review) was adopted after the first week, so those files keep version 1.
    versions = question_set_load_versions()
    first, current = versions[0], versions[-1]
    inspection = inspection_create(slug=plan.code, name=f"{plan.name} (demo)", plan=plan, question_set=first)
    demo_team_join(inspection)
    areas = list(Area.objects.order_by("name").values_list("name", flat=True))
    frame_import(
        inspection=inspection,
        filename="demo-frame.csv",
        content=frame_csv(generate_frame_rows(plan, areas, seed=seed)),
        user=people["lead"],
    )
    sample_draw(inspection=inspection, seed=seed, user=people["lead"])
    inspectors = [people[f"inspector{i}"] for i in range(1, 5)]
    files_assign_balanced(inspection=inspection, inspectors=inspectors, by=people["lead"])

    questions = {qs.pk: list(Question.objects.in_page_order(qs).with_options()) for qs in (first, current)}
    files = list(CaseFile.objects.filter(inspection=inspection).in_sample().select_related("assigned_to"))
    rng.shuffle(files)
    submitted = files[: len(files) * 2 // 5]
    in_progress = files[len(submitted) : len(submitted) + len(files) // 10]
    first_week = submitted[: len(submitted) // 4] if current != first else []
    for case_file in submitted + in_progress:
        if case_file not in first_week and inspection.question_set_id != current.pk:
            question_set_adopt(inspection=inspection, question_set=current, user=people["lead"])
        question_set = inspection.question_set
        examination = Examination.objects.create(
            case_file=case_file, examiner=case_file.assigned_to, question_set=question_set
        )
        values = _demo_answers(case_file, questions[question_set.pk], rng)
        if case_file in in_progress:
            values = dict(list(values.items())[: len(values) // 2])
        answers_record_new(examination=examination, values=values, user=case_file.assigned_to, source="demo")
        if case_file not in in_progress:
            examination_submit(examination=examination, user=case_file.assigned_to)
    _spread_submissions_over_fieldwork(inspection, rng, first_week_set=first)
    dip_sample_draw(inspection=inspection, percent=plan.dip_sample_percent, seed=seed, user=people["lead"])
    add_demo_quality(inspection=inspection, people=people, rng=rng)
    _flag_demo_case_examples(inspection, rng)
    return DemoResult(inspection=inspection, passwords=passwords)
