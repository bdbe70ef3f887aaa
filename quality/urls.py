from django.urls import path

from . import views

app_name = "quality"
urlpatterns = [
    path("inspections/<slug:slug>/quality/dip/", views.dip_queue, name="dip_queue"),
    path("inspections/<slug:slug>/quality/dip/<str:urn>/", views.review, name="review"),
    path("inspections/<slug:slug>/quality/dip/<str:urn>/start/", views.review_start_view, name="review_start"),
    path("inspections/<slug:slug>/quality/feedback/", views.feedback, name="feedback"),
]
