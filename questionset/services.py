"""Writes: loading a question-set file as a version (an inspection adopting one is casefiles' business)."""

from pathlib import Path

from django.conf import settings
from django.db import transaction
from django.db.models import Max

from .loader import QuestionSetInvalid, QuestionSetSpec, case_condition_errors, parse_question_set
from .models import Option, Question, QuestionSet, Section
from .pdf import question_set_pdf_request

# The shipped inspection's set: every version, oldest first (settings.DEFAULT_QUESTION_SET_FILES), so that
# loading them in order numbers them as their files do (1.0 → version 1, 2.0 → version 2).
DEFAULT_QUESTION_SET_VERSIONS = tuple(Path(p) for p in settings.DEFAULT_QUESTION_SET_FILES)
DEFAULT_QUESTION_SET = DEFAULT_QUESTION_SET_VERSIONS[-1]  # the current version, for new examinations
MAX_UPLOAD_BYTES = 2 * 1024 * 1024


@transaction.atomic
def question_set_load(*, text: str, filename: str = "", user=None) -> QuestionSet:
    """Load a question-set file as a version.

    The same content loaded again returns the version it made; edited content becomes the
    next version, so a version is never changed once loaded (and is frozen once answered).
    """
    spec = parse_question_set(text)
    checksum = spec.checksum()
    existing = QuestionSet.objects.filter(code=spec.code, checksum=checksum).order_by("-number").first()
    if existing is not None:
        return existing
    # Lock the set's versions so two simultaneous loads cannot both take the same number.
    list(QuestionSet.objects.select_for_update().filter(code=spec.code).values_list("pk", flat=True))
    latest = QuestionSet.objects.filter(code=spec.code).aggregate(n=Max("number"))["n"] or 0
    question_set = QuestionSet.objects.create(
        code=spec.code,
        title=spec.title,
        version_label=spec.version,
        number=latest + 1,
        checksum=checksum,
        source=text,
        description=spec.description,
        criteria=spec.criteria,
        filename=filename[:255],
        loaded_by=user,
    )
    _create_contents(question_set, spec)
    question_set_pdf_request(question_set)
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
                Option(question=question, code=o.code, label=o.label, order=i, exclusive=o.exclusive)
                for i, o in enumerate(q.options, start=1)
            )
    Option.objects.bulk_create(options)


def question_set_load_file(*, path: Path | str, user=None) -> QuestionSet:
    path = Path(path)
    return question_set_load(text=path.read_text(encoding="utf-8"), filename=path.name, user=user)


def question_set_load_versions(
    *, paths: tuple[Path, ...] = DEFAULT_QUESTION_SET_VERSIONS, user=None
) -> list[QuestionSet]:
    """Load a set's shipped files oldest first (each already loaded is returned as it is),
    so the versions are numbered in the files' order and the newest is last."""
    return [question_set_load_file(path=path, user=user) for path in paths]


def decode_upload(content: bytes) -> str:
    """An uploaded file's text, or QuestionSetInvalid saying why it cannot be read."""
    if len(content) > MAX_UPLOAD_BYTES:
        raise QuestionSetInvalid([f"the file is larger than {MAX_UPLOAD_BYTES // (1024 * 1024)} MB"])
    try:
        return content.decode("utf-8-sig")
    except UnicodeDecodeError as exc:
        raise QuestionSetInvalid([f"the file is not UTF-8 text (byte {exc.start} cannot be read)"]) from exc


def case_conditions_refused(*, questions, attributes) -> None:
    """Raise QuestionSetInvalid naming every applies_when condition that the adopting
    inspection's case attributes (its plan's, objects with code, filterable and allowed())
    cannot meet. questions: objects with code and applies_when."""
    allowed = {a.code: (a.allowed() if a.filterable else None) for a in attributes}
    errors = case_condition_errors(questions, allowed)
    if errors:
        raise QuestionSetInvalid(errors)
