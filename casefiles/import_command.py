"""What the commands that import a file into an inspection share (sampling's import_frame,
reports' import_results): `NAME PATH --inspection SLUG`, the file read whole, and on failure
one line on stderr (SPEC) — a file with any bad row is refused whole, its rows named."""

from pathlib import Path

from django.core.management.base import BaseCommand, CommandError

from .models import Inspection
from .queries import inspection_by_slug


def refusal(what: str, *, errors: int, rows: int, detail: str) -> CommandError:
    """The one-line refusal of a file with bad rows: how many errors on how many rows, then the
    first of them by line and column (`detail`, the exception's text)."""
    return CommandError(f"{what} refused, nothing imported: {errors:,} error(s) on {rows:,} row(s): {detail}")


class FileImportCommand(BaseCommand):
    """Reads PATH for the inspection --inspection names; `import_file` imports it and says what it did."""

    def add_arguments(self, parser) -> None:
        parser.add_argument("path")
        parser.add_argument("--inspection", required=True)

    def handle(self, *args, path: str, inspection: str, **options) -> None:
        target = inspection_by_slug(inspection)
        try:
            content = Path(path).read_bytes()
        except OSError as exc:
            raise CommandError(f"cannot read {path}: {exc.strerror}") from exc
        self.stdout.write(self.import_file(target, path, content))

    def import_file(self, inspection: Inspection, path: str, content: bytes) -> str:
        raise NotImplementedError
