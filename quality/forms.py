"""Forms validate and normalise only; the services decide."""

import re

from django import forms
from django.contrib.auth import get_user_model
from django.db.models import Q
from django.utils import timezone

from accounts.roles import INSPECTOR, LEAD, QA_LEAD
from casefiles.models import CaseFile, Inspection

from .models import Exercise

DATE = forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d")


class ExerciseForm(forms.Form):
    name = forms.CharField(max_length=200, help_text="For example, “Internal consistency exercise, week 3”.")
    kind = forms.ChoiceField(
        choices=Exercise.Kind.choices,
        widget=forms.RadioSelect,
        initial=Exercise.Kind.INTERNAL,
        help_text="An external exercise can give CPS participants temporary accounts.",
    )
    closes_on = forms.DateField(label="Closes on", widget=DATE, help_text="The last day participants can answer.")
    instructions = forms.CharField(widget=forms.Textarea(attrs={"rows": 3}), required=False)

    def clean_closes_on(self):
        closes_on = self.cleaned_data["closes_on"]
        if closes_on < timezone.localdate():
            raise forms.ValidationError("The closing date cannot be in the past.")
        return closes_on


URN_SEPARATORS = re.compile(r"[\s,;]+")


class FilesForm(forms.Form):
    urns = forms.CharField(
        label="URNs of the files to add",
        widget=forms.Textarea(attrs={"rows": 3}),
        required=False,
        help_text="Separated by spaces, commas or new lines.",
    )
    count = forms.IntegerField(
        label="Or add this many files at random, spread across Areas", min_value=1, max_value=100, required=False
    )

    def __init__(self, *args, inspection: Inspection, **kwargs):
        super().__init__(*args, **kwargs)
        self.inspection = inspection

    def clean_urns(self) -> list[CaseFile]:
        urns = [u for u in URN_SEPARATORS.split(self.cleaned_data["urns"].strip()) if u]
        files = {f.urn: f for f in CaseFile.objects.filter(inspection=self.inspection, urn__in=urns).in_sample()}
        unknown = [u for u in urns if u not in files]
        if unknown:
            raise forms.ValidationError(f"Not files in this inspection's sample: {', '.join(unknown)}")
        return list(files.values())

    def clean(self):
        cleaned = super().clean()
        if not self.errors and not cleaned.get("urns") and not cleaned.get("count"):
            raise forms.ValidationError("Enter the URNs of the files, or how many to add at random.")
        return cleaned


def team_members():
    """Active accounts holding an inspection role (not temporary exercise accounts, which hold none)."""
    perms = [r.permission.split(".")[1] for r in (INSPECTOR, LEAD, QA_LEAD)]
    holds = Q(groups__permissions__codename__in=perms) | Q(user_permissions__codename__in=perms)
    return get_user_model().objects.filter(holds, is_active=True).distinct().order_by("username")


class ParticipantsForm(forms.Form):
    users = forms.ModelMultipleChoiceField(
        label="Members of the inspection team", queryset=None, widget=forms.CheckboxSelectMultiple
    )

    def __init__(self, *args, exercise: Exercise, **kwargs):
        super().__init__(*args, **kwargs)
        field = self.fields["users"]
        in_team = team_members().filter(inspection_roles__inspection_id=exercise.inspection_id)
        field.queryset = in_team.exclude(exercise_places__exercise=exercise).distinct()
        field.label_from_instance = lambda u: f"{u.get_full_name() or u.username} ({u.username})"


class TemporaryAccountForm(forms.Form):
    first_name = forms.CharField(max_length=150)
    last_name = forms.CharField(max_length=150)
    organisation = forms.CharField(max_length=200, required=False, help_text="For example, CPS Wessex.")
    expires_on = forms.DateField(
        label="Account expires at the end of", widget=DATE, help_text="At the latest, a week after the exercise closes."
    )

    def __init__(self, *args, exercise: Exercise, **kwargs):
        super().__init__(*args, **kwargs)
        self.exercise = exercise
        self.fields["expires_on"].initial = exercise.closes_on

    def clean_expires_on(self):
        expires_on = self.cleaned_data["expires_on"]
        if expires_on < timezone.localdate():
            raise forms.ValidationError("The expiry cannot be in the past.")
        if (expires_on - self.exercise.closes_on).days > 7:
            raise forms.ValidationError("A temporary account cannot outlast the exercise by more than a week.")
        return expires_on
