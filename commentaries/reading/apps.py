from django.apps import AppConfig


class ReadingConfig(AppConfig):
    name = "commentaries.reading"
    label = "reading"
    verbose_name = "Public pages"
