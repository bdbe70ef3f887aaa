from django.contrib import admin

from .models import Draw, Frame, SampleEvent


@admin.register(Frame)
class FrameAdmin(admin.ModelAdmin):
    list_display = ["filename", "inspection", "row_count", "imported_by", "imported_at"]


@admin.register(Draw)
class DrawAdmin(admin.ModelAdmin):
    list_display = ["inspection", "seed", "drawn_by", "drawn_at", "took_what_there_is"]


@admin.register(SampleEvent)
class SampleEventAdmin(admin.ModelAdmin):
    list_display = ["inspection", "kind", "case_file", "other_file", "by", "at"]
