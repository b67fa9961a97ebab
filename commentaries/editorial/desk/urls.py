"""The private iCalendar feed, outside the admin's address: calendar services (Google's,
Apple's, Microsoft's) fetch it from their own servers, which an admin kept behind a VPN or an
allow-list of addresses would turn away."""

from django.urls import re_path

from commentaries.editorial.desk import models, views

app_name = "desk"
urlpatterns = [
    re_path(
        rf"^calendar/(?P<token>[0-9a-f]{{{models.TOKEN_LENGTH}}})\.ics$",
        views.calendar_feed,
        name="calendar-feed",
    ),
]
