from django.urls import path

from commentaries.caching.pages import cached_page
from commentaries.pages import views

app_name = "pages"

# Included last by config/urls.py: every other address is matched before this one.
urlpatterns = [
    path("<slug:slug>/", cached_page(views.page_detail), name="page"),
]
