from django.core.management.base import BaseCommand, CommandError

from casefiles.management.commands._helpers import inspection_by_slug
from sampling.draw import ShortStrata
from sampling.services import SamplingError, describe_shortfalls, sample_draw


class Command(BaseCommand):
    help = "Draw the stratified sample with reserves from the inspection's latest frame."

    def add_arguments(self, parser) -> None:
        parser.add_argument("--inspection", required=True)
        parser.add_argument("--seed", type=int, required=True)
        parser.add_argument(
            "--take-what-there-is", action="store_true", help="draw short strata whole instead of refusing"
        )

    def handle(self, *args, inspection: str, seed: int, take_what_there_is: bool, **options) -> None:
        target = inspection_by_slug(inspection)
        try:
            draw = sample_draw(inspection=target, seed=seed, take_what_there_is=take_what_there_is)
        except ShortStrata as exc:
            for line in describe_shortfalls(exc, target):
                self.stderr.write(line)
            raise CommandError(
                f"too few candidates in {len(exc.shortfalls)} stratum/strata: "
                + "; ".join(describe_shortfalls(exc, target))
            ) from exc
        except SamplingError as exc:
            raise CommandError(str(exc)) from exc
        sample = target.case_files.in_sample().count()
        reserves = target.case_files.filter(role="reserve").count()
        self.stdout.write(f"Drew {sample} files and {reserves} reserves with seed {draw.seed}.")
        for shortfall in draw.shortfalls:
            self.stdout.write(f"Short stratum taken whole: {shortfall}")
