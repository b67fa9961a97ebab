"""Durable tasks (django.tasks; the database backend in production). Each is idempotent: a
unique Rendition or ShareCard row records that its work is done."""

from django.tasks import task

from commentaries.media import renditions, sharing


@task
def render_image(image_pk):
    return len(renditions.render_all(image_pk))


@task
def render_card(commentary_pk):
    card = sharing.render_and_store(commentary_pk)
    return card.pk if card else None
