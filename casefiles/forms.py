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


class QueueFilterForm(forms.Form):
    """The inspector's queue: search by URN, filter by status, Area and stratum, sort."""

    SORTS = [("status", "Status (returned first)"), ("urn", "URN"), ("area", "Area"), ("answered", "Fewest answered")]
    STATUSES = [
        ("", "Any status"),
        ("returned", "Returned for change"),
        ("in_progress", "In progress"),
        ("not_started", "Not started"),
        ("submitted", "Submitted"),
    ]

    urn = forms.CharField(label="Search by URN", required=False, max_length=40)
    status = forms.ChoiceField(label="Status", choices=STATUSES, required=False)
    area = forms.ChoiceField(label="Area", required=False)
    stratum = forms.ChoiceField(label="Stratum", required=False)
    sort = forms.ChoiceField(label="Sort by", choices=SORTS, required=False)

    def __init__(self, *args, areas: list[str], strata: list[tuple[str, str]], **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["area"].choices = [("", "Any Area"), *((a, a) for a in areas)]
        self.fields["stratum"].choices = [("", "Any stratum"), *strata]
        self.helper = FormHelper()
        self.helper.form_method = "get"
        self.helper.form_class = "app-queue-filters"
        self.helper.layout = Layout(
            Field.text("urn", field_width=10),
            Field.select("status"),
            Field.select("area"),
            Field.select("stratum"),
            Field.select("sort"),
            Submit("apply", "Apply", css_class="govuk-button--secondary"),
        )
