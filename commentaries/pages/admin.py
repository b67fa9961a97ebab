"""Pages in the admin: Editors add, change and delete them, with revisions; contributors and
staff in no group do not see them (the permissions are the Editors group's alone, granted by
migration 0002)."""

import re

from django.contrib import admin
from django.contrib.admin.utils import unquote
from django.core.exceptions import PermissionDenied
from django.http import Http404
from reversion.admin import VersionAdmin
from reversion.models import Version

from commentaries.pages.models import Page
from commentaries.rich_text import RichTextAdminMixin

# Database ids as URLs may carry them; anything else is no id (a 404, never an overflow).
ID = re.compile(r"[0-9]{1,18}")


@admin.register(Page)
class PageAdmin(RichTextAdminMixin, VersionAdmin):
    list_display = ["title", "address", "updated_at"]
    search_fields = ["title", "slug"]
    prepopulated_fields = {"slug": ["title"]}
    rich_text_fields = ["body"]
    fields = ["title", "slug", "body"]

    @admin.display(description="address", ordering="slug")
    def address(self, page):
        return page.get_absolute_url()

    # django-reversion writes the old version back before its change form asks about
    # permissions, and finds the version by id alone, whatever model it belongs to: both views
    # ask first, and only about versions of pages.
    def revision_view(self, request, object_id, version_id, extra_context=None):
        if not self.has_view_or_change_permission(request):
            raise PermissionDenied
        self.page_version_or_404(version_id, object_id=unquote(object_id))
        return super().revision_view(request, object_id, version_id, extra_context)

    def recover_view(self, request, version_id, extra_context=None):
        if not (self.has_add_permission(request) and self.has_change_permission(request)):
            raise PermissionDenied
        self.page_version_or_404(version_id)
        return super().recover_view(request, version_id, extra_context)

    def page_version_or_404(self, version_id, object_id=None):
        versions = Version.objects.get_for_model(Page)
        if object_id is not None:
            versions = versions.filter(object_id=object_id)
        if not (ID.fullmatch(version_id or "") and versions.filter(pk=int(version_id)).exists()):
            raise Http404("No such version of a page.")
