from django.apps import AppConfig
from django.db.models.signals import post_migrate


class CommentariesConfig(AppConfig):
    name = "commentaries"

    def ready(self):
        from commentaries import signals
        from commentaries.revisions import create_first_versions

        # Pieces written by migrations (the seed) get their first version and their search
        # document here: migrations send no save signals.
        post_migrate.connect(create_first_versions, sender=self)
        post_migrate.connect(signals.index_missing_after_migrate, sender=self)
