from django.contrib import admin

from .models import (
    Answer,
    AnswerChange,
    Area,
    CaseFile,
    Examination,
    Inspection,
    InspectionMember,
    QuestionSetAdoption,
    TeamChange,
)


@admin.register(Area)
class AreaAdmin(admin.ModelAdmin):
    list_display = ["name", "slug"]


@admin.register(Inspection)
class InspectionAdmin(admin.ModelAdmin):
    list_display = ["name", "slug", "question_set", "created_at"]


@admin.register(CaseFile)
class CaseFileAdmin(admin.ModelAdmin):
    list_display = ["urn", "inspection", "area", "stratum", "role", "in_dip", "assigned_to"]
    list_filter = ["inspection", "area", "role", "in_dip", "stratum"]
    search_fields = ["urn"]


@admin.register(Examination)
class ExaminationAdmin(admin.ModelAdmin):
    list_display = ["case_file", "kind", "examiner", "status", "updated_at"]
    list_filter = ["kind", "status"]
    raw_id_fields = ["case_file"]


class ReadOnlyAdmin(admin.ModelAdmin):
    """Records written only by services (answers keep their history there): read in the admin, never edited."""

    def has_add_permission(self, request) -> bool:
        return False

    def has_change_permission(self, request, obj=None) -> bool:
        return False

    def has_delete_permission(self, request, obj=None) -> bool:
        return False


@admin.register(Answer)
class AnswerAdmin(ReadOnlyAdmin):
    list_display = ["examination", "question", "value", "version", "updated_by", "updated_at"]


@admin.register(AnswerChange)
class AnswerChangeAdmin(ReadOnlyAdmin):
    list_display = ["answer", "old_value", "new_value", "changed_by", "changed_at", "source"]


@admin.register(QuestionSetAdoption)
class QuestionSetAdoptionAdmin(ReadOnlyAdmin):
    """Adoptions are the inspection's record of which version it used from when."""

    list_display = ["inspection", "question_set", "previous", "adopted_by", "adopted_at"]


@admin.register(InspectionMember)
class InspectionMemberAdmin(ReadOnlyAdmin):
    """Teams change on each inspection's team page (by its lead), where the history is kept."""

    list_display = ["inspection", "user", "role", "added_at"]
    list_filter = ["inspection", "role"]


@admin.register(TeamChange)
class TeamChangeAdmin(ReadOnlyAdmin):
    list_display = ["inspection", "user", "role", "action", "by", "at"]
    list_filter = ["inspection", "action"]
