from django import forms
from django.contrib.auth import get_user_model

from .models import Area, CaseFile


def inspectors_queryset(inspection=None):
    """Active inspectors; with `inspection`, only those in its team as inspectors."""
    people = get_user_model().objects.filter(groups__permissions__codename="examine_files", is_active=True)
    if inspection is not None:
        people = people.filter(inspection_roles__inspection=inspection, inspection_roles__role="inspector")
    return people.distinct().order_by("username")


class InspectorChoiceField(forms.ModelChoiceField):
    def label_from_instance(self, obj) -> str:
        return obj.get_full_name() or obj.username


class AssignForm(forms.Form):
    """Assign the files picked by hand, or every sampled file of an Area and/or stratum."""

    inspector = InspectorChoiceField(queryset=inspectors_queryset(), empty_label="Choose an inspector")
    files = forms.ModelMultipleChoiceField(queryset=CaseFile.objects.none(), required=False)
    area = forms.ModelChoiceField(queryset=Area.objects.all(), required=False, empty_label="Any Area")
    stratum = forms.ChoiceField(required=False)

    def __init__(self, *args, inspection, **kwargs):
        super().__init__(*args, **kwargs)
        self.inspection = inspection
        self.fields["inspector"].queryset = inspectors_queryset(inspection)
        self.fields["files"].queryset = CaseFile.objects.filter(inspection=inspection).in_sample()
        self.fields["stratum"].choices = [("", "Any stratum")] + [
            (s["code"], s["label"]) for s in inspection.plan.get("strata", [])
        ]

    def clean(self) -> dict:
        data = super().clean()
        if not data.get("files") and not data.get("area") and not data.get("stratum"):
            raise forms.ValidationError("Pick files, or an Area or stratum whose files to assign.")
        return data

    def selected_files(self):
        if self.cleaned_data.get("files"):
            return list(self.cleaned_data["files"])
        files = CaseFile.objects.filter(inspection=self.inspection).in_sample()
        if self.cleaned_data.get("area"):
            files = files.filter(area=self.cleaned_data["area"])
        if self.cleaned_data.get("stratum"):
            files = files.filter(stratum=self.cleaned_data["stratum"])
        return list(files)


class BarForm(forms.Form):
    inspector = InspectorChoiceField(queryset=inspectors_queryset(), empty_label="Choose an inspector")
    area = forms.ModelChoiceField(queryset=Area.objects.all(), empty_label="Choose an Area")
    reason = forms.CharField(max_length=200, help_text="For example: worked in this CPS Area until 2024.")

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["inspector"].queryset = inspectors_queryset()
