"""Models moved between apps keep their tables, so an existing database keeps its rows."""

import pytest
from django.db import connection
from django.db.migrations.executor import MigrationExecutor

from casefiles.models import CaseExample, QuestionSetAdoption

BEFORE_THE_MOVE = [
    ("casefiles", "0003_inspection_fieldwork_starts_on_assignmentchange_and_more"),
    ("questionset", "0003_option_exclusive"),
    ("reports", "0004_analysis_formats"),
]


def test_it_keeps_the_tables_the_models_were_created_with():
    assert QuestionSetAdoption._meta.db_table == "questionset_questionsetadoption"
    assert CaseExample._meta.db_table == "reports_caseexample"


@pytest.mark.django_db(transaction=True)
def test_it_keeps_an_adoption_made_before_the_move(lead):
    executor = MigrationExecutor(connection)
    latest = executor.loader.graph.leaf_nodes()
    executor.migrate(BEFORE_THE_MOVE)
    old = executor.loader.project_state(BEFORE_THE_MOVE).apps
    question_set = old.get_model("questionset", "QuestionSet").objects.create(
        code="s", title="S", version_label="1", number=1, checksum="x", source=""
    )
    inspection = old.get_model("casefiles", "Inspection").objects.create(slug="i", name="I")
    old.get_model("questionset", "QuestionSetAdoption").objects.create(
        inspection_id=inspection.pk, question_set_id=question_set.pk, adopted_by_id=lead.pk
    )
    executor = MigrationExecutor(connection)
    executor.loader.build_graph()
    executor.migrate(latest)
    adoption = QuestionSetAdoption.objects.get()
    assert (adoption.inspection.slug, adoption.question_set.code, adoption.adopted_by) == ("i", "s", lead)
