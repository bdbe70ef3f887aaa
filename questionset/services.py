import hashlib
from pathlib import Path

from django.conf import settings
from django.db import transaction
from django.db.models import Max

from .loader import QuestionSetSpec, parse_question_set
from .models import Option, Question, QuestionSet, Section

STALKING_QUESTION_SET = Path(settings.BASE_DIR) / "questionset" / "data" / "stalking-2026.yaml"


@transaction.atomic
def question_set_load(*, text: str) -> QuestionSet:
    """Load a question-set file as a version.

    The same file loaded again returns the version it made; an edited file becomes the
    next version, so versions that have answers are never changed (frozen).
    """
    spec = parse_question_set(text)
    checksum = hashlib.sha256(text.encode("utf-8")).hexdigest()
    existing = QuestionSet.objects.filter(code=spec.code, checksum=checksum).order_by("-number").first()
    if existing is not None:
        return existing
    latest = QuestionSet.objects.filter(code=spec.code).aggregate(n=Max("number"))["n"] or 0
    question_set = QuestionSet.objects.create(
        code=spec.code, title=spec.title, version_label=spec.version, number=latest + 1, checksum=checksum, source=text
    )
    _create_contents(question_set, spec)
    return question_set


def _create_contents(question_set: QuestionSet, spec: QuestionSetSpec) -> None:
    order = 0
    options: list[Option] = []
    for s_order, section_spec in enumerate(spec.sections, start=1):
        section = Section.objects.create(
            question_set=question_set, code=section_spec.code, title=section_spec.title, order=s_order
        )
        for q in section_spec.questions:
            order += 1
            question = Question.objects.create(
                question_set=question_set,
                section=section,
                code=q.code,
                order=order,
                text=q.text,
                guidance=q.guidance,
                criterion=q.criterion,
                answer_type=q.answer_type,
                required=q.required,
                comment_required_for=q.comment_required_for,
                applies_when=q.applies_when,
            )
            options.extend(
                Option(question=question, code=o.code, label=o.label, order=i) for i, o in enumerate(q.options, start=1)
            )
    Option.objects.bulk_create(options)


def question_set_load_file(*, path: Path | str) -> QuestionSet:
    return question_set_load(text=Path(path).read_text(encoding="utf-8"))
