from django.apps import AppConfig


class ScholarlyConfig(AppConfig):
    name = "commentaries.scholarly"
    label = "scholarly"
    verbose_name = "Scholarly record"
    # Read by the editors' desk (commentaries.editorial.desk.providers).
    desk_providers = ["commentaries.scholarly.desk.ScholarlyRecord"]

    def ready(self):
        from commentaries.scholarly import checks, receivers  # noqa: F401 (they register)
