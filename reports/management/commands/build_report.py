from pathlib import Path

from django.core.management.base import BaseCommand, CommandError

from casefiles.queries import inspection_by_slug
from reports.files import write_atomically
from reports.parameters import (
    PUBLICATION,
    PUBLICATION_MARKINGS,
    ParametersInvalid,
    full_report_parameters,
    normalise_parameters,
)
from reports.render import RENDERERS, render_report

ANALYSIS_FORMATS = ("dta", "sav")
PUBLISHABLE_FORMATS = ("pdf", "html", "xlsx")


def _codes(value: str | None) -> list[str]:
    return [c.strip() for c in (value or "").replace(",", " ").split() if c.strip()]


class Command(BaseCommand):
    help = (
        "Build the report synchronously (the same code the Celery task runs); format from the file's suffix "
        "(.dta and .sav also write PATH.codebook.csv). "
        "Without options: every question, every breakdown, the default headline tables."
    )

    # No system checks: they import every URL's views (statsmodels, pandas…), 200 MB this
    # command never uses; the web process and `manage.py check` run them.
    requires_system_checks: list = []

    def add_arguments(self, parser) -> None:
        parser.add_argument("--inspection", required=True)
        parser.add_argument("-o", "--output", required=True)
        parser.add_argument("--sections", help="section codes, comma-separated (default: all)")
        parser.add_argument("--questions", help="question codes, comma-separated (default: all)")
        parser.add_argument("--breakdowns", help="comma-separated: area and the plan's breakdowns (default: all)")
        parser.add_argument(
            "--publication",
            action="store_true",
            help="a publication copy (.pdf, .html or .xlsx): counts below the threshold withheld as [c]",
        )
        parser.add_argument(
            "--marking",
            help="the publication copy's marking: " + ", ".join(repr(code) for code, _ in PUBLICATION_MARKINGS),
        )
        parser.add_argument("--threshold", type=int, help="withhold counts below this (default, least: the setting)")

    def handle(self, *args, inspection: str, output: str, **options) -> None:
        target = inspection_by_slug(inspection)
        format = Path(output).suffix.lstrip(".").lower()
        if format not in RENDERERS:
            raise CommandError(f"unknown report format '.{format}': use .pdf, .xlsx, .csv, .dta or .sav")
        parameters = full_report_parameters(target)
        for name in ("sections", "questions", "breakdowns"):
            if options.get(name) is not None:
                parameters[name] = _codes(options[name])
        if options.get("publication"):
            if format not in PUBLISHABLE_FORMATS:
                raise CommandError("a publication copy is a .pdf, .html or .xlsx file: raw data is never published")
            if options.get("marking") is None:
                raise CommandError("a publication copy needs --marking (use --marking '' for no marking)")
            parameters.update(variant=PUBLICATION, marking=options["marking"], threshold=options.get("threshold"))
        elif options.get("marking") is not None or options.get("threshold") is not None:
            raise CommandError("--marking and --threshold are for a publication copy: add --publication")
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
