from django.contrib.auth import get_user_model
from django.core.management.base import BaseCommand, CommandError
from django.db import transaction

from accounts.roles import LEAD
from casefiles.services import inspection_create
from casefiles.team import TeamRefused, team_member_add
from hub.demo import demo_team_join
from questionset.loader import QuestionSetInvalid
from questionset.services import question_set_load_file, question_set_load_versions
from sampling.plan import DEFAULT_PLAN, PlanInvalid, load_plan_file


class Command(BaseCommand):
    help = "Create an inspection from a sampling plan and a question set (default: the ones shipped with the app)."

    def add_arguments(self, parser) -> None:
        parser.add_argument("slug")
        parser.add_argument("--name", required=True)
        parser.add_argument("--plan", default=str(DEFAULT_PLAN), help="a sampling-plan YAML file")
        parser.add_argument(
            "--questionset",
            default=None,
            help="a question-set YAML file; loaded as a new version unless the same content is already loaded "
            "(default: the shipped set's versions, the newest used)",
        )
        parser.add_argument(
            "--lead", default=None, help="username of the inspection's first lead (who builds the team)"
        )

    def handle(
        self, *args, slug: str, name: str, plan: str, questionset: str | None, lead: str | None = None, **options
    ) -> None:
        try:
            # One transaction: an inspection that cannot be created leaves no new question-set version behind.
            with transaction.atomic():
                loaded_plan = load_plan_file(plan)
                if questionset is None:
                    question_set = question_set_load_versions()[-1]
                else:
                    question_set = question_set_load_file(path=questionset)
                inspection = inspection_create(slug=slug, name=name, plan=loaded_plan, question_set=question_set)
                joined = demo_team_join(inspection)
                if lead:
                    first_lead = get_user_model().objects.filter(username=lead).first()
                    if first_lead is None:
                        raise ValueError(f"there is no account '{lead}'")
                    team_member_add(inspection=inspection, user=first_lead, roles=[LEAD.code], by=None)
        except QuestionSetInvalid as exc:
            errors = "; ".join(" ".join(e.split()) for e in exc.errors)  # one line, whatever the file holds
            raise CommandError(f"the question set {questionset} is invalid: {errors}") from exc
        except PlanInvalid as exc:
            raise CommandError(f"the plan {plan} is invalid: {'; '.join(exc.errors)}") from exc
        except OSError as exc:
            raise CommandError(f"cannot read {exc.filename}: {exc.strerror}") from exc
        except TeamRefused as exc:
            raise CommandError(str(exc)) from exc
        except ValueError as exc:
            raise CommandError(str(exc)) from exc
        questions = question_set.questions.count()
        self.stdout.write(
            f"Created inspection '{inspection.slug}' with question set '{question_set.code}' "
            f"version {question_set.number} ({questions} questions) and plan '{loaded_plan.code}'."
        )
        if joined:
            self.stdout.write(f"The {joined} demo accounts are in its team; the lead changes it on the team page.")
