from django.urls import path

from . import exercise_views, views

app_name = "quality"
urlpatterns = [
    path("inspections/<slug:slug>/quality/", views.dashboard, name="dashboard"),
    path("inspections/<slug:slug>/quality/agreement.xlsx", views.export_xlsx, name="export"),
    path("inspections/<slug:slug>/quality/dip/", views.dip_queue, name="dip_queue"),
    path("inspections/<slug:slug>/quality/dip/<str:urn>/", views.review, name="review"),
    path("inspections/<slug:slug>/quality/dip/<str:urn>/start/", views.review_start_view, name="review_start"),
    path("inspections/<slug:slug>/quality/feedback/", views.feedback, name="feedback"),
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
