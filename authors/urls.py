from django.urls import path

from authors import views
from commentaries.feed_http import feed_paths
from commentaries.feeds import AuthorFeed
from commentaries.page_cache import cached_page

app_name = "authors"

urlpatterns = [
    path("", cached_page(views.AuthorListView.as_view()), name="list"),
    path("<slug:slug>/", cached_page(views.AuthorDetailView.as_view()), name="detail"),
    *feed_paths("<slug:slug>/", AuthorFeed, "feed"),
]
