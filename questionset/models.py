from django.conf import settings
from django.db import models
from django.db.models import Count, Exists, OuterRef, Subquery
from django.db.models.functions import Coalesce
from django.urls import reverse

from .loader import OptionSpec, QuestionSetSpec, QuestionSpec, SectionSpec


class QuestionSetFrozen(Exception):
    """A version that has answers never changes: load an edited file as a new version."""


class QuestionSetQuerySet(models.QuerySet):
    def with_usage(self) -> "QuestionSetQuerySet":
        """Each version with `answered` (frozen), `examination_count` and `question_count`, in one query.
        Examinations are counted through the reverse relation casefiles declares: no import upward."""
        counted = Question.objects.filter(question_set=OuterRef("pk")).order_by().values("question_set")
        answered = Question.objects.filter(question_set=OuterRef("pk"), answers__isnull=False)
        return self.annotate(
            answered=Exists(answered),
            examination_count=Count("examinations"),
            question_count=Coalesce(Subquery(counted.annotate(n=Count("pk")).values("n")), 0),
        )

    def versions_of(self, code: str) -> "QuestionSetQuerySet":
        return self.filter(code=code).with_usage().order_by("-number")


class QuestionSet(models.Model):
    """One version of a question set, loaded from its file. Frozen once answered."""

    code = models.SlugField(max_length=60)
    title = models.CharField(max_length=200)
    version_label = models.CharField(max_length=40, help_text="The version the file declares.")
    number = models.PositiveIntegerField(help_text="1, 2, 3 … per code, in order of loading.")
    checksum = models.CharField(max_length=64, help_text="Of the parsed content, so layout and comments do not count.")
    source = models.TextField(help_text="The file this version was loaded from, verbatim.")
    description = models.TextField(blank=True, help_text="Markdown: how to use the set.")
    criteria = models.JSONField(default=list, blank=True, help_text="The criteria the questions trace to.")
    filename = models.CharField(max_length=255, blank=True)
    loaded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    loaded_at = models.DateTimeField(auto_now_add=True)

    objects = QuestionSetQuerySet.as_manager()

    class Meta:
        ordering = ["code", "-number"]
        constraints = [models.UniqueConstraint(fields=["code", "number"], name="unique_question_set_version")]

    def __str__(self) -> str:
        return f"{self.title} (v{self.number})"

    def save(self, *args, **kwargs) -> None:
        if self.pk is not None and self.is_frozen:
            raise QuestionSetFrozen(f"{self} has answers and cannot be changed; load an edited file as a new version.")
        super().save(*args, **kwargs)

    def get_absolute_url(self) -> str:
        return reverse("questionset:detail", args=[self.pk])

    @property
    def is_frozen(self) -> bool:
        return Question.objects.filter(question_set=self, answers__isnull=False).exists()

    def as_spec(self) -> QuestionSetSpec:
        """This version as the loader's plain data, read from the database (not re-parsed,
        so a stricter loader never makes an old version unreadable)."""
        sections = {s.pk: SectionSpec(code=s.code, title=s.title, questions=[]) for s in self.sections.all()}
        for q in self.questions.select_related("section").prefetch_related("options"):
            sections[q.section_id].questions.append(q.as_spec())
        return QuestionSetSpec(
            code=self.code,
            title=self.title,
            version=self.version_label,
            sections=list(sections.values()),
            description=self.description,
            criteria=list(self.criteria),
        )


class FrozenWithItsSet(models.Model):
    """Sections, questions and options change only while their version has no answers."""

    class Meta:
        abstract = True

    def save(self, *args, **kwargs) -> None:
        self._refuse_if_frozen()
        super().save(*args, **kwargs)

    def delete(self, *args, **kwargs):
        self._refuse_if_frozen()
        return super().delete(*args, **kwargs)

    def _refuse_if_frozen(self) -> None:
        if self.pk is not None and self._question_set().is_frozen:
            raise QuestionSetFrozen(f"{self._question_set()} has answers and cannot be changed.")


class Section(FrozenWithItsSet):
    question_set = models.ForeignKey(QuestionSet, on_delete=models.CASCADE, related_name="sections")
    code = models.CharField(max_length=20)
    title = models.CharField(max_length=200)
    order = models.PositiveIntegerField()

    class Meta:
        ordering = ["order"]

    def __str__(self) -> str:
        return self.title

    def _question_set(self) -> QuestionSet:
        return self.question_set


class QuestionQuerySet(models.QuerySet):
    def in_page_order(self, question_set: "QuestionSet | int") -> "QuestionQuerySet":
        """A version's questions in the order pages, rules and reports take them, each with its section."""
        return self.filter(question_set=question_set).select_related("section").order_by("order")

    def with_options(self) -> "QuestionQuerySet":
        return self.prefetch_related("options")


class Question(FrozenWithItsSet):
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

    objects = QuestionQuerySet.as_manager()

    class Meta:
        ordering = ["order"]
        constraints = [models.UniqueConstraint(fields=["question_set", "code"], name="unique_question_code")]

    def __str__(self) -> str:
        return f"{self.code} {self.text}"

    @property
    def has_options(self) -> bool:
        return self.answer_type in (self.Type.CHOICE, self.Type.MULTI)

    def _question_set(self) -> QuestionSet:
        return self.question_set

    def exclusive_conflict(self, codes: list[str]) -> str:
        """Why these chosen option codes cannot stand together ('' when they can): an
        exclusive option (a "none of these") is chosen only on its own."""
        if self.answer_type != self.Type.MULTI or len(codes) < 2:
            return ""
        for option in self.options.all():
            if option.exclusive and option.code in codes:
                return f"‘{option.label}’ cannot be chosen with other options: untick it or the others"
        return ""

    def as_spec(self) -> QuestionSpec:
        return QuestionSpec(
            code=self.code,
            text=self.text,
            answer_type=self.answer_type,
            section_code=self.section.code,
            guidance=self.guidance,
            criterion=self.criterion,
            required=self.required,
            options=[OptionSpec(code=o.code, label=o.label, exclusive=o.exclusive) for o in self.options.all()],
            comment_required_for=list(self.comment_required_for),
            applies_when=dict(self.applies_when),
        )


class Option(FrozenWithItsSet):
    question = models.ForeignKey(Question, on_delete=models.CASCADE, related_name="options")
    code = models.CharField(max_length=40)
    label = models.CharField(max_length=200)
    order = models.PositiveIntegerField()
    exclusive = models.BooleanField(default=False, help_text="Multiple choice: may only be chosen on its own.")

    class Meta:
        ordering = ["order"]
        constraints = [models.UniqueConstraint(fields=["question", "code"], name="unique_option_code")]

    def __str__(self) -> str:
        return self.label

    def _question_set(self) -> QuestionSet:
        return self.question.question_set
