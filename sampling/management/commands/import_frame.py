from pathlib import Path

from django.core.management.base import BaseCommand, CommandError

from casefiles.queries import inspection_by_slug
from sampling.frame import FrameInvalid
from sampling.services import SamplingError, frame_import


class Command(BaseCommand):
    help = "Import a sample frame (CSV or XLSX). A frame with any bad row is refused whole."

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
            frame = frame_import(inspection=target, filename=Path(path).name, content=content)
        except FrameInvalid as exc:
            # One line on stderr (SPEC): the first hundred errors by line and column, then a count.
            raise CommandError(
                f"frame refused, nothing imported: {exc.total:,} error(s) on {exc.bad_line_count:,} row(s): {exc}"
            ) from exc
        except SamplingError as exc:
            raise CommandError(str(exc)) from exc
        self.stdout.write(f"Imported {frame.row_count} rows from {frame.filename}.")
