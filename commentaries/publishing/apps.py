from django.apps import AppConfig


class PublishingConfig(AppConfig):
    name = "commentaries.publishing"
    label = "publishing"
    verbose_name = "Publishing"
