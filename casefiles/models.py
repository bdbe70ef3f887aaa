from functools import cached_property

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.urls import reverse

from accounts.roles import ALL_ROLES

from .attributes import Attribute, parse_attributes


class Area(models.Model):
    """A CPS Area. The 14 Areas are data (see migration 0002)."""

    name = models.CharField(max_length=100, unique=True)
    slug = models.SlugField(max_length=100, unique=True)

    class Meta:
        ordering = ["name"]

    def __str__(self) -> str:
        return f"CPS {self.name}"


class Inspection(models.Model):
    slug = models.SlugField(max_length=60, unique=True)
    name = models.CharField(max_length=200)
    question_set = models.ForeignKey(
        "questionset.QuestionSet",
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
        help_text="The version new examinations use.",
    )
    plan = models.JSONField(default=dict, blank=True, help_text="The sampling plan, as loaded from its file.")
    fieldwork_starts_on = models.DateField(
        null=True, blank=True, help_text="First day of the file examination, for the burn-down against the plan."
    )
    fieldwork_ends_on = models.DateField(
        null=True, blank=True, help_text="Last day files may be examined (e.g. before the onsite phase)."
    )
    examination_weekdays = models.JSONField(
        default=list,
        blank=True,
        help_text="Days of the week files are examined, 0 = Monday; empty: the plan's examination days per week.",
    )
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["-created_at"]
        permissions = [
            ("examine_files", "Can examine the case files assigned to them"),
            ("lead_inspection", "Can set up and run an inspection"),
            ("quality_assure", "Can quality assure examinations"),
        ]

    def __str__(self) -> str:
        return self.name

    @cached_property
    def case_attributes(self) -> list[Attribute]:
        """The case attributes the inspection's plan declares, in order (the plan was validated when stored)."""
        return parse_attributes(self.plan.get("attributes") or [], [])


class CaseFileQuerySet(models.QuerySet):
    def in_sample(self) -> "CaseFileQuerySet":
        return self.filter(role=CaseFile.Role.SAMPLE, unavailable_reason="")

    def assigned_to(self, user) -> "CaseFileQuerySet":
        return self.in_sample().filter(assigned_to=user)


class CaseFile(models.Model):
    """A drawn case file: in the sample, or a ranked reserve for its Area and stratum."""

    class Role(models.TextChoices):
        SAMPLE = "sample", "Sample"
        RESERVE = "reserve", "Reserve"

    inspection = models.ForeignKey(Inspection, on_delete=models.CASCADE, related_name="case_files")
    urn = models.CharField("URN", max_length=40)
    area = models.ForeignKey(Area, on_delete=models.PROTECT, related_name="+")
    attributes = models.JSONField(
        default=dict, blank=True, help_text="The plan's case attributes: code → value as text (validated on import)."
    )
    stratum = models.CharField(max_length=60)
    role = models.CharField(max_length=10, choices=Role.choices, default=Role.SAMPLE)
    reserve_rank = models.PositiveIntegerField(null=True, blank=True)
    unavailable_reason = models.TextField(blank=True)
    replaces = models.OneToOneField(
        "self", null=True, blank=True, on_delete=models.SET_NULL, related_name="replaced_by"
    )
    in_dip = models.BooleanField("in the dip sample", default=False)
    assigned_to = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT, related_name="assigned_files"
    )

    objects = CaseFileQuerySet.as_manager()

    class Meta:
        ordering = ["area__name", "stratum", "urn"]
        constraints = [models.UniqueConstraint(fields=["inspection", "urn"], name="unique_urn_per_inspection")]

    def __str__(self) -> str:
        return self.urn

    def get_absolute_url(self) -> str:
        return reverse("casefiles:examine", args=[self.inspection.slug, self.urn])

    def first_date(self) -> str:
        """The first date attribute's value (ISO), or "" — a plausible answer to a date question in the demo."""
        return next((self.attributes.get(a.code, "") for a in self.inspection.case_attributes if a.type == "date"), "")

    def attribute_items(self) -> list[tuple[Attribute, str]]:
        """(attribute, value) in the plan's order, for the case's details."""
        return [(a, self.attributes.get(a.code, "")) for a in self.inspection.case_attributes]


class ExaminationQuerySet(models.QuerySet):
    def primary(self) -> "ExaminationQuerySet":
        """The inspectors' own examinations: the ones results and reports count."""
        return self.filter(kind=Examination.Kind.PRIMARY)

    def submitted(self) -> "ExaminationQuerySet":
        return self.filter(status=Examination.Status.SUBMITTED)


class Examination(models.Model):
    class Kind(models.TextChoices):
        PRIMARY = "primary", "Primary"
        DIP = "dip", "Dip sample"
        CONSISTENCY = "consistency", "Consistency exercise"

    class Status(models.TextChoices):
        IN_PROGRESS = "in_progress", "In progress"
        SUBMITTED = "submitted", "Submitted"
        RETURNED = "returned", "Returned for change"

    case_file = models.ForeignKey(CaseFile, on_delete=models.CASCADE, related_name="examinations")
    kind = models.CharField(max_length=12, choices=Kind.choices, default=Kind.PRIMARY)
    examiner = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="examinations")
    question_set = models.ForeignKey("questionset.QuestionSet", on_delete=models.PROTECT, related_name="examinations")
    status = models.CharField(max_length=12, choices=Status.choices, default=Status.IN_PROGRESS)
    started_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)
    submitted_at = models.DateTimeField(null=True, blank=True)
    returned_reason = models.TextField(blank=True)

    objects = ExaminationQuerySet.as_manager()

    class Meta:
        constraints = [
            models.UniqueConstraint(
                fields=["case_file"], condition=Q(kind="primary"), name="one_primary_examination_per_file"
            ),
            models.UniqueConstraint(fields=["case_file", "kind", "examiner"], name="one_examination_per_kind_examiner"),
        ]

    def __str__(self) -> str:
        return f"{self.case_file.urn} ({self.get_kind_display()}, {self.examiner})"

    @property
    def is_editable(self) -> bool:
        return self.status != self.Status.SUBMITTED


class Answer(models.Model):
    """One answer of one examination. Written only through casefiles.services.answer_save."""

    examination = models.ForeignKey(Examination, on_delete=models.CASCADE, related_name="answers")
    question = models.ForeignKey("questionset.Question", on_delete=models.PROTECT, related_name="answers")
    value = models.TextField(blank=True, help_text="Option code, codes joined by '|', number, ISO date or text.")
    comment = models.TextField(blank=True)
    version = models.PositiveIntegerField(default=1)
    updated_at = models.DateTimeField(auto_now=True)
    updated_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")

    class Meta:
        constraints = [models.UniqueConstraint(fields=["examination", "question"], name="one_answer_per_question")]

    def __str__(self) -> str:
        return f"{self.question.code}={self.value}"


class AnswerChange(models.Model):
    """History: every change to an answer, written in the same transaction as the change."""

    answer = models.ForeignKey(Answer, on_delete=models.CASCADE, related_name="changes")
    old_value = models.TextField(blank=True)
    new_value = models.TextField(blank=True)
    old_comment = models.TextField(blank=True)
    new_comment = models.TextField(blank=True)
    version = models.PositiveIntegerField()
    changed_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    changed_at = models.DateTimeField(auto_now_add=True)
    source = models.CharField(max_length=20, default="examiner")

    class Meta:
        ordering = ["changed_at", "id"]

    def __str__(self) -> str:
        return f"{self.old_value!r} → {self.new_value!r} by {self.changed_by_id} (v{self.version})"


class InspectorBar(models.Model):
    """An inspector who must never examine files of an Area (e.g. a former CPS Area)."""

    inspection = models.ForeignKey(Inspection, on_delete=models.CASCADE, related_name="bars")
    inspector = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="area_bars")
    area = models.ForeignKey(Area, on_delete=models.PROTECT, related_name="+")
    reason = models.CharField(max_length=200)
    created_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, on_delete=models.PROTECT, related_name="+")
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        constraints = [models.UniqueConstraint(fields=["inspection", "inspector", "area"], name="one_bar_per_area")]

    def __str__(self) -> str:
        return f"{self.inspector} barred from {self.area}"


class HistoryRow(models.Model):
    """A row of history, only ever added: who made the change (None: a command, or an account
    since deleted) and when. Newest first."""

    by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, on_delete=models.PROTECT, related_name="+")
    at = models.DateTimeField(auto_now_add=True)

    class Meta:
        abstract = True
        ordering = ["-at", "-id"]


class AssignmentChange(HistoryRow):
    """History of who a file was assigned to."""

    case_file = models.ForeignKey(CaseFile, on_delete=models.CASCADE, related_name="assignment_changes")
    from_inspector = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    to_inspector = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )

    def __str__(self) -> str:
        return f"{self.case_file_id}: {self.from_inspector_id} → {self.to_inspector_id}"


class ExaminationEvent(models.Model):
    """Submissions and returns of an examination, with the reason for a return."""

    class Kind(models.TextChoices):
        SUBMITTED = "submitted", "Submitted"
        RETURNED = "returned", "Returned for change"

    examination = models.ForeignKey(Examination, on_delete=models.CASCADE, related_name="events")
    kind = models.CharField(max_length=12, choices=Kind.choices)
    reason = models.TextField(blank=True)
    by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["at", "id"]

    def __str__(self) -> str:
        return f"{self.get_kind_display()} by {self.by_id}"


class QuestionSetAdoption(models.Model):
    """An inspection starting to use a version for the examinations started from then on.
    Examinations already started keep the version they began with."""

    inspection = models.ForeignKey(Inspection, on_delete=models.CASCADE, related_name="+")
    question_set = models.ForeignKey("questionset.QuestionSet", on_delete=models.PROTECT, related_name="adoptions")
    previous = models.ForeignKey(
        "questionset.QuestionSet", null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    adopted_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    adopted_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        db_table = "questionset_questionsetadoption"  # moved from questionset; the table and its rows stay
        ordering = ["-adopted_at", "-id"]

    def __str__(self) -> str:
        return f"{self.inspection_id} uses {self.question_set} from {self.adopted_at:%Y-%m-%d %H:%M}"


class CaseExample(models.Model):
    """An inspector's comment on an answer, flagged from the examination page as an example for the report.

    Writers choose which go in the report's appendix, where a file is named by URN and
    Area only; they may shorten the text or take names out of it first."""

    class Kind(models.TextChoices):
        GOOD_PRACTICE = "good_practice", "Good practice"
        FAILING = "failing", "Example of a failing"

    answer = models.OneToOneField(Answer, on_delete=models.CASCADE, related_name="case_example")
    kind = models.CharField(max_length=20, choices=Kind.choices)
    flagged_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    flagged_at = models.DateTimeField(auto_now_add=True)
    included_in_appendix = models.BooleanField(default=False)
    appendix_text = models.TextField(blank=True, help_text="The text the appendix prints; empty: the comment.")

    class Meta:
        db_table = "reports_caseexample"  # moved from reports; the table and its rows stay
        ordering = ["answer__question__order", "answer__examination__case_file__urn"]

    def __str__(self) -> str:
        return f"{self.get_kind_display()}: {self.answer}"

    @property
    def text(self) -> str:
        return self.appendix_text or self.answer.comment

    @property
    def answer_label(self) -> str:
        labels = {o.code: o.label for o in self.answer.question.options.all()}
        return "; ".join(labels.get(code, code) for code in self.answer.value.split("|") if code)


class ScheduleChange(HistoryRow):
    """History of an inspection's fieldwork dates and working pattern: each setting, old and new."""

    inspection = models.ForeignKey(Inspection, on_delete=models.CASCADE, related_name="schedule_changes")
    old = models.JSONField(default=dict)
    new = models.JSONField(default=dict)

    def __str__(self) -> str:
        return f"{self.inspection_id}: {self.old} → {self.new}"


class InspectorLeaveQuerySet(models.QuerySet):
    def current(self) -> "InspectorLeaveQuerySet":
        return self.filter(cancelled_at__isnull=True)


class InspectorLeave(models.Model):
    """Days an inspector is away, entered by the lead. Cancelled, never deleted: the history stays."""

    inspection = models.ForeignKey(Inspection, on_delete=models.CASCADE, related_name="leave")
    inspector = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    first_day = models.DateField()
    last_day = models.DateField()
    note = models.CharField(max_length=200, blank=True)
    entered_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, on_delete=models.PROTECT, related_name="+")
    entered_at = models.DateTimeField(auto_now_add=True)
    cancelled_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    cancelled_at = models.DateTimeField(null=True, blank=True)

    objects = InspectorLeaveQuerySet.as_manager()

    class Meta:
        ordering = ["first_day", "id"]
        constraints = [
            models.CheckConstraint(condition=Q(last_day__gte=models.F("first_day")), name="leave_ends_after_it_starts")
        ]

    def __str__(self) -> str:
        return f"{self.inspector_id} away {self.first_day}–{self.last_day}"


class ExaminationSitting(models.Model):
    """A stretch of one person's activity on an examination page (views, saves, the page's
    heartbeat) with no gap longer than ACTIVITY_IDLE_MINUTES: how time per file is measured."""

    examination = models.ForeignKey(Examination, on_delete=models.CASCADE, related_name="sittings")
    person = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    started_at = models.DateTimeField()
    last_active_at = models.DateTimeField()

    class Meta:
        indexes = [models.Index(fields=["examination", "person", "last_active_at"], name="sitting_latest")]

    def __str__(self) -> str:
        return f"{self.examination_id} by {self.person_id}: {self.started_at:%H:%M}–{self.last_active_at:%H:%M}"


TEAM_ROLE_CHOICES = [(role.code, role.group) for role in ALL_ROLES]


class InspectionMember(models.Model):
    """One role a person holds in one inspection's team. The global role (a group) says what
    someone may ever be; these rows say in which inspections they are it."""

    inspection = models.ForeignKey(Inspection, on_delete=models.CASCADE, related_name="members")
    user = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="inspection_roles")
    role = models.CharField(max_length=12, choices=TEAM_ROLE_CHOICES)
    added_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["inspection", "user__username", "role"]
        constraints = [models.UniqueConstraint(fields=["inspection", "user", "role"], name="one_row_per_team_role")]

    def __str__(self) -> str:
        return f"{self.user_id} is {self.role} in {self.inspection_id}"


class TeamChange(HistoryRow):
    """History of an inspection's team: who was given or lost which role, by whom, when."""

    class Action(models.TextChoices):
        ADDED = "added", "Added"
        REMOVED = "removed", "Removed"

    inspection = models.ForeignKey(Inspection, on_delete=models.CASCADE, related_name="team_changes")
    user = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    role = models.CharField(max_length=12, choices=TEAM_ROLE_CHOICES)
    action = models.CharField(max_length=8, choices=Action.choices)

    def __str__(self) -> str:
        return f"{self.user_id} {self.action} as {self.role}"
