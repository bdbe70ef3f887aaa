"""The PDF's charts: labels beside their bars."""

import re

import pytest

from casefiles.models import Area
from reports.charts import question_chart
from reports.tables import question_tables

pytestmark = pytest.mark.django_db


def test_a_label_is_printed_on_the_lines_its_bar_row_was_sized_for(inspection, hand_counted):
    Area.objects.filter(name="Wessex").update(name="Yorkshire and the Humber South")
    table = next(t for t in question_tables(inspection, {"breakdowns": ["area"]}) if t.code == "LD1")
    chart = str(question_chart(table, "area"))
    # "Yorkshire and the Humber South (n=3) †" is sized as two lines, so it is printed as two: were the
    # page to fit it on one, it would sit at the top of its taller row, above its bar.
    assert re.search(r'<p class="bar-label lines-2 small">Yorkshire and the Humber<br>South \(n=3\) †</p>', chart)
    assert '<p class="bar-label lines-1 small">London North (n=1) †</p>' in chart
