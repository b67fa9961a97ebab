"""A page's edit moves the content generation, so cached pages (its own, and every page whose
masthead or footer names it) are rendered afresh."""

from django.db.models.signals import post_delete, post_save

from commentaries.caching.receivers import content_changed
from commentaries.pages.models import Page

post_save.connect(content_changed, sender=Page, dispatch_uid="pages.saved")
post_delete.connect(content_changed, sender=Page, dispatch_uid="pages.deleted")
