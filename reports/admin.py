from django.contrib import admin

from .models import ReportJob


@admin.register(ReportJob)
class ReportJobAdmin(admin.ModelAdmin):
    list_display = ["pk", "inspection", "format", "status", "requested_by", "requested_at", "attempts"]
    list_filter = ["status", "format"]
