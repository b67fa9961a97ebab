from django.conf import settings
from django.conf.urls.i18n import i18n_patterns
from django.contrib import admin
from django.shortcuts import redirect
from django.templatetags.static import static
from django.urls import include, path

from commentaries.caching.pages import cached_page
from commentaries.scholarly.oai import oai_pmh
from commentaries.syndication.sitemaps import SITEMAPS, robots
from commentaries.syndication.sitemaps import index as sitemap_index
from commentaries.syndication.sitemaps import section as sitemap_section
from web.health import healthz

admin.site.site_header = f"{settings.SITE_NAME} editors"
admin.site.site_title = f"{settings.SITE_NAME} editors"


def favicon(request):
    """Browsers ask for /favicon.ico on every page, the admin's included."""
    return redirect(static("favicon.svg"))


# Addresses without a language: machines' (OAI-PMH, sitemaps, robots.txt, the health check),
# the editors' (the admin, the desk's calendar feeds) and the pictures, alike in every language.
urlpatterns = [
    path("favicon.ico", favicon),
    path(f"{settings.ADMIN_PATH}account/", include("accounts.urls")),  # two-step sign-in
    path(f"{settings.ADMIN_PATH}editorial/", include("commentaries.editorial.urls")),
    path(settings.ADMIN_PATH, admin.site.urls),
    path("healthz", healthz, name="healthz"),
    path("images/", include("commentaries.media.urls")),
    path("desk/", include("commentaries.editorial.desk.urls")),  # editors' calendar feeds
    path(
        "sitemap.xml",
        cached_page(sitemap_index),
        {"sitemaps": SITEMAPS},
        name="sitemap",
    ),
    path(
        "sitemap-<section>.xml",
        cached_page(sitemap_section, params=["p"]),
        {"sitemaps": SITEMAPS},
        name="sitemap-section",
    ),
    path("robots.txt", robots),
    path("oai/", oai_pmh, name="oai"),
]

# The readers' addresses, in each language: the main language's (SITE_LANGUAGE) as they always
# were, the others' under their code (/ja/commentaries/210/).
urlpatterns += i18n_patterns(
    path("authors/", include("authors.urls")),
    path("", include("commentaries.alerts.urls")),  # /subscribe/ and /alerts/...
    path("", include("commentaries.scholarly.urls")),  # before reading: /commentaries/<n>/pdf/
    path("", include("commentaries.syndication.urls")),
    path("", include("commentaries.reading.urls")),
    # Last: /<slug>/ is a page editors write only where no other address answers.
    path("", include("commentaries.pages.urls")),
    prefix_default_language=False,
)

handler404 = "web.errors.page_not_found"
handler500 = "web.errors.server_error"
