"""What pictures do when things happen: an upload's renditions are queued; a piece that
becomes public or is corrected without a lead image gets its share card queued; a saved body
keeps its Figure rows in step with the images it shows. Tasks are enqueued inside the
transaction that wrote the row, so both commit or neither does."""

from django.core.files.storage import default_storage
from django.db import transaction
from django.db.models.signals import post_delete, post_save
from django.dispatch import receiver

from commentaries.media import figures, tasks
from commentaries.media.models import Image, Rendition, ShareCard
from commentaries.models import Commentary
from commentaries.publishing import events


@receiver(post_save, sender=Image)
def on_upload(sender, instance, created, **kwargs):
    if created:
        tasks.render_image.enqueue(instance.pk)


@receiver(events.became_public)
@receiver(events.corrected)
def on_public(sender, commentary, event, **kwargs):
    if commentary.lead_image_id is None:
        tasks.render_card.enqueue(commentary.pk)


@receiver(post_save, sender=Commentary)
def on_piece_saved(sender, instance, created, update_fields=None, **kwargs):
    if update_fields is None or "body" in update_fields:
        figures.keep_in_step(instance, created=created)


@receiver(post_delete, sender=Image)
@receiver(post_delete, sender=Rendition)
@receiver(post_delete, sender=ShareCard)
def on_delete(sender, instance, **kwargs):
    """A deleted row's file goes too, once the deletion is committed."""
    stored = instance.original if sender is Image else instance.file
    if stored.name:
        transaction.on_commit(lambda: default_storage.delete(stored.name))
