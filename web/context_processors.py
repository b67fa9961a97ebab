from django.conf import settings
from django.utils.functional import SimpleLazyObject

from commentaries.models import Series


def site(request):
    # Lazy: the query runs only when a template shows the publisher (the masthead and footer
    # of public pages), never for the admin, feeds or e-mails.
    return {"site_name": settings.SITE_NAME, "publisher": SimpleLazyObject(publisher)}


def publisher():
    """Who publishes the site: the primary series' publisher, else the site's name."""
    name = Series.objects.filter(is_primary=True).values_list("publisher", flat=True).first()
    return name or settings.SITE_NAME
