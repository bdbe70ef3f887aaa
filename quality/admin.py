from django.contrib import admin

from .models import DipReview, Exercise, Participant, ReviewItem


class ReadOnlyInline(admin.TabularInline):
    extra = 0
    can_delete = False

    def has_add_permission(self, request, obj=None) -> bool:
        return False

    def has_change_permission(self, request, obj=None) -> bool:
        return False


class ReviewItemInline(ReadOnlyInline):
    model = ReviewItem
    fields = ["question", "asked", "inspector_value", "agrees", "qa_value", "reason", "amend"]


@admin.register(DipReview)
class DipReviewAdmin(admin.ModelAdmin):
    """Read-only: a review changes only through its page, which keeps the answers' history."""

    list_display = ["examination", "reviewer", "status", "started_at", "completed_at"]
    list_filter = ["status"]
    inlines = [ReviewItemInline]

    def has_add_permission(self, request) -> bool:
        return False

    def has_change_permission(self, request, obj=None) -> bool:
        return False


class ParticipantInline(ReadOnlyInline):
    model = Participant
    fields = ["user", "is_temporary", "organisation", "expires_at", "added_by"]


@admin.register(Exercise)
class ExerciseAdmin(admin.ModelAdmin):
    list_display = ["name", "inspection", "kind", "closes_on", "created_by"]
    list_filter = ["kind"]
    readonly_fields = ["created_by", "created_at", "inspection"]
    filter_horizontal = ["files"]
    inlines = [ParticipantInline]

    def has_add_permission(self, request) -> bool:
        return False
