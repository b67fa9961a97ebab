"""Keep search documents current: whatever a commentary's document is built from, on commit."""

from django.contrib.contenttypes.models import ContentType
from django.db.models.signals import m2m_changed, post_delete, post_save
from django.dispatch import receiver
from taggit.models import Tag, TaggedItem

from authors.models import Author
from commentaries.models import Authorship, Commentary, KeyPoint
from commentaries.search import index as search

# What a search document reads of the piece's own row.
SEARCHED_FIELDS = {"title", "summary", "body"}


@receiver(post_save, sender=Commentary)
def commentary_saved(sender, instance, raw=False, update_fields=None, **kwargs):
    """A save that names its fields (a publishing step, an edit of the dates) reindexes only
    when one of them is read by search."""
    if raw or (update_fields is not None and not SEARCHED_FIELDS & set(update_fields)):
        return
    search.reindex_on_commit([instance.pk])


@receiver([post_save, post_delete], sender=KeyPoint)
@receiver([post_save, post_delete], sender=Authorship)
def part_changed(sender, instance, raw=False, **kwargs):
    if not raw:
        search.reindex_on_commit([instance.commentary_id])


@receiver(m2m_changed, sender=Commentary.tags.through)
def topics_changed(sender, instance, action, **kwargs):
    if action.startswith("post_") and isinstance(instance, Commentary):
        search.reindex_on_commit([instance.pk])


@receiver([post_save, post_delete], sender=TaggedItem)
def tagging_changed(sender, instance, raw=False, **kwargs):
    """Taggings changed one by one, not through a piece's tags: taggit's merge of topics, and
    the deletion of a topic with its taggings."""
    if not raw and instance.content_type_id == ContentType.objects.get_for_model(Commentary).pk:
        search.reindex_on_commit([instance.object_id])


@receiver(post_save, sender=Author)
def author_saved(sender, instance, raw=False, **kwargs):
    if not raw:
        search.reindex_on_commit(instance.commentaries.values_list("pk", flat=True))


@receiver(post_save, sender=Tag)
def topic_saved(sender, instance, raw=False, **kwargs):
    if not raw:
        search.reindex_on_commit(
            Commentary.objects.filter(tags=instance).values_list("pk", flat=True)
        )
