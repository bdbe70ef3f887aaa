from pathlib import Path

from django.core.management.base import BaseCommand, CommandError

from casefiles.queries import inspection_by_slug
from reports.results_import import ResultsInvalid, results_import


class Command(BaseCommand):
    help = (
        "Import submitted examinations from a CSV in export_results' format (its inverse). "
        "A file with any bad row is refused whole, every bad row named by line and column."
    )

    def add_arguments(self, parser) -> None:
        parser.add_argument("path")
        parser.add_argument("--inspection", required=True)

    def handle(self, *args, path: str, inspection: str, **options) -> None:
        target = inspection_by_slug(inspection)
        try:
            content = Path(path).read_bytes()
        except OSError as exc:
            raise CommandError(f"cannot read {path}: {exc.strerror}") from exc
        try:
            imported = results_import(inspection=target, content=content)
        except ResultsInvalid as exc:
            # One line on stderr (SPEC), naming the bad rows by line and column (the first 100 problems).
            raise CommandError(
                f"results refused, nothing imported: {len(exc.errors)} error(s) on {len(exc.bad_lines)} row(s): {exc}"
            ) from exc
        self.stdout.write(f"Imported {imported.examinations} examinations, {imported.answers} answers, from {path}.")
