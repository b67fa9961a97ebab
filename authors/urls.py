from django.urls import path

from authors import views
from commentaries.caching.pages import cached_page

app_name = "authors"

urlpatterns = [
    path("", cached_page(views.AuthorListView.as_view(), params=["page"]), name="list"),
    path(
        "<slug:slug>/",
        cached_page(views.AuthorDetailView.as_view(), params=["older", "newer", "page"]),
        name="detail",
    ),
]
