from django.core.management.base import BaseCommand, CommandError

from casefiles.queries import inspection_by_slug
from sampling.draw import ShortStrata
from sampling.plan import PlanInvalid
from sampling.services import SamplingError, sample_draw


class Command(BaseCommand):
    help = "Draw the stratified sample with ranked reserves from the inspection's latest frame."

    def add_arguments(self, parser) -> None:
        parser.add_argument("--inspection", required=True)
        parser.add_argument("--seed", type=int, required=True)
        parser.add_argument(
            "--take-what-there-is",
            action="store_true",
            help="draw a stratum with too few candidates whole instead of refusing (recorded)",
        )

    def handle(self, *args, inspection: str, seed: int, take_what_there_is: bool, **options) -> None:
        target = inspection_by_slug(inspection)
        try:
            draw = sample_draw(inspection=target, seed=seed, take_what_there_is=take_what_there_is)
        except ShortStrata as exc:
            raise CommandError(
                f"nothing drawn: {exc}. Rerun with --take-what-there-is to draw these strata whole."
            ) from exc
        except (SamplingError, PlanInvalid) as exc:
            raise CommandError(str(exc)) from exc
        sample = target.case_files.in_sample().count()
        reserves = target.case_files.filter(role="reserve").count()
        self.stdout.write(f"Drew {sample} files and {reserves} reserves with seed {draw.seed}.")
        for shortfall in draw.shortfalls:
            self.stdout.write(
                f"Short stratum taken whole: CPS {shortfall['area']}, {shortfall['label']}: "
                f"{shortfall['candidates']} of {shortfall['wanted']}"
            )
