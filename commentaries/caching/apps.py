from django.apps import AppConfig


class CachingConfig(AppConfig):
    name = "commentaries.caching"
    label = "caching"
    verbose_name = "Caching"

    def ready(self):
        from commentaries.caching import receivers  # noqa: F401 (they register)
