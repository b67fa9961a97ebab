"""The record of what was rendered and deposited, for editors to read (tasks write it)."""

from django.contrib import admin

from commentaries.scholarly.models import CrossrefDeposit, PdfRendition


class ReadOnlyAdmin(admin.ModelAdmin):
    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        return False


@admin.register(PdfRendition)
class PdfRenditionAdmin(ReadOnlyAdmin):
    list_display = ["commentary", "rendered_at", "size", "render_seconds"]
    list_select_related = ["commentary__series"]
    date_hierarchy = "rendered_at"


@admin.register(CrossrefDeposit)
class CrossrefDepositAdmin(ReadOnlyAdmin):
    list_display = ["doi", "commentary", "deposited_at", "status_code", "batch_id"]
    list_select_related = ["commentary__series"]
    list_filter = ["status_code"]
    search_fields = ["doi", "batch_id"]
