from django.core.management.base import BaseCommand, CommandError

from casefiles.queries import inspection_by_slug
from sampling.export import sample_files, write_sample_csv


class Command(BaseCommand):
    help = "Write the sample and its reserves as CSV (SPEC's export_sample columns)."

    def add_arguments(self, parser) -> None:
        parser.add_argument("--inspection", required=True)
        parser.add_argument("-o", "--output", required=True)

    def handle(self, *args, inspection: str, output: str, **options) -> None:
        target = inspection_by_slug(inspection)
        files = sample_files(target)
        if not files.exists():
            raise CommandError(f"no sample has been drawn for '{target.slug}'")
        try:
            with open(output, "w", encoding="utf-8", newline="") as out:
                count = write_sample_csv(target, files, out)
        except OSError as exc:
            raise CommandError(f"cannot write {output}: {exc.strerror}") from exc
        self.stdout.write(f"Wrote {count} files to {output}.")
