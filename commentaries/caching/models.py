from django.db import models
from django.utils import timezone


class ContentGeneration(models.Model):
    """One row that moves with every change public pages can show (caching.freshness keeps it).

    Cached pages and feeds are keyed on `number`, read by primary key; the next scheduled piece's
    time is kept beside it, so that the first request after it moves the generation too.
    """

    number = models.PositiveBigIntegerField(default=0)
    changed_at = models.DateTimeField(default=timezone.now)
    next_go_live = models.DateTimeField(null=True, blank=True)

    class Meta:
        # Made by the commentaries app's migration 0011; the model moved here, the table stayed.
        db_table = "commentaries_contentgeneration"

    def __str__(self):
        return f"Content generation {self.number}"


class FrontCacheBan(models.Model):
    """One front-cache node told of one publication event: the row is the proof it was told once.

    Made with its ban_node task (caching.frontcache), one per node of FRONT_CACHE_URLS;
    banned_at is set when the node answered the BAN, and attempts counts those it did not.
    """

    event = models.ForeignKey(
        "publishing.PublicationEvent", on_delete=models.CASCADE, related_name="+"
    )
    node = models.CharField(max_length=500, help_text="The address the BAN is sent to.")
    created_at = models.DateTimeField(default=timezone.now)
    banned_at = models.DateTimeField(null=True, blank=True)
    attempts = models.PositiveSmallIntegerField(default=0)
    last_error = models.CharField(max_length=500, blank=True)

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["event", "node"], name="one_ban_per_event_and_node")
        ]

    def __str__(self):
        return f"Ban of {self.node} for event {self.event_id}"
