"""Case examples, read: the writer's list and the report appendix. Flagging is casefiles' business."""

from dataclasses import dataclass

from casefiles.models import CaseExample, Inspection


def inspection_examples(inspection: Inspection):
    """Every flagged example of the inspection, in question order."""
    return (
        CaseExample.objects.filter(answer__examination__case_file__inspection=inspection)
        .select_related("answer__question", "answer__examination__case_file__area", "answer__examination")
        .prefetch_related("answer__question__options")
        .order_by("answer__question__order", "answer__question__code", "answer__examination__case_file__urn")
    )


@dataclass
class AppendixExample:
    """What the appendix may show of an example: no examiner, no names beyond the text chosen."""

    question_code: str
    question_text: str
    kind: str
    kind_label: str
    urn: str
    area: str
    text: str


def appendix_examples(inspection: Inspection, parameters: dict | None = None) -> list[AppendixExample]:
    """The examples chosen for the appendix, for the questions the report covers."""
    from .tables import report_questions

    questions = {q.code: q for q in report_questions(inspection, parameters)}
    examples = inspection_examples(inspection).filter(included_in_appendix=True)
    chosen = [e for e in examples if e.answer.question.code in questions]
    order = list(questions)
    chosen.sort(key=lambda e: (order.index(e.answer.question.code), e.answer.examination.case_file.urn))
    return [
        AppendixExample(
            question_code=e.answer.question.code,
            question_text=questions[e.answer.question.code].text,
            kind=e.kind,
            kind_label=e.get_kind_display(),
            urn=e.answer.examination.case_file.urn,
            area=e.answer.examination.case_file.area.name,
            text=e.text,
        )
        for e in chosen
    ]
