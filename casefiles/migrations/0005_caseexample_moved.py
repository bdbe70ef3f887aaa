import django.db.models.deletion
from django.conf import settings
from django.db import migrations, models


class Migration(migrations.Migration):
    """CaseExample, moved from reports (it is written from the examination page), on its
    existing table reports_caseexample: no rows move."""

    dependencies = [
        ("casefiles", "0004_questionsetadoption_moved"),
        migrations.swappable_dependency(settings.AUTH_USER_MODEL),
    ]

    operations = [
        migrations.SeparateDatabaseAndState(
            state_operations=[
                migrations.CreateModel(
                    name="CaseExample",
                    fields=[
                        (
                            "id",
                            models.BigAutoField(
                                auto_created=True, primary_key=True, serialize=False, verbose_name="ID"
                            ),
                        ),
                        (
                            "kind",
                            models.CharField(
                                choices=[("good_practice", "Good practice"), ("failing", "Example of a failing")],
                                max_length=20,
                            ),
                        ),
                        ("flagged_at", models.DateTimeField(auto_now_add=True)),
                        ("included_in_appendix", models.BooleanField(default=False)),
                        (
                            "appendix_text",
                            models.TextField(blank=True, help_text="The text the appendix prints; empty: the comment."),
                        ),
                        (
                            "answer",
                            models.OneToOneField(
                                on_delete=django.db.models.deletion.CASCADE,
                                related_name="case_example",
                                to="casefiles.answer",
                            ),
                        ),
                        (
                            "flagged_by",
                            models.ForeignKey(
                                on_delete=django.db.models.deletion.PROTECT,
                                related_name="+",
                                to=settings.AUTH_USER_MODEL,
                            ),
                        ),
                    ],
                    options={
                        "db_table": "reports_caseexample",
                        "ordering": ["answer__question__order", "answer__examination__case_file__urn"],
                    },
                )
            ],
            database_operations=[],
        )
    ]
