from django.urls import path

from . import lead_views, question_set_views, team_views, views

app_name = "casefiles"
urlpatterns = [
    path("inspections/<slug:slug>/my-files/", views.queue, name="queue"),
    path("inspections/<slug:slug>/files/<str:urn>/examine/", views.examine, name="examine"),
    path("inspections/<slug:slug>/files/<str:urn>/answers/<str:code>/", views.answer_autosave, name="autosave"),
    path("inspections/<slug:slug>/files/<str:urn>/check/", views.check_answers, name="check"),
    path("inspections/<slug:slug>/files/<str:urn>/submit/", views.submit, name="submit"),
    path("inspections/<slug:slug>/files/<str:urn>/activity/", views.activity, name="activity"),
    path("inspections/<slug:slug>/files/<str:urn>/", views.examination_detail, name="examination"),
    path("inspections/<slug:slug>/files/<str:urn>/return/", views.examination_return_view, name="return"),
    path("answers/<int:answer_id>/flag/", views.flag_answer, name="flag_answer"),
    path("inspections/<slug:slug>/assignments/", lead_views.assignments, name="assignments"),
    path("inspections/<slug:slug>/assignments/assign/", lead_views.assign, name="assign"),
    path("inspections/<slug:slug>/assignments/balance/", lead_views.balance, name="balance"),
    path("inspections/<slug:slug>/assignments/bars/", lead_views.bar, name="bar"),
    path("inspections/<slug:slug>/team/", team_views.team, name="team"),
    path("inspections/<slug:slug>/team/<str:username>/", team_views.team_member, name="team_member"),
    path("inspections/<slug:slug>/progress/", lead_views.progress, name="progress"),
    path("inspections/<slug:slug>/question-set/", question_set_views.inspection_question_set, name="question_set"),
    path(
        "inspections/<slug:slug>/question-set/use/",
        question_set_views.inspection_question_set_use,
        name="question_set_use",
    ),
]
