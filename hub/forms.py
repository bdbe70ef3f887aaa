from crispy_forms_gds.fields import DateInputField
from crispy_forms_gds.helper import FormHelper
from crispy_forms_gds.layout import Field, Layout, Size, Submit
from django import forms

from casefiles.lead_forms import InspectorChoiceField, inspectors_queryset
from casefiles.models import Inspection
from casefiles.working_calendar import WEEKDAY_NAMES
from questionset.loader import QuestionSetInvalid, parse_question_set
from questionset.services import MAX_UPLOAD_BYTES, decode_upload
from sampling.plan import PlanInvalid, load_plan_text

WEEKDAY_CHOICES = [(str(i), name) for i, name in enumerate(WEEKDAY_NAMES)]


def _read(upload) -> str:
    try:
        # At most one byte past the limit, so a huge upload is refused without filling memory.
        return decode_upload(upload.read(MAX_UPLOAD_BYTES + 1))
    except QuestionSetInvalid as invalid:
        raise forms.ValidationError(invalid.errors) from invalid


class GovukDateField(DateInputField):
    """The GOV.UK date input, saying "must be a real date" rather than Python's message."""

    def compress(self, data_list):
        try:
            return super().compress(data_list)
        except forms.ValidationError:
            raise forms.ValidationError(f"{self.label} must be a real date") from None


def _date(label: str, required: bool, hint: str) -> GovukDateField:
    field = GovukDateField(label=label, required=required, help_text=hint, require_all_fields=False)
    field.error_messages["required"] = f"Enter the {label.lower()}"
    return field


class InspectionSetUpForm(forms.Form):
    """Each file is checked here, so every problem shows beside its own field."""

    name = forms.CharField(max_length=200, error_messages={"required": "Enter the inspection's name"})
    slug = forms.SlugField(
        max_length=60,
        label="Short name for addresses",
        help_text="Lower-case letters, digits and hyphens, e.g. rasso-2027. It cannot be changed later.",
        error_messages={"required": "Enter a short name", "invalid": "Use only lower-case letters, digits and hyphens"},
    )
    plan = forms.FileField(
        label="Sampling plan file",
        help_text="A YAML file in the plan format: strata, exclusions, dip sample and calendar.",
        error_messages={"required": "Choose the sampling plan file"},
    )
    question_set = forms.FileField(
        label="Question set file",
        help_text="A YAML file in the question-set format; the same content loaded before is reused.",
        error_messages={"required": "Choose the question set file"},
    )
    fieldwork_starts_on = _date("Fieldwork start", False, "The first day files are examined, e.g. 5 1 2026.")
    examination_weekdays = forms.MultipleChoiceField(
        choices=WEEKDAY_CHOICES,
        required=False,
        widget=forms.CheckboxSelectMultiple,
        label="Examination days",
        help_text="The days of the week files are examined. Leave all unticked for the plan's days a week.",
    )

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.helper = FormHelper()
        self.helper.layout = Layout(
            Field.text("name"),
            Field.text("slug", field_width=20),
            Field("plan"),
            Field("question_set"),
            Field("fieldwork_starts_on"),
            Field.checkboxes("examination_weekdays", legend_size=Size.SMALL, small=True),
            Submit("submit", "Create the inspection"),
        )

    def clean_slug(self) -> str:
        slug = self.cleaned_data["slug"].lower()
        if Inspection.objects.filter(slug=slug).exists():
            raise forms.ValidationError(f"An inspection '{slug}' already exists; choose another short name")
        return slug

    def clean_plan(self) -> str:
        text = _read(self.cleaned_data["plan"])
        try:
            load_plan_text(text)
        except PlanInvalid as invalid:
            raise forms.ValidationError(invalid.errors) from invalid
        return text

    def clean_question_set(self) -> tuple[str, str]:
        upload = self.cleaned_data["question_set"]
        text = _read(upload)
        try:
            parse_question_set(text)
        except QuestionSetInvalid as invalid:
            raise forms.ValidationError([" ".join(e.split()) for e in invalid.errors]) from invalid
        return upload.name, text

    def clean_examination_weekdays(self) -> list[int]:
        return sorted(int(d) for d in self.cleaned_data["examination_weekdays"])


class ScheduleForm(forms.Form):
    fieldwork_starts_on = _date("Fieldwork start", False, "The first day files are examined.")
    fieldwork_ends_on = _date(
        "Fieldwork end", False, "The last day files may be examined, e.g. before the onsite phase. Optional."
    )
    examination_weekdays = forms.MultipleChoiceField(
        choices=WEEKDAY_CHOICES,
        widget=forms.CheckboxSelectMultiple,
        label="Examination days",
        help_text="The days of the week inspectors examine files.",
        error_messages={"required": "Choose at least one day of the week"},
    )

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.helper = FormHelper()
        self.helper.layout = Layout(
            Field("fieldwork_starts_on"),
            Field("fieldwork_ends_on"),
            Field.checkboxes("examination_weekdays", legend_size=Size.SMALL, small=True),
            Submit("submit", "Save the schedule"),
        )

    def clean_examination_weekdays(self) -> list[int]:
        return sorted(int(d) for d in self.cleaned_data["examination_weekdays"])

    def clean(self) -> dict:
        data = super().clean()
        start, end = data.get("fieldwork_starts_on"), data.get("fieldwork_ends_on")
        if start and end and end < start:
            self.add_error("fieldwork_ends_on", "Fieldwork must end on or after the day it starts")
        return data


class LeaveForm(forms.Form):
    inspector = InspectorChoiceField(
        queryset=inspectors_queryset(), error_messages={"required": "Choose the inspector who is away"}
    )
    first_day = _date("First day", True, "For example, 6 4 2026.")
    last_day = _date("Last day", True, "The same as the first day for a single day.")
    note = forms.CharField(max_length=200, required=False, help_text="Optional, e.g. annual leave, training.")

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["inspector"].queryset = inspectors_queryset()
        self.helper = FormHelper()
        self.helper.layout = Layout(
            Field.select("inspector"),
            Field("first_day"),
            Field("last_day"),
            Field.text("note", field_width=30),
            Submit("submit", "Add the leave"),
        )

    def clean(self) -> dict:
        data = super().clean()
        first, last = data.get("first_day"), data.get("last_day")
        if first and last and last < first:
            self.add_error("last_day", "The last day must be on or after the first day")
        return data
