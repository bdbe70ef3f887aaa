from casefiles.import_command import FileImportCommand, refusal
from casefiles.models import Inspection
from reports.results_import import ResultsInvalid, results_import


class Command(FileImportCommand):
    help = (
        "Import submitted examinations from a CSV in export_results' format (its inverse). "
        "A file with any bad row is refused whole, every bad row named by line and column."
    )

    def import_file(self, inspection: Inspection, path: str, content: bytes) -> str:
        try:
            imported = results_import(inspection=inspection, content=content)
        except ResultsInvalid as exc:  # the first 100 problems by line and column
            raise refusal("results", errors=len(exc.errors), rows=len(exc.bad_lines), detail=str(exc)) from exc
        return f"Imported {imported.examinations} examinations, {imported.answers} answers, from {path}."
