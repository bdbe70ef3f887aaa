from django.contrib import admin
from django.urls import include, path

from hub import views as hub_views

from .health import healthz

admin.site.site_header = "Case File Examination — administration"
handler500 = "security.views.server_error"

urlpatterns = [
    path("", hub_views.home, name="home"),
    path("healthz", healthz, name="healthz"),
    path("accounts/", include("django.contrib.auth.urls")),
    path("admin/", admin.site.urls),
    path("", include("security.urls")),
    path("", include("casefiles.urls")),
    path("", include("sampling.urls")),
    path("", include("questionset.urls")),
    path("", include("quality.urls")),
    path("reports/", include("reports.urls")),
    path("", include("hub.urls")),
]
