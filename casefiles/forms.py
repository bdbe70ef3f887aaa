from crispy_forms_gds.helper import FormHelper
from crispy_forms_gds.layout import Field, Layout, Size, Submit
from django import forms

from .models import CaseExample


class ReturnForm(forms.Form):
    reason = forms.CharField(
        label="Why are you returning it?",
        widget=forms.Textarea(attrs={"rows": 3}),
        max_length=2000,
        help_text="The inspector sees this reason beside the file.",
    )


class FlagForm(forms.Form):
    kind = forms.ChoiceField(
        label="Is this comment a case example?",
        choices=[*CaseExample.Kind.choices, ("", "Not an example (remove the flag)")],
        widget=forms.RadioSelect,
        required=False,
        help_text="Report writers may quote it in the report, naming the file by URN and Area only.",
    )

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.helper = FormHelper()
        self.helper.form_tag = False
        self.helper.layout = Layout(Field.radios("kind", legend_size=Size.SMALL), Submit("submit", "Save"))
