from django.conf import settings
from django.utils.functional import SimpleLazyObject

from commentaries.models import Series


def site(request):
    # Lazy: the query runs only when a template shows the publisher or its logo (the masthead
    # and footer of public pages), never for the admin, feeds or e-mails; once for both.
    primary = SimpleLazyObject(primary_series)
    return {
        "site_name": settings.SITE_NAME,
        "publisher": SimpleLazyObject(lambda: publisher(primary)),
        "masthead_logo": SimpleLazyObject(lambda: primary.logo if primary else None),
    }


def primary_series():
    """The primary series with what the masthead shows of it: its publisher and logo."""
    return (
        Series.objects.filter(is_primary=True)
        .select_related("logo")
        .only("publisher", "logo__token", "logo__width", "logo__height", "logo__alt_text")
        .first()
    )


def publisher(primary=None):
    """Who publishes the site: the primary series' publisher, else the site's name."""
    if primary is None:
        primary = primary_series()
    return (primary.publisher if primary else "") or settings.SITE_NAME
