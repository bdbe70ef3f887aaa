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
    blind = models.BooleanField(
        default=False,
        help_text="The QA lead answered the file before seeing the inspector's answers, then reconciled.",
    )
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

    @property
    def is_answering_blind(self) -> bool:
        """A blind review whose QA lead has not yet submitted their own answers."""
        from casefiles.models import Examination

        return self.blind and self.dip_examination.status != Examination.Status.SUBMITTED


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
    resolution = models.CharField(
        max_length=8,
        choices=[("", "Not yet"), ("stands", "Inspector's answer stands"), ("adopted", "QA answer adopted"),
                 ("query", "Gone to a query")],
        blank=True,
        help_text="Blind reviews: how a difference was reconciled.",
    )  # fmt: skip

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


class AnswerQuery(models.Model):
    """A conversation about one answer of a primary examination (REDCap's "data resolution"):
    the QA lead or the lead opens it, the inspector replies or changes the answer, the opener
    closes it. While open it blocks only the completion of the file's dip review."""

    class Status(models.TextChoices):
        OPEN = "open", "Open"
        CLOSED = "closed", "Closed"

    examination = models.ForeignKey("casefiles.Examination", on_delete=models.CASCADE, related_name="queries")
    question = models.ForeignKey("questionset.Question", on_delete=models.PROTECT, related_name="+")
    status = models.CharField(max_length=8, choices=Status.choices, default=Status.OPEN)
    opened_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="queries_opened")
    opened_at = models.DateTimeField(auto_now_add=True)
    closed_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["-opened_at", "-id"]
        constraints = [
            models.UniqueConstraint(
                fields=["examination", "question"],
                condition=models.Q(status="open"),
                name="one_open_query_per_answer",
            )
        ]

    def __str__(self) -> str:
        return f"Query on {self.question.code} of {self.examination.case_file.urn} ({self.status})"

    def get_absolute_url(self) -> str:
        case_file = self.examination.case_file
        return reverse("quality:answer", args=[case_file.inspection.slug, case_file.urn, self.question.code])

    @property
    def is_open(self) -> bool:
        return self.status == self.Status.OPEN


class QueryMessage(models.Model):
    """One step of a query: opened, a reply, the answer changed, closed. Kept for good."""

    class Kind(models.TextChoices):
        OPENED = "opened", "Opened the query"
        REPLY = "reply", "Replied"
        CHANGED = "changed", "Changed the answer"
        CLOSED = "closed", "Closed the query"

    query = models.ForeignKey(AnswerQuery, on_delete=models.CASCADE, related_name="messages")
    kind = models.CharField(max_length=8, choices=Kind.choices)
    author = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    text = models.TextField(blank=True)
    old_value = models.TextField(blank=True, help_text="For a change: the answer before it.")
    new_value = models.TextField(blank=True, help_text="For a change: the answer after it.")
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["created_at", "id"]

    def __str__(self) -> str:
        return f"{self.get_kind_display()} by {self.author_id}"


class GuidanceRead(models.Model):
    """An inspector has read what changed when the inspection adopted a new question-set
    version after a consistency exercise; until then their home page shows the changes."""

    user = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="+")
    adoption = models.ForeignKey("casefiles.QuestionSetAdoption", on_delete=models.CASCADE, related_name="+")
    read_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        constraints = [models.UniqueConstraint(fields=["user", "adoption"], name="one_read_per_guidance_change")]

    def __str__(self) -> str:
        return f"{self.user_id} read adoption {self.adoption_id}"


class ReviewPolicy(models.Model):
    """How an inspection's dip reviews are done, chosen by the QA lead: blind (the default:
    the QA lead answers the file first, then reconciles) or open (verdicts beside the answers)."""

    inspection = models.OneToOneField("casefiles.Inspection", on_delete=models.CASCADE, related_name="review_policy")
    blind = models.BooleanField(default=True)
    changed_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    changed_at = models.DateTimeField(auto_now=True)

    def __str__(self) -> str:
        return f"{self.inspection_id}: {'blind' if self.blind else 'open'} dip reviews"
