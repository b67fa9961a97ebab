from django.conf import settings
from django.contrib import admin
from django.contrib.sitemaps import views as sitemaps
from django.shortcuts import redirect
from django.templatetags.static import static
from django.urls import include, path
from django.views.generic import TemplateView

from commentaries.caching.pages import cached_page
from commentaries.syndication.sitemaps import SITEMAPS
from commentaries.syndication.sitemaps import section as sitemap_section
from web.health import healthz

admin.site.site_header = f"{settings.SITE_NAME} editors"
admin.site.site_title = f"{settings.SITE_NAME} editors"


def favicon(request):
    """Browsers ask for /favicon.ico on every page, the admin's included."""
    return redirect(static("favicon.svg"))


urlpatterns = [
    path("favicon.ico", favicon),
    path(settings.ADMIN_PATH, admin.site.urls),
    path("healthz", healthz, name="healthz"),
    path("authors/", include("authors.urls")),
    path("alerts/", include("commentaries.alerts.urls")),
    path(
        "sitemap.xml",
        cached_page(sitemaps.index),
        {"sitemaps": SITEMAPS, "sitemap_url_name": "sitemap-section"},
        name="sitemap",
    ),
    path(
        "sitemap-<section>.xml",
        cached_page(sitemap_section, params=["p"]),
        {"sitemaps": SITEMAPS},
        name="sitemap-section",
    ),
    path(
        "robots.txt",
        TemplateView.as_view(template_name="robots.txt", content_type="text/plain; charset=utf-8"),
    ),
    path("", include("commentaries.scholarly.urls")),  # before reading: /commentaries/<n>/pdf/
    path("", include("commentaries.syndication.urls")),
    path("", include("commentaries.reading.urls")),
]

handler500 = "web.errors.server_error"
