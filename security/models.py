"""The audit of reads and exports: who opened which file's examination, who downloaded
which export or report, and what the retention command purged. Rows are only ever added."""

from django.conf import settings
from django.db import models


class AuditEvent(models.Model):
    class Action(models.TextChoices):
        VIEWED = "viewed", "Opened a file's examination"
        EXPORTED = "exported", "Downloaded an export"
        REPORT = "report", "Downloaded a report"
        PURGED = "purged", "Purged by the retention schedule"

    at = models.DateTimeField(auto_now_add=True, db_index=True)
    user = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL)
    username = models.CharField(max_length=150, blank=True, help_text="Kept if the account is deleted.")
    action = models.CharField(max_length=10, choices=Action.choices, db_index=True)
    inspection = models.CharField(max_length=100, blank=True, db_index=True, help_text="The inspection's slug.")
    target = models.CharField(max_length=300, help_text="The file's URN, the export or report, or what was purged.")
    path = models.CharField(max_length=500, blank=True)
    ip_address = models.GenericIPAddressField(null=True, blank=True)

    class Meta:
        ordering = ["-at", "-pk"]
        indexes = [models.Index(fields=["inspection", "target"])]

    def __str__(self) -> str:
        return f"{self.at:%Y-%m-%d %H:%M} {self.username or 'system'} {self.get_action_display()}: {self.target}"


class RetentionPolicy(models.Model):
    """How long an inspection's data is kept (see `purge_expired`). Without a policy the
    defaults apply to reports and frames, and case data is never purged: only an archived
    inspection's case data is, `case_data_days` after it was archived."""

    inspection = models.OneToOneField("casefiles.Inspection", on_delete=models.CASCADE, related_name="retention")
    report_days = models.PositiveIntegerField(default=90, help_text="Generated report files, from when built.")
    frame_days = models.PositiveIntegerField(default=180, help_text="Uploaded frames' rows, from their import.")
    archived_on = models.DateField(null=True, blank=True, help_text="Set when the inspection is over.")
    case_data_days = models.PositiveIntegerField(
        default=365, help_text="Case files, examinations and answers, from the day the inspection was archived."
    )

    class Meta:
        verbose_name_plural = "retention policies"

    def __str__(self) -> str:
        return f"Retention for {self.inspection}"
