from django.apps import AppConfig
from django.db.models.signals import post_migrate


class CommentariesConfig(AppConfig):
    name = "commentaries"

    def ready(self):
        # The app's wiring: each concern connects its receivers by being imported here. The
        # domain's own modules import none of them.
        from commentaries.editorial import admin  # noqa: F401  (registers the admin)
        from commentaries.editorial.revisions import create_first_versions
        from commentaries.search import signals
        from commentaries.syndication import websub  # noqa: F401  (subscribes to events)

        # Pieces written by migrations (the seed) get their first version and their search
        # document here: migrations send no save signals.
        post_migrate.connect(create_first_versions, sender=self)
        post_migrate.connect(signals.index_missing_after_migrate, sender=self)
