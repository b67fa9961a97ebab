from django.urls import path, register_converter

from commentaries.reading import views
from config.page_cache import cached_page


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

urlpatterns = [
    path("", cached_page(views.home), name="home"),
    path("commentaries/", cached_page(views.CommentaryListView.as_view()), name="list"),
    path("commentaries/<year:year>/", cached_page(views.YearArchiveView.as_view()), name="year"),
    path("commentaries/<int:number>/", commentary_detail, name="detail-short"),
    path(
        "commentaries/<int:number>/cite.<citation:extension>",
        views.citation_download,
        name="cite",
    ),
    path("commentaries/<int:number>/<slug:slug>/", commentary_detail, name="detail"),
    path("series/<slug:slug>/", cached_page(views.SeriesDetailView.as_view()), name="series"),
    path("series/<slug:series>/<int:number>/", commentary_detail, name="series-detail-short"),
    path(
        "series/<slug:series>/<int:number>/<slug:slug>/", commentary_detail, name="series-detail"
    ),
    path(
        "series/<slug:series>/<int:number>/cite.<citation:extension>",
        views.citation_download,
        name="series-cite",
    ),
    path("tags/<str:slug>/", cached_page(views.TagDetailView.as_view()), name="tag"),
    path("preview/<str:token>/", views.commentary_preview, name="preview"),
    path("search/", views.SearchView.as_view(), name="search"),
]
