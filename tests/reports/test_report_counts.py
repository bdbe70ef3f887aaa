"""A report's figures are summed from one count of the answers (reports.tables.AnswerCounts,
reports.parameters.report_counts): the answers are read once, however many breakdowns,
headline tables and estimates the report has, and every sum equals the figure counted
directly, breakdown by breakdown."""

from collections import defaultdict

import numpy as np
import pytest
from django.db import connection
from django.db.models import Count
from django.test.utils import CaptureQueriesContext

from reports.estimates import Design, headline_estimates, weighted_estimates, weighting_summary
from reports.headlines import headline_tables
from reports.parameters import full_report_parameters, report_counts
from reports.tables import breakdowns_of, choosable_breakdowns, counted_examinations, primary_answers, question_tables
from reports.weights import SampledFile, inspection_frame_counts

from .conftest import examine_every_file

pytestmark = pytest.mark.django_db

HEADLINES = {"questions": ["LD1", "LD2", "LD3", "VW1"], "rows": "area", "columns": "court"}


def reading_the_answers(captured: CaptureQueriesContext) -> list[str]:
    return [q["sql"] for q in captured.captured_queries if "casefiles_answer" in q["sql"]]


def test_every_figure_of_a_full_report_reads_the_answers_twice_whatever_the_breakdowns_and_headlines(
    weighted_inspection, inspector
):
    examine_every_file(weighted_inspection, inspector)
    parameters = {**full_report_parameters(weighted_inspection), "headlines": HEADLINES}
    with CaptureQueriesContext(connection) as captured:
        counts = report_counts(weighted_inspection, parameters)
        tables = question_tables(
            weighted_inspection, parameters, breakdowns=choosable_breakdowns(weighted_inspection), counts=counts
        )
        headlines = headline_tables(weighted_inspection, parameters, counts)
        national = headline_estimates(weighted_inspection, [h.code for h in headlines], counts)
        estimates = weighted_estimates(weighted_inspection, tables, counts)
        weighting = weighting_summary(weighted_inspection, counts)
    # One GROUP BY over the answers, one over the counted files (an EXISTS on the answers).
    assert len(reading_the_answers(captured)) == 2
    # and the questions, options, draw record and Area names, once or twice each; on PostgreSQL the
    # count's memory setting, set and put back in a savepoint of its own, adds four.
    assert len(captured) <= 16 + (4 if connection.vendor == "postgresql" else 0)
    assert [h.code for h in headlines] == ["LD1", "LD2", "LD3", "VW1"]
    assert len(tables[0].breakdowns) == 1 + len(choosable_breakdowns(weighted_inspection))
    assert national["LD1"][0]["weighted"] == estimates.get("LD1", "all", "all", "fully_meets")
    assert (weighting.files, counts.files_counted) == (14, 14)


def test_headline_tables_counted_on_their_own_read_the_answers_twice_not_twice_a_headline(
    weighted_inspection, inspector
):
    examine_every_file(weighted_inspection, inspector)
    with CaptureQueriesContext(connection) as captured:
        headlines = headline_tables(weighted_inspection, {"headlines": HEADLINES})
    assert len(headlines) == 4
    assert len(reading_the_answers(captured)) == 2


def direct_counts(inspection, breakdown) -> dict[tuple[str, str, str], int]:
    """(question, group, value) → answers, counted by the database for this breakdown alone."""
    group = breakdown.expression("examination__case_file__")
    rows = primary_answers(inspection).values("question__code", "value", group=group).annotate(n=Count("id"))
    names = dict(inspection.case_files.values_list("area_id", "area__name").distinct())
    return {
        (r["question__code"], names[r["group"]] if breakdown.code == "area" else str(r["group"]), r["value"]): r["n"]
        for r in rows.order_by()
    }


def test_the_figures_summed_from_the_one_count_equal_those_counted_breakdown_by_breakdown(inspection, hand_counted):
    parameters = {**full_report_parameters(inspection), "headlines": HEADLINES}
    counts = report_counts(inspection, parameters)
    known = breakdowns_of(inspection)
    for code, breakdown in known.items():
        summed = {
            (question, group, value): n
            for (question, group), values in counts.by_group(breakdown).items()
            for value, n in values.items()
        }
        assert summed == direct_counts(inspection, breakdown), code
        counted = counted_examinations(inspection).annotate(g=breakdown.expression("case_file__"))
        names = dict(inspection.case_files.values_list("area_id", "area__name").distinct())
        groups = {names[g] if code == "area" else str(g) for g in counted.values_list("g", flat=True)}
        assert set(counts.groups(breakdown)) == groups, code
    crossed = primary_answers(inspection).filter(question__code="LD1")
    crossed = crossed.values("value", r=known["area"].expression("examination__case_file__"))
    crossed = crossed.annotate(c=known["court"].expression("examination__case_file__"), n=Count("id"))
    names = dict(inspection.case_files.values_list("area_id", "area__name").distinct())
    assert counts.crossed("LD1", known["area"], known["court"]) == {
        (names[r["r"]], r["c"], r["value"]): r["n"] for r in crossed.order_by()
    }
    # The tables laid out from either count are the same, cell for cell.
    every = choosable_breakdowns(inspection)
    assert question_tables(inspection, parameters, breakdowns=every, counts=counts) == question_tables(
        inspection, parameters, breakdowns=every
    )


def test_the_weighted_estimates_summed_by_cell_equal_those_computed_file_by_file(weighted_inspection, inspector):
    examine_every_file(weighted_inspection, inspector)
    inspection = weighted_inspection
    tables = question_tables(inspection, {}, breakdowns=choosable_breakdowns(inspection))
    estimates = weighted_estimates(inspection, tables)
    files = list(
        counted_examinations(inspection).order_by("pk").values_list("pk", "case_file__area_id", "case_file__stratum")
    )
    row_of = {pk: i for i, (pk, _, _) in enumerate(files)}
    design = Design.build(
        [SampledFile(pk, (area, stratum)) for pk, area, stratum in files], inspection_frame_counts(inspection)
    )
    values: dict[str, dict[int, str]] = defaultdict(dict)
    for exam, code, value in primary_answers(inspection).values_list("examination_id", "question__code", "value"):
        values[code][row_of[exam]] = value
    compared = 0
    for table in tables:
        options = [o.code for o in table.options]
        y = np.zeros((len(files), len(options)))
        x = np.zeros(len(files))
        for row, value in values[table.code].items():
            codes = [c for c in (value.split("|") if table.is_multi else [value]) if c in options]
            for c in codes:
                y[row, options.index(c)] = 1
            x[row] = any(c != "na" for c in codes)
        for block in table.breakdowns:
            breakdown = block.breakdown
            group_of = dict(
                counted_examinations(inspection)
                .annotate(g=breakdown.expression("case_file__"))
                .values_list("pk", "g" if breakdown.code != "area" else "case_file__area__name")
            )
            for group_row in block.rows:
                members = np.array([i for pk, i in row_of.items() if str(group_of[pk]) == group_row.group], dtype=int)
                by_file = design.ratio(y, x, members) if len(members) else [None] * len(options)
                for option, expected in zip(options, by_file, strict=True):
                    got = estimates.get(table.code, breakdown.code, group_row.group, option)
                    if option == "na" or expected is None:
                        assert got is None
                        continue
                    assert (got.share, got.stderr, got.lower, got.upper) == pytest.approx(
                        (expected.share, expected.stderr, expected.lower, expected.upper), abs=1e-12
                    )
                    compared += 1
    assert compared > 50


def test_the_workbook_reads_the_answers_three_times(weighted_inspection, inspector):
    from reports.exports import build_workbook

    examine_every_file(weighted_inspection, inspector)
    parameters = {**full_report_parameters(weighted_inspection), "headlines": HEADLINES}
    with CaptureQueriesContext(connection) as captured:
        workbook = build_workbook(weighted_inspection, parameters)
    # The GROUP BY, the count of files, and the appendix's examples (a join from the few flagged).
    assert len(reading_the_answers(captured)) == 3
    assert "data" in workbook.sheetnames and "headlines" in workbook.sheetnames


def test_on_postgresql_the_answers_are_grouped_with_the_memory_set_for_it(weighted_inspection, inspector, settings):
    """The one count of every answer runs with REPORTS_COUNT_WORK_MEM and no JIT (so PostgreSQL
    groups in memory rather than sorting every answer on disk); other queries keep the server's."""
    if connection.vendor != "postgresql":
        pytest.skip("a PostgreSQL setting: the PostgreSQL run of the suite tests it")
    settings.REPORTS_COUNT_WORK_MEM = "96MB"
    examine_every_file(weighted_inspection, inspector)
    seen: list[tuple[str, str]] = []

    def note_memory(execute, sql, params, many, context):
        if '"casefiles_answer"."question_id"' in sql and "GROUP BY" in sql:
            with context["connection"].connection.cursor() as cursor:  # the raw connection: not wrapped
                cursor.execute("SELECT current_setting('work_mem'), current_setting('jit')")
                seen.append(cursor.fetchone())
        return execute(sql, params, many, context)

    with connection.execute_wrapper(note_memory):
        report_counts(weighted_inspection, full_report_parameters(weighted_inspection))
    assert seen == [("96MB", "off")]
    with connection.cursor() as cursor:
        cursor.execute("SELECT current_setting('work_mem')")
        assert cursor.fetchone()[0] != "96MB"
