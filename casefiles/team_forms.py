from crispy_forms_gds.helper import FormHelper
from crispy_forms_gds.layout import Field, Layout, Size, Submit
from django import forms
from django.contrib.auth import get_user_model

from accounts.roles import ALL_ROLES

ROLE_CHOICES = [(role.code, role.group) for role in ALL_ROLES]


class TeamMemberAddForm(forms.Form):
    username = forms.CharField(max_length=150, label="Username", help_text="As they sign in.")
    roles = forms.MultipleChoiceField(
        choices=ROLE_CHOICES, widget=forms.CheckboxSelectMultiple, label="Roles in this inspection"
    )

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.helper = FormHelper()
        self.helper.form_tag = False
        self.helper.layout = Layout(
            Field.text("username", field_width=20),
            Field.checkboxes("roles", legend_size=Size.SMALL, small=True),
            Submit("add", "Add to the team"),
        )

    def clean_username(self):
        username = self.cleaned_data["username"].strip()
        person = get_user_model().objects.filter(username=username, is_active=True).first()
        if person is None:
            raise forms.ValidationError("There is no active account with that username.")
        return person


class TeamMemberRolesForm(forms.Form):
    roles = forms.MultipleChoiceField(
        choices=ROLE_CHOICES,
        widget=forms.CheckboxSelectMultiple,
        label="Roles in this inspection",
        required=False,
        help_text="Untick every role to take them off the team.",
    )

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.helper = FormHelper()
        self.helper.form_tag = False
        self.helper.layout = Layout(
            Field.checkboxes("roles", legend_size=Size.SMALL, small=True), Submit("save", "Save roles")
        )
