from django.apps import AppConfig


class PagesConfig(AppConfig):
    name = "commentaries.pages"
    label = "pages"
    verbose_name = "Pages"

    def ready(self):
        from commentaries.pages import receivers  # noqa: F401 (they register)
