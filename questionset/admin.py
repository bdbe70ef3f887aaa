from django.contrib import admin

from .models import QuestionSet


@admin.register(QuestionSet)
class QuestionSetAdmin(admin.ModelAdmin):
    """Read-only: versions are made by loading a file (the lead's upload page or
    `create_inspection --questionset`) and never edited, so answers keep their meaning."""

    list_display = ["code", "number", "version_label", "title", "loaded_at", "loaded_by"]
    list_filter = ["code"]
    readonly_fields = [
        "code",
        "number",
        "version_label",
        "title",
        "checksum",
        "description",
        "criteria",
        "filename",
        "loaded_by",
        "loaded_at",
        "source",
    ]

    def has_add_permission(self, request) -> bool:
        return False

    def has_change_permission(self, request, obj=None) -> bool:
        return False

    def has_delete_permission(self, request, obj=None) -> bool:
        # A version no examination used may go (a mistaken upload); one in use may not.
        return super().has_delete_permission(request, obj) and (obj is None or not obj.examinations.exists())
