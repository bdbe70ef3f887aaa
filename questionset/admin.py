from django.contrib import admin

from .models import QuestionSet


@admin.register(QuestionSet)
class QuestionSetAdmin(admin.ModelAdmin):
    list_display = ["code", "number", "version_label", "title", "loaded_at"]
    readonly_fields = ["code", "number", "version_label", "title", "checksum", "source", "loaded_at"]
