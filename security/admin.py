
from django.contrib import admin
from django.http import HttpResponse

from casefiles.spreadsheet_safety import safe_csv_writer

from .models import AuditEvent, RetentionPolicy

COLUMNS = ["at", "username", "action", "inspection", "target", "path", "ip_address"]


@admin.register(AuditEvent)
class AuditEventAdmin(admin.ModelAdmin):
    """Read-only: the audit is added to by the app alone, never edited or deleted by hand."""

    list_display = ["at", "username", "action", "inspection", "target", "ip_address"]
    list_filter = ["action", "inspection", ("at", admin.DateFieldListFilter)]
    search_fields = ["username", "target", "inspection"]
    date_hierarchy = "at"
    actions = ["export_csv"]

    def has_add_permission(self, request) -> bool:
        return False

    def has_change_permission(self, request, obj=None) -> bool:
        return False

    def has_delete_permission(self, request, obj=None) -> bool:
        return False

    @admin.action(description="Export the selected events as CSV")
    def export_csv(self, request, queryset) -> HttpResponse:
        response = HttpResponse(content_type="text/csv; charset=utf-8")
        response["Content-Disposition"] = 'attachment; filename="audit.csv"'
        writer = safe_csv_writer(response, lineterminator="\n")
        writer.writerow(COLUMNS)
        for event in queryset.order_by("at", "pk").values_list(*COLUMNS).iterator():
            writer.writerow([event[0].isoformat(), *event[1:]])
        return response




@admin.register(RetentionPolicy)
class RetentionPolicyAdmin(admin.ModelAdmin):
    list_display = ["inspection", "report_days", "frame_days", "archived_on", "case_data_days"]
