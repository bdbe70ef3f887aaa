"""A report's parameters: which questions, which breakdowns, which headline tables.

Parameters are stored on the job as JSON and hashed to spot a repeat request, so they are
normalised first (known codes only, in question-set order) — the same choice made twice
gives the same key."""

from django.conf import settings

from casefiles.models import Inspection
from questionset.models import Question

from .headlines import default_headlines, headline_spec
from .tables import AnswerCounts, answer_counts, breakdowns_of, choosable_breakdowns, report_questions


class ParametersInvalid(ValueError):
    """errors: parameter name (sections, questions, breakdowns, headlines, headline_rows,
    headline_columns) → what is wrong with it."""

    def __init__(self, errors: dict[str, str]):
        self.errors = errors
        super().__init__("; ".join(f"{name}: {message}" for name, message in errors.items()))


WORKING, PUBLICATION = "working", "publication"
VARIANTS = [
    (WORKING, "Working copy: every group, marked OFFICIAL-SENSITIVE"),
    (PUBLICATION, "Publication copy: small counts withheld, with the marking you choose"),
]
# Government Security Classifications: a publication copy is OFFICIAL, OFFICIAL-SENSITIVE
# while it is still being cleared, or carries no marking once approved for release.
PUBLICATION_MARKINGS = [
    ("OFFICIAL", "OFFICIAL"),
    ("OFFICIAL-SENSITIVE", "OFFICIAL-SENSITIVE"),
    ("", "No marking: approved for publication"),
]
WORKING_MARKING = "OFFICIAL-SENSITIVE"


def disclosure_threshold() -> int:
    return int(getattr(settings, "REPORTS_DISCLOSURE_THRESHOLD", 5))


def report_marking(parameters: dict) -> str:
    """The protective marking the report carries on every page and sheet."""
    if (parameters or {}).get("variant") == PUBLICATION:
        return parameters.get("marking", "OFFICIAL")
    return getattr(settings, "PROTECTIVE_MARKING", WORKING_MARKING)


def suppression_threshold(parameters: dict) -> int | None:
    """Counts below this are withheld; None for a working copy, which shows them all."""
    if (parameters or {}).get("variant") != PUBLICATION:
        return None
    return int(parameters.get("threshold") or disclosure_threshold())


def full_report_parameters(inspection: Inspection) -> dict:
    """Every question, every breakdown, the default headline tables."""
    return {"sections": [], "questions": [], "breakdowns": choosable_breakdowns(inspection), "headlines": {}}


def report_counts(inspection: Inspection, parameters: dict) -> AnswerCounts:
    """The answers a report's every figure is summed from, counted once: its questions and
    its headlines' questions, by every breakdown (whichever the report shows: a publication
    copy decides what to withhold over every one, and headlines cross any two), and by design
    cell for the weighted estimates. Pass it to question_tables, headline_tables,
    headline_estimates, weighted_estimates and weighting_summary."""
    codes = [q.code for q in report_questions(inspection, parameters)]
    codes += [c for c in headline_spec(inspection, parameters)["questions"] if c not in codes]
    return answer_counts(inspection, codes, list(breakdowns_of(inspection).values()))


def normalise_parameters(inspection: Inspection, parameters: dict) -> dict:
    """Known codes only, de-duplicated, in a fixed order; raises ParametersInvalid naming every unknown code."""
    errors: dict[str, str] = {}
    questions = list(
        Question.objects.in_page_order(inspection.question_set).filter(
            answer_type__in=[Question.Type.CHOICE, Question.Type.MULTI]
        )
    )
    section_codes = list(dict.fromkeys(q.section.code for q in questions))
    question_codes = [q.code for q in questions]
    single_choice = {q.code for q in questions if q.answer_type == Question.Type.CHOICE}

    def known(name: str, given, allowed: list[str], what: str) -> list[str]:
        given = [str(c).strip() for c in given or [] if str(c).strip()]
        unknown = [c for c in given if c not in allowed]
        if unknown:
            errors[name] = f"There is no {what} {', '.join(unknown)} in this question set"
        return [c for c in allowed if c in given]

    normalised = {
        "sections": known("sections", parameters.get("sections"), section_codes, "section"),
        "questions": known("questions", parameters.get("questions"), question_codes, "choice question"),
        "breakdowns": known("breakdowns", parameters.get("breakdowns"), choosable_breakdowns(inspection), "breakdown"),
    }
    given = parameters.get("headlines")
    headlines = given or default_headlines(inspection)
    wanted = list(dict.fromkeys(str(c).strip() for c in headlines.get("questions") or [] if str(c).strip()))
    not_single = [c for c in wanted if c not in single_choice]
    if not_single and given:  # a default naming a question this version lacks is just skipped
        errors["headlines"] = f"There is no single-choice question {', '.join(not_single)} in this question set"
    defaults = default_headlines(inspection)
    rows, columns = headlines.get("rows", defaults["rows"]), headlines.get("columns", defaults["columns"])
    every = breakdowns_of(inspection)
    for name, value in (("headline_rows", rows), ("headline_columns", columns)):
        if value not in every:
            errors[name] = f"There is no breakdown {value}"
    normalised["headlines"] = {"questions": [c for c in wanted if c in single_choice], "rows": rows, "columns": columns}
    # A working copy's parameters stay as they were before publication copies existed, so
    # its repeat key (and every job already stored) is unchanged.
    variant = parameters.get("variant") or WORKING
    if variant == PUBLICATION:
        marking = parameters.get("marking", "OFFICIAL")
        if marking not in dict(PUBLICATION_MARKINGS):
            errors["marking"] = f"There is no marking {marking}"
        try:
            threshold = int(parameters.get("threshold") or disclosure_threshold())
        except (TypeError, ValueError):
            threshold = 0
        if threshold < disclosure_threshold():
            errors["threshold"] = f"The threshold must be a whole number of at least {disclosure_threshold()}"
        normalised.update(variant=PUBLICATION, marking=marking, threshold=threshold)
    elif variant != WORKING:
        errors["variant"] = f"There is no variant {variant}"
    if errors:
        raise ParametersInvalid(errors)
    return normalised
