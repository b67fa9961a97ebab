from django.urls import path, re_path, register_converter

from commentaries.caching.pages import cached_page
from commentaries.reading import views


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

# Pages every reader gets alike come from the cache until what they show changes (page_cache).
commentary_detail = cached_page(views.commentary_detail)


def list_page(view_class):
    return cached_page(view_class.as_view(), params=["older", "newer", "page"])


urlpatterns = [
    path("", cached_page(views.home), name="home"),
    path("commentaries/", list_page(views.CommentaryListView), name="list"),
    path("archive/", cached_page(views.archive_index), name="archive"),
    path("archive/<year:year>/", list_page(views.YearArchiveView), name="year"),
    # The archive's old address; a piece numbered like a year keeps it (views.year_or_piece).
    path("commentaries/<year:year>/", cached_page(views.year_or_piece), name="year-or-piece"),
    path("commentaries/<int:number>/", commentary_detail, name="detail-short"),
    path(
        "commentaries/<int:number>/cite.<citation:extension>",
        views.citation_download,
        name="cite",
    ),
    path("commentaries/<int:number>/<slug:slug>/", commentary_detail, name="detail"),
    path("series/<slug:slug>/", list_page(views.SeriesDetailView), name="series"),
    path("series/<slug:series>/<int:number>/", commentary_detail, name="series-detail-short"),
    path(
        "series/<slug:series>/<int:number>/<slug:slug>/", commentary_detail, name="series-detail"
    ),
    path(
        "series/<slug:series>/<int:number>/cite.<citation:extension>",
        views.citation_download,
        name="series-cite",
    ),
    path("topics/", cached_page(views.topic_index), name="topics"),
    path("topics/<str:slug>/", list_page(views.TopicDetailView), name="topic"),
    path("topics/<str:slug>/<year:year>/", list_page(views.TopicDetailView), name="topic-year"),
    # Where topics were, their pages and feeds: each answers 301 with its /topics/ address.
    re_path(r"^tags/(?P<rest>.*)\Z", views.old_topic_address),
    path("preview/<str:token>/", views.commentary_preview, name="preview"),
    path("search/", views.SearchView.as_view(), name="search"),
    path("unapi", views.unapi, name="unapi"),
]
