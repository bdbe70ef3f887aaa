from django.contrib import admin
from django.urls import include, path

from hub import views as hub_views

from .health import healthz

admin.site.site_header = "Case File Examination — administration"


def administrators_only(request) -> bool:
    """The admin sees every inspection's data, so only superusers (administrators) enter it;
    staff status alone, or a role, opens nothing there (need-to-know lives in the pages)."""
    return request.user.is_active and request.user.is_superuser


admin.site.has_permission = administrators_only
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
