from django.urls import path

from . import dip_views, exercise_views, query_views, views

app_name = "quality"
urlpatterns = [
    path("inspections/<slug:slug>/quality/", views.dashboard, name="dashboard"),
    path("inspections/<slug:slug>/quality/agreement.xlsx", views.export_xlsx, name="export"),
    path("inspections/<slug:slug>/quality/dip/", views.dip_queue, name="dip_queue"),
    path("inspections/<slug:slug>/quality/dip/policy/", views.review_policy_view, name="review_policy"),
    path("inspections/<slug:slug>/quality/dip/<str:urn>/", views.review, name="review"),
    path("inspections/<slug:slug>/quality/dip/<str:urn>/start/", views.review_start_view, name="review_start"),
    path("inspections/<slug:slug>/quality/dip/<str:urn>/examine/", dip_views.dip_examine, name="dip_examine"),
    path(
        "inspections/<slug:slug>/quality/dip/<str:urn>/examine/answers/<str:code>/",
        dip_views.dip_autosave,
        name="dip_autosave",
    ),
    path("inspections/<slug:slug>/quality/dip/<str:urn>/examine/submit/", dip_views.dip_submit, name="dip_submit"),
    path("inspections/<slug:slug>/quality/feedback/", views.feedback, name="feedback"),
    path("inspections/<slug:slug>/quality/answers/<str:urn>/<str:code>/", query_views.answer, name="answer"),
    path(
        "inspections/<slug:slug>/quality/answers/<str:urn>/<str:code>/query/",
        query_views.query_open_view,
        name="query_open",
    ),
    path("quality/queries/<int:pk>/reply/", query_views.query_reply_view, name="query_reply"),
    path("quality/queries/<int:pk>/close/", query_views.query_close_view, name="query_close"),
    path("quality/guidance/<int:pk>/read/", query_views.guidance_read_view, name="guidance_read"),
    path("inspections/<slug:slug>/exercises/", exercise_views.exercises, name="exercises"),
    path("exercises/", exercise_views.my_exercises, name="my_exercises"),
    path("exercises/<int:pk>/", exercise_views.exercise, name="exercise"),
    path("exercises/<int:pk>/results/", exercise_views.exercise_results, name="exercise_results"),
    path("exercises/<int:pk>/files/", exercise_views.exercise_files, name="exercise_files"),
    path(
        "exercises/<int:pk>/files/<str:urn>/remove/",
        exercise_views.exercise_file_remove_view,
        name="exercise_file_remove",
    ),
    path("exercises/<int:pk>/participants/", exercise_views.exercise_participants, name="exercise_participants"),
    path(
        "exercises/<int:pk>/participants/temporary/",
        exercise_views.exercise_temporary_account,
        name="exercise_temporary",
    ),
    path(
        "exercises/<int:pk>/participants/<int:participant_pk>/remove/",
        exercise_views.exercise_participant_remove,
        name="exercise_participant_remove",
    ),
    path("exercises/<int:pk>/take/", exercise_views.exercise_take, name="exercise_take"),
    path("exercises/<int:pk>/take/<str:urn>/", exercise_views.exercise_examine, name="exercise_examine"),
    path(
        "exercises/<int:pk>/take/<str:urn>/answers/<str:code>/",
        exercise_views.exercise_autosave,
        name="exercise_autosave",
    ),
    path("exercises/<int:pk>/take/<str:urn>/submit/", exercise_views.exercise_submit, name="exercise_submit"),
]
