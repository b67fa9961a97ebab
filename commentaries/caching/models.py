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
