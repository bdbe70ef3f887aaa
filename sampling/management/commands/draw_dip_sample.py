from django.core.management.base import BaseCommand, CommandError

from casefiles.queries import inspection_by_slug
from sampling.draw import dip_target
from sampling.services import SamplingError, dip_sample_draw


class Command(BaseCommand):
    help = "Top the dip sample up to P% of the sampled files (rounded up); never removes a file."

    def add_arguments(self, parser) -> None:
        parser.add_argument("--inspection", required=True)
        parser.add_argument("--percent", type=float, required=True)
        parser.add_argument("--seed", type=int, required=True)

    def handle(self, *args, inspection: str, percent: float, seed: int, **options) -> None:
        target = inspection_by_slug(inspection)
        try:
            added = dip_sample_draw(inspection=target, percent=percent, seed=seed)
        except SamplingError as exc:
            raise CommandError(str(exc)) from exc
        sample = target.case_files.in_sample()
        total, size = sample.filter(in_dip=True).count(), sample.count()
        self.stdout.write(
            f"Added {len(added)} files; the dip sample holds {total} of {size} "
            f"(target {dip_target(size, percent)} at {percent:g}%)."
        )
