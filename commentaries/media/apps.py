from django.apps import AppConfig


class MediaConfig(AppConfig):
    name = "commentaries.media"
    label = "media"
    verbose_name = "Pictures"

    def ready(self):
        from commentaries.media import receivers  # noqa: F401 (they register)
