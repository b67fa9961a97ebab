"""The two editorial roles, as groups: Contributors and Editors."""

from django.contrib.auth.management import create_permissions
from django.db import migrations

CONTRIBUTOR_PERMISSIONS = [
    ("commentaries", "add_commentary"),
    ("commentaries", "change_commentary"),
    ("commentaries", "view_commentary"),
    ("commentaries", "delete_commentary"),  # their own drafts only; see CommentaryAdmin
    ("commentaries", "add_keypoint"),
    ("commentaries", "change_keypoint"),
    ("commentaries", "delete_keypoint"),
    ("commentaries", "view_keypoint"),
    ("commentaries", "add_authorship"),
    ("commentaries", "change_authorship"),
    ("commentaries", "delete_authorship"),
    ("commentaries", "view_authorship"),
    ("commentaries", "view_series"),
    ("authors", "view_author"),
    ("taggit", "view_tag"),
]
EDITOR_APPS = ["commentaries", "authors", "taggit"]


def create_groups(apps, schema_editor):
    # Permissions are normally made after migrating; the groups need them now.
    for app_config in apps.get_app_configs():
        app_config.models_module = True
        create_permissions(app_config, apps=apps, verbosity=0)
        app_config.models_module = None
    Group = apps.get_model("auth", "Group")
    Permission = apps.get_model("auth", "Permission")
    contributors, _ = Group.objects.get_or_create(name="Contributors")
    for app_label, codename in CONTRIBUTOR_PERMISSIONS:
        contributors.permissions.add(
            Permission.objects.get(content_type__app_label=app_label, codename=codename)
        )
    editors, _ = Group.objects.get_or_create(name="Editors")
    editors.permissions.add(*Permission.objects.filter(content_type__app_label__in=EDITOR_APPS))


def remove_groups(apps, schema_editor):
    apps.get_model("auth", "Group").objects.filter(name__in=["Contributors", "Editors"]).delete()


class Migration(migrations.Migration):
    dependencies = [
        ("commentaries", "0004_publish_permission"),
        ("authors", "0001_initial"),
        ("auth", "0012_alter_user_first_name_max_length"),
        ("taggit", "0006_rename_taggeditem_content_type_object_id_taggit_tagg_content_8fc721_idx"),
    ]

    operations = [migrations.RunPython(create_groups, remove_groups)]
