"""The QA lead's blind answers to a dipped file: the examination page (casefiles.examination_page,
kind "dip"), showing none of the inspector's answers; submitting it brings up the comparison."""

from django.contrib import messages
from django.shortcuts import redirect
from django.views.decorators.http import require_http_methods, require_POST

from casefiles.examination_page import answers_save_posted, autosave_response, examination_page, page_questions
from casefiles.services import ExaminationIncomplete

from .access import access_blind_review_to_answer
from .services import ReviewRefused, review_blind_submit

TEMPLATE = "quality/dip_examine.html"


@require_http_methods(["GET", "POST"])
def dip_examine(request, slug: str, urn: str):
    review = access_blind_review_to_answer(request.user, slug, urn)
    if not review.is_answering_blind:
        return redirect(review)
    examination, result = review.dip_examination, None
    if request.method == "POST":
        result = answers_save_posted(examination, page_questions(examination), request.POST, request.user)
        if result.ok:
            messages.success(request, "Your answers have been saved.")
            return redirect("quality:dip_examine", slug=slug, urn=urn)
    return examination_page(request, TEMPLATE, examination, editable=True, result=result, review=review)


@require_POST
def dip_autosave(request, slug: str, urn: str, code: str):
    review = access_blind_review_to_answer(request.user, slug, urn)
    return autosave_response(review.dip_examination, code, request.POST, request.user)


@require_POST
def dip_submit(request, slug: str, urn: str):
    review = access_blind_review_to_answer(request.user, slug, urn)
    try:
        review_blind_submit(review=review, user=request.user)
    except ExaminationIncomplete as incomplete:
        return examination_page(
            request, TEMPLATE, review.dip_examination, editable=True, problems=incomplete.problems, review=review
        )
    except ReviewRefused as refused:
        messages.error(request, str(refused))
        return redirect("quality:dip_queue", slug=slug)
    messages.success(request, f"Your answers to {urn} are in: now compare them with the inspector's.")
    return redirect(review)
