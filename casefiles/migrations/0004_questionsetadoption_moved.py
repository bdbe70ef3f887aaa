import django.db.models.deletion
from django.conf import settings
from django.db import migrations, models


class Migration(migrations.Migration):
    """QuestionSetAdoption, moved from questionset, on its existing table (no rows move)."""

    dependencies = [
        ("casefiles", "0003_inspection_fieldwork_starts_on_assignmentchange_and_more"),
        ("questionset", "0004_move_adoption_to_casefiles"),
        migrations.swappable_dependency(settings.AUTH_USER_MODEL),
    ]

    operations = [
        migrations.SeparateDatabaseAndState(
            state_operations=[
                migrations.CreateModel(
                    name="QuestionSetAdoption",
                    fields=[
                        (
                            "id",
                            models.BigAutoField(
                                auto_created=True, primary_key=True, serialize=False, verbose_name="ID"
                            ),
                        ),
                        ("adopted_at", models.DateTimeField(auto_now_add=True)),
                        (
                            "adopted_by",
                            models.ForeignKey(
                                on_delete=django.db.models.deletion.PROTECT,
                                related_name="+",
                                to=settings.AUTH_USER_MODEL,
                            ),
                        ),
                        (
                            "inspection",
                            models.ForeignKey(
                                on_delete=django.db.models.deletion.CASCADE, related_name="+", to="casefiles.inspection"
                            ),
                        ),
                        (
                            "previous",
                            models.ForeignKey(
                                blank=True,
                                null=True,
                                on_delete=django.db.models.deletion.PROTECT,
                                related_name="+",
                                to="questionset.questionset",
                            ),
                        ),
                        (
                            "question_set",
                            models.ForeignKey(
                                on_delete=django.db.models.deletion.PROTECT,
                                related_name="adoptions",
                                to="questionset.questionset",
                            ),
                        ),
                    ],
                    options={"db_table": "questionset_questionsetadoption", "ordering": ["-adopted_at", "-id"]},
                )
            ],
            database_operations=[],
        )
    ]
