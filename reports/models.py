from django.conf import settings
from django.db import models
from django.urls import reverse

from casefiles.models import Inspection


class ReportJob(models.Model):
    class Format(models.TextChoices):
        PDF = "pdf", "PDF"
        XLSX = "xlsx", "Spreadsheet (XLSX)"
        CSV = "csv", "Raw data (CSV)"

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
    attempts = models.PositiveSmallIntegerField(default=0)
    error = models.TextField(blank=True)
    file = models.FileField(upload_to="reports/", blank=True)

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
        return f"{self.inspection.slug}-report-{self.pk}.{self.format}"
