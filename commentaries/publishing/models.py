from django.conf import settings
from django.db import models
from django.utils import timezone

from commentaries.models import Commentary


class PublicationEvent(models.Model):
    """A moment other parts react to, recorded once: the unique row is the proof it happened.

    commentaries.publishing.events derives these from the pieces' state and sends the matching
    signal in the transaction that writes the row, so whatever a receiver enqueues commits
    with it.
    """

    class Kind(models.TextChoices):
        PUBLIC = "public", "Became public"
        CORRECTED = "corrected", "Major correction"
        WITHDRAWN = "withdrawn", "Withdrawn"
        UNPUBLISHED = "unpublished", "Unpublished"

    commentary = models.ForeignKey(Commentary, on_delete=models.CASCADE, related_name="events")
    kind = models.CharField(max_length=20, choices=Kind)
    version = models.PositiveIntegerField(
        help_text="The release for public, withdrawn and unpublished; the correction's id for "
        "corrected."
    )
    occurred_at = models.DateTimeField(default=timezone.now)

    class Meta:
        db_table = "commentaries_publicationevent"  # made when events lived in the domain app
        ordering = ["occurred_at", "pk"]
        constraints = [
            models.UniqueConstraint(
                fields=["commentary", "kind", "version"], name="one_event_per_piece_kind_version"
            )
        ]

    def __str__(self):
        return f"{self.get_kind_display()}: No.{self.commentary.number} ({self.version})"


class ReviewNote(models.Model):
    """A step of the review loop: a submission for review, or a return to the author with a
    note. Each row is one message to send (to the editors, or to the author): notified_at
    records that it went, so a retried task sends nothing twice."""

    class Kind(models.TextChoices):
        SUBMITTED = "submitted", "Submitted for review"
        RETURNED = "returned", "Returned to author"

    commentary = models.ForeignKey(
        Commentary, on_delete=models.CASCADE, related_name="review_notes"
    )
    kind = models.CharField(max_length=20, choices=Kind)
    note = models.TextField(blank=True)
    made_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    made_at = models.DateTimeField(default=timezone.now)
    notified_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["-made_at", "-pk"]
        indexes = [models.Index(fields=["commentary", "-made_at"], name="review_notes_newest")]

    def __str__(self):
        return f"{self.get_kind_display()}: No.{self.commentary.number}"
