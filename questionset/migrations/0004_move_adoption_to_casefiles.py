from django.db import migrations


class Migration(migrations.Migration):
    """QuestionSetAdoption now belongs to casefiles (it names an inspection). Only Django's
    idea of the model moves: the table questionset_questionsetadoption and its rows stay."""

    dependencies = [("questionset", "0003_option_exclusive")]

    operations = [
        migrations.SeparateDatabaseAndState(
            state_operations=[migrations.DeleteModel(name="QuestionSetAdoption")],
            database_operations=[],
        )
    ]
