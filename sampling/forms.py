"""Forms of the lead's sampling pages: they validate and normalise, the services decide."""

import secrets

from django import forms
from django.contrib.auth import get_user_model
from django.db.models import QuerySet

from casefiles.models import Area, CaseFile, Inspection

from .plan import Plan

MAX_FRAME_BYTES = 100 * 1024 * 1024  # a 100,000-row CSV is about 7 MB; XLSX less
SEED_MAX = 2**63 - 1  # Draw.seed is a BigIntegerField


def _number_input(width: int = 10) -> forms.TextInput:
    # GOV.UK asks for a text input with a numeric keyboard, not type=number (which spins and rounds).
    return forms.TextInput(attrs={"class": f"govuk-input govuk-input--width-{width}", "inputmode": "numeric"})


def _text_input(width: int = 20) -> forms.TextInput:
    return forms.TextInput(attrs={"class": f"govuk-input govuk-input--width-{width}", "spellcheck": "false"})


def suggested_seed() -> int:
    # Short enough to read aloud and write in the inspection's record.
    return secrets.randbelow(900_000) + 100_000


class FrameUploadForm(forms.Form):
    file = forms.FileField(
        label="Upload the sample frame",
        help_text="A CSV (UTF-8) or Excel (.xlsx) file with a header row: urn, area and the plan's attributes.",
        widget=forms.ClearableFileInput(attrs={"accept": ".csv,.xlsx"}),
        error_messages={"required": "Choose the frame file to upload", "empty": "The file you chose is empty"},
    )

    def clean_file(self):
        upload = self.cleaned_data["file"]
        if not upload.name.lower().endswith((".csv", ".xlsx")):
            raise forms.ValidationError("The frame must be a CSV (.csv) or Excel (.xlsx) file")
        if upload.size > MAX_FRAME_BYTES:
            raise forms.ValidationError("The frame must be smaller than 100 MB")
        return upload


class DrawForm(forms.Form):
    seed = forms.IntegerField(
        label="Random seed",
        min_value=0,
        max_value=SEED_MAX,
        widget=_number_input(),
        help_text="Recorded with the draw: the same frame and seed always draw the same files. "
        "We suggest a random one; you may type your own.",
        error_messages={"required": "Enter a seed", "invalid": "The seed must be a whole number"},
    )
    take_what_there_is = forms.BooleanField(
        label="Take what there is: draw a stratum with too few candidates whole",
        required=False,
    )


class _FileByUrn(forms.Form):
    """A form naming one file of the inspection by its URN."""

    urn = forms.CharField(
        label="URN", max_length=40, widget=_text_input(), error_messages={"required": "Enter the file's URN"}
    )

    def __init__(self, *args, inspection: Inspection, **kwargs):
        super().__init__(*args, **kwargs)
        self.inspection = inspection

    def clean_urn(self) -> str:
        urn = self.cleaned_data["urn"].strip()
        self.case_file = CaseFile.objects.filter(inspection=self.inspection, urn=urn).select_related("area").first()
        if self.case_file is None:
            raise forms.ValidationError(f"There is no file {urn} in this inspection's sample")
        return self.case_file.urn


class ReplaceForm(_FileByUrn):
    urn = forms.CharField(
        label="URN of the unavailable file",
        max_length=40,
        widget=_text_input(),
        error_messages={"required": "Enter the URN of the file that is unavailable"},
    )
    reason = forms.CharField(
        label="Why is the file unavailable?",
        widget=forms.Textarea(attrs={"rows": 3}),
        max_length=2000,
        error_messages={"required": "Give the reason the file is unavailable"},
    )


class DipDrawForm(forms.Form):
    percent = forms.DecimalField(
        label="Percentage of the sample",
        min_value=0,
        max_value=100,
        decimal_places=2,
        widget=forms.TextInput(attrs={"class": "govuk-input govuk-input--width-4", "inputmode": "decimal"}),
        help_text="At least this share of the sampled files, rounded up. Files already in stay in.",
        error_messages={"required": "Enter the percentage", "invalid": "The percentage must be a number"},
    )
    seed = forms.IntegerField(
        label="Random seed",
        min_value=0,
        max_value=SEED_MAX,
        widget=_number_input(),
        error_messages={"required": "Enter a seed", "invalid": "The seed must be a whole number"},
    )

    def clean_percent(self):
        percent = self.cleaned_data["percent"]
        if percent <= 0:
            raise forms.ValidationError("The percentage must be above 0")
        return float(percent)


class DipAddForm(_FileByUrn):
    urn = forms.CharField(
        label="URN of the file to add",
        max_length=40,
        widget=_text_input(),
        error_messages={"required": "Enter the URN of the file to add"},
    )
    reason = forms.CharField(label="Why (optional)", required=False, max_length=2000, widget=_text_input(30))


class DipRemoveForm(forms.Form):
    case_file = forms.ModelChoiceField(
        label="File to take out",
        queryset=CaseFile.objects.none(),
        to_field_name="urn",
        empty_label="Choose a file",
        help_text="Only files whose quality assurance has not started can be taken out.",
        error_messages={"required": "Choose the file to take out", "invalid_choice": "Choose a file from the list"},
    )
    reason = forms.CharField(
        label="Why is it coming out?",
        widget=forms.Textarea(attrs={"rows": 3}),
        max_length=2000,
        error_messages={"required": "Give the reason for taking the file out"},
    )

    def __init__(self, *args, removable: QuerySet[CaseFile], **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["case_file"].queryset = removable


YES_NO = [("", "Any"), ("yes", "Yes"), ("no", "No")]
ROLES = [("sample", "In the sample"), ("reserve", "Reserve"), ("unavailable", "Unavailable (replaced)"), ("all", "All")]


class SampleFilterForm(forms.Form):
    area = forms.ModelChoiceField(
        queryset=Area.objects.order_by("name"), to_field_name="slug", required=False, empty_label="Any"
    )
    stratum = forms.ChoiceField(required=False)
    da = forms.ChoiceField(label="Mix attribute", choices=YES_NO, required=False)  # the plan's mix attribute
    dip = forms.ChoiceField(label="Dip sample", choices=YES_NO, required=False)
    inspector = forms.ChoiceField(required=False)
    role = forms.ChoiceField(choices=ROLES, required=False)

    def __init__(self, *args, plan: Plan, inspection: Inspection, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["stratum"].choices = [("", "Any")] + [(s.code, s.label) for s in plan.strata]
        if plan.mix_attribute:
            self.fields["da"].label = plan.mix_label
        else:
            del self.fields["da"]
        inspectors = (
            get_user_model()
            .objects.filter(assigned_files__inspection=inspection)
            .distinct()
            .order_by("username")
            .values_list("username", flat=True)
        )
        self.fields["inspector"].choices = [("", "Any"), ("none", "Unassigned")] + [(u, u) for u in inspectors]
