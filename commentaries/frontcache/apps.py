from django.apps import AppConfig


class FrontCacheConfig(AppConfig):
    name = "commentaries.frontcache"
    label = "frontcache"
    verbose_name = "front cache"

    def ready(self):
        from commentaries.frontcache import receivers  # noqa: F401 (connects them)
