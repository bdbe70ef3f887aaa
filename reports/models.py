import datetime

from django.conf import settings
from django.db import models
from django.urls import reverse
from django.utils import timezone

from casefiles.models import Inspection

from .tables import breakdowns_of
from .templatetags.report_text import in_sentence


class ReportJob(models.Model):
    class Format(models.TextChoices):
        PDF = "pdf", "PDF"
        HTML = "html", "Tables as a web page (HTML, for GOV.UK)"
        XLSX = "xlsx", "Spreadsheet (XLSX)"
        CSV = "csv", "Raw data (CSV)"
        DTA = "dta", "Analysis file for Stata (.dta), labelled"
        SAV = "sav", "Analysis file for SPSS (.sav), labelled"
        CODEBOOK = "cbk", "Codebook of the analysis files (CSV)"

    class Status(models.TextChoices):
        QUEUED = "queued", "Queued"
        RUNNING = "running", "Running"
        DONE = "done", "Done"
        FAILED = "failed", "Failed"

    inspection = models.ForeignKey(Inspection, on_delete=models.CASCADE, related_name="report_jobs")
    format = models.CharField(max_length=5, choices=Format.choices, default=Format.PDF)
    parameters = models.JSONField(default=dict, blank=True)
    parameters_key = models.CharField(max_length=64, help_text="Hash of format and parameters, to spot repeats.")
    requested_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="report_jobs")
    requested_at = models.DateTimeField(auto_now_add=True)
    status = models.CharField(max_length=10, choices=Status.choices, default=Status.QUEUED)
    progress = models.PositiveSmallIntegerField(default=0)
    started_at = models.DateTimeField(null=True, blank=True)
    finished_at = models.DateTimeField(null=True, blank=True)
    heartbeat_at = models.DateTimeField(
        default=timezone.now, help_text="Last sign of life: queued, claimed, or progress made."
    )
    attempts = models.PositiveSmallIntegerField(default=0)
    error = models.TextField(blank=True)
    file = models.FileField(upload_to="reports/", blank=True)
    variant = models.CharField(
        max_length=12, choices=[("working", "Working copy"), ("publication", "Publication copy")], default="working"
    )
    marking = models.CharField(max_length=40, blank=True, help_text="The protective marking on every page and sheet.")
    marking_chosen_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    marking_chosen_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["-requested_at", "-id"]
        permissions = [("build_reports", "Can build and download reports")]

    def __str__(self) -> str:
        return f"{self.get_format_display()} report #{self.pk}"

    def get_absolute_url(self) -> str:
        return reverse("reports:job", args=[self.pk])

    @property
    def is_finished(self) -> bool:
        return self.status in (self.Status.DONE, self.Status.FAILED)

    @property
    def download_name(self) -> str:
        suffix = "codebook.csv" if self.format == self.Format.CODEBOOK else self.format
        return f"{self.inspection.slug}-report-{self.pk}.{suffix}"

    @property
    def seconds_left(self) -> int | None:
        """A running job's time left, from its pace so far; None until there is a pace to go by."""
        if self.status != self.Status.RUNNING or not self.started_at or not 5 < self.progress < 100:
            return None
        elapsed = (timezone.now() - self.started_at).total_seconds()
        return max(1, round(elapsed * (100 - self.progress) / self.progress))

    def status_data(self) -> dict:
        """The job's state as the job page's script reads it (reports:job_status)."""
        return {
            "status": self.status,
            "status_label": self.get_status_display(),
            "progress": self.progress,
            "seconds_left": self.seconds_left,
            "finished": self.is_finished,
            "stuck": self.is_stuck,
        }

    @property
    def marking_label(self) -> str:
        if self.variant != "publication":  # jobs from before the choice existed carry the deployment's
            return self.marking or settings.PROTECTIVE_MARKING
        return self.marking or "No marking (approved for publication)"

    @property
    def is_stuck(self) -> bool:
        """Queued or running with no sign of life for a long while: its task message was
        probably lost (a killed worker on a broker that does not redeliver, a broker
        restarted empty), so it may be queued again."""
        if self.is_finished:
            return False
        return self.heartbeat_at < timezone.now() - datetime.timedelta(seconds=stuck_after_seconds())

    def parameters_summary(self) -> list[tuple[str, str]]:
        """The request, in words, for the job page and the list."""
        p = self.parameters or {}
        known = breakdowns_of(self.inspection)

        def label(code: str | None) -> str:
            return in_sentence(known[code].label) if code in known else str(code)

        headlines = p.get("headlines") or {}
        breakdowns = [known[b].label for b in p.get("breakdowns") or [] if b in known]
        rows = [
            ("Sections", ", ".join(p.get("sections") or []) or ("all" if not p.get("questions") else "none")),
            ("Questions", ", ".join(p.get("questions") or []) or "all in the sections"),
            ("Breakdowns", ", ".join(breakdowns) or "all files only"),
        ]
        if self.variant == "publication":
            rows.append(("Copy", f"Publication: counts below {p.get('threshold')} withheld"))
        else:
            rows.append(("Copy", "Working: every group"))
        if headlines.get("questions"):
            rows.append(
                (
                    "Headline tables",
                    f"{', '.join(headlines['questions'])}, by {label(headlines.get('rows'))}"
                    f" and {label(headlines.get('columns'))}",
                )
            )
        return rows


def stuck_after_seconds() -> int:
    return int(getattr(settings, "REPORTS_STUCK_AFTER", 900))


class ReportPart(models.Model):
    """One part of a PDF job's annex, rendered by a Celery task of its own (reports.tasks.
    render_report_part) so that the parts spread over the workers; index 0 is the front
    matter, rendered last by the task that puts the parts together. Rows belong to one
    attempt of the job: a later attempt replaces them, and they are deleted once the PDF
    is written."""

    job = models.ForeignKey(ReportJob, on_delete=models.CASCADE, related_name="parts")
    attempt = models.PositiveSmallIntegerField()
    index = models.PositiveSmallIntegerField()
    html = models.TextField(help_text="The part as an HTML document (the front matter's with page-number slots).")
    meta = models.JSONField(default=dict, blank=True, help_text="Front matter: the title and the bookmarks.")
    tries = models.PositiveSmallIntegerField(default=0, help_text="Renderings started: above 1 after a redelivery.")
    pdf = models.BinaryField(null=True, blank=True)
    pages = models.PositiveIntegerField(null=True, blank=True)
    anchors = models.JSONField(default=dict, blank=True, help_text="Element id → page index within the part.")
    done_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["job", "attempt", "index"]
        constraints = [models.UniqueConstraint(fields=["job", "attempt", "index"], name="one_report_part_an_index")]

    def __str__(self) -> str:
        return f"part {self.index} of {self.job}, attempt {self.attempt}"
