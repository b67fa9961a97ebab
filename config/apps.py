from django.contrib.admin.apps import AdminConfig


class EditorsAdminConfig(AdminConfig):
    """django.contrib.admin with the site of config.admin_site."""

    default_site = "config.admin_site.EditorsAdminSite"
