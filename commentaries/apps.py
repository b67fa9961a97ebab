from django.apps import AppConfig
from django.db.models.signals import post_migrate


class CommentariesConfig(AppConfig):
    name = "commentaries"

    def ready(self):
        from commentaries import signals

        post_migrate.connect(signals.index_missing_after_migrate, sender=self)
