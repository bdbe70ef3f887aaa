from django.urls import path

from . import views

app_name = "sampling"
urlpatterns = [
    path("inspections/<slug:slug>/sample/", views.sample_list, name="sample"),
]
