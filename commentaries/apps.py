from django.apps import AppConfig
from django.db.models.signals import post_migrate


class CommentariesConfig(AppConfig):
    name = "commentaries"

    def ready(self):
        from commentaries.revisions import create_first_versions

        # The seed and any piece written by a migration get their first version.
        post_migrate.connect(create_first_versions, sender=self)
