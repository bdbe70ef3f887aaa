from django.db import models


class QuestionSet(models.Model):
    """One version of a question set, loaded from its file. Frozen once answered."""

    code = models.SlugField(max_length=60)
    title = models.CharField(max_length=200)
    version_label = models.CharField(max_length=40, help_text="The version the file declares.")
    number = models.PositiveIntegerField(help_text="1, 2, 3 … per code, in order of loading.")
    checksum = models.CharField(max_length=64)
    source = models.TextField(help_text="The file this version was loaded from, verbatim.")
    loaded_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["code", "-number"]
        constraints = [models.UniqueConstraint(fields=["code", "number"], name="unique_question_set_version")]

    def __str__(self) -> str:
        return f"{self.title} (v{self.number})"

    @property
    def is_frozen(self) -> bool:
        return Question.objects.filter(question_set=self, answers__isnull=False).exists()


class Section(models.Model):
    question_set = models.ForeignKey(QuestionSet, on_delete=models.CASCADE, related_name="sections")
    code = models.CharField(max_length=20)
    title = models.CharField(max_length=200)
    order = models.PositiveIntegerField()

    class Meta:
        ordering = ["order"]

    def __str__(self) -> str:
        return self.title


class Question(models.Model):
    class Type(models.TextChoices):
        CHOICE = "choice", "Single choice"
        MULTI = "multi", "Multiple choice"
        NUMBER = "number", "Number"
        DATE = "date", "Date"
        TEXT = "text", "Free text"

    question_set = models.ForeignKey(QuestionSet, on_delete=models.CASCADE, related_name="questions")
    section = models.ForeignKey(Section, on_delete=models.CASCADE, related_name="questions")
    code = models.CharField(max_length=20)
    order = models.PositiveIntegerField()
    text = models.TextField()
    guidance = models.TextField(blank=True, help_text="Markdown.")
    criterion = models.CharField(max_length=200, blank=True)
    answer_type = models.CharField(max_length=10, choices=Type.choices)
    required = models.BooleanField(default=True)
    comment_required_for = models.JSONField(default=list, blank=True)
    applies_when = models.JSONField(default=dict, blank=True)

    class Meta:
        ordering = ["order"]
        constraints = [models.UniqueConstraint(fields=["question_set", "code"], name="unique_question_code")]

    def __str__(self) -> str:
        return f"{self.code} {self.text}"

    @property
    def has_options(self) -> bool:
        return self.answer_type in (self.Type.CHOICE, self.Type.MULTI)


class Option(models.Model):
    question = models.ForeignKey(Question, on_delete=models.CASCADE, related_name="options")
    code = models.CharField(max_length=40)
    label = models.CharField(max_length=200)
    order = models.PositiveIntegerField()

    class Meta:
        ordering = ["order"]
        constraints = [models.UniqueConstraint(fields=["question", "code"], name="unique_option_code")]

    def __str__(self) -> str:
        return self.label
