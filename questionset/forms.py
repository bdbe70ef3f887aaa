from django import forms

from .loader import QuestionSetInvalid
from .models import QuestionSet
from .services import MAX_UPLOAD_BYTES, decode_upload


class QuestionSetUploadForm(forms.Form):
    file = forms.FileField(
        label="Question set file",
        help_text="A YAML file in the question-set format. It is loaded as a new version; "
        "nothing changes for inspectors until you choose to use it.",
        error_messages={"required": "Choose a question set file to upload"},
    )

    def clean_file(self) -> tuple[str, str]:
        """(file name, text): the file decoded, ready for the loader to check."""
        upload = self.cleaned_data["file"]
        try:
            # Read at most one byte past the limit, so a huge upload is refused without filling memory.
            return upload.name, decode_upload(upload.read(MAX_UPLOAD_BYTES + 1))
        except QuestionSetInvalid as invalid:
            raise forms.ValidationError(invalid.errors) from invalid


class AdoptVersionForm(forms.Form):
    question_set = forms.ModelChoiceField(queryset=QuestionSet.objects.all(), widget=forms.HiddenInput)
