from django.conf import settings
from django.contrib import admin
from django.urls import include, path

admin.site.site_header = f"{settings.SITE_NAME} editors"
admin.site.site_title = f"{settings.SITE_NAME} editors"

urlpatterns = [
    path("admin/", admin.site.urls),
    path("authors/", include("authors.urls")),
    path("", include("commentaries.urls")),
]
