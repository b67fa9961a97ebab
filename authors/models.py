from django.conf import settings
from django.db import models

from authors.orcid import normalise_orcid, validate_orcid
from commentaries.addresses import address
from commentaries.html import sanitise_html
from commentaries.models import check_language, name_in_language


class NameOrder(models.TextChoices):
    GIVEN_FIRST = "given_first", "Given name first (Jane Smith)"
    FAMILY_FIRST = "family_first", "Family name first (NISHINO Junya)"


def formal_name(*, honorific, given_name, family_name, name_order):
    """The name as bios print it: family-first names put the family name first, in capitals."""
    if name_order == NameOrder.FAMILY_FIRST:
        parts = [honorific, family_name.upper(), given_name]
    else:
        parts = [honorific, given_name, family_name]
    return " ".join(part for part in parts if part)


class Author(models.Model):
    honorific = models.CharField(
        max_length=20, blank=True, help_text='For example "Dr." or "Prof."'
    )
    given_name = models.CharField(max_length=100)
    family_name = models.CharField(max_length=100)
    name_order = models.CharField(
        max_length=12,
        choices=NameOrder,
        default=NameOrder.GIVEN_FIRST,
        help_text="How the formal name in bios is written. Bylines always read given name first.",
    )
    slug = models.SlugField(max_length=120, unique=True)
    position = models.CharField(max_length=200, blank=True, help_text="Current position.")
    affiliation = models.CharField(max_length=300, blank=True, help_text="Current affiliation.")
    bio = models.TextField(blank=True, help_text="Current biography (HTML).")
    website = models.URLField(blank=True)
    photo = models.ForeignKey(
        "media.Image",
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
        help_text="A portrait; shown square, beside the name.",
    )
    orcid = models.CharField(
        "ORCID iD",
        max_length=19,
        blank=True,
        validators=[validate_orcid],
        help_text="For example 0000-0002-1825-0097; checked against its check digit.",
    )
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        ordering = ["family_name", "given_name"]
        indexes = [models.Index(fields=["family_name", "given_name"])]

    def __str__(self):
        return self.byline_name

    def save(self, *args, **kwargs):
        self.bio = sanitise_html(self.bio)
        self.orcid = normalise_orcid(self.orcid)
        super().save(*args, **kwargs)

    def get_absolute_url(self):
        return address("authors:detail", slug=self.slug)

    def clean_fields(self, exclude=None):
        self.orcid = normalise_orcid(self.orcid)
        super().clean_fields(exclude)

    @property
    def byline_name(self):
        return f"{self.given_name} {self.family_name}".strip()

    def name_in(self, language):
        """The name as printed in `language`: its AuthorName (西野純也), else the byline's."""
        return name_in_language(self, language, self.byline_name)

    def formal_name_in(self, language):
        """The name an author's page is headed with: the formal one, or that language's."""
        if language == settings.LANGUAGE_CODE:
            return self.formal_name
        return self.name_in(language)

    @property
    def formal_name(self):
        return formal_name(
            honorific=self.honorific,
            given_name=self.given_name,
            family_name=self.family_name,
            name_order=self.name_order,
        )


class AuthorName(models.Model):
    """An author's name as printed in a language other than the main one, in that language's
    order (西野純也, family name first), with how it sorts there."""

    author = models.ForeignKey(Author, on_delete=models.CASCADE, related_name="names")
    language = models.CharField(max_length=10)
    name = models.CharField(max_length=200, help_text="As printed, e.g. 西野純也.")
    sort_name = models.CharField(
        max_length=200,
        blank=True,
        help_text="How lists sort it (e.g. its reading); else the name.",
    )

    class Meta:
        ordering = ["author", "language"]
        constraints = [
            models.UniqueConstraint(
                fields=["author", "language"], name="one_author_name_per_language"
            )
        ]

    def __str__(self):
        return self.name

    def clean(self):
        check_language(self.language)
