"""The admin site: Django's, with its view-on-site shortcut asking the model admin's rules.

Django's shortcut (<admin>/r/<content type>/<id>/) redirects any staff member to any object's
public address, which names unpublished pieces. Here it answers only for objects the user may
see through that model's admin, and is a 404 otherwise.
"""

from django.contrib import admin
from django.contrib.contenttypes.models import ContentType
from django.contrib.contenttypes.views import shortcut
from django.http import Http404
from django.urls import path


class EditorsAdminSite(admin.AdminSite):
    def get_urls(self):
        urls = [url for url in super().get_urls() if getattr(url, "name", "") != "view_on_site"]
        view_on_site = path(
            "r/<path:content_type_id>/<path:object_id>/",
            self.admin_view(self.view_on_site),
            name="view_on_site",
        )
        return [view_on_site, *urls]

    def view_on_site(self, request, content_type_id, object_id):
        if not content_type_id.isascii() or not content_type_id.isdigit():
            raise Http404("No such object.")
        try:
            model = ContentType.objects.get_for_id(int(content_type_id)).model_class()
        except (ContentType.DoesNotExist, OverflowError):
            raise Http404("No such object.") from None
        model_admin = self._registry.get(model)
        found = model_admin.get_object(request, object_id) if model_admin else None
        if found is None or not model_admin.has_view_or_change_permission(request, found):
            raise Http404("No such object.")
        return shortcut(request, content_type_id, object_id)
