from django.urls import path

from commentaries.scholarly import oai, views

app_name = "scholarly"

urlpatterns = [
    path("commentaries/<int:number>/pdf/", views.commentary_pdf, name="pdf"),
    path("series/<slug:series>/<int:number>/pdf/", views.commentary_pdf, name="series-pdf"),
    path("oai/", oai.oai_pmh, name="oai"),
]
