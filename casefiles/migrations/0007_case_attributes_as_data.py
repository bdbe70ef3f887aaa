"""Case attributes become data declared by the plan: CaseFile's typed columns move into
CaseFile.attributes (JSON, values as text), and every stored plan gains the attribute
declaration of the columns it used to rely on. Every row is kept; reversible."""

from django.db import migrations, models

# The columns the typed model had, declared as a plan declares them (frozen here: the
# migration must not change when the shipped plan file does).
TYPED_ATTRIBUTES = [
    {
        "code": "category",
        "label": "Category",
        "type": "choice",
        "values": [
            {"code": "stalking", "label": "Stalking"},
            {"code": "harassment", "label": "Harassment"},
            {"code": "breach_of_order", "label": "Breach of a protective order"},
            {"code": "controlling_coercive", "label": "Controlling and coercive behaviour"},
        ],
    },
    {
        "code": "outcome",
        "label": "Outcome",
        "type": "choice",
        "values": [{"code": "charged", "label": "Charged"}, {"code": "nfa", "label": "No further action"}],
    },
    {
        "code": "court",
        "label": "Court",
        "type": "choice",
        "values": [{"code": "magistrates", "label": "Magistrates' court"}, {"code": "crown", "label": "Crown Court"}],
        "required": False,
        "required_when": {"outcome": ["charged"]},
        "empty_when": {"outcome": ["nfa"]},
        "empty_label": "No court (not charged)",
    },
    {
        "code": "domestic_abuse",
        "label": "Domestic abuse",
        "type": "yes_no",
        "values": [{"code": "yes", "label": "Domestic abuse"}, {"code": "no", "label": "Not domestic abuse"}],
    },
    {"code": "vrr", "label": "Re-opened after VRR", "type": "yes_no", "exports": ["sample"]},
    {"code": "decision_date", "label": "Decision date", "type": "date", "exports": []},
]
TYPED_BREAKDOWNS = ["court", "category", "outcome", "domestic_abuse"]
BATCH = 2000


def typed_to_json(row) -> dict:
    return {
        "category": row.category,
        "outcome": row.outcome,
        "court": row.court,
        "domestic_abuse": "yes" if row.domestic_abuse else "no",
        "vrr": "yes" if row.vrr else "no",
        "decision_date": row.decision_date.isoformat() if row.decision_date else "",
    }


def json_to_typed(row) -> None:
    import datetime

    values = row.attributes or {}
    row.category = values.get("category", "")
    row.outcome = values.get("outcome", "")
    row.court = values.get("court", "")
    row.domestic_abuse = values.get("domestic_abuse") == "yes"
    row.vrr = values.get("vrr") == "yes"
    date = values.get("decision_date")
    row.decision_date = datetime.date.fromisoformat(date) if date else None


def _in_batches(model, convert, fields) -> None:
    batch = []
    for row in model.objects.order_by("pk").iterator(chunk_size=BATCH):
        convert(row)
        batch.append(row)
        if len(batch) >= BATCH:
            model.objects.bulk_update(batch, fields)
            batch = []
    if batch:
        model.objects.bulk_update(batch, fields)


def forwards(apps, schema_editor):
    Inspection = apps.get_model("casefiles", "Inspection")
    for inspection in Inspection.objects.all():
        plan = dict(inspection.plan or {})
        if plan and "attributes" not in plan:
            plan["attributes"] = TYPED_ATTRIBUTES
            plan["breakdowns"] = TYPED_BREAKDOWNS
            mix = plan.pop("domestic_abuse_mix", "proportional")
            plan["mix"] = {"attribute": "domestic_abuse", "rule": mix}
            inspection.plan = plan
            inspection.save(update_fields=["plan"])

    def fill(row):
        row.attributes = typed_to_json(row)

    _in_batches(apps.get_model("casefiles", "CaseFile"), fill, ["attributes"])


def backwards(apps, schema_editor):
    typed = ["category", "outcome", "court", "domestic_abuse", "vrr", "decision_date"]
    _in_batches(apps.get_model("casefiles", "CaseFile"), json_to_typed, typed)


class Migration(migrations.Migration):
    dependencies = [("casefiles", "0006_calendar_leave_and_sittings")]

    operations = [
        migrations.AddField(
            model_name="casefile",
            name="attributes",
            field=models.JSONField(
                blank=True,
                default=dict,
                help_text="The plan's case attributes: code → value as text (validated on import).",
            ),
        ),
        # Nullable/blank while the data moves, so the reverse can add them back before filling them.
        migrations.AlterField("casefile", "category", models.CharField(max_length=30, blank=True)),
        migrations.AlterField("casefile", "outcome", models.CharField(max_length=10, blank=True)),
        migrations.AlterField("casefile", "domestic_abuse", models.BooleanField(default=False)),
        migrations.RunPython(forwards, backwards),
        migrations.RemoveField("casefile", "category"),
        migrations.RemoveField("casefile", "outcome"),
        migrations.RemoveField("casefile", "court"),
        migrations.RemoveField("casefile", "domestic_abuse"),
        migrations.RemoveField("casefile", "vrr"),
        migrations.RemoveField("casefile", "decision_date"),
    ]
