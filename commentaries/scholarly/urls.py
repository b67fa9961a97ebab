from django.urls import path

from commentaries.caching.pages import cached_page
from commentaries.scholarly import views

app_name = "scholarly"

urlpatterns = [
    path("commentaries/<int:number>/pdf/", views.commentary_pdf, name="pdf"),
    path("series/<slug:series>/<int:number>/pdf/", views.commentary_pdf, name="series-pdf"),
    # A withdrawn piece's DOI resolves here (crossref.deposit_piece), while its own address
    # answers 410.
    path(
        "commentaries/<int:number>/withdrawn/",
        cached_page(views.withdrawal_notice),
        name="withdrawal-notice",
    ),
    path(
        "series/<slug:series>/<int:number>/withdrawn/",
        cached_page(views.withdrawal_notice),
        name="series-withdrawal-notice",
    ),
]
