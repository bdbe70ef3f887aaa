from pathlib import Path

from django.core.management.base import BaseCommand, CommandError

from casefiles.management.commands._helpers import inspection_by_slug
from reports.render import RENDERERS, render_report


class Command(BaseCommand):
    help = "Build the report synchronously (the same code the Celery task runs); format from the file's suffix."

    def add_arguments(self, parser) -> None:
        parser.add_argument("--inspection", required=True)
        parser.add_argument("-o", "--output", required=True)

    def handle(self, *args, inspection: str, output: str, **options) -> None:
        target = inspection_by_slug(inspection)
        format = Path(output).suffix.lstrip(".").lower()
        if format not in RENDERERS:
            raise CommandError(f"unknown report format '.{format}': use .pdf, .xlsx or .csv")
        content = render_report(target, format)
        try:
            Path(output).write_bytes(content)
        except OSError as exc:
            raise CommandError(f"cannot write {output}: {exc.strerror}") from exc
        self.stdout.write(f"Wrote {output} ({len(content):,} bytes).")
