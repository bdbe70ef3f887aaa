"""Frame rows keep the plan's case attributes as data (FrameCase.attributes, JSON, values as
text), like case files (casefiles 0006). Every row is kept; reversible."""

from django.db import migrations, models

BATCH = 5000


def forwards(apps, schema_editor):
    FrameCase = apps.get_model("sampling", "FrameCase")
    batch = []
    for row in FrameCase.objects.order_by("pk").iterator(chunk_size=BATCH):
        row.attributes = {
            "category": row.category,
            "outcome": row.outcome,
            "court": row.court,
            "domestic_abuse": "yes" if row.domestic_abuse else "no",
            "vrr": "yes" if row.vrr else "no",
            "decision_date": row.decision_date.isoformat() if row.decision_date else "",
        }
        batch.append(row)
        if len(batch) >= BATCH:
            FrameCase.objects.bulk_update(batch, ["attributes"])
            batch = []
    if batch:
        FrameCase.objects.bulk_update(batch, ["attributes"])


def backwards(apps, schema_editor):
    import datetime

    FrameCase = apps.get_model("sampling", "FrameCase")
    batch = []
    for row in FrameCase.objects.order_by("pk").iterator(chunk_size=BATCH):
        values = row.attributes or {}
        row.category, row.outcome, row.court = (
            values.get("category", ""),
            values.get("outcome", ""),
            values.get("court", ""),
        )
        row.domestic_abuse, row.vrr = values.get("domestic_abuse") == "yes", values.get("vrr") == "yes"
        date = values.get("decision_date")
        row.decision_date = datetime.date.fromisoformat(date) if date else datetime.date(1970, 1, 1)
        batch.append(row)
    FrameCase.objects.bulk_update(
        batch, ["category", "outcome", "court", "domestic_abuse", "vrr", "decision_date"], batch_size=BATCH
    )


class Migration(migrations.Migration):
    dependencies = [("sampling", "0001_initial"), ("casefiles", "0007_case_attributes_as_data")]

    operations = [
        migrations.AddField(
            model_name="framecase",
            name="attributes",
            field=models.JSONField(blank=True, default=dict, help_text="The plan's case attributes, as text."),
        ),
        migrations.AlterField("framecase", "category", models.CharField(max_length=30, blank=True)),
        migrations.AlterField("framecase", "outcome", models.CharField(max_length=10, blank=True)),
        migrations.AlterField("framecase", "domestic_abuse", models.BooleanField(default=False)),
        migrations.AlterField("framecase", "decision_date", models.DateField(null=True)),
        migrations.RunPython(forwards, backwards),
        migrations.RemoveField("framecase", "category"),
        migrations.RemoveField("framecase", "outcome"),
        migrations.RemoveField("framecase", "court"),
        migrations.RemoveField("framecase", "domestic_abuse"),
        migrations.RemoveField("framecase", "vrr"),
        migrations.RemoveField("framecase", "decision_date"),
    ]
