import re
from datetime import timedelta

from django.conf import settings
from django.db import models, transaction
from django.db.models import Q
from django.utils import timezone, translation
from django.utils.translation import gettext_lazy as _

from commentaries.models import Commentary


class Frequency(models.TextChoices):
    EACH = "each", _("Each piece as it is published")
    WEEKLY = "weekly", _("A weekly digest")


class SubscriberQuerySet(models.QuerySet):
    def active(self):
        """Addresses that may be written to: confirmed, and not disabled by a bounce."""
        return self.filter(consented_at__isnull=False, disabled_at__isnull=True)


class Subscriber(models.Model):
    """One e-mail address that confirmed at least one subscription, with its consent record."""

    email = models.EmailField(unique=True, help_text="Stored in lower case.")
    consented_at = models.DateTimeField(
        "consent time", null=True, help_text="When the address first confirmed (double opt-in)."
    )
    source = models.CharField(
        "subscribed on",
        max_length=500,
        blank=True,
        help_text="The page the first request came from.",
    )
    disabled_at = models.DateTimeField(null=True, blank=True)
    disabled_reason = models.CharField(max_length=200, blank=True)
    created_at = models.DateTimeField(auto_now_add=True)

    objects = SubscriberQuerySet.as_manager()

    class Meta:
        ordering = ["email"]

    def __str__(self):
        return self.email

    def stop(self, subscriptions=None):
        """Stop these of its subscriptions (every one by default), and close the confirmation
        links already sent to the address for them (for anything, when every one stops)."""
        rows = self.subscriptions.all() if subscriptions is None else subscriptions
        targets = None if subscriptions is None else list(rows.values_list("target", flat=True))
        with transaction.atomic():
            SignupRequest.objects.close(self.email, targets)
            rows.delete()

    def forget(self):
        """Delete the address and everything about it; its links already sent stop working."""
        with transaction.atomic():
            SignupRequest.objects.close(self.email)
            self.delete()


def page_language():
    """The language of the page being answered (its address says it): what a subscription
    asked for there sends by default."""
    return translation.get_language() or settings.LANGUAGE_CODE


def wanting(code):
    """Subscriptions that send pieces in the language `code` (a word of their `languages`)."""
    return Q(languages__regex=rf"(^| ){re.escape(code)}( |$)")


class Subscription(models.Model):
    """What one subscriber follows, how often, and in which languages.

    `target` is "all", "series:<pk>", "author:<pk>" or "topic:<pk>": a piece matches the
    subscriptions whose target is among its own (targets_of), one indexed lookup, and that
    want its language (wanting).
    """

    subscriber = models.ForeignKey(
        Subscriber, on_delete=models.CASCADE, related_name="subscriptions"
    )
    target = models.CharField(max_length=50)
    frequency = models.CharField(max_length=10, choices=Frequency, default=Frequency.EACH)
    languages = models.CharField(
        max_length=100,
        default=page_language,
        help_text="The editions it sends: language codes separated by spaces (en ja).",
    )
    confirmed_at = models.DateTimeField(help_text="When this subscription was confirmed.")
    source = models.CharField("subscribed on", max_length=500, blank=True)

    class Meta:
        ordering = ["subscriber", "target"]
        constraints = [
            models.UniqueConstraint(
                fields=["subscriber", "target"], name="one_subscription_per_target"
            )
        ]
        indexes = [models.Index(fields=["target", "frequency"])]

    def __str__(self):
        return f"{self.subscriber} follows {self.target}"

    @property
    def language_codes(self):
        return self.languages.split()

    def add_language(self, code):
        """`languages` with `code` too, in the order of settings.LANGUAGES."""
        wanted = {*self.language_codes, code}
        return " ".join(c for c, _ in settings.LANGUAGES if c in wanted)


def targets_of(commentary):
    """The subscription targets a piece matches: everything, its series, authors and topics."""
    return [
        "all",
        f"series:{commentary.series_id}",
        *(f"author:{pk}" for pk in commentary.authorships.values_list("author_id", flat=True)),
        *(f"topic:{pk}" for pk in commentary.tags.values_list("pk", flat=True)),
    ]


class SignupRequestQuerySet(models.QuerySet):
    def open(self):
        """Requests whose link still subscribes: not yet followed, and not closed by an
        unsubscribe from their address since the link was sent."""
        return self.filter(closed_at=None)

    def close(self, email, targets=None):
        """Close the links already sent to `email` (for `targets` only, if given): someone who
        unsubscribes is never subscribed again by a link sent before they did."""
        rows = self.open().filter(email=email)
        if targets is not None:
            rows = rows.filter(target__in=targets)
        return rows.update(closed_at=timezone.now())

    def delete_expired(self):
        """Forget requests older than ALERTS_CONFIRM_DAYS, with their client addresses: the
        privacy notice promises it (the worker's clock and each new request call this)."""
        expired = timezone.now() - timedelta(days=settings.ALERTS_CONFIRM_DAYS)
        return self.filter(requested_at__lt=expired).delete()


class SignupRequest(models.Model):
    """A request to subscribe, waiting for its confirmation link to be followed.

    Kept only until ALERTS_CONFIRM_DAYS have passed; the throttle counts these rows. Its link
    works once: following it closes the request, and so does an unsubscribe from the address.
    """

    email = models.EmailField(db_index=True)
    client = models.CharField("client address", max_length=64, db_index=True)
    target = models.CharField(max_length=50)
    frequency = models.CharField(max_length=10, choices=Frequency, default=Frequency.EACH)
    language = models.CharField(
        max_length=10,
        default=page_language,
        help_text="The page's language: the subscription sends pieces in it, and the "
        "confirmation is written in it.",
    )
    source = models.CharField(max_length=500, blank=True)
    requested_at = models.DateTimeField(default=timezone.now, db_index=True)
    mailed = models.BooleanField(
        default=False, help_text="False when the per-address throttle held the e-mail back."
    )
    sent_at = models.DateTimeField(null=True, blank=True, help_text="The confirmation e-mail.")
    closed_at = models.DateTimeField(
        null=True,
        blank=True,
        help_text="When its link was followed, or an unsubscribe from the address made it void.",
    )

    objects = SignupRequestQuerySet.as_manager()

    def __str__(self):
        return f"Request for {self.email} ({self.target})"


class Delivery(models.Model):
    """One alert e-mail: one subscriber, one piece, ever (the unique constraint).

    Rows are created with their send task in one transaction; the task sends, then records
    sent_at, so a task run again after a crash sees the row and sends nothing twice.
    """

    subscriber = models.ForeignKey(
        Subscriber, null=True, on_delete=models.SET_NULL, related_name="deliveries"
    )
    commentary = models.ForeignKey(Commentary, on_delete=models.CASCADE, related_name="+")
    created_at = models.DateTimeField(auto_now_add=True)
    sent_at = models.DateTimeField(null=True, blank=True)
    skipped = models.CharField(
        max_length=100, blank=True, help_text="Why it was not sent, if it was not."
    )

    class Meta:
        verbose_name_plural = "deliveries"
        indexes = [
            # Only the alerts not sent (nor skipped) yet: the editors' desk looks for those
            # still waiting long after they were planned (alerts.desk).
            models.Index(
                fields=["created_at"],
                condition=Q(sent_at=None, skipped=""),
                name="unsent_deliveries",
            )
        ]
        constraints = [
            models.UniqueConstraint(
                fields=["subscriber", "commentary"], name="one_delivery_per_subscriber_and_piece"
            )
        ]

    def __str__(self):
        return f"Alert of No.{self.commentary.number} to {self.subscriber}"


class Digest(models.Model):
    """One weekly digest: one subscriber, one week (the unique constraint)."""

    subscriber = models.ForeignKey(Subscriber, on_delete=models.CASCADE, related_name="digests")
    week = models.DateField(help_text="The day the digest is due.")
    created_at = models.DateTimeField(auto_now_add=True)
    sent_at = models.DateTimeField(null=True, blank=True)
    pieces = models.PositiveIntegerField(default=0)
    skipped = models.CharField(max_length=100, blank=True)

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["subscriber", "week"], name="one_digest_per_week")
        ]

    def __str__(self):
        return f"Digest of {self.week} to {self.subscriber}"
