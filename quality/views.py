"""The QA lead's dip-sample pages, and the inspector's feedback page."""

from django.contrib import messages
from django.http import HttpResponse
from django.shortcuts import redirect, render
from django.views.decorators.http import require_http_methods, require_POST

from .access import (
    access_inspection_as_qa,
    access_inspection_for_feedback,
    access_primary_to_review,
    access_review_to_view,
)
from .export import agreement_workbook
from .measures import dip_tables, exercise_tables
from .pages import blind_review_context, review_context
from .queries import dip_progress, dip_rows, feedback_reviews
from .reconciling import parse_decisions
from .reviewing import parse_verdicts
from .services import (
    ReviewIncomplete,
    ReviewRefused,
    review_complete,
    review_items_save,
    review_policy_set,
    review_reconcile,
    review_start,
    reviews_are_blind,
)


def dip_queue(request, slug: str):
    inspection = access_inspection_as_qa(request.user, slug)
    rows = dip_rows(inspection)
    context = {
        "inspection": inspection,
        "rows": rows,
        "progress": dip_progress(inspection, rows),
        "blind": reviews_are_blind(inspection),
    }
    return render(request, "quality/dip_queue.html", context)


@require_POST
def review_policy_view(request, slug: str):
    """The QA lead chooses blind (the default) or open dip reviews for the inspection."""
    inspection = access_inspection_as_qa(request.user, slug)
    blind = request.POST.get("blind") != "no"
    review_policy_set(inspection=inspection, blind=blind, user=request.user)
    messages.success(request, "Reviews started from now on are " + ("blind." if blind else "open."))
    return redirect("quality:dip_queue", slug=slug)


@require_POST
def review_start_view(request, slug: str, urn: str):
    examination = access_primary_to_review(request.user, slug, urn)
    try:
        review = review_start(examination=examination, reviewer=request.user)
    except ReviewRefused as refused:
        messages.error(request, str(refused))
        return redirect("quality:dip_queue", slug=slug)
    return redirect(review)


@require_http_methods(["GET", "POST"])
def review(request, slug: str, urn: str):
    """The review: the inspector's answers beside the QA lead's verdicts; read-only once completed."""
    review = access_review_to_view(request.user, slug, urn)
    if review.blind:
        return blind_review(request, review)
    context = review_context(review, request.user)
    if request.method == "GET":
        return render(request, "quality/review.html", context)
    if not context["editable"]:
        messages.error(request, "This review cannot be changed.")
        return redirect(review)
    verdicts = parse_verdicts(context["questions"], context["items"], request.POST)
    errors = {code: v.error for code, v in verdicts.items() if v.error}
    feedback = request.POST.get("feedback", "")
    try:
        if errors:
            raise ReviewIncomplete(errors)
        if request.POST.get("action") == "complete":
            review = review_complete(review=review, user=request.user, verdicts=verdicts, feedback=feedback)
            messages.success(request, f"Review of {urn} completed: {review.get_status_display().lower()}.")
            return redirect("quality:dip_queue", slug=slug)
        review_items_save(review=review, verdicts=verdicts, user=request.user, feedback=feedback)
    except ReviewIncomplete as incomplete:
        posted = verdicts if errors else None
        context = review_context(review, request.user, posted, feedback, problems=incomplete.problems)
        context["completing"] = request.POST.get("action") == "complete"
        return render(request, "quality/review.html", context, status=400)
    except ReviewRefused as refused:
        messages.error(request, str(refused))
        return redirect(review)
    messages.success(request, "Your verdicts have been saved.")
    return redirect(review)


def blind_review(request, review):
    """A blind review: first the QA lead's own answers (the examination page), then the two
    side by side, each difference reconciled; read-only once completed."""
    context = blind_review_context(review, request.user)
    if request.method == "GET":
        if review.is_answering_blind and context["editable"]:
            return redirect(
                "quality:dip_examine", slug=review.examination.case_file.inspection.slug, urn=context["urn"]
            )
        return render(request, "quality/review_compare.html", context)
    if not context["editable"] or review.is_answering_blind:
        messages.error(request, "This review cannot be changed now.")
        return redirect(review)
    try:
        problems = review_reconcile(review=review, user=request.user, decisions=parse_decisions(request.POST))
        if not problems and request.POST.get("action") == "complete":
            review = review_complete(review=review, user=request.user, feedback=request.POST.get("feedback", ""))
            messages.success(request, f"Review of {context['urn']} completed: {review.get_status_display().lower()}.")
            return redirect("quality:dip_queue", slug=review.examination.case_file.inspection.slug)
    except ReviewIncomplete as incomplete:
        problems = incomplete.problems
    except ReviewRefused as refused:
        messages.error(request, str(refused))
        return redirect(review)
    if problems:
        context = blind_review_context(review, request.user, problems, request.POST.get("feedback"))
        return render(request, "quality/review_compare.html", context, status=400)
    messages.success(request, "Your decisions have been saved.")
    return redirect(review)


def feedback(request, slug: str):
    """The inspector's reviewed files: outcome, and each disagreement with the QA lead's reason."""
    inspection = access_inspection_for_feedback(request.user, slug)
    reviews = feedback_reviews(inspection, request.user)
    return render(request, "quality/feedback.html", {"inspection": inspection, "reviews": reviews})


def dashboard(request, slug: str):
    """The QA lead's overview: dip progress, disagreement by inspector and section, flagged questions."""
    inspection = access_inspection_as_qa(request.user, slug)
    rows = dip_rows(inspection)
    exercises = [exercise_tables(e) for e in inspection.exercises.order_by("created_at")]
    dip = dip_tables(inspection)
    context = {
        "inspection": inspection,
        "progress": dip_progress(inspection, rows),
        "dip": dip,
        "exercises": exercises,
        "any_flagged": bool(dip.flagged) or any(t.flagged for t in exercises),
    }
    return render(request, "quality/dashboard.html", context)


def export_xlsx(request, slug: str):
    inspection = access_inspection_as_qa(request.user, slug)
    exercises = [exercise_tables(e) for e in inspection.exercises.order_by("created_at")]
    workbook = agreement_workbook(inspection, dip_tables(inspection), exercises)
    response = HttpResponse(content_type="application/vnd.openxmlformats-officedocument.spreadsheetml.sheet")
    response["Content-Disposition"] = f'attachment; filename="{inspection.slug}-agreement.xlsx"'
    workbook.save(response)
    return response
