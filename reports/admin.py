from django.contrib import admin

from casefiles.models import CaseExample

from .models import ReportJob


@admin.register(ReportJob)
class ReportJobAdmin(admin.ModelAdmin):
    list_display = ["pk", "inspection", "format", "status", "progress", "requested_by", "requested_at", "attempts"]
    list_filter = ["status", "format"]


@admin.register(CaseExample)
class CaseExampleAdmin(admin.ModelAdmin):
    list_display = ["pk", "answer", "kind", "flagged_by", "flagged_at", "included_in_appendix"]
    list_filter = ["kind", "included_in_appendix"]
    raw_id_fields = ["answer"]
