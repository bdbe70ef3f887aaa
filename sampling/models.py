from django.conf import settings
from django.db import models

from casefiles.models import Area, HistoryRow, Inspection


class Frame(models.Model):
    """An imported sample frame: every candidate case, as uploaded."""

    inspection = models.ForeignKey(Inspection, on_delete=models.CASCADE, related_name="frames")
    filename = models.CharField(max_length=255)
    imported_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, on_delete=models.PROTECT, related_name="+")
    imported_at = models.DateTimeField(auto_now_add=True)
    row_count = models.PositiveIntegerField()

    class Meta:
        ordering = ["-imported_at", "-id"]

    def __str__(self) -> str:
        return f"{self.filename} ({self.row_count} rows)"


class FrameCase(models.Model):
    frame = models.ForeignKey(Frame, on_delete=models.CASCADE, related_name="cases")
    line = models.PositiveIntegerField()
    urn = models.CharField(max_length=40)
    area = models.ForeignKey(Area, on_delete=models.PROTECT, related_name="+")
    attributes = models.JSONField(default=dict, blank=True, help_text="The plan's case attributes, as text.")

    class Meta:
        ordering = ["line"]
        indexes = [models.Index(fields=["frame", "area"])]

    def __str__(self) -> str:
        return self.urn


class Draw(models.Model):
    """The record of a sample draw: who, when, which frame and seed, and any shortfall taken."""

    inspection = models.OneToOneField(Inspection, on_delete=models.CASCADE, related_name="draw")
    frame = models.ForeignKey(Frame, on_delete=models.RESTRICT, related_name="draws")
    seed = models.BigIntegerField()
    drawn_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, on_delete=models.PROTECT, related_name="+")
    drawn_at = models.DateTimeField(auto_now_add=True)
    took_what_there_is = models.BooleanField(default=False)
    shortfalls = models.JSONField(default=list, blank=True)
    summary = models.JSONField(default=list, blank=True)

    def __str__(self) -> str:
        return f"Draw for {self.inspection_id} with seed {self.seed}"


class SampleEvent(HistoryRow):
    """History of changes to the sample after the draw: replacements, dip sample changes."""

    class Kind(models.TextChoices):
        REPLACED = "replaced", "File replaced by a reserve"
        DIP_DRAWN = "dip_drawn", "Added to the dip sample by a draw"
        DIP_ADDED = "dip_added", "Added to the dip sample by hand"
        DIP_REMOVED = "dip_removed", "Removed from the dip sample"

    inspection = models.ForeignKey(Inspection, on_delete=models.CASCADE, related_name="sample_events")
    kind = models.CharField(max_length=20, choices=Kind.choices)
    case_file = models.ForeignKey("casefiles.CaseFile", on_delete=models.CASCADE, related_name="sample_events")
    other_file = models.ForeignKey(
        "casefiles.CaseFile", null=True, blank=True, on_delete=models.CASCADE, related_name="+"
    )
    reason = models.TextField(blank=True)

    def __str__(self) -> str:
        return f"{self.get_kind_display()}: {self.case_file_id}"
