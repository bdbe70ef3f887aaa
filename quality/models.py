"""Quality assurance: dip-sample reviews of primary examinations, and consistency exercises.

A dip review pairs a file's primary examination with the QA lead's own examination of the
same file (kind "dip"); a consistency exercise gives several participants the same files,
each examined independently (kind "consistency") and never counted in the primary results.
"""

from django.conf import settings
from django.db import models
from django.urls import reverse
from django.utils import timezone

from casefiles.examining import answer_label


class DipReview(models.Model):
    class Status(models.TextChoices):
        IN_PROGRESS = "in_progress", "In progress"
        CONFIRMED = "confirmed", "Confirmed"
        AMENDED = "amended", "Amended"

    examination = models.OneToOneField(
        "casefiles.Examination", on_delete=models.CASCADE, related_name="dip_review", help_text="The primary one."
    )
    dip_examination = models.OneToOneField(
        "casefiles.Examination",
        on_delete=models.CASCADE,
        related_name="+",
        help_text="The QA lead's own answers, recorded when the review is completed.",
    )
    reviewer = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="dip_reviews")
    status = models.CharField(max_length=12, choices=Status.choices, default=Status.IN_PROGRESS)
    feedback = models.TextField(blank=True, help_text="Overall feedback for the inspector.")
    started_at = models.DateTimeField(auto_now_add=True)
    completed_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["-started_at"]

    def __str__(self) -> str:
        return f"Dip review of {self.examination.case_file.urn} ({self.get_status_display()})"

    def get_absolute_url(self) -> str:
        case_file = self.examination.case_file
        return reverse("quality:review", args=[case_file.inspection.slug, case_file.urn])

    @property
    def is_complete(self) -> bool:
        return self.status != self.Status.IN_PROGRESS


class ReviewItem(models.Model):
    """The QA lead's verdict on one answer of the primary examination.

    inspector_* are the primary answer as it stood when the review started (or when the
    question first applied); an amendment refuses to overwrite an answer changed since."""

    review = models.ForeignKey(DipReview, on_delete=models.CASCADE, related_name="items")
    question = models.ForeignKey("questionset.Question", on_delete=models.PROTECT, related_name="+")
    asked = models.BooleanField(
        default=True, help_text="False: the question did not apply given the inspector's answers."
    )
    inspector_value = models.TextField(blank=True)
    inspector_comment = models.TextField(blank=True)
    inspector_version = models.PositiveIntegerField(default=0, help_text="0: the inspector gave no answer.")
    agrees = models.BooleanField(default=True)
    qa_value = models.TextField(blank=True, help_text="The QA lead's answer, when they disagree.")
    reason = models.TextField(blank=True)
    amend = models.BooleanField(default=False, help_text="An agreed change: the primary answer becomes qa_value.")

    class Meta:
        ordering = ["question__order"]
        constraints = [models.UniqueConstraint(fields=["review", "question"], name="one_review_item_per_question")]

    def __str__(self) -> str:
        verdict = "agrees" if self.agrees else f"disagrees ({self.qa_value!r})"
        return f"{self.question.code}: {self.inspector_value!r} — QA {verdict}"

    @property
    def inspector_label(self) -> str:
        return answer_label(self.question, self.inspector_value)

    @property
    def qa_label(self) -> str:
        return answer_label(self.question, self.qa_value)

    @property
    def qa_answer(self) -> str:
        """The QA lead's answer to the question: the inspector's when they agree."""
        return self.inspector_value if self.agrees else self.qa_value


class Exercise(models.Model):
    """A consistency exercise: participants examine the same files independently."""

    class Kind(models.TextChoices):
        INTERNAL = "internal", "Internal (the inspection team)"
        EXTERNAL = "external", "External (with CPS participants)"

    inspection = models.ForeignKey("casefiles.Inspection", on_delete=models.CASCADE, related_name="exercises")
    name = models.CharField(max_length=200)
    kind = models.CharField(max_length=10, choices=Kind.choices, default=Kind.INTERNAL)
    instructions = models.TextField(blank=True)
    closes_on = models.DateField(help_text="The last day participants can answer.")
    files = models.ManyToManyField("casefiles.CaseFile", related_name="exercises", blank=True)
    created_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["-created_at"]

    def __str__(self) -> str:
        return self.name

    def get_absolute_url(self) -> str:
        return reverse("quality:exercise", args=[self.pk])

    @property
    def is_open(self) -> bool:
        return timezone.localdate() <= self.closes_on


class Participant(models.Model):
    """Someone taking part in an exercise. A temporary account (a CPS participant in an
    external exercise) belongs to this exercise only, holds no role, and expires."""

    exercise = models.ForeignKey(Exercise, on_delete=models.CASCADE, related_name="participants")
    user = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="exercise_places")
    is_temporary = models.BooleanField(default=False)
    organisation = models.CharField(max_length=200, blank=True, help_text="For example, CPS Wessex.")
    expires_at = models.DateTimeField(null=True, blank=True, help_text="Temporary accounts only.")
    added_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    added_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["user__username"]
        constraints = [models.UniqueConstraint(fields=["exercise", "user"], name="one_place_per_exercise")]

    def __str__(self) -> str:
        return f"{self.user} in {self.exercise}"

    @property
    def has_expired(self) -> bool:
        return self.is_temporary and self.expires_at is not None and self.expires_at <= timezone.now()


class ExerciseExamination(models.Model):
    """Which exercise a consistency examination belongs to."""

    exercise = models.ForeignKey(Exercise, on_delete=models.CASCADE, related_name="examinations")
    examination = models.OneToOneField("casefiles.Examination", on_delete=models.CASCADE, related_name="exercise_link")

    def __str__(self) -> str:
        return f"{self.examination} in {self.exercise}"
