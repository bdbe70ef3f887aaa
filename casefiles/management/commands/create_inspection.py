from django.core.management.base import BaseCommand, CommandError

from casefiles.services import inspection_create
from questionset.loader import QuestionSetInvalid
from questionset.services import STALKING_QUESTION_SET, question_set_load_file
from sampling.plan import STALKING_PLAN, PlanInvalid, load_plan_file


class Command(BaseCommand):
    help = "Create an inspection from a sampling plan and a question set (default: the stalking inspection's)."

    def add_arguments(self, parser) -> None:
        parser.add_argument("slug")
        parser.add_argument("--name", required=True)
        parser.add_argument("--plan", default=str(STALKING_PLAN))
        parser.add_argument("--questionset", default=str(STALKING_QUESTION_SET))

    def handle(self, *args, slug: str, name: str, plan: str, questionset: str, **options) -> None:
        try:
            loaded_plan = load_plan_file(plan)
            question_set = question_set_load_file(path=questionset)
            inspection = inspection_create(slug=slug, name=name, plan=loaded_plan, question_set=question_set)
        except (PlanInvalid, QuestionSetInvalid) as exc:
            raise CommandError(f"{type(exc).__name__}: {'; '.join(exc.errors)}") from exc
        except (OSError, ValueError) as exc:
            raise CommandError(str(exc)) from exc
        self.stdout.write(f"Created inspection '{inspection.slug}' with {question_set} and plan '{loaded_plan.code}'.")
