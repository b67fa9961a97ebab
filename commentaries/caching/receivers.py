"""What the caching room listens to: every change public pages can show moves the content
generation, in the change's transaction; every publication event bans the front caches."""

from datetime import timedelta

from django.conf import settings
from django.db.models.signals import m2m_changed, post_delete, post_save
from django.dispatch import receiver
from django.utils import timezone
from taggit.models import Tag, TaggedItem

from authors.models import Author
from commentaries.caching import frontcache
from commentaries.caching.freshness import bump
from commentaries.models import Authorship, Commentary, Correction, KeyPoint, Series
from commentaries.publishing import events

# A picture's alt text and credit are shown too (by its lazy name: caching imports no concern).
SHOWN = [
    Commentary,
    KeyPoint,
    Authorship,
    Correction,
    Author,
    Series,
    Tag,
    TaggedItem,
    "media.Image",
]


def content_changed(sender, raw=False, action="post_", **kwargs):
    # loaddata writes raw rows (whoever loads them knows); m2m changes come as pre_ and post_.
    if not raw and action.startswith("post_"):
        bump()


for model in SHOWN:
    post_save.connect(content_changed, sender=model, dispatch_uid="caching.saved")
    post_delete.connect(content_changed, sender=model, dispatch_uid="caching.deleted")
m2m_changed.connect(content_changed, sender=Commentary.tags.through, dispatch_uid="caching.topics")


@receiver(events.became_public, dispatch_uid="caching.ban.public")
@receiver(events.corrected, dispatch_uid="caching.ban.corrected")
@receiver(events.withdrawn, dispatch_uid="caching.ban.withdrawn")
@receiver(events.unpublished, dispatch_uid="caching.ban.unpublished")
def publication_event(sender, commentary, event, **kwargs):
    if not settings.FRONT_CACHE_URLS:
        return
    # After every web process has read the new generation (caching.freshness), so that the
    # front caches refetch the new pages, not stale ones to keep for s-maxage.
    later = timezone.now() + timedelta(seconds=2 * settings.FRESHNESS_SECONDS)
    frontcache.enqueue(frontcache.ban_public_pages, (event.pk,), later)
