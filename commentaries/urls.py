from django.urls import path, register_converter

from commentaries import views
from commentaries.feed_http import feed_paths
from commentaries.feeds import CommentaryFeed, SeriesFeed, TagFeed


class CitationFormatConverter:
    regex = "bib|ris"

    def to_python(self, value):
        return value

    def to_url(self, value):
        return value


class YearConverter:
    regex = "[12][0-9]{3}"

    def to_python(self, value):
        return int(value)

    def to_url(self, value):
        return str(value)


register_converter(CitationFormatConverter, "citation")
register_converter(YearConverter, "year")

app_name = "commentaries"

urlpatterns = [
    path("", views.home, name="home"),
    path("commentaries/", views.CommentaryListView.as_view(), name="list"),
    path("commentaries/<year:year>/", views.YearArchiveView.as_view(), name="year"),
    path("commentaries/<int:number>/", views.commentary_detail, name="detail-short"),
    path(
        "commentaries/<int:number>/cite.<citation:extension>",
        views.citation_download,
        name="cite",
    ),
    path("commentaries/<int:number>/<slug:slug>/", views.commentary_detail, name="detail"),
    path("series/<slug:slug>/", views.SeriesDetailView.as_view(), name="series"),
    path(
        "series/<slug:series>/<int:number>/", views.commentary_detail, name="series-detail-short"
    ),
    path(
        "series/<slug:series>/<int:number>/<slug:slug>/",
        views.commentary_detail,
        name="series-detail",
    ),
    path(
        "series/<slug:series>/<int:number>/cite.<citation:extension>",
        views.citation_download,
        name="series-cite",
    ),
    path("tags/<str:slug>/", views.TagDetailView.as_view(), name="tag"),
    path("preview/<str:token>/", views.commentary_preview, name="preview"),
    # Feed addresses are permanent (README.md, "Feeds"): if one ever moves, keep the old one as a 301.
    *feed_paths("", CommentaryFeed, "feed"),
    *feed_paths("series/<slug:slug>/", SeriesFeed, "series-feed"),
    *feed_paths("tags/<str:slug>/", TagFeed, "tag-feed"),
    path("search/", views.SearchView.as_view(), name="search"),
]
