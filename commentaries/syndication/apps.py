from django.apps import AppConfig


class SyndicationConfig(AppConfig):
    name = "commentaries.syndication"
    label = "syndication"
    verbose_name = "Feeds"

    def ready(self):
        from commentaries.syndication import receivers  # noqa: F401 (they register)
