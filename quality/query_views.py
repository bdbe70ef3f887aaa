"""A conversation per answer: the answer's page (its history and queries), and the steps of a
query; and the inspector marking a question-set version's changes read."""

from django.contrib import messages
from django.core.exceptions import PermissionDenied
from django.shortcuts import redirect, render
from django.views.decorators.http import require_POST

from casefiles.examining import answer_label, normalise_value

from .access import (
    access_answer,
    access_guidance_change,
    access_query,
    may_change_queried_answer,
    may_close_query,
    may_open_query,
)
from .queries import answer_timeline
from .services import QueryRefused, guidance_mark_read, query_close, query_open, query_reply


def answer(request, slug: str, urn: str, code: str):
    """One answer of a file's examination: as it stands, its history and its queries."""
    examination, question = access_answer(request.user, slug, urn, code)
    current, queries, timeline = answer_timeline(examination, question)
    open_query = next((q for q in queries if q.is_open), None)
    context = {
        "examination": examination,
        "case_file": examination.case_file,
        "question": question,
        "answer": current,
        "current_label": answer_label(question, current.value) if current else "",
        "values": current.value.split("|") if current and current.value else [],
        "queries": queries,
        "open_query": open_query,
        "timeline": timeline,
        "may_open": may_open_query(request.user, examination) and open_query is None,
        "may_change": open_query is not None and may_change_queried_answer(request.user, open_query),
        "may_close": open_query is not None and may_close_query(request.user, open_query),
    }
    return render(request, "quality/answer.html", context)


@require_POST
def query_open_view(request, slug: str, urn: str, code: str):
    examination, question = access_answer(request.user, slug, urn, code)
    if not may_open_query(request.user, examination):
        raise PermissionDenied
    try:
        query = query_open(
            examination=examination, question=question, user=request.user, text=request.POST.get("text", "")
        )
    except QueryRefused as refused:
        messages.error(request, str(refused))
        return redirect("quality:answer", slug=slug, urn=urn, code=code)
    messages.success(request, f"Query on {code} opened: the inspector sees it on their home page.")
    return redirect(query)


@require_POST
def query_reply_view(request, pk: int):
    """A reply, or (action "change", the inspector) a changed answer with the reason."""
    query = access_query(request.user, pk)
    value = None
    if request.POST.get("action") == "change":
        value, error = normalise_value(query.question, request.POST.getlist("value"))
        if error:
            messages.error(request, error)
            return redirect(query)
    try:
        query_reply(query=query, user=request.user, text=request.POST.get("text", ""), value=value)
    except QueryRefused as refused:
        messages.error(request, str(refused))
        return redirect(query)
    messages.success(request, "Your answer has been changed." if value is not None else "Your reply has been added.")
    return redirect(query)


@require_POST
def query_close_view(request, pk: int):
    query = access_query(request.user, pk)
    if not may_close_query(request.user, query):
        raise PermissionDenied
    query_close(query=query, user=request.user, text=request.POST.get("text", ""))
    messages.success(request, f"Query on {query.question.code} closed.")
    return redirect(query)


@require_POST
def guidance_read_view(request, pk: int):
    """The inspector has read what changed in a new question-set version: off their home page."""
    adoption = access_guidance_change(request.user, pk)
    guidance_mark_read(adoption=adoption, user=request.user)
    messages.success(request, f"Marked as read: the changes in version {adoption.question_set.number}.")
    return redirect("home")
