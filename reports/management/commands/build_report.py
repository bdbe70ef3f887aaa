from pathlib import Path

from django.core.management.base import BaseCommand, CommandError

from casefiles.queries import inspection_by_slug
from reports.files import write_atomically
from reports.parameters import ParametersInvalid, full_report_parameters, normalise_parameters
from reports.render import RENDERERS, render_report

ANALYSIS_FORMATS = ("dta", "sav")


def _codes(value: str | None) -> list[str]:
    return [c.strip() for c in (value or "").replace(",", " ").split() if c.strip()]


class Command(BaseCommand):
    help = (
        "Build the report synchronously (the same code the Celery task runs); format from the file's suffix "
        "(.dta and .sav also write PATH.codebook.csv). "
        "Without options: every question, every breakdown, the default headline tables."
    )

    def add_arguments(self, parser) -> None:
        parser.add_argument("--inspection", required=True)
        parser.add_argument("-o", "--output", required=True)
        parser.add_argument("--sections", help="section codes, comma-separated (default: all)")
        parser.add_argument("--questions", help="question codes, comma-separated (default: all)")
        parser.add_argument("--breakdowns", help="comma-separated: area and the plan's breakdowns (default: all)")

    def handle(self, *args, inspection: str, output: str, **options) -> None:
        target = inspection_by_slug(inspection)
        format = Path(output).suffix.lstrip(".").lower()
        if format not in RENDERERS:
            raise CommandError(f"unknown report format '.{format}': use .pdf, .xlsx, .csv, .dta or .sav")
        parameters = full_report_parameters(target)
        for name in ("sections", "questions", "breakdowns"):
            if options.get(name) is not None:
                parameters[name] = _codes(options[name])
        try:
            parameters = normalise_parameters(target, parameters)
        except ParametersInvalid as exc:
            raise CommandError(str(exc)) from exc
        try:
            path = write_atomically(Path(output), lambda out: render_report(target, format, parameters, out=out))
        except OSError as exc:
            raise CommandError(f"cannot write {output}: {exc.strerror}") from exc
        self.stdout.write(f"Wrote {output} ({path.stat().st_size:,} bytes).")
        if format in ANALYSIS_FORMATS:  # the labelled file's codebook goes beside it
            codebook = write_atomically(
                Path(output).with_suffix(".codebook.csv"), lambda out: render_report(target, "cbk", {}, out=out)
            )
            self.stdout.write(f"Wrote its codebook, {codebook}.")
