from django.apps import AppConfig


class ScholarlyConfig(AppConfig):
    name = "commentaries.scholarly"
    label = "scholarly"
    verbose_name = "Scholarly record"

    def ready(self):
        from commentaries.scholarly import checks, receivers  # noqa: F401 (they register)
