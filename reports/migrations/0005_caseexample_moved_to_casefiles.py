from django.db import migrations


class Migration(migrations.Migration):
    """CaseExample now belongs to casefiles; only Django's idea of the model moves, the table
    reports_caseexample and its rows stay."""

    dependencies = [("reports", "0004_analysis_formats"), ("casefiles", "0005_caseexample_moved")]

    operations = [
        migrations.SeparateDatabaseAndState(
            state_operations=[migrations.DeleteModel(name="CaseExample")],
            database_operations=[],
        )
    ]
