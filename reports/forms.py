from django import forms

from casefiles.models import Inspection

from .models import ReportJob


class ReportRequestForm(forms.Form):
    inspection = forms.ModelChoiceField(queryset=Inspection.objects.all(), empty_label=None)
    format = forms.ChoiceField(choices=ReportJob.Format.choices, widget=forms.RadioSelect, initial="pdf")
