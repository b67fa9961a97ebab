"""The applications the admin is made of, as INSTALLED_APPS names them. Nothing here imports a
model: these classes are loaded before the models are."""

from django.contrib.admin.apps import AdminConfig
from taggit.apps import TaggitAppConfig


class EditorsAdminConfig(AdminConfig):
    """django.contrib.admin with the editors' site (commentaries.editorial.site)."""

    default_site = "commentaries.editorial.site.EditorsAdminSite"


class TopicsConfig(TaggitAppConfig):
    """django-taggit, called what editors and readers call its tags: topics ("Topics" in the
    admin's list, its breadcrumbs and its pages, never "Taggit > Tags")."""

    verbose_name = "Topics"

    def ready(self):
        super().ready()
        # Names for people only. Migrations read a model's options as its class declared them
        # (Options.original_attrs), so taggit's migrations see no change.
        tag = self.get_model("Tag")
        tag._meta.verbose_name = "topic"
        tag._meta.verbose_name_plural = "topics"
