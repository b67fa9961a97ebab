"""The admin site: Django's, with the editors' desk as its home page and its view-on-site
shortcut asking the model admin's rules.

The home page (AdminSite.index) is the desk (commentaries.editorial.desk) for staff who work on
commentaries, with Django's list of everything at its foot; other staff get that list alone.
The desk's calendar pages are the site's own URLs.

Django's shortcut (<admin>/r/<content type>/<id>/) redirects any staff member to any object's
public address, which names unpublished pieces. Here it answers only for objects the user may
see through that model's admin, and is a 404 otherwise.

Every admin view also refuses an empty _to_field as a bad request: Django's change and delete
views check a named field against those allowed, but take an empty one for a field name and
answer 500.

Signing in takes two steps where a person needs them (accounts.admin_site).
"""

import functools

from django.contrib import admin
from django.contrib.admin.exceptions import DisallowedModelAdminToField
from django.contrib.admin.options import TO_FIELD_VAR
from django.contrib.contenttypes.models import ContentType
from django.contrib.contenttypes.views import shortcut
from django.http import Http404
from django.urls import path

from accounts.admin_site import TwoStepSignInMixin
from commentaries.editorial.desk import views as desk


class EditorsAdminSite(TwoStepSignInMixin, admin.AdminSite):
    def get_urls(self):
        urls = [url for url in super().get_urls() if getattr(url, "name", "") != "view_on_site"]
        view_on_site = path(
            "r/<path:content_type_id>/<path:object_id>/",
            self.admin_view(self.view_on_site),
            name="view_on_site",
        )
        return [view_on_site, *desk.admin_urls(self), *urls]

    def index(self, request, extra_context=None):
        """The editors' desk for those who work on commentaries; Django's app list otherwise."""
        if desk.has_desk(request.user):
            return desk.dashboard(self, request, extra_context)
        return super().index(request, extra_context)

    def admin_view(self, view, cacheable=False):
        guarded = super().admin_view(view, cacheable)

        @functools.wraps(view)
        def refusing_an_empty_to_field(request, *args, **kwargs):
            if "" in (request.GET.get(TO_FIELD_VAR), request.POST.get(TO_FIELD_VAR)):
                raise DisallowedModelAdminToField("An empty field name cannot be referenced.")
            return guarded(request, *args, **kwargs)

        return refusing_an_empty_to_field

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
