from pathlib import Path

from django.core.management.base import CommandError

from casefiles.import_command import FileImportCommand, refusal
from casefiles.models import Inspection
from sampling.frame import FrameInvalid
from sampling.services import SamplingError, frame_import


class Command(FileImportCommand):
    help = "Import a sample frame (CSV or XLSX). A frame with any bad row is refused whole."

    def import_file(self, inspection: Inspection, path: str, content: bytes) -> str:
        try:
            frame = frame_import(inspection=inspection, filename=Path(path).name, content=content)
        except FrameInvalid as exc:  # the first hundred errors by line and column, then a count
            raise refusal("frame", errors=exc.total, rows=exc.bad_line_count, detail=str(exc)) from exc
        except SamplingError as exc:
            raise CommandError(str(exc)) from exc
        return f"Imported {frame.row_count} rows from {frame.filename}."
