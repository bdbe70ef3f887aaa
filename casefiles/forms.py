from django import forms


class ReturnForm(forms.Form):
    reason = forms.CharField(
        label="Why are you returning it?",
        widget=forms.Textarea(attrs={"rows": 3}),
        max_length=2000,
        help_text="The inspector sees this reason beside the file.",
    )
