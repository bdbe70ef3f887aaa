from django.core.management.base import BaseCommand, CommandError

from casefiles.management.commands._helpers import inspection_by_slug
from sampling.services import dip_sample_draw


class Command(BaseCommand):
    help = "Top the dip sample up to P% of the sampled files (rounded up); never removes a file."

    def add_arguments(self, parser) -> None:
        parser.add_argument("--inspection", required=True)
        parser.add_argument("--percent", type=float, required=True)
        parser.add_argument("--seed", type=int, required=True)

    def handle(self, *args, inspection: str, percent: float, seed: int, **options) -> None:
        if not 0 < percent <= 100:
            raise CommandError("--percent must be above 0 and at most 100")
        target = inspection_by_slug(inspection)
        if not target.case_files.in_sample().exists():
            raise CommandError("draw the sample before the dip sample")
        added = dip_sample_draw(inspection=target, percent=percent, seed=seed)
        total = target.case_files.in_sample().filter(in_dip=True).count()
        self.stdout.write(f"Added {len(added)} files; the dip sample now holds {total}.")
