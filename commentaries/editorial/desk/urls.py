"""The private iCalendar feed, outside the admin's address: calendar services (Google's,
Apple's, Microsoft's) fetch it from their own servers, which an admin kept behind a VPN or an
allow-list of addresses would turn away."""

from django.urls import path, register_converter

from commentaries.editorial.desk import models, views


class FeedToken:
    regex = f"[0-9a-f]{{{models.TOKEN_LENGTH}}}"

    def to_python(self, value):
        return value

    def to_url(self, value):
        return value


register_converter(FeedToken, "feedtoken")

app_name = "desk"
urlpatterns = [
    path("calendar/<feedtoken:token>.ics", views.calendar_feed, name="calendar-feed"),
]
