from django.core.management.base import BaseCommand, CommandError

from casefiles.queries import inspection_by_slug
from reports.exports import write_results_csv


class Command(BaseCommand):
    help = "Write every recorded answer of every submitted examination, long format, as CSV."

    def add_arguments(self, parser) -> None:
        parser.add_argument("--inspection", required=True)
        parser.add_argument("-o", "--output", required=True)

    def handle(self, *args, inspection: str, output: str, **options) -> None:
        target = inspection_by_slug(inspection)
        try:
            with open(output, "w", encoding="utf-8", newline="") as out:
                count = write_results_csv(target, out)
        except OSError as exc:
            raise CommandError(f"cannot write {output}: {exc.strerror}") from exc
        self.stdout.write(f"Wrote {count} answers to {output}.")
