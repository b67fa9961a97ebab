from django.apps import AppConfig


class SearchConfig(AppConfig):
    name = "commentaries.search"
    label = "search"
    verbose_name = "Search"

    def ready(self):
        from commentaries.search import receivers  # noqa: F401 (they register)
