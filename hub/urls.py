from django.urls import path

from . import setup_views as views

app_name = "hub"
urlpatterns = [
    path("inspections/new/", views.inspection_new, name="inspection_new"),
    path("inspections/<slug:slug>/schedule/", views.schedule, name="schedule"),
    path("inspections/<slug:slug>/leave/", views.leave, name="leave"),
    path("inspections/<slug:slug>/leave/<int:pk>/cancel/", views.leave_cancel_view, name="leave_cancel"),
]
