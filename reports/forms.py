from crispy_forms_gds.helper import FormHelper
from crispy_forms_gds.layout import Field, Fieldset, Layout, Size, Submit
from django import forms

from casefiles.models import Inspection

from .headlines import default_headlines
from .models import ReportJob
from .parameters import (
    PUBLICATION,
    PUBLICATION_MARKINGS,
    VARIANTS,
    WORKING,
    ParametersInvalid,
    disclosure_threshold,
    normalise_parameters,
)
from .tables import breakdowns_of


def _codes(value: str) -> list[str]:
    return [c.strip().upper() for c in value.replace(",", " ").split() if c.strip()]


def _ticks(help_text: str) -> forms.MultipleChoiceField:
    """Boxes to tick, none needed; the choices come from the inspection."""
    return forms.MultipleChoiceField(required=False, widget=forms.CheckboxSelectMultiple, help_text=help_text)


def _question_codes(label: str, help_text: str) -> forms.CharField:
    """Question codes typed in, separated by commas or spaces (see _codes)."""
    return forms.CharField(required=False, label=label, help_text=help_text)


class ReportRequestForm(forms.Form):
    """What to build: format, questions (by section or code), breakdowns, headline tables."""

    format = forms.ChoiceField(choices=ReportJob.Format.choices, widget=forms.RadioSelect, initial="pdf")
    sections = _ticks("Leave all unticked for every section.")
    questions = _question_codes("Other questions, by code", "For example LD2, VW5. Added to the sections ticked.")
    breakdowns = _ticks("Every question is shown for all files, then by each breakdown ticked.")
    headlines = _question_codes(
        "Headline questions, by code",
        "Single-choice questions: the share giving the first answer (e.g. fully meets). Empty for none.",
    )
    headline_rows = forms.ChoiceField(required=False, label="Headline rows by")
    headline_columns = forms.ChoiceField(required=False, label="Headline columns by")
    variant = forms.ChoiceField(
        label="Copy", choices=VARIANTS, widget=forms.RadioSelect, initial=WORKING, required=False
    )
    marking = forms.ChoiceField(
        label="Marking of the publication copy",
        choices=PUBLICATION_MARKINGS,
        initial="OFFICIAL",
        required=False,
        help_text="Printed on every page and sheet of a publication copy. Your name and the time are recorded.",
    )
    threshold = forms.IntegerField(
        label="Withhold counts below",
        required=False,
        min_value=1,
        max_value=100,
        help_text="Publication copy only: smaller counts, and any that would reveal them, are shown as [c].",
    )

    def __init__(self, *args, inspection: Inspection, **kwargs):
        super().__init__(*args, **kwargs)
        self.inspection = inspection
        question_set = inspection.question_set
        known = [(b.code, b.label) for b in breakdowns_of(inspection).values()]  # all files, the Area, the plan's
        self.fields["breakdowns"].choices = known[1:]
        self.fields["breakdowns"].initial = [code for code, _ in known[1:]]
        self.fields["headline_rows"].choices = self.fields["headline_columns"].choices = known
        self.fields["sections"].choices = (
            [(s.code, f"{s.code}: {s.title}") for s in question_set.sections.order_by("order")] if question_set else []
        )
        defaults = default_headlines(inspection) if question_set else {"questions": []}
        self.fields["headlines"].initial = ", ".join(defaults["questions"])
        self.fields["headline_rows"].initial = defaults.get("rows", "area")
        self.fields["headline_columns"].initial = defaults.get("columns", "all")
        self.fields["threshold"].initial = disclosure_threshold()
        self.helper = FormHelper()
        self.helper.form_tag = False  # the page's own <form> carries the inspection
        self.helper.layout = Layout(
            Field.radios("format", legend_size=Size.SMALL, small=True),
            Fieldset(
                Field.checkboxes("sections", legend_size=Size.SMALL, small=True),
                Field.text("questions", field_width=20),
                legend="Questions",
                legend_size=Size.MEDIUM,
            ),
            Field.checkboxes("breakdowns", legend_size=Size.SMALL, small=True),
            Fieldset(
                Field.text("headlines", field_width=20),
                Field.select("headline_rows"),
                Field.select("headline_columns"),
                legend="Headline tables",
                legend_size=Size.MEDIUM,
            ),
            Fieldset(
                Field.radios("variant", legend_size=Size.SMALL, small=True),
                Field.select("marking"),
                Field.text("threshold", field_width=4),
                legend="Working or publication copy",
                legend_size=Size.MEDIUM,
            ),
            Submit("submit", "Build report"),
        )

    def clean(self) -> dict:
        data = super().clean()
        if self.errors:
            return data
        try:
            self.parameters = normalise_parameters(
                self.inspection,
                {
                    "sections": data.get("sections") or [],
                    "questions": _codes(data.get("questions") or ""),
                    "breakdowns": data.get("breakdowns") or [],
                    "headlines": {
                        "questions": _codes(data.get("headlines") or ""),
                        "rows": data.get("headline_rows") or "area",
                        "columns": data.get("headline_columns") or "all",
                    },
                    "variant": data.get("variant") or WORKING,
                    "marking": data.get("marking") or "",
                    "threshold": data.get("threshold"),
                },
            )
        except ParametersInvalid as invalid:
            for name, message in invalid.errors.items():
                self.add_error(name, message)
            return data
        if self.parameters.get("variant") == PUBLICATION and data.get("format") not in ("pdf", "html", "xlsx"):
            self.add_error(
                "variant", "A publication copy is a PDF, a web page or a spreadsheet: raw data is never published"
            )
        return data


class ExampleChoiceForm(forms.Form):
    include = forms.BooleanField(required=False, label="Include in the report's appendix")
    text = forms.CharField(
        label="Text for the appendix",
        help_text="Take out any names before including it.",
    )

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.helper = FormHelper()
        self.helper.form_tag = False
        self.helper.layout = Layout(
            Field.textarea("text"), Field.checkbox("include", small=True), Submit("save", "Save")
        )


class ComparisonForm(forms.Form):
    """The earlier inspection (in the app, or its export_results CSV) and how its questions map to this one's."""

    earlier = forms.ModelChoiceField(
        queryset=Inspection.objects.none(),
        required=False,
        label="An earlier inspection in this system",
        empty_label="(none: I will upload its results)",
    )
    results = forms.FileField(
        required=False,
        label="Or its results, as the CSV export_results wrote",
        help_text="Only its primary examinations are used.",
    )
    mapping = forms.CharField(
        required=False,
        widget=forms.Textarea(attrs={"rows": 5}),
        label="Question mapping",
        help_text="One a line: THIS = EARLIER, for example LD7 = Q12. Empty: questions with the same code.",
    )

    def __init__(self, *args, inspection: Inspection, earlier_choices=None, **kwargs):
        super().__init__(*args, **kwargs)
        choices = Inspection.objects.all() if earlier_choices is None else earlier_choices
        self.fields["earlier"].queryset = choices.exclude(pk=inspection.pk).order_by("name")
        self.helper = FormHelper()
        self.helper.form_tag = False
        self.helper.layout = Layout(
            Field.select("earlier"),
            Field("results"),
            Field.textarea("mapping"),
            Submit("compare", "Compare"),
        )

    def clean(self) -> dict:
        data = super().clean()
        if bool(data.get("earlier")) == bool(data.get("results")):
            self.add_error("earlier", "Choose an earlier inspection, or upload its results, but not both")
        return data
