"""Consistency exercises: the lead's pages (set up, files, participants, results) and the
participants' pages (their files, and the examination page for each)."""

import datetime

from django.contrib import messages
from django.http import JsonResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils import timezone
from django.views.decorators.http import require_http_methods, require_POST

from casefiles.examination_page import answers_save_posted, autosave_response, examination_page, page_questions
from casefiles.services import ExaminationIncomplete, examination_submit

from .access import (
    access_exercise_as_participant,
    access_exercise_file,
    access_exercise_to_manage,
    access_inspection_for_exercises,
)
from .forms import ExerciseForm, FilesForm, ParticipantsForm, TemporaryAccountForm
from .measures import exercise_tables
from .models import Participant
from .queries import exercise_file_rows, participant_rows, places_of
from .services import (
    ExerciseRefused,
    exercise_create,
    exercise_examination_open,
    exercise_file_remove,
    exercise_files_add,
    exercise_files_pick,
    participant_remove,
    participants_add,
    temporary_participant_create,
)

EXAMINE = "quality/exercise_examine.html"


@require_http_methods(["GET", "POST"])
def exercises(request, slug: str):
    inspection = access_inspection_for_exercises(request.user, slug)
    form = ExerciseForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        exercise = exercise_create(inspection=inspection, created_by=request.user, **form.cleaned_data)
        messages.success(request, f"Exercise “{exercise.name}” created: now add its files and participants.")
        return redirect(exercise)
    context = {"inspection": inspection, "form": form, "exercises": inspection.exercises.select_related("created_by")}
    return render(request, "quality/exercises.html", context, status=400 if form.errors else 200)


def _manage_context(exercise, **forms) -> dict:
    return {
        "exercise": exercise,
        "inspection": exercise.inspection,
        "files": exercise.files.select_related("area").order_by("urn"),
        "participants": participant_rows(exercise),
        "files_form": forms.get("files_form") or FilesForm(inspection=exercise.inspection),
        "participants_form": forms.get("participants_form") or ParticipantsForm(exercise=exercise),
        "temporary_form": forms.get("temporary_form") or TemporaryAccountForm(exercise=exercise),
        "credentials": forms.get("credentials"),
    }


def exercise(request, pk: int):
    exercise = access_exercise_to_manage(request.user, pk)
    return render(request, "quality/exercise.html", _manage_context(exercise))


@require_POST
def exercise_files(request, pk: int):
    exercise = access_exercise_to_manage(request.user, pk)
    form = FilesForm(request.POST, inspection=exercise.inspection)
    if not form.is_valid():
        return render(request, "quality/exercise.html", _manage_context(exercise, files_form=form), status=400)
    files = form.cleaned_data["urns"]
    if not files:
        files = exercise_files_pick(
            exercise=exercise, count=form.cleaned_data["count"], seed=timezone.now().microsecond
        )
    added = exercise_files_add(exercise=exercise, case_files=files)
    messages.success(request, f"{added} file{'s' if added != 1 else ''} added.")
    return redirect(exercise)


@require_POST
def exercise_file_remove_view(request, pk: int, urn: str):
    exercise = access_exercise_to_manage(request.user, pk)
    case_file = get_object_or_404(exercise.files, urn=urn)
    try:
        exercise_file_remove(exercise=exercise, case_file=case_file)
        messages.success(request, f"{urn} taken out of the exercise.")
    except ExerciseRefused as refused:
        messages.error(request, str(refused))
    return redirect(exercise)


@require_POST
def exercise_participants(request, pk: int):
    exercise = access_exercise_to_manage(request.user, pk)
    form = ParticipantsForm(request.POST, exercise=exercise)
    if not form.is_valid():
        return render(request, "quality/exercise.html", _manage_context(exercise, participants_form=form), status=400)
    added = participants_add(exercise=exercise, users=list(form.cleaned_data["users"]), added_by=request.user)
    messages.success(request, f"{added} participant{'s' if added != 1 else ''} added.")
    return redirect(exercise)


@require_POST
def exercise_temporary_account(request, pk: int):
    """Create an external participant's account; its password is shown on this response only."""
    exercise = access_exercise_to_manage(request.user, pk)
    form = TemporaryAccountForm(request.POST, exercise=exercise)
    if form.is_valid():
        data = form.cleaned_data
        ends = datetime.datetime.combine(data["expires_on"] + datetime.timedelta(days=1), datetime.time.min)
        try:
            participant, password = temporary_participant_create(
                exercise=exercise,
                first_name=data["first_name"],
                last_name=data["last_name"],
                organisation=data["organisation"],
                expires_at=timezone.make_aware(ends),
                added_by=request.user,
            )
        except ExerciseRefused as refused:
            form.add_error(None, str(refused))
        else:
            context = _manage_context(exercise, credentials=(participant, password))
            return render(request, "quality/exercise.html", context)
    return render(request, "quality/exercise.html", _manage_context(exercise, temporary_form=form), status=400)


@require_POST
def exercise_participant_remove(request, pk: int, participant_pk: int):
    exercise = access_exercise_to_manage(request.user, pk)
    participant = get_object_or_404(
        Participant.objects.select_related("user", "exercise"), exercise=exercise, pk=participant_pk
    )
    try:
        participant_remove(participant=participant)
        messages.success(request, f"{participant.user.username} taken out of the exercise.")
    except ExerciseRefused as refused:
        messages.error(request, str(refused))
    return redirect(exercise)


def exercise_results(request, pk: int):
    exercise = access_exercise_to_manage(request.user, pk)
    context = {"exercise": exercise, "inspection": exercise.inspection, "tables": exercise_tables(exercise)}
    return render(request, "quality/exercise_results.html", context)


def my_exercises(request):
    return render(request, "quality/my_exercises.html", {"places": places_of(request.user)})


def exercise_take(request, pk: int):
    participant = access_exercise_as_participant(request.user, pk)
    rows = exercise_file_rows(participant.exercise, request.user)
    return render(
        request,
        "quality/exercise_take.html",
        {"participant": participant, "exercise": participant.exercise, "rows": rows},
    )


def _exercise_examination(participant, case_file, user):
    return exercise_examination_open(exercise=participant.exercise, case_file=case_file, examiner=user)


@require_http_methods(["GET", "POST"])
def exercise_examine(request, pk: int, urn: str):
    """A participant's own examination of an exercise file: the examination page, saved apart."""
    participant, case_file = access_exercise_file(request.user, pk, urn, to_change=request.method == "POST")
    try:
        examination = _exercise_examination(participant, case_file, request.user)
    except ExerciseRefused as refused:
        messages.error(request, str(refused))
        return redirect("quality:exercise_take", pk=pk)
    result = None
    if request.method == "POST":
        result = answers_save_posted(examination, page_questions(examination), request.POST, request.user)
        if result.ok:
            messages.success(request, "Your answers have been saved.")
            return redirect("quality:exercise_examine", pk=pk, urn=urn)
    editable = examination.is_editable and participant.exercise.is_open
    return examination_page(
        request,
        EXAMINE,
        examination,
        editable=editable,
        result=result,
        participant=participant,
        exercise=participant.exercise,
    )


@require_POST
def exercise_autosave(request, pk: int, urn: str, code: str):
    """Save one answer as it is made (static/js/examine.js); 409 shows the stored answer."""
    participant, case_file = access_exercise_file(request.user, pk, urn, to_change=True)
    try:
        examination = _exercise_examination(participant, case_file, request.user)
    except ExerciseRefused as refused:
        return JsonResponse({"error": str(refused)}, status=400)
    return autosave_response(examination, code, request.POST, request.user)


@require_POST
def exercise_submit(request, pk: int, urn: str):
    participant, case_file = access_exercise_file(request.user, pk, urn, to_change=True)
    try:
        examination = _exercise_examination(participant, case_file, request.user)
        examination_submit(examination=examination, user=request.user)
    except ExerciseRefused as refused:
        messages.error(request, str(refused))
        return redirect("quality:exercise_take", pk=pk)
    except ExaminationIncomplete as incomplete:
        return examination_page(
            request,
            EXAMINE,
            examination,
            editable=True,
            problems=incomplete.problems,
            participant=participant,
            exercise=participant.exercise,
        )
    messages.success(request, f"You have submitted your answers for {urn}.")
    return redirect("quality:exercise_take", pk=pk)
