from django.urls import path

from . import views

app_name = "reports"
urlpatterns = [
    path("", views.index, name="index"),
    path("<int:job_id>/", views.job_detail, name="job"),
    path("<int:job_id>/status/", views.job_status, name="job_status"),
    path("<int:job_id>/retry/", views.job_retry, name="retry"),
    path("<int:job_id>/download/", views.job_download, name="download"),
    path("inspections/<int:inspection_id>/examples/", views.examples, name="examples"),
    path("inspections/<int:inspection_id>/comparison/", views.comparison, name="comparison"),
    path("examples/<int:example_id>/appendix/", views.example_choose, name="example_choose"),
]
