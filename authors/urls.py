from django.urls import path

from authors import views
from commentaries.feed_http import feed_paths
from commentaries.feeds import AuthorFeed

app_name = "authors"

urlpatterns = [
    path("", views.AuthorListView.as_view(), name="list"),
    path("<slug:slug>/", views.AuthorDetailView.as_view(), name="detail"),
    *feed_paths("<slug:slug>/", AuthorFeed, "feed"),
]
