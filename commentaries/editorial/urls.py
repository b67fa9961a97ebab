"""The commentary form's lookups, under the admin's address (config/urls.py mounts them) and
behind its sign-in."""

from django.contrib import admin
from django.urls import path

from commentaries.editorial import lookups

app_name = "editorial"
urlpatterns = [
    path(
        "topics/",
        admin.site.admin_view(lookups.topic_suggestions),
        name="topic_suggestions",
    ),
    path(
        "author-profile/",
        admin.site.admin_view(lookups.author_profile),
        name="author_profile",
    ),
]
