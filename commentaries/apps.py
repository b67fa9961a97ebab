from django.apps import AppConfig


class CommentariesConfig(AppConfig):
    name = "commentaries"
