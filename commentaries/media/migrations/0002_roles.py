"""Contributors upload pictures and see their own (for their drafts); editors do everything
with pictures. Renditions, figures and share cards are made by the site, not edited."""

from django.contrib.auth.management import create_permissions
from django.db import migrations

CONTRIBUTOR_PERMISSIONS = ["add_image", "view_image", "change_image"]
EDITOR_PERMISSIONS = ["add_image", "view_image", "change_image", "delete_image"]


def grant(apps, schema_editor):
    app_config = apps.get_app_config("media")
    app_config.models_module = True
    create_permissions(app_config, apps=apps, verbosity=0)
    app_config.models_module = None
    Group = apps.get_model("auth", "Group")
    Permission = apps.get_model("auth", "Permission")
    for name, codenames in [
        ("Contributors", CONTRIBUTOR_PERMISSIONS),
        ("Editors", EDITOR_PERMISSIONS),
    ]:
        group, _ = Group.objects.get_or_create(name=name)
        group.permissions.add(
            *Permission.objects.filter(content_type__app_label="media", codename__in=codenames)
        )


def revoke(apps, schema_editor):
    Permission = apps.get_model("auth", "Permission")
    for group in apps.get_model("auth", "Group").objects.filter(
        name__in=["Contributors", "Editors"]
    ):
        group.permissions.remove(*Permission.objects.filter(content_type__app_label="media"))


class Migration(migrations.Migration):
    dependencies = [
        ("media", "0001_initial"),
        ("commentaries", "0005_roles"),
    ]

    operations = [migrations.RunPython(grant, revoke)]
