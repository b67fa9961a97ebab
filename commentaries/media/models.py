import secrets

from django.conf import settings
from django.db import models
from django.db.models import Exists, OuterRef
from django.utils import timezone

from commentaries.models import Authorship, Commentary, Series, public_now

# The widths renditions are made at (never wider than the original): 160 serves a byline's
# photo at twice its size, 1200 a share card, 1600 a lead image on a wide screen at 2x.
WIDTHS = (160, 320, 640, 960, 1200, 1600)


class Format(models.TextChoices):
    WEBP = "webp", "WebP"
    JPEG = "jpg", "JPEG"


def new_token():
    """An image's address part: random, so nothing about the image (its id, its upload time,
    its pieces) tells anyone where a picture not yet public could be found."""
    return secrets.token_urlsafe(16)


def original_path(image, filename):
    # The original is never served (its metadata is still in it); only renditions are.
    return f"images/{image.token}/original.{image.format.lower()}"


class ImageQuerySet(models.QuerySet):
    def public(self):
        """Images readers may fetch: a series' logo; the photo of an author with a public
        piece; the lead image or a figure of a public piece. An image attached only to pieces
        that are not public (and to nothing else) is not."""
        # EXISTS correlated to each image's id, each going down a foreign key's index: a
        # rendition's request asks this of one image, where an IN over every public authorship
        # would read them all.
        image = OuterRef("pk")
        return self.filter(
            Exists(Series.objects.filter(logo=image))
            | Exists(Authorship.objects.filter(public_now("commentary__"), author__photo=image))
            | Exists(Commentary.objects.filter(public_now(), lead_image=image))
            | Exists(Figure.objects.filter(public_now("commentary__"), image=image))
        )


class Image(models.Model):
    """An uploaded picture: its original as uploaded (checked: media.checks), the text that
    stands for it, and its size as shown (orientation applied)."""

    token = models.CharField(max_length=32, unique=True, default=new_token, editable=False)
    original = models.FileField(upload_to=original_path, max_length=300, editable=False)
    alt_text = models.CharField(
        "alt text",
        max_length=300,
        help_text="What the picture shows, for readers who cannot see it. Required.",
    )
    credit = models.CharField(
        max_length=200, blank=True, help_text='Who made it, e.g. "Photo: Kyodo".'
    )
    width = models.PositiveIntegerField(editable=False)
    height = models.PositiveIntegerField(editable=False)
    format = models.CharField(max_length=10, editable=False, help_text="As Pillow read it.")
    size = models.PositiveIntegerField("file size", editable=False)
    uploaded_at = models.DateTimeField(default=timezone.now, editable=False)
    uploaded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        null=True,
        blank=True,
        editable=False,
        on_delete=models.SET_NULL,
        related_name="+",
    )

    objects = ImageQuerySet.as_manager()

    class Meta:
        ordering = ["-uploaded_at", "-pk"]

    def __str__(self):
        return self.alt_text[:60] or f"Image {self.token[:6]}"

    @property
    def widths(self):
        """The widths of its renditions, narrowest first."""
        narrower = [width for width in WIDTHS if width < self.width]
        return [*narrower, min(self.width, WIDTHS[-1])]

    def height_at(self, width):
        return max(1, round(self.height * width / self.width))

    def rendition_path(self, width, fmt):
        return f"/images/{self.token}/{width}.{fmt}"


class Rendition(models.Model):
    """One resized copy of an image in one format; the unique row proves it was made."""

    image = models.ForeignKey(Image, on_delete=models.CASCADE, related_name="renditions")
    width = models.PositiveIntegerField()
    height = models.PositiveIntegerField()
    format = models.CharField(max_length=4, choices=Format)
    file = models.FileField(max_length=300)
    size = models.PositiveIntegerField()
    made_at = models.DateTimeField(default=timezone.now)

    class Meta:
        ordering = ["image", "width", "format"]
        constraints = [
            models.UniqueConstraint(
                fields=["image", "width", "format"], name="one_rendition_per_width_and_format"
            )
        ]

    def __str__(self):
        return f"{self.image.token} at {self.width} px ({self.format})"


class Figure(models.Model):
    """An image shown inside a piece's body: kept in step with the body on every save
    (receivers.py), so that an image in the body of a public piece is public."""

    image = models.ForeignKey(Image, on_delete=models.PROTECT, related_name="figures")
    commentary = models.ForeignKey(Commentary, on_delete=models.CASCADE, related_name="figures")

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["image", "commentary"], name="one_figure_row")
        ]

    def __str__(self):
        return f"{self.image} in No.{self.commentary.number}"


class ShareCard(models.Model):
    """The 1200x630 picture link previews show for a piece without a lead image, drawn once
    per edition of what it prints (sharing.card_edition); the unique row proves it."""

    commentary = models.ForeignKey(
        Commentary, on_delete=models.CASCADE, related_name="share_cards"
    )
    edition = models.CharField(max_length=40)
    file = models.FileField(max_length=300)
    size = models.PositiveIntegerField()
    made_at = models.DateTimeField(default=timezone.now)

    class Meta:
        ordering = ["commentary", "-made_at"]
        constraints = [
            models.UniqueConstraint(fields=["commentary", "edition"], name="one_card_per_edition")
        ]

    def __str__(self):
        return f"Share card of No.{self.commentary.number} ({self.edition})"
