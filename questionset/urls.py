from django.urls import path

from . import views

app_name = "questionset"
urlpatterns = [
    path("question-sets/<int:pk>/", views.detail, name="detail"),
    path("question-sets/<int:pk>/pdf/", views.pdf, name="pdf"),
    path("question-sets/<slug:code>/versions/", views.versions, name="versions"),
    path("question-sets/<slug:code>/diff/<int:a>/<int:b>/", views.diff, name="diff"),
]
