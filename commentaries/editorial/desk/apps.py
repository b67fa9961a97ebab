from django.apps import AppConfig


class DeskConfig(AppConfig):
    name = "commentaries.editorial.desk"
    label = "desk"
    verbose_name = "Editors' desk"
