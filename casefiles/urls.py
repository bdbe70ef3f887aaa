from django.urls import path

from . import views

app_name = "casefiles"
urlpatterns = [
    path("inspections/<slug:slug>/my-files/", views.queue, name="queue"),
    path("inspections/<slug:slug>/files/<str:urn>/examine/", views.examine, name="examine"),
]
