from django.urls import path, register_converter

from commentaries.media import views


class TokenConverter:
    regex = "[A-Za-z0-9_-]{16,32}"

    def to_python(self, value):
        return value

    def to_url(self, value):
        return value


class FormatConverter:
    regex = "webp|jpg"

    def to_python(self, value):
        return value

    def to_url(self, value):
        return value


register_converter(TokenConverter, "token")
register_converter(FormatConverter, "picture_format")

app_name = "media"

urlpatterns = [
    path("<token:token>/<int:width>.<picture_format:fmt>", views.rendition, name="rendition"),
    path("cards/<slug:series>/<int:number>/<slug:edition>.png", views.share_card, name="card"),
]
